"""Domain exceptions the adapters raise, so domain code never inspects botocore errors."""

from __future__ import annotations


class MalformedRecordError(ValueError):
    """A record that can never be processed; it is counted and dropped, never retried."""


class ResourceGoneError(LookupError):
    """The resource was deleted before it could be read or tagged."""


class TransientAwsError(RuntimeError):
    """An AWS call failed in a way a later retry may fix; the record goes back to the queue."""
