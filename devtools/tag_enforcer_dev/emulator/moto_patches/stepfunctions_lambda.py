"""Step Functions' Lambda tasks run on in-process handlers, and its retry waits take no time.

Why this exists: moto 5.2.5 has its own Amazon States Language executor (switched on
through its config endpoint, `stepfunctions.execute_state_machine`), but its Lambda
tasks call moto's Lambda, whose Invoke needs Docker (docs/emulator.md, "Known gaps").
Both `arn:aws:states:::lambda:invoke` and a plain function ARN resource reach one
function, `lambda_eval_utils._invoke_lambda_function`; this module replaces it with
a look-up in `HANDLERS` (function name or ARN -> callable). A handler's exception
becomes the function error Lambda reports (`FunctionError: Unhandled`, with the
error's type as `errorType`), so the definition's Retry and Catch on
States.TaskFailed work as on AWS; a botocore ClientError raised by a handler is a
Lambda service error (`Lambda.<code>`).

Retries wait in `retrier_decl` (`time.sleep(interval)`); the waits are recorded in
`RETRY_WAITS` and skipped, so a test sees the retries without sitting through them.
"""

from __future__ import annotations

import json
import threading
import traceback
import types
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError
from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl
from moto.stepfunctions.parser.asl.component.state.exec.state_task import lambda_eval_utils

Handler = Callable[[dict[str, Any], str], Any]  # (event, function ARN or name) -> result

HANDLERS: dict[str, Handler] = {}
RETRY_WAITS: list[float] = []
_LOCK = threading.Lock()


def _function_name(function: str) -> str:
    """`sweep` for a name, an ARN or a qualified ARN (`...:function:sweep:$LATEST`)."""
    return function.rsplit(":function:", maxsplit=1)[-1].split(":", maxsplit=1)[0]


def _not_found(function: str) -> ClientError:
    return ClientError(
        {
            "Error": {
                "Code": "ResourceNotFoundException",
                "Message": f"Function not found: {function}",
            },
            "ResponseMetadata": {"HTTPStatusCode": 404},
        },
        "Invoke",
    )


def _invoke(parameters: dict[str, Any], region: str, state_credentials: Any) -> dict[str, Any]:
    function = str(parameters["FunctionName"])
    handler = HANDLERS.get(function) or HANDLERS.get(_function_name(function))
    if handler is None:
        raise _not_found(function)
    raw = parameters.get("Payload") or b"{}"
    event = json.loads(raw.decode() if isinstance(raw, bytes) else raw)
    # The Lambda Invoke response (Lambda API reference, Invoke): Payload is the JSON result.
    response: dict[str, Any] = {"StatusCode": 200, "ExecutedVersion": "$LATEST"}
    try:
        response["Payload"] = json.loads(json.dumps(handler(event, function)))
    except ClientError:
        raise
    except Exception as error:
        response["FunctionError"] = "Unhandled"
        response["Payload"] = {
            "errorType": type(error).__name__,
            "errorMessage": str(error),
            "stackTrace": traceback.format_exception(error),
        }
    return response


def _record_wait(seconds: float) -> None:
    with _LOCK:
        RETRY_WAITS.append(seconds)


def install() -> None:
    """Route Lambda tasks to HANDLERS and skip retry waits. Safe to call more than once."""
    lambda_eval_utils._invoke_lambda_function = _invoke
    # retrier_decl does `import time` and calls time.sleep(interval) between attempts.
    retrier_decl.time = types.SimpleNamespace(sleep=_record_wait)  # type: ignore[attr-defined,assignment]
