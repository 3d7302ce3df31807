"""Composition root: builds one EnforcementService per region from settings and real AWS clients.

The region, partition and account come from each event, never from globals, so
one deployment can serve events forwarded from other regions or accounts' buses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

from tag_enforcer.aws.clients import client
from tag_enforcer.aws.directory_store import DynamoDbDirectoryStore
from tag_enforcer.aws.sagemaker_catalog import SageMakerCatalogApi
from tag_enforcer.aws.sagemaker_directory import SageMakerDirectoryReader
from tag_enforcer.aws.sagemaker_tags import SageMakerTags
from tag_enforcer.aws.sns import SnsAlertPublisher
from tag_enforcer.core.admin_rules import load_admin_rules
from tag_enforcer.core.directory import CachedDirectory
from tag_enforcer.core.settings import EnforcerSettings
from tag_enforcer.enforce.alerts import AlertSink, DeduplicatedAlertPublisher
from tag_enforcer.enforce.inspection import ResourceInspector
from tag_enforcer.enforce.service import EnforcementService

# Partitions x regions x accounts one warm function serves; far above any real fan-in.
MAX_CACHED_SERVICES = 64


class EnforcementServices:
    """Services built on first use, one per (partition, region, account), kept while warm."""

    def __init__(
        self,
        settings: EnforcerSettings,
        client_factory: Callable[[str, str], Any] = client,
    ) -> None:
        self._settings = settings
        self._client_factory = client_factory
        # Loaded once per container; an invalid document stops the function here, at start.
        self._rules = load_admin_rules(settings.admin_rules_path)
        self._services: dict[tuple[str, str, str], EnforcementService] = {}
        self._deduplicators: list[DeduplicatedAlertPublisher] = []
        self._lambda_context: Any = None

    def register_lambda_context(self, context: Any) -> None:
        """Idempotency records expire with the invocation if it times out mid-publish."""
        self._lambda_context = context
        for deduplicator in self._deduplicators:
            deduplicator.config.register_lambda_context(context)

    def for_event(self, partition: str, region: str, account: str) -> EnforcementService:
        key = (partition, region, account)
        if key not in self._services:
            if len(self._services) >= MAX_CACHED_SERVICES:
                # Bounded: a stream of events naming ever new regions cannot grow memory.
                self._services.pop(next(iter(self._services)))
            self._services[key] = self._build(partition, region, account)
        return self._services[key]

    def _build(self, partition: str, region: str, account: str) -> EnforcementService:
        sagemaker = self._client_factory("sagemaker", region)
        home_region = (self._settings.alert_topic_arn or "").split(":")[3:4] or [region]
        alerts: AlertSink | None = None
        if self._settings.alert_topic_arn:
            # The topic lives in the deployment's region, whatever region the event came from.
            topic_region = self._settings.alert_topic_arn.split(":")[3]
            alerts = SnsAlertPublisher(
                self._client_factory("sns", topic_region), self._settings.alert_topic_arn
            )
            if self._settings.alert_dedup_table:
                persistence = DynamoDBPersistenceLayer(
                    table_name=self._settings.alert_dedup_table,
                    boto3_client=self._client_factory("dynamodb", topic_region),
                )
                deduplicator = DeduplicatedAlertPublisher(
                    alerts, persistence, self._settings.alert_window_seconds
                )
                if self._lambda_context is not None:
                    deduplicator.config.register_lambda_context(self._lambda_context)
                self._deduplicators.append(deduplicator)
                alerts = deduplicator
        store = None
        if self._settings.directory_table:
            # The table lives in the deployment's region, whatever region the event came from.
            store = DynamoDbDirectoryStore(
                self._client_factory("dynamodb", home_region[0]),
                self._settings.directory_table,
                partition=partition,
                account=account,
                region=region,
            )
        directory = CachedDirectory(
            SageMakerDirectoryReader(sagemaker, partition, region, account),
            self._settings.directory_ttl_seconds,
            store=store,
        )
        return EnforcementService(
            self._settings,
            directory,
            SageMakerTags(sagemaker),
            alerts,
            rules=self._rules,
            # A tag change is judged with Describe only: no page scans on the event path.
            inspector=ResourceInspector(
                SageMakerCatalogApi(sagemaker), SageMakerTags(sagemaker), directory.get, self._rules
            ),
        )
