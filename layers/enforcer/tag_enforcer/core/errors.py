"""Domain exceptions the adapters raise, so domain code never inspects botocore errors."""

from __future__ import annotations


class MalformedRecordError(ValueError):
    """A record that can never be processed; it is counted and dropped, never retried."""


class ResourceGoneError(LookupError):
    """The resource was deleted before it could be read or tagged."""


class TransientAwsError(RuntimeError):
    """An AWS call failed in a way a later retry may fix; the record goes back to the queue."""


class PermanentAwsError(RuntimeError):
    """An AWS call failed in a way no retry fixes (a bad request, a resource that cannot
    be tagged): the record becomes a finding, never a trip through the dead-letter queue."""


class DeferredRecordError(RuntimeError):
    """A record that may become decidable soon (a parent or profile event still on its way).

    The handler reports it as a batch item failure, so SQS delivers it again after the
    visibility timeout; after a few deliveries it is decided as it stands.
    """


class StaleCursorError(LookupError):
    """A saved NextToken the service no longer accepts; the type is enumerated again."""


class AccessDeniedError(PermanentAwsError, PermissionError):
    """The caller lacks a permission it needs; retrying will not help."""


class OperationUnavailableError(PermanentAwsError):
    """The API is not offered here: retired (SageMaker Edge Manager), not in this region,
    or missing from the loaded botocore. The type is reported unavailable, not failed."""


class ResourceNotListedError(LookupError):
    """A resource looked for in its type's pages was not among them."""
