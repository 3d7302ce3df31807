"""Adapters the sweep runs on in AWS: SageMaker reads, the Tagging API, DynamoDB, S3 and SNS.

Each turns botocore errors into the domain's: ResourceGoneError, StaleCursorError,
AccessDeniedError, TransientAwsError. Credential and endpoint errors pass through
untouched, for the operator CLI to explain.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from botocore import xform_name
from botocore.exceptions import ClientError

from tag_enforcer.bulk_tagging import TagFailure
from tag_enforcer.checkpoint import SweepRun, TypeProgress
from tag_enforcer.enumeration import StaleCursorError
from tag_enforcer.errors import ResourceGoneError, TransientAwsError
from tag_enforcer.sweep_report import (
    CSV_COLUMNS,
    ReportRow,
    SweepDigest,
    merge_page,
    unique_rows,
    write_json_report,
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
# DynamoDB items expire this long after their last write (Time to Live on `expires_at`).
_PROGRESS_RETENTION_SECONDS = 35 * 24 * 3600


class AccessDeniedError(PermissionError):
    """The caller lacks a permission the sweep needs; retrying will not help."""


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", "Unknown"))


def _message(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Message", ""))


def _translate(error: ClientError, what: str) -> Exception:
    code, message = _code(error), _message(error)
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


class SageMakerCatalogApi:
    """SageMakerCatalog over a boto3 SageMaker client."""

    def __init__(self, sagemaker_client: Any) -> None:
        self._client = sagemaker_client

    def _call(self, operation: str, **parameters: Any) -> dict[str, Any]:
        try:
            response: dict[str, Any] = getattr(self._client, xform_name(operation))(**parameters)
        except ClientError as error:
            raise _translate(error, operation) from error
        return response

    def search(
        self, resource: str, next_token: str | None, max_results: int
    ) -> tuple[list[dict[str, Any]], str | None]:
        parameters: dict[str, Any] = {"Resource": resource, "MaxResults": max_results}
        if next_token:
            parameters["NextToken"] = next_token
        page = self._call("Search", **parameters)
        return list(page.get("Results", [])), page.get("NextToken") or None

    def list_page(
        self,
        operation: str,
        result_key: str,
        parameters: Mapping[str, Any],
        next_token: str | None,
        max_results: int,
    ) -> tuple[list[dict[str, Any]], str | None]:
        request: dict[str, Any] = {**parameters, "MaxResults": max_results}
        if next_token:
            request["NextToken"] = next_token
        page = self._call(operation, **request)
        return list(page.get(result_key, [])), page.get("NextToken") or None

    def describe(self, operation: str, parameters: Mapping[str, Any]) -> dict[str, Any]:
        described = self._call(operation, **parameters)
        described.pop("ResponseMetadata", None)
        return described


class ResourceGroupsTagging:
    """TagLookup and BulkTagPort over a boto3 Resource Groups Tagging API client."""

    def __init__(self, tagging_client: Any) -> None:
        self._client = tagging_client

    def tags_by_arn(self, arns: Sequence[str]) -> dict[str, dict[str, str]]:
        found: dict[str, dict[str, str]] = {}
        # ResourceARNList excludes the pagination parameters (API reference, GetResources);
        # a token, if one ever comes back, is followed on its own.
        request: dict[str, Any] = {"ResourceARNList": list(arns)}
        try:
            while True:
                page = self._client.get_resources(**request)
                for mapping in page.get("ResourceTagMappingList", []):
                    found[mapping["ResourceARN"]] = {
                        t["Key"]: t.get("Value", "") for t in mapping.get("Tags", [])
                    }
                token = page.get("PaginationToken")
                if not token:
                    return found
                request = {"PaginationToken": token}
        except ClientError as error:
            raise _translate(error, "GetResources") from error

    def tag_resources(self, arns: Sequence[str], tags: Mapping[str, str]) -> dict[str, TagFailure]:
        try:
            response = self._client.tag_resources(ResourceARNList=list(arns), Tags=dict(tags))
        except ClientError as error:
            raise _translate(error, "TagResources") from error
        return {
            arn: TagFailure(
                error_code=str(info.get("ErrorCode", "Unknown")),
                status_code=int(info.get("StatusCode", 0)),
                message=str(info.get("ErrorMessage", "")),
            )
            for arn, info in (response.get("FailedResourcesMap") or {}).items()
        }


class DynamoDbCheckpointStore:
    """CheckpointStore in one DynamoDB table keyed `pk`/`sk`.

    pk="sweep", sk="current": the latest run (its owner, heartbeat and digest flag
    are attributes, so conditional writes can guard them); pk="run#<id>",
    sk="type#<name>": each type's cursor.
    """

    def __init__(self, dynamodb_client: Any, table_name: str, clock: Callable[[], float]) -> None:
        self._client = dynamodb_client
        self._table = table_name
        self._clock = clock

    def _expires(self) -> dict[str, str]:
        return {"N": str(int(self._clock()) + _PROGRESS_RETENTION_SECONDS)}

    def current_run(self) -> SweepRun | None:
        try:
            item = self._client.get_item(
                TableName=self._table,
                Key={"pk": {"S": "sweep"}, "sk": {"S": "current"}},
                ConsistentRead=True,
            ).get("Item")
        except ClientError as error:
            raise _translate(error, "DynamoDB GetItem") from error
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
                    "pk": {"S": "sweep"},
                    "sk": {"S": "current"},
                    "run_id": {"S": run.run_id},
                    "owner": {"S": run.owner},
                    "heartbeat_at": {"N": repr(run.heartbeat_at)},
                    "digest_claimed": {"BOOL": run.digest_claimed},
                    "state": {"S": json.dumps(state, sort_keys=True)},
                },
            )
        except ClientError as error:
            raise _translate(error, "DynamoDB PutItem") from error

    def _conditional_update(self, update: str, condition: str, values: dict[str, Any]) -> bool:
        # OWNER is a DynamoDB reserved word (DynamoDB Developer Guide, "Reserved words").
        names = {"#owner": "owner"} if "#owner" in condition else {}
        try:
            self._client.update_item(
                TableName=self._table,
                Key={"pk": {"S": "sweep"}, "sk": {"S": "current"}},
                UpdateExpression=update,
                ConditionExpression=condition,
                ExpressionAttributeValues=values,
                **({"ExpressionAttributeNames": names} if names else {}),
            )
        except ClientError as error:
            if _code(error) == "ConditionalCheckFailedException":
                return False
            raise _translate(error, "DynamoDB UpdateItem") from error
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
            raise _translate(error, "DynamoDB GetItem") from error
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
            raise _translate(error, "DynamoDB PutItem") from error


class S3RunStore:
    """RunStore in one S3 bucket: pages and the directory under runs/, reports under reports/."""

    def __init__(self, s3_client: Any, bucket: str) -> None:
        self._client = s3_client
        self._bucket = bucket

    def _page_prefix(self, run_id: str, type_name: str) -> str:
        return f"runs/{run_id}/pages/{type_name}/"

    def _get_json(self, key: str) -> Any | None:
        try:
            body = self._client.get_object(Bucket=self._bucket, Key=key)["Body"].read()
        except ClientError as error:
            if _code(error) in ("NoSuchKey", "404"):
                return None
            raise _translate(error, f"S3 GetObject {key}") from error
        return json.loads(body)

    def _put_json(self, key: str, data: Any) -> None:
        try:
            self._client.put_object(
                Bucket=self._bucket,
                Key=key,
                Body=json.dumps(data, sort_keys=True).encode(),
                ContentType="application/json",
            )
        except ClientError as error:
            raise _translate(error, f"S3 PutObject {key}") from error

    def put_page(
        self, run_id: str, type_name: str, page: int, rows: Sequence[ReportRow], merge: bool
    ) -> None:
        key = f"{self._page_prefix(run_id, type_name)}{page:08d}.json"
        old = [ReportRow.from_dict(r) for r in (self._get_json(key) or [])] if merge else []
        self._put_json(key, [row.to_dict() for row in merge_page(old, rows)])

    def _page_keys(self, prefix: str) -> Iterator[str]:
        request: dict[str, Any] = {"Bucket": self._bucket, "Prefix": prefix}
        try:
            while True:
                page = self._client.list_objects_v2(**request)
                yield from sorted(o["Key"] for o in page.get("Contents", []))
                if not page.get("IsTruncated"):
                    return
                request["ContinuationToken"] = page["NextContinuationToken"]
        except ClientError as error:
            raise _translate(error, f"S3 ListObjectsV2 {prefix}") from error

    def rows(self, run_id: str, type_names: Sequence[str]) -> Iterator[ReportRow]:
        def pages() -> Iterator[list[ReportRow]]:
            for type_name in type_names:
                for key in self._page_keys(self._page_prefix(run_id, type_name)):
                    yield [ReportRow.from_dict(r) for r in self._get_json(key) or []]

        return unique_rows(pages())

    def save_directory(self, run_id: str, snapshot: dict[str, Any]) -> None:
        self._put_json(f"runs/{run_id}/directory.json", snapshot)

    def load_directory(self, run_id: str) -> dict[str, Any] | None:
        loaded = self._get_json(f"runs/{run_id}/directory.json")
        return loaded if isinstance(loaded, dict) else None

    def publish_report(
        self, run: SweepRun, rows: Iterable[ReportRow], summary: Callable[[], dict[str, Any]]
    ) -> dict[str, str]:
        """Both reports in one pass over the rows, spooled to disk past 32 MiB, then uploaded."""
        prefix = f"reports/{run.started_at[:10]}/{run.run_id}/"
        with (
            tempfile.SpooledTemporaryFile(max_size=32 * 2**20) as json_file,
            tempfile.SpooledTemporaryFile(max_size=32 * 2**20) as csv_file,
        ):
            json_text = io.TextIOWrapper(json_file, encoding="utf-8", newline="")
            csv_text = io.TextIOWrapper(csv_file, encoding="utf-8", newline="")
            writer = csv.writer(csv_text, lineterminator="\n")
            writer.writerow(CSV_COLUMNS)

            def both() -> Iterator[ReportRow]:
                for row in rows:
                    writer.writerow(row.csv_values())
                    yield row

            write_json_report(run, both(), summary, json_text)
            locations = {}
            for name, text, content_type in (
                ("json", json_text, "application/json"),
                ("csv", csv_text, "text/csv"),
            ):
                text.flush()
                # Detached, the wrapper no longer owns (and will not close) the file.
                raw = text.detach()
                raw.seek(0)
                key = f"{prefix}report.{name}"
                try:
                    # Managed transfer: multipart past 8 MiB (boto3 TransferConfig default).
                    self._client.upload_fileobj(
                        raw, self._bucket, key, ExtraArgs={"ContentType": content_type}
                    )
                except ClientError as error:
                    raise _translate(error, f"S3 upload {key}") from error
                locations[name] = f"s3://{self._bucket}/{key}"
        return locations


class SnsDigestPublisher:
    """DigestPort: the run's one message on the alert topic."""

    def __init__(self, sns_client: Any, topic_arn: str) -> None:
        self._client = sns_client
        self._topic_arn = topic_arn

    def publish(self, digest: SweepDigest) -> None:
        try:
            self._client.publish(
                TopicArn=self._topic_arn,
                Subject=digest.subject,
                Message=json.dumps(digest.body, indent=2, sort_keys=True),
                MessageAttributes=digest.attributes,
            )
        except ClientError as error:
            raise _translate(error, "SNS Publish of the sweep digest") from error
