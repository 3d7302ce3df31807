"""One-line explanations of AWS errors an operator can fix: credentials, permissions, endpoints."""

from __future__ import annotations

import os

from botocore.exceptions import (
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
)

from tag_enforcer.core.errors import AccessDeniedError

# Credential problems STS reports on GetCallerIdentity (STS API reference, "Common errors").
_BAD_CREDENTIAL_CODES = frozenset(
    {"InvalidClientTokenId", "ExpiredToken", "ExpiredTokenException", "SignatureDoesNotMatch"}
)
_DENIED_CODES = frozenset({"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"})


def explain(error: BaseException) -> str | None:
    """What went wrong and what to do, or None for an error the operator cannot act on."""
    if isinstance(error, NoCredentialsError | PartialCredentialsError):
        return (
            "no usable AWS credentials found; configure them (AWS_PROFILE, environment "
            "variables, SSO or an instance role) and try again"
        )
    if isinstance(error, NoRegionError):
        return "no AWS region; pass --region or set AWS_REGION"
    if isinstance(error, EndpointConnectionError):
        endpoint = os.environ.get("AWS_ENDPOINT_URL")
        hint = f" (AWS_ENDPOINT_URL={endpoint})" if endpoint else ""
        return (
            f"could not reach {error.kwargs.get('endpoint_url', 'the AWS endpoint')}{hint}; "
            "check the region, the endpoint and the network"
        )
    if isinstance(error, AccessDeniedError):
        return str(error)
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        message = error.response.get("Error", {}).get("Message", "")
        operation = error.operation_name
        if code in _BAD_CREDENTIAL_CODES:
            return f"the AWS credentials were rejected ({code}: {message}); refresh them"
        if code in _DENIED_CODES:
            return (
                f"{operation} was denied ({code}: {message}); the caller needs that "
                "permission (see the sweep function's policy in template.yaml)"
            )
    return None
