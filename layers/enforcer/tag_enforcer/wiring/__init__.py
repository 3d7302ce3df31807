"""Composition roots: the only place that builds AWS adapters and hands them to the services."""
