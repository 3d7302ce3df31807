"""What an AWS request to the emulated account is: its service and operation, read from WSGI.

One reading for every middleware in front of the moto server (fault injection, the
request counter), so they agree on what a request is.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WsgiApp = Callable[[Environ, StartResponse], Iterable[bytes]]

# Authorization: AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request
# (AWS General Reference, "Signature Version 4"): the service is the signing name.
_CREDENTIAL_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/[^/]+/([^/]+)/aws4_request")
# Smithy RPC v2 requests name the operation in the path (Smithy, "RPC v2 CBOR protocol").
_RPC_V2_PATH = re.compile(r"^/service/[^/]+/operation/([^/]+)$")
# moto's own endpoints (reset, config): not AWS calls.
_INTERNAL_PREFIX = "/moto-api"


def is_internal(environ: Environ) -> bool:
    """A request to moto's own API (reset, config), not to an AWS service."""
    return str(environ.get("PATH_INFO", "")).startswith(_INTERNAL_PREFIX)


def signing_service(environ: Environ) -> str:
    """The SigV4 signing name (`sagemaker`, `tagging`, `sns`, ...), or "unsigned"."""
    match = _CREDENTIAL_SCOPE.search(str(environ.get("HTTP_AUTHORIZATION", "")))
    return match.group(1) if match else "unsigned"


def operation_name(environ: Environ) -> str:
    """The API operation: JSON's X-Amz-Target, RPC v2's path, the query protocol's Action.

    A form-encoded body is read to find the Action, then put back as a fresh stream,
    since moto reads it after us. Anything else is named by its method and path.
    """
    target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
    if target:
        return target.rsplit(".", 1)[-1]
    rpc = _RPC_V2_PATH.match(str(environ.get("PATH_INFO", "")))
    if rpc:
        return rpc.group(1)
    query = parse_qs(str(environ.get("QUERY_STRING", "")))
    if "Action" in query:
        return str(query["Action"][0])
    if str(environ.get("CONTENT_TYPE", "")).startswith("application/x-www-form-urlencoded"):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        form = parse_qs(body.decode(errors="replace"))
        if "Action" in form:
            return str(form["Action"][0])
    return f"{environ.get('REQUEST_METHOD', '?')} {environ.get('PATH_INFO', '')}"
