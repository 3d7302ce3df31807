"""Count API calls where the emulated account receives them, not where a client thinks it sent them.

A WSGI middleware in front of the moto server: each request is counted by service (the
SigV4 credential scope) and operation (the JSON protocol's X-Amz-Target, the query
protocol's Action, else method and path). Retries count, as AWS would bill and throttle them.
"""

from __future__ import annotations

import io
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from tag_enforcer_dev.emulator.account import EmulatedAccount

# Authorization: AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request
# (AWS General Reference, "Signature Version 4 signing process").
_CREDENTIAL_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/[^/]+/([^/]+)/aws4_request")
_INTERNAL_PREFIX = "/moto-api"

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WsgiApp = Callable[[Environ, StartResponse], Iterable[bytes]]


def _operation(environ: Environ) -> str:
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if target:
        return str(target).rsplit(".", 1)[-1]
    query = parse_qs(environ.get("QUERY_STRING", ""))
    if "Action" in query:
        return str(query["Action"][0])
    content_type = environ.get("CONTENT_TYPE", "")
    if content_type.startswith("application/x-www-form-urlencoded"):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        # The app reads the body again: hand it a fresh stream over the same bytes.
        environ["wsgi.input"] = io.BytesIO(body)
        form = parse_qs(body.decode(errors="replace"))
        if "Action" in form:
            return str(form["Action"][0])
    return f"{environ.get('REQUEST_METHOD', '?')} {environ.get('PATH_INFO', '')}"


class RequestCounter:
    """WSGI middleware: `counts[(service, operation)]` for every request that reaches moto."""

    def __init__(self, app: WsgiApp) -> None:
        self._app = app
        self._lock = threading.Lock()
        self.counts: Counter[tuple[str, str]] = Counter()

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        if not str(environ.get("PATH_INFO", "")).startswith(_INTERNAL_PREFIX):
            match = _CREDENTIAL_SCOPE.search(str(environ.get("HTTP_AUTHORIZATION", "")))
            service = match.group(1) if match else "unsigned"
            operation = _operation(environ)
            with self._lock:
                self.counts[(service, operation)] += 1
        return self._app(environ, start_response)

    def reset(self) -> None:
        with self._lock:
            self.counts.clear()

    def total(self, services: Iterable[str] | None = None) -> int:
        wanted = set(services) if services is not None else None
        with self._lock:
            return sum(n for (s, _), n in self.counts.items() if wanted is None or s in wanted)

    def by_operation(self, services: Iterable[str] | None = None) -> dict[str, int]:
        wanted = set(services) if services is not None else None
        with self._lock:
            return {
                operation: n
                for (s, operation), n in sorted(self.counts.items())
                if wanted is None or s in wanted
            }


def count_requests(account: EmulatedAccount) -> RequestCounter:
    """Put a RequestCounter in front of the account's running moto server."""
    moto_server = account._server
    if moto_server is None or moto_server._server is None:
        raise RuntimeError("start the emulated account before counting its requests")
    # ThreadedMotoServer keeps the werkzeug server, whose handler calls `server.app` on
    # every request (werkzeug.serving.WSGIRequestHandler).
    wsgi_server = moto_server._server
    counter = RequestCounter(wsgi_server.app)
    wsgi_server.app = counter
    return counter
