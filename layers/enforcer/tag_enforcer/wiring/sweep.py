"""Composition root of the sweep: adapters over boto3 clients, one SweepService per scope.

The scope (partition, account, region) comes from the function's own ARN, or from
STS for the operator CLI, never from globals.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from tag_enforcer.aws.clients import client
from tag_enforcer.aws.directory_store import DynamoDbDirectoryStore
from tag_enforcer.aws.dynamodb import DynamoDbCheckpointStore
from tag_enforcer.aws.s3 import S3RunStore
from tag_enforcer.aws.sagemaker_catalog import SageMakerCatalogApi
from tag_enforcer.aws.sagemaker_directory import SageMakerDirectoryReader
from tag_enforcer.aws.sns import SnsDigestPublisher
from tag_enforcer.aws.tagging_api import ResourceGroupsTagging
from tag_enforcer.core.admin_rules import load_admin_rules
from tag_enforcer.core.arns import Arn, InvalidArnError
from tag_enforcer.core.directory import DirectorySnapshotStore, DomainDirectory
from tag_enforcer.core.resources import AccountScope
from tag_enforcer.core.settings import ENV_ADMIN_RULES_PATH
from tag_enforcer.sweep.checkpoint import CheckpointStore
from tag_enforcer.sweep.report import DigestPort, RunStore
from tag_enforcer.sweep.service import SweepService
from tag_enforcer.sweep.settings import DEFAULT_SAFETY_MARGIN_SECONDS, SweepOptions, SweepSettings

ClientFactory = Callable[[str, str], Any]


def scope_from_arn(own_arn: str, region: str) -> AccountScope | None:
    """Partition and account of the ARN the code runs as (a Lambda function's), else None."""
    try:
        arn = Arn.parse(own_arn)
    except InvalidArnError:
        return None
    return AccountScope(arn.partition, region, arn.account)


def scope_from_sts(region: str, client_factory: ClientFactory = client) -> AccountScope:
    """The caller's partition and account; GetCallerIdentity needs no permission (STS reference)."""
    identity = client_factory("sts", region).get_caller_identity()
    arn = Arn.parse(identity["Arn"])
    return AccountScope(arn.partition, region, identity["Account"])


def build_sweep_service(
    options: SweepOptions,
    scope: AccountScope,
    *,
    checkpoints: CheckpointStore,
    runs: RunStore,
    digest: DigestPort | None = None,
    client_factory: ClientFactory = client,
    safety_margin_seconds: float = DEFAULT_SAFETY_MARGIN_SECONDS,
    directory_store: DirectorySnapshotStore | None = None,
) -> SweepService:
    sagemaker = client_factory("sagemaker", scope.region)
    tagging = ResourceGroupsTagging(client_factory("resourcegroupstaggingapi", scope.region))
    reader = SageMakerDirectoryReader(sagemaker, scope.partition, scope.region, scope.account)

    def load_directory() -> DomainDirectory:
        """A full read, which also refreshes the shared snapshot (tombstones kept)."""
        now = time.time()
        fresh = reader.read_all(now)
        if directory_store is None:
            return fresh
        previous = directory_store.load()
        directory = previous.superseded_by(fresh, now) if previous is not None else fresh
        directory_store.save(directory)
        return directory

    return SweepService(
        options=options,
        scope=scope,
        catalog=SageMakerCatalogApi(sagemaker),
        tag_lookup=tagging,
        tagger=tagging,
        checkpoints=checkpoints,
        runs=runs,
        load_directory=load_directory,
        digest=digest,
        safety_margin_seconds=safety_margin_seconds,
        # The same admin rules as the enforce path; an invalid document stops the start.
        rules=load_admin_rules(os.environ.get(ENV_ADMIN_RULES_PATH)),
    )


def deployed_sweep_service(
    settings: SweepSettings, scope: AccountScope, client_factory: ClientFactory = client
) -> SweepService:
    """The sweep as deployed: checkpoints in DynamoDB, report in S3, digest on the alert topic."""
    # The table, bucket and topic live in the deployment's region, whatever region is swept.
    home_region = scope.region
    digest = None
    if settings.alert_topic_arn:
        topic_region = settings.alert_topic_arn.split(":")[3]
        digest = SnsDigestPublisher(client_factory("sns", topic_region), settings.alert_topic_arn)
    return build_sweep_service(
        settings.options,
        scope,
        checkpoints=DynamoDbCheckpointStore(
            client_factory("dynamodb", home_region), settings.checkpoint_table, time.time
        ),
        runs=S3RunStore(client_factory("s3", home_region), settings.report_bucket),
        digest=digest,
        client_factory=client_factory,
        safety_margin_seconds=settings.safety_margin_seconds,
        directory_store=DynamoDbDirectoryStore(
            client_factory("dynamodb", home_region),
            settings.directory_table,
            partition=scope.partition,
            account=scope.account,
            region=scope.region,
        )
        if settings.directory_table
        else None,
    )
