"""What the enforcer knows without AWS: registry, CloudTrail records, directory, attribution.

Nothing in `core` imports from `enforce`, `sweep`, `aws` or `wiring`
(tests/unit/test_layout.py holds that rule)."""
