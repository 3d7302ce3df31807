"""SNS adapters: one message per finding, and one digest per sweep run, on the alert topic."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from tag_enforcer.aws.errors import translate_client_error
from tag_enforcer.core.errors import TransientAwsError
from tag_enforcer.enforce.alerts import Finding
from tag_enforcer.sweep.report import (
    SweepDigest,
)


class SnsAlertPublisher:
    """Adapter: one SNS message per finding."""

    def __init__(self, sns_client: Any, topic_arn: str) -> None:
        self._client = sns_client
        self._topic_arn = topic_arn

    def publish(self, finding: Finding) -> None:
        try:
            self._client.publish(
                TopicArn=self._topic_arn,
                Subject=finding.subject(),
                Message=json.dumps(finding.body(), indent=2, sort_keys=True),
                MessageAttributes=finding.message_attributes(),
            )
        except (ClientError, BotoCoreError) as error:
            # Never drop a finding: fail the record so SQS retries it, then dead-letters it.
            raise TransientAwsError(
                f"publishing {finding.kind} for {finding.resource_arn}: {error}"
            ) from error


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
            raise translate_client_error(error, "SNS Publish of the sweep digest") from error
