"""A compliance team's inbox in the emulated account: an SQS queue subscribed to the alert topic."""

from __future__ import annotations

import json
from typing import Any

from tag_enforcer_dev.emulator.account import EmulatedAccount
from tag_enforcer_dev.emulator.deploy import DeployedStack


def subscribe_compliance_inbox(account: EmulatedAccount, stack: DeployedStack) -> str:
    """An SQS queue subscribed to the alert topic, standing in for a compliance team."""
    sqs, sns = account.client("sqs"), account.client("sns")
    queue_url: str = sqs.create_queue(QueueName="compliance-inbox")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    sns.subscribe(TopicArn=stack.outputs["AlertTopicArn"], Protocol="sqs", Endpoint=queue_arn)
    return queue_url


def read_inbox(account: EmulatedAccount, queue_url: str) -> list[dict[str, Any]]:
    sqs = account.client("sqs")
    alerts: list[dict[str, Any]] = []
    while messages := sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get(
        "Messages", []
    ):
        for message in messages:
            alerts.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return alerts
