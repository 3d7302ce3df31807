"""The project's tests; `tests.support` is the one importable place for what they share."""
