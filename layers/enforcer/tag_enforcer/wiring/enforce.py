"""Composition root: builds one EnforcementService per region from settings and real AWS clients.

The region, partition and account come from each event, never from globals, so
one deployment can serve events forwarded from other regions or accounts' buses. In
organization mode an event of another account is read and tagged through the member
role of that account (`aws.assumed_roles`); the queue, the topic and the tables stay
the deployment's own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

from tag_enforcer.aws.assumed_roles import AssumedRoles
from tag_enforcer.aws.clients import client
from tag_enforcer.aws.directory_store import DynamoDbDirectoryStore
from tag_enforcer.aws.organizations import OrganizationAccounts
from tag_enforcer.aws.sagemaker_catalog import SageMakerCatalogApi
from tag_enforcer.aws.sagemaker_directory import SageMakerDirectoryReader
from tag_enforcer.aws.sagemaker_tags import SageMakerTags
from tag_enforcer.aws.sns import SnsAlertPublisher
from tag_enforcer.core.admin_rules import load_admin_rules
from tag_enforcer.core.directory import CachedDirectory
from tag_enforcer.core.errors import MalformedRecordError
from tag_enforcer.core.organization import AccountNames, no_names
from tag_enforcer.core.settings import EnforcerSettings, OrganizationSettings
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
        assumed_roles: AssumedRoles | None = None,
    ) -> None:
        self._settings = settings
        self._client_factory = client_factory
        # Organization mode: member accounts' clients, and the accounts' names.
        self._assumed_roles = assumed_roles
        self._account_names: AccountNames | None = None
        # Loaded once per container; an invalid document stops the function here, at start.
        self._rules = load_admin_rules(settings.admin_rules_path)
        self._services: dict[tuple[str, str, str], EnforcementService] = {}
        self._deduplicators: list[DeduplicatedAlertPublisher] = []
        self._lambda_context: Any = None

    def register_lambda_context(self, context: Any) -> None:
        """Idempotency records expire with the invocation if it times out mid-publish."""
        self._lambda_context = context
        for deduplicator in self._deduplicators:
            deduplicator.register_lambda_context(context)

    def _home_region(self, region: str) -> str:
        """The deployment's region: where its topic and tables are."""
        parts = (self._settings.alert_topic_arn or "").split(":")
        return parts[3] if len(parts) > 3 and parts[3] else region

    def _roles(self, organization: OrganizationSettings, region: str) -> AssumedRoles:
        if self._assumed_roles is None:
            # The deployment's regional STS endpoint (botocore's default: regional).
            self._assumed_roles = AssumedRoles(
                self._client_factory("sts", self._home_region(region)),
                session_name=organization.session_name,
            )
        return self._assumed_roles

    def _names(self, region: str) -> AccountNames:
        """Account names for alerts, from Organizations (best effort, cached)."""
        organization = self._settings.organization
        if organization is None:
            return no_names
        if self._account_names is None:
            # Organizations is a global service; any region's client reaches it.
            organizations = (
                self._roles(organization, region).client(
                    "organizations", self._home_region(region), organization.read_role_arn
                )
                if organization.read_role_arn
                else self._client_factory("organizations", self._home_region(region))
            )
            self._account_names = OrganizationAccounts(organizations).account_name
        return self._account_names

    def _sagemaker(self, partition: str, region: str, account: str) -> Any:
        """SageMaker in the event's account: through its member role when it is not ours."""
        organization = self._settings.organization
        if organization is not None and organization.is_member(account):
            return self._roles(organization, region).client(
                "sagemaker", region, organization.member_role_arn(partition, account)
            )
        return self._client_factory("sagemaker", region)

    def for_event(self, partition: str, region: str, account: str) -> EnforcementService:
        if not account:
            # Neither recipientAccountId nor the caller's accountId named an account: there
            # is no account to read or tag in, and no member role to enter it through.
            raise MalformedRecordError("the record names no 12-digit account")
        key = (partition, region, account)
        if key not in self._services:
            if len(self._services) >= MAX_CACHED_SERVICES:
                # Bounded: a stream of events naming ever new regions cannot grow memory.
                self._services.pop(next(iter(self._services)))
            self._services[key] = self._build(partition, region, account)
        return self._services[key]

    def _build(self, partition: str, region: str, account: str) -> EnforcementService:
        sagemaker = self._sagemaker(partition, region, account)
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
                    deduplicator.register_lambda_context(self._lambda_context)
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
            account_names=self._names(region),
        )
