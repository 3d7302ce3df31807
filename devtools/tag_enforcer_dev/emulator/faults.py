"""Fault injection for the emulated account: chosen API calls throttled or failed, as AWS would.

Why this exists: "nothing is lost under throttling" or "a failed alert is retried" only
means something against a service that fails, and moto never does. `FaultInjector` is a
WSGI middleware in front of the moto server (`EmulatedAccount.faults`). It passes every
request through until a test asks for faults; then it answers a seeded, reproducible share
of the chosen operations with the real service's error instead of calling moto.

Errors are shaped the way botocore parses each protocol (botocore/data/<service>/
service-2.json, `metadata.protocol`): JSON (SageMaker, Resource Groups Tagging API,
DynamoDB) gets `{"__type": code, "message": ...}`, query (SNS) gets an `<ErrorResponse>`
document. The throttling codes are ones botocore's retry handler classifies as throttling
(botocore/retries/standard.py `ThrottledRetryableChecker`, botocore/data/_retry.json), so
the product's adaptive retries see exactly what they would see on AWS.

Retries sleep (exponential backoff, 1 s base for throttling, and the adaptive mode's
client-side rate limiter). `without_retry_sleeps()` takes the sleeping out and keeps the
retrying, so a test of 1,000 throttled events runs in seconds: a random 30% throttle is not
driven by the request rate, so the rate limiter could not make it go away anyway.
"""

from __future__ import annotations

import json
import random
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from botocore.retries import bucket, standard

from tag_enforcer_dev.emulator.wsgi import (
    Environ,
    StartResponse,
    WsgiApp,
    is_internal,
    operation_name,
    signing_service,
)


@dataclass(frozen=True)
class ServiceError:
    """An error answer: the code botocore reads, the HTTP status, the message."""

    code: str
    status: int
    message: str


# The throttling error each service answers (its API reference, "Errors"):
# SageMaker "Common Errors" ThrottlingException 400; Resource Groups Tagging API
# ThrottledException 400; SNS Publish ThrottledException, code "Throttled", 429;
# DynamoDB ThrottlingException 400.
THROTTLING: dict[str, ServiceError] = {
    "sagemaker": ServiceError("ThrottlingException", 400, "Rate exceeded"),
    "tagging": ServiceError("ThrottledException", 400, "Rate exceeded"),
    "sns": ServiceError("Throttled", 429, "Rate exceeded"),
    "dynamodb": ServiceError("ThrottlingException", 400, "Rate of requests exceeds the limit"),
}
# A hard SNS failure botocore does not retry: the topic's KMS key was disabled
# (SNS API reference, Publish: KMSDisabledException, code "KMSDisabled", 400).
SNS_KEY_DISABLED = ServiceError(
    "KMSDisabled", 400, "The request was rejected because the specified KMS key isn't enabled."
)


@dataclass(frozen=True)
class Fault:
    """Answer `share` of the `service` (SigV4 signing name) `operation` calls with `error`."""

    service: str
    operation: str
    share: float
    error: ServiceError | None = None  # None: the service's throttling error

    def __post_init__(self) -> None:
        if not 0.0 <= self.share <= 1.0:
            raise ValueError(f"share {self.share} must be between 0 and 1")
        if self.error is None and self.service not in THROTTLING:
            raise ValueError(f"no throttling error known for service {self.service!r}")

    @property
    def answer(self) -> ServiceError:
        return self.error or THROTTLING[self.service]


def throttling(service: str, *operations: str, share: float) -> list[Fault]:
    """`throttling("sagemaker", "AddTags", "ListTags", share=0.3)`: one Fault per operation."""
    return [Fault(service, operation, share) for operation in operations]


def _error_response(
    environ: Environ, error: ServiceError
) -> tuple[str, list[tuple[str, str]], bytes]:
    request_id = str(uuid.uuid4())
    status = f"{error.status} Error"
    content_type = str(environ.get("CONTENT_TYPE", ""))
    if content_type.startswith("application/x-www-form-urlencoded"):
        # Query protocol error document (e.g. SNS API reference, "Common Errors").
        sender = "Sender" if error.status < 500 else "Receiver"
        body = (
            "<ErrorResponse><Error>"
            f"<Type>{sender}</Type><Code>{escape(error.code)}</Code>"
            f"<Message>{escape(error.message)}</Message>"
            f"</Error><RequestId>{request_id}</RequestId></ErrorResponse>"
        ).encode()
        headers = [("Content-Type", "text/xml"), ("x-amzn-RequestId", request_id)]
    else:
        body = json.dumps({"__type": error.code, "message": error.message}).encode()
        headers = [
            ("Content-Type", content_type or "application/x-amz-json-1.1"),
            ("x-amzn-RequestId", request_id),
            ("x-amzn-ErrorType", error.code),
        ]
    headers.append(("Content-Length", str(len(body))))
    return status, headers, body


