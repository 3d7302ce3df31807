"""botocore errors, read once: gone, denied, unavailable, a stale cursor, transient or permanent.

Transient: throttling and server-side errors, which botocore's adaptive retries have
already retried (botocore/retries: ThrottledRetryableChecker, 5xx); what is left goes
back to the queue or the state machine's retry. Everything else a service answers is
permanent: a retry sends the same request and gets the same answer.
"""

from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError

from tag_enforcer.core.errors import (
    AccessDeniedError,
    OperationUnavailableError,
    PermanentAwsError,
    ResourceGoneError,
    StaleCursorError,
    TransientAwsError,
)

GONE_CODES = frozenset({"ResourceNotFound", "ResourceNotFoundException", "NoSuchEntity"})
# AddTags/ListTags on a deleted resource answer ValidationException (SageMaker API reference).
GONE_MESSAGES = ("does not exist", "not found", "could not find", "cannot find")
DENIED_CODES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "UnauthorizedOperation",
        "UnrecognizedClientException",
        "InvalidClientTokenId",
        "ExpiredToken",
        "ExpiredTokenException",
    }
)
# "UnknownOperationException: The requested operation is not supported in the called
# region" (SageMaker, seen in GovCloud and other partitions' regions).
UNAVAILABLE_CODES = frozenset({"UnknownOperationException", "UnsupportedOperation"})
# Codes botocore's retry handler treats as throttling (botocore/data/_retry.json and
# retries/standard.py) plus the Tagging API's and SNS's own names for it.
THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "Throttled",
        "RequestThrottled",
        "RequestThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "TransactionInProgressException",
        "RequestLimitExceeded",
        "BandwidthLimitExceeded",
        "LimitExceededException",
        "SlowDown",
        "EC2ThrottledException",
        "PriorRequestNotComplete",
    }
)
SERVER_CODES = frozenset(
    {"InternalFailure", "InternalServerError", "InternalServiceException", "ServiceUnavailable"}
)


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", "Unknown"))


def error_message(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Message", ""))


def _status(error: ClientError) -> int:
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    return int(status) if isinstance(status, int) else 0


def is_transient(error: ClientError) -> bool:
    code = error_code(error)
    return code in THROTTLING_CODES or code in SERVER_CODES or _status(error) >= 500


def translate_client_error(error: ClientError, what: str) -> Exception:
    """The domain error for a botocore ClientError of the call `what`."""
    code, message = error_code(error), error_message(error)
    lowered = message.lower()
    if code in DENIED_CODES:
        return AccessDeniedError(
            f"{what} was denied ({code}: {message}); grant it to the role that runs it"
        )
    if code in GONE_CODES or (
        code == "ValidationException" and any(m in lowered for m in GONE_MESSAGES)
    ):
        return ResourceGoneError(f"{what}: {message}")
    if code == "PaginationTokenExpiredException" or (
        code == "ValidationException" and "token" in lowered
    ):
        return StaleCursorError(f"{what}: {message}")
    if code in UNAVAILABLE_CODES:
        return OperationUnavailableError(f"{what} is not available here ({code}: {message})")
    if is_transient(error):
        return TransientAwsError(f"{what} failed with {code}: {message}")
    return PermanentAwsError(f"{what} failed with {code}: {message}")


def translate_botocore_error(error: BotoCoreError, what: str) -> TransientAwsError:
    """Connection and read errors: the network, not the request, so a retry may help."""
    return TransientAwsError(f"{what} failed: {error}")
