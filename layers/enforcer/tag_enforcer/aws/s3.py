"""The sweep's run store in S3: report pages as they are done, the directory, the reports.

runs/<run>/pages/<type>/<page>.json     report rows, page by page (merged on finish)
runs/<run>/directory.json               the run's directory snapshot
reports/<date>/<run>/report.{json,csv,html}
reports/<date>/<run>/coverage.json      what the next report compares with
reports/latest-coverage.json            which coverage.json is the newest, and the one before
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from botocore.exceptions import ClientError

from tag_enforcer.aws.errors import error_code, translate_client_error
from tag_enforcer.sweep.checkpoint import SweepRun
from tag_enforcer.sweep.report import (
    CSV_COLUMNS,
    ReportRow,
    merge_page,
    unique_rows,
    write_json_report,
)

LATEST_COVERAGE_KEY = "reports/latest-coverage.json"


def _report_prefix(run: SweepRun) -> str:
    return f"reports/{run.started_at[:10]}/{run.run_id}/"


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
            if error_code(error) in ("NoSuchKey", "404"):
                return None
            raise translate_client_error(error, f"S3 GetObject {key}") from error
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
            raise translate_client_error(error, f"S3 PutObject {key}") from error

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
            raise translate_client_error(error, f"S3 ListObjectsV2 {prefix}") from error

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
        prefix = _report_prefix(run)
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
                    raise translate_client_error(error, f"S3 upload {key}") from error
                locations[name] = f"s3://{self._bucket}/{key}"
        return locations

    def publish_document(self, run: SweepRun, name: str, text: str, content_type: str) -> str:
        key = f"{_report_prefix(run)}{name}"
        try:
            self._client.put_object(
                Bucket=self._bucket, Key=key, Body=text.encode(), ContentType=content_type
            )
        except ClientError as error:
            raise translate_client_error(error, f"S3 PutObject {key}") from error
        return f"s3://{self._bucket}/{key}"

    def previous_coverage(self, run_id: str) -> dict[str, Any] | None:
        pointer = self._get_json(LATEST_COVERAGE_KEY)
        if not isinstance(pointer, dict):
            return None
        if pointer.get("runId") == run_id:
            # A retried finish: this run's own snapshot is already the newest.
            pointer = pointer.get("previous")
        key = pointer.get("key") if isinstance(pointer, dict) else None
        loaded = self._get_json(key) if isinstance(key, str) else None
        return loaded if isinstance(loaded, dict) else None

    def save_coverage(self, run: SweepRun, snapshot: dict[str, Any]) -> None:
        key = f"{_report_prefix(run)}coverage.json"
        self._put_json(key, snapshot)
        pointer = self._get_json(LATEST_COVERAGE_KEY)
        previous = None
        if isinstance(pointer, dict):
            previous = (
                pointer.get("previous")
                if pointer.get("runId") == run.run_id
                else {"runId": pointer.get("runId"), "key": pointer.get("key")}
            )
        self._put_json(LATEST_COVERAGE_KEY, {"runId": run.run_id, "key": key, "previous": previous})

    def publish_organization_report(self, run: SweepRun, document: dict[str, Any]) -> str:
        """The organization's report beside its accounts' reports, under reports/<date>/<run>/."""
        text = json.dumps(document, indent=1, sort_keys=True)
        return self.publish_document(run, "organization.json", text, "application/json")