class FaultInjector:
    """WSGI middleware: answers a seeded share of chosen calls with errors; idle by default."""

    def __init__(self, app: WsgiApp | None = None) -> None:
        self._app = app
        self._lock = threading.Lock()
        self._faults: dict[tuple[str, str], Fault] = {}
        self._hooks: dict[tuple[str, str], list[Callable[[], None]]] = {}
        self._random = random.Random(0)
        self.matched: Counter[tuple[str, str]] = Counter()  # calls a fault applied to
        self.injected: Counter[tuple[str, str]] = Counter()  # calls answered with its error

    def attach(self, wsgi_server: Any) -> None:
        """Put this injector in front of whatever app the (werkzeug) server calls now.

        werkzeug's request handler calls `server.app` on every request
        (werkzeug.serving.WSGIRequestHandler), so wrapping it takes effect at once and
        composes with other middlewares (emulator/request_counter.py wraps in turn).
        """
        self._app = wsgi_server.app
        wsgi_server.app = self

    @property
    def idle(self) -> bool:
        return not self._faults and not self._hooks

    @contextmanager
    def injecting(self, faults: Iterable[Fault], seed: int = 0) -> Iterator[FaultInjector]:
        """Inject `faults` inside the block; the same seed and calls give the same answers."""
        chosen = {(f.service, f.operation): f for f in faults}
        with self._lock:
            self._faults.update(chosen)
            self._random.seed(seed)
        try:
            yield self
        finally:
            with self._lock:
                for key in chosen:
                    self._faults.pop(key, None)

    def run_before_next(self, service: str, operation: str, action: Callable[[], None]) -> None:
        """Run `action` just before the next `service` `operation` call reaches moto, once.

        A test makes a race happen on cue with it, e.g. delete a resource between the
        enforcer's ListTags and its AddTags.
        """
        with self._lock:
            self._hooks.setdefault((service, operation), []).append(action)

    def total_injected(self) -> int:
        with self._lock:
            return sum(self.injected.values())

    def total_matched(self) -> int:
        with self._lock:
            return sum(self.matched.values())

    def reset_counts(self) -> None:
        with self._lock:
            self.matched.clear()
            self.injected.clear()

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        if self._app is None:
            raise RuntimeError("FaultInjector is not attached to a server")
        if self.idle or is_internal(environ):
            return self._app(environ, start_response)
        key = (signing_service(environ), operation_name(environ))
        with self._lock:
            hooks = self._hooks.pop(key, [])
            fault = self._faults.get(key)
            error: ServiceError | None = None
            if fault is not None:
                self.matched[key] += 1
                if self._random.random() < fault.share:
                    self.injected[key] += 1
                    error = fault.answer
        for action in hooks:
            action()
        if error is None:
            return self._app(environ, start_response)
        status, headers, body = _error_response(environ, error)
        start_response(status, headers)
        return [body]


@dataclass
class RetrySleepTally:
    """What botocore asked to sleep for while `without_retry_sleeps()` was active."""

    retries: int = 0
    backoff_seconds: float = 0.0


@contextmanager
def without_retry_sleeps() -> Iterator[RetrySleepTally]:
    """botocore retries as configured, without sleeping between attempts; tallies the backoff.

    Patches botocore's standard backoff (also used by the adaptive mode) to return 0 after
    noting the delay it computed, and lets the adaptive mode's token bucket grant every
    token at once. The retry decision (which errors, how many attempts, the retry quota)
    is untouched.
    """
    tally = RetrySleepTally()
    lock = threading.Lock()
    original_delay = standard.ExponentialBackoff.delay_amount
    original_acquire = bucket.TokenBucket.acquire

    def delay_amount(backoff: Any, context: Any) -> float:
        wanted = float(original_delay(backoff, context))
        with lock:
            tally.retries += 1
            tally.backoff_seconds += wanted
        return 0.0

    def acquire(token_bucket: Any, amount: int = 1, block: bool = True) -> bool:
        return True

    standard.ExponentialBackoff.delay_amount = delay_amount
    bucket.TokenBucket.acquire = acquire
    try:
        yield tally
    finally:
        standard.ExponentialBackoff.delay_amount = original_delay
        bucket.TokenBucket.acquire = original_acquire
