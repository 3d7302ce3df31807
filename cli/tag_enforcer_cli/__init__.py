"""Operator tooling: the `tag-enforcer` CLI, demo and emulated account. Never shipped to Lambda."""
