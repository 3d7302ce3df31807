"""The shared directory snapshot in DynamoDB: a partition per account and region, an item per entry.

The enforce function reads a whole snapshot with one Query (a page holds 1 MB, about
3,000 entries; DynamoDB Developer Guide, "Query"), instead of 1 + domains + profiles
Describe calls per container. A directory event rewrites one item; a full SageMaker
read (sweep plan, or a snapshot past its age) rewrites them all with BatchWriteItem,
25 items a call (DynamoDB API reference, BatchWriteItem). Tombstones expire through
the table's Time to Live on `expires_at`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

from botocore.exceptions import ClientError

from tag_enforcer.aws.errors import translate_client_error
from tag_enforcer.core.directory import (
    TOMBSTONE_RETENTION_SECONDS,
    DomainDirectory,
    DomainEntry,
    SpaceEntry,
    UserProfileEntry,
    directory_from_entries,
    entry_from_dict,
    entry_to_dict,
)

_META = "meta"
BATCH_WRITE_LIMIT = 25
# Unprocessed items of a BatchWriteItem are retried this many times (DynamoDB API
# reference: "If any requested operations fail ... UnprocessedItems").
_MAX_BATCH_ROUNDS = 8

Entry = DomainEntry | UserProfileEntry | SpaceEntry


def _sort_key(entry: Entry) -> str:
    if isinstance(entry, DomainEntry):
        return f"domain#{entry.domain_id}"
    kind = "profile" if isinstance(entry, UserProfileEntry) else "space"
    return f"{kind}#{entry.domain_id}#{entry.name}"


class DynamoDbDirectoryStore:
    """DirectorySnapshotStore for one (partition, account, region) in one table keyed pk/sk."""

    def __init__(
        self,
        dynamodb_client: Any,
        table_name: str,
        *,
        partition: str,
        account: str,
        region: str,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._client = dynamodb_client
        self._table = table_name
        self._pk = f"directory#{partition}#{account}#{region}"
        self._clock = clock

    def _item(self, entry: Entry) -> dict[str, Any]:
        item: dict[str, Any] = {
            "pk": {"S": self._pk},
            "sk": {"S": _sort_key(entry)},
            "entry": {"S": json.dumps(entry_to_dict(entry), sort_keys=True)},
        }
        if entry.deleted_at is not None:
            item["expires_at"] = {"N": str(int(entry.deleted_at + TOMBSTONE_RETENTION_SECONDS))}
        return item

    def _meta(self, loaded_at: float) -> dict[str, Any]:
        return {"pk": {"S": self._pk}, "sk": {"S": _META}, "loaded_at": {"N": repr(loaded_at)}}

    def _items(self) -> Iterator[dict[str, Any]]:
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": self._pk}},
        }
        try:
            while True:
                page = self._client.query(**request)
                yield from page.get("Items", [])
                if not page.get("LastEvaluatedKey"):
                    return
                request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        except ClientError as error:
            raise translate_client_error(error, "DynamoDB Query of the directory") from error

    def load(self) -> DomainDirectory | None:
        """The snapshot, or None when none was ever written."""
        loaded_at: float | None = None
        entries: list[Entry] = []
        now = self._clock()
        for item in self._items():
            if item["sk"]["S"] == _META:
                loaded_at = float(item["loaded_at"]["N"])
                continue
            # TTL deletes expired items lazily (DynamoDB Developer Guide, "Time to Live"):
            # an expired tombstone may still be read, and is dropped here.
            if "expires_at" in item and float(item["expires_at"]["N"]) < now:
                continue
            entries.append(entry_from_dict(json.loads(item["entry"]["S"])))
        if loaded_at is None:
            return None
        return directory_from_entries(entries, loaded_at)

    def save(self, directory: DomainDirectory) -> None:
        """Every entry and the snapshot's time, in batches of 25."""
        items = [self._item(entry) for entry in directory.entries()]
        items.append(self._meta(directory.loaded_at))
        for start in range(0, len(items), BATCH_WRITE_LIMIT):
            self._write_batch(items[start : start + BATCH_WRITE_LIMIT])

    def _write_batch(self, items: list[dict[str, Any]]) -> None:
        pending: dict[str, Any] = {self._table: [{"PutRequest": {"Item": i}} for i in items]}
        for _ in range(_MAX_BATCH_ROUNDS):
            try:
                response = self._client.batch_write_item(RequestItems=pending)
            except ClientError as error:
                raise translate_client_error(error, "DynamoDB BatchWriteItem") from error
            pending = response.get("UnprocessedItems") or {}
            if not pending:
                return
        raise translate_client_error(
            ClientError(
                {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": ""}},
                "BatchWriteItem",
            ),
            "DynamoDB BatchWriteItem left items unprocessed",
        )

    def save_entry(self, entry: Entry) -> None:
        try:
            self._client.put_item(TableName=self._table, Item=self._item(entry))
        except ClientError as error:
            raise translate_client_error(error, "DynamoDB PutItem of a directory entry") from error
