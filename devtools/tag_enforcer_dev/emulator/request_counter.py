"""Count API calls where the emulated account receives them, not where a client thinks it sent them.

A WSGI middleware in front of the moto server: each request is counted by service (the
SigV4 credential scope) and operation (the JSON protocol's X-Amz-Target, the query
protocol's Action, else method and path). Retries count, as AWS would bill and throttle them.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable

from tag_enforcer_dev.emulator.account import EmulatedAccount
from tag_enforcer_dev.emulator.wsgi import (
    Environ,
    StartResponse,
    WsgiApp,
    is_internal,
    operation_name,
    signing_service,
)


class RequestCounter:
    """WSGI middleware: `counts[(service, operation)]` for every request that reaches moto."""

    def __init__(self, app: WsgiApp) -> None:
        self._app = app
        self._lock = threading.Lock()
        self.counts: Counter[tuple[str, str]] = Counter()

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        if not is_internal(environ):
            service = signing_service(environ)
            operation = operation_name(environ)
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
