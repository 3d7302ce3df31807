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


class RoleUnavailableError(AccessDeniedError):
    """A role in another account cannot be assumed: it is missing, or its trust policy does
    not name this deployment's roles. Every call through it would fail the same way, so it
    is reported once per account (`member-role-unavailable`), never per record."""

    def __init__(self, role_arn: str, reason: str) -> None:
        # arn:<partition>:iam::<account>:role/<name>
        parts = role_arn.split(":")
        self.role_arn = role_arn
        self.account = parts[4] if len(parts) > 4 else ""
        self.reason = reason
        super().__init__(
            f"cannot assume {role_arn} ({reason}): deploy the member template in account "
            f'{self.account} (README, "Deploy to an AWS Organization"), and check that its '
            "trust policy names this deployment's enforce and sweep roles"
        )
