"""Operator tooling: the `tag-enforcer` CLI, the demo and the emulated account. Never shipped to Lambda."""
