"""The sweep's checkpoints in DynamoDB: the run, its owner and heartbeat, each type's cursor."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from tag_enforcer.aws.errors import error_code, translate_client_error
from tag_enforcer.sweep.checkpoint import SweepRun, TypeProgress
from tag_enforcer.sweep.organization import Scope, ScopeOutcome

# DynamoDB items expire this long after their last write (Time to Live on `expires_at`).
_PROGRESS_RETENTION_SECONDS = 35 * 24 * 3600


class DynamoDbCheckpointStore:
    """CheckpointStore in one DynamoDB table keyed `pk`/`sk`.

    pk="sweep", sk="current": the latest run (its owner, heartbeat and digest flag
    are attributes, so conditional writes can guard them); pk="run#<id>",
    sk="type#<name>": each type's cursor. An organization keeps its run under
    pk="organization" and each account's under pk="sweep#<account>#<region>" (`run_key`).
    """

    def __init__(
        self,
        dynamodb_client: Any,
        table_name: str,
        clock: Callable[[], float],
        run_key: str = "sweep",
    ) -> None:
        self._client = dynamodb_client
        self._table = table_name
        self._clock = clock
        self._run_key = run_key

    def _expires(self) -> dict[str, str]:
        return {"N": str(int(self._clock()) + _PROGRESS_RETENTION_SECONDS)}

    def current_run(self) -> SweepRun | None:
        try:
            item = self._client.get_item(
                TableName=self._table,
                Key={"pk": {"S": self._run_key}, "sk": {"S": "current"}},
                ConsistentRead=True,
            ).get("Item")
        except ClientError as error:
            raise translate_client_error(error, "DynamoDB GetItem") from error
        if item is None:
            return None
        data = json.loads(item["state"]["S"])
        data["owner"] = item["owner"]["S"]
        data["heartbeat_at"] = float(item["heartbeat_at"]["N"])
        data["digest_claimed"] = item["digest_claimed"]["BOOL"]
        return SweepRun.from_dict(data)

    def save_run(self, run: SweepRun) -> None:
        state = run.to_dict()
        for key in ("owner", "heartbeat_at", "digest_claimed"):
            state.pop(key)
        try:
            self._client.put_item(
                TableName=self._table,
                Item={
                    "pk": {"S": self._run_key},
                    "sk": {"S": "current"},
                    "run_id": {"S": run.run_id},
                    "owner": {"S": run.owner},
                    "heartbeat_at": {"N": repr(run.heartbeat_at)},
                    "digest_claimed": {"BOOL": run.digest_claimed},
                    "state": {"S": json.dumps(state, sort_keys=True)},
                },
            )
        except ClientError as error:
            raise translate_client_error(error, "DynamoDB PutItem") from error

    def _conditional_update(self, update: str, condition: str, values: dict[str, Any]) -> bool:
        # OWNER is a DynamoDB reserved word (DynamoDB Developer Guide, "Reserved words").
        names = {"#owner": "owner"} if "#owner" in condition else {}
        try:
            self._client.update_item(
                TableName=self._table,
                Key={"pk": {"S": self._run_key}, "sk": {"S": "current"}},
                UpdateExpression=update,
                ConditionExpression=condition,
                ExpressionAttributeValues=values,
                **({"ExpressionAttributeNames": names} if names else {}),
            )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                return False
            raise translate_client_error(error, "DynamoDB UpdateItem") from error
        return True

    def heartbeat(self, run_id: str, owner: str, now: float) -> bool:
        return self._conditional_update(
            "SET heartbeat_at = :now",
            "run_id = :run AND #owner = :owner",
            {":now": {"N": repr(now)}, ":run": {"S": run_id}, ":owner": {"S": owner}},
        )

    def claim_digest(self, run_id: str) -> bool:
        return self._conditional_update(
            "SET digest_claimed = :yes",
            "run_id = :run AND digest_claimed = :no",
            {":yes": {"BOOL": True}, ":no": {"BOOL": False}, ":run": {"S": run_id}},
        )

    def release_digest(self, run_id: str) -> None:
        self._conditional_update(
            "SET digest_claimed = :no",
            "run_id = :run",
            {":no": {"BOOL": False}, ":run": {"S": run_id}},
        )

    def progress(self, run_id: str, type_name: str) -> TypeProgress:
        try:
            item = self._client.get_item(
                TableName=self._table,
                Key={"pk": {"S": f"run#{run_id}"}, "sk": {"S": f"type#{type_name}"}},
                ConsistentRead=True,
            ).get("Item")
        except ClientError as error:
            raise translate_client_error(error, "DynamoDB GetItem") from error
        if item is None:
            return TypeProgress(type_name)
        return TypeProgress.from_dict(json.loads(item["state"]["S"]))

    def save_progress(self, run_id: str, progress: TypeProgress) -> None:
        try:
            self._client.put_item(
                TableName=self._table,
                Item={
                    "pk": {"S": f"run#{run_id}"},
                    "sk": {"S": f"type#{progress.type_name}"},
                    "state": {"S": json.dumps(progress.to_dict(), sort_keys=True)},
                    "expires_at": self._expires(),
                },
            )
        except ClientError as error:
            raise translate_client_error(error, "DynamoDB PutItem") from error


class DynamoDbScopeOutcomes:
    """ScopeOutcomeStore in the checkpoint table: pk="organization#<run id>",
    sk="scope#<account>#<region>", one item per account and region of the run."""

    def __init__(self, dynamodb_client: Any, table_name: str, clock: Callable[[], float]) -> None:
        self._client = dynamodb_client
        self._table = table_name
        self._clock = clock

    @staticmethod
    def _key(run_id: str, scope: Scope) -> dict[str, Any]:
        return {
            "pk": {"S": f"organization#{run_id}"},
            "sk": {"S": f"scope#{scope.account}#{scope.region}"},
        }

    def save_outcome(self, run_id: str, outcome: ScopeOutcome) -> None:
        try:
            self._client.put_item(
                TableName=self._table,
                Item={
                    **self._key(run_id, outcome.scope),
                    "state": {"S": json.dumps(outcome.to_dict(), sort_keys=True)},
                    "expires_at": {"N": str(int(self._clock()) + _PROGRESS_RETENTION_SECONDS)},
                },
            )
        except ClientError as error:
            raise translate_client_error(error, "DynamoDB PutItem") from error

    def outcome(self, run_id: str, scope: Scope) -> ScopeOutcome | None:
        try:
            item = self._client.get_item(
                TableName=self._table, Key=self._key(run_id, scope), ConsistentRead=True
            ).get("Item")
        except ClientError as error:
            raise translate_client_error(error, "DynamoDB GetItem") from error
        return None if item is None else ScopeOutcome.from_dict(json.loads(item["state"]["S"]))

    def outcomes(self, run_id: str) -> list[ScopeOutcome]:
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :run",
            "ExpressionAttributeValues": {":run": {"S": f"organization#{run_id}"}},
            "ConsistentRead": True,
        }
        found: list[ScopeOutcome] = []
        try:
            while True:
                page = self._client.query(**request)
                found.extend(
                    ScopeOutcome.from_dict(json.loads(item["state"]["S"]))
                    for item in page.get("Items", [])
                )
                if "LastEvaluatedKey" not in page:
                    return found
                request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        except ClientError as error:
            raise translate_client_error(error, "DynamoDB Query") from error
