"""Development tools: the emulated AWS account, the demo scenario, benchmarks and generators.

Never shipped: the Lambda layer holds `tag_enforcer` only, and the operator CLI
(`tag_enforcer_cli`) imports this package only for `tag-enforcer demo`. Its own
dependencies (moto, samtranslator, PyYAML) are the `dev` extra.
"""
