"""AWS errors are sorted once: transient ones are retried, permanent ones become findings."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tag_enforcer.aws.errors import translate_client_error
from tag_enforcer.core.errors import (
    AccessDeniedError,
    OperationUnavailableError,
    PermanentAwsError,
    ResourceGoneError,
    StaleCursorError,
    TransientAwsError,
)


def _error(code: str, message: str = "", status: int = 400) -> ClientError:
    return ClientError(
        {
            "Error": {"Code": code, "Message": message},
            "ResponseMetadata": {"HTTPStatusCode": status},
        },
        "AddTags",
    )


@pytest.mark.parametrize(
    ("code", "message", "status", "expected"),
    [
        ("ThrottlingException", "Rate exceeded", 400, TransientAwsError),
        ("ThrottledException", "Rate exceeded", 400, TransientAwsError),
        ("Throttled", "Rate exceeded", 429, TransientAwsError),
        ("InternalFailure", "", 500, TransientAwsError),
        ("ServiceUnavailable", "", 503, TransientAwsError),
        ("SomethingNew", "an error no one has seen", 502, TransientAwsError),
        ("AccessDeniedException", "not authorized", 400, AccessDeniedError),
        ("ValidationException", "Tag keys must be unique", 400, PermanentAwsError),
        ("ValidationException", "resource cannot be tagged", 400, PermanentAwsError),
        ("ResourceNotFound", "", 400, ResourceGoneError),
        ("ValidationException", "Job does not exist", 400, ResourceGoneError),
        ("ValidationException", "Invalid pagination token", 400, StaleCursorError),
        (
            "UnknownOperationException",
            "The requested operation is not supported in the called region.",
            400,
            OperationUnavailableError,
        ),
    ],
)
def test_each_error_is_sorted_into_what_a_retry_can_and_cannot_fix(
    code: str, message: str, status: int, expected: type[Exception]
) -> None:
    translated = translate_client_error(_error(code, message, status), "AddTags")
    assert type(translated) is expected
    assert code in str(translated) or expected is ResourceGoneError or expected is StaleCursorError


def test_permanent_errors_are_never_transient() -> None:
    for code in ("AccessDeniedException", "ValidationException", "UnknownOperationException"):
        translated = translate_client_error(_error(code, "x"), "AddTags")
        assert isinstance(translated, PermanentAwsError)
        assert not isinstance(translated, TransientAwsError)
