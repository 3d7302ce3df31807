"""botocore errors, read once: which codes mean gone, denied, a stale cursor, or try again."""

from __future__ import annotations

from botocore.exceptions import ClientError

from tag_enforcer.core.errors import (
    AccessDeniedError,
    ResourceGoneError,
    StaleCursorError,
    TransientAwsError,
)

_GONE_CODES = frozenset({"ResourceNotFound", "ResourceNotFoundException", "NoSuchEntity"})


_GONE_MESSAGES = ("does not exist", "not found", "could not find", "cannot find")


_DENIED_CODES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "UnauthorizedOperation",
        "UnrecognizedClientException",
    }
)


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", "Unknown"))


def error_message(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Message", ""))


def translate_client_error(error: ClientError, what: str) -> Exception:
    code, message = error_code(error), error_message(error)
    lowered = message.lower()
    if code in _DENIED_CODES:
        return AccessDeniedError(
            f"{what} was denied ({code}: {message}); grant it to the role running the sweep"
        )
    if code in _GONE_CODES or (
        code == "ValidationException" and any(m in lowered for m in _GONE_MESSAGES)
    ):
        return ResourceGoneError(f"{what}: {message}")
    if code == "PaginationTokenExpiredException" or (
        code == "ValidationException" and "token" in lowered
    ):
        return StaleCursorError(f"{what}: {message}")
    return TransientAwsError(f"{what} failed with {code}: {message}")
