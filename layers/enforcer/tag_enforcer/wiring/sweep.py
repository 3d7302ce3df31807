"""Composition root of the sweep: adapters over boto3 clients, one SweepService per scope.

The scope (partition, account, region) comes from the function's own ARN, or from
STS for the operator CLI, never from globals. In organization mode every account and
region is a scope of its own, read and tagged through the account's member role
(`OrganizationSweepServices`), with its checkpoints, snapshot and report in this account.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from tag_enforcer.aws.assumed_roles import AssumedRoles
from tag_enforcer.aws.clients import client
from tag_enforcer.aws.directory_store import DynamoDbDirectoryStore
from tag_enforcer.aws.dynamodb import DynamoDbCheckpointStore, DynamoDbScopeOutcomes
from tag_enforcer.aws.organizations import OrganizationAccounts
from tag_enforcer.aws.s3 import S3RunStore
from tag_enforcer.aws.sagemaker_catalog import SageMakerCatalogApi
from tag_enforcer.aws.sagemaker_directory import SageMakerDirectoryReader
from tag_enforcer.aws.sns import SnsDigestPublisher
from tag_enforcer.aws.tagging_api import ResourceGroupsTagging
from tag_enforcer.core.admin_rules import load_admin_rules
from tag_enforcer.core.arns import Arn, InvalidArnError
from tag_enforcer.core.directory import DirectorySnapshotStore, DomainDirectory
from tag_enforcer.core.organization import AccountNames, no_names
from tag_enforcer.core.resources import AccountScope
from tag_enforcer.core.settings import ENV_ADMIN_RULES_PATH, OrganizationSettings
from tag_enforcer.sweep.checkpoint import CheckpointStore
from tag_enforcer.sweep.organization import OrganizationSweep
from tag_enforcer.sweep.report import DigestPort, RunStore
from tag_enforcer.sweep.service import SweepService
from tag_enforcer.sweep.settings import (
    DEFAULT_SAFETY_MARGIN_SECONDS,
    OrganizationSweepSettings,
    SweepOptions,
    SweepSettings,
)

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


def member_client_factory(
    organization: OrganizationSettings,
    roles: AssumedRoles,
    partition: str,
    account: str,
    client_factory: ClientFactory = client,
) -> ClientFactory:
    """Clients in `account`: its member role's, or the caller's own in the home account."""
    if not organization.is_member(account):
        return client_factory
    role_arn = organization.member_role_arn(partition, account)

    def member_client(service_name: str, region: str) -> Any:
        return roles.client(service_name, region, role_arn)

    return member_client


def organization_reader(
    organization: OrganizationSettings, roles: AssumedRoles, region: str
) -> OrganizationAccounts | None:
    """Organizations through the read role; None without one (accounts by id only)."""
    if organization.read_role_arn is None:
        return None
    return OrganizationAccounts(roles.client("organizations", region, organization.read_role_arn))


class OrganizationSweepServices:
    """The organization sweep of one container: the run's service, and a SweepService per
    account and region, built on first use and kept while warm."""

    def __init__(
        self,
        settings: SweepSettings,
        home: AccountScope,
        client_factory: ClientFactory = client,
        assumed_roles: AssumedRoles | None = None,
    ) -> None:
        if settings.organization is None:
            raise ValueError("OrganizationSweepServices needs organization settings")
        self._settings = settings
        self._organization: OrganizationSweepSettings = settings.organization
        self._home = home
        self._client_factory = client_factory
        self.roles = assumed_roles or AssumedRoles(
            client_factory("sts", home.region),
            session_name=self._organization.organization.session_name,
        )
        self._run_service: OrganizationSweep | None = None
        self._scopes: dict[tuple[str, str], SweepService] = {}
        self._reader = organization_reader(self._organization.organization, self.roles, home.region)

    @property
    def account_names(self) -> AccountNames:
        return self._reader.account_name if self._reader is not None else no_names

    def organization(self) -> OrganizationSweep:
        if self._run_service is None:
            settings, home, factory = self._settings, self._home, self._client_factory
            digest = None
            if settings.alert_topic_arn:
                topic_region = settings.alert_topic_arn.split(":")[3]
                digest = SnsDigestPublisher(factory("sns", topic_region), settings.alert_topic_arn)
            self._run_service = OrganizationSweep(
                options=settings.options,
                checkpoints=DynamoDbCheckpointStore(
                    factory("dynamodb", home.region),
                    settings.checkpoint_table,
                    time.time,
                    run_key="organization",
                ),
                outcomes=DynamoDbScopeOutcomes(
                    factory("dynamodb", home.region), settings.checkpoint_table, time.time
                ),
                reports=S3RunStore(factory("s3", home.region), settings.report_bucket),
                regions=self._organization.regions or (home.region,),
                account_ids=self._organization.account_ids,
                account_source=self._reader,
                organizational_unit_id=self._organization.organizational_unit_id,
                account_names=self.account_names,
                digest=digest,
            )
        return self._run_service

    def check_access(self, account: str) -> Callable[[], None]:
        """A check that the account can be reached (its member role assumed), or nothing."""
        organization = self._organization.organization
        if not organization.is_member(account):
            return lambda: None
        role_arn = organization.member_role_arn(self._home.partition, account)
        return lambda: self.roles.check(role_arn)

    def scope(self, account: str, region: str) -> SweepService:
        """One account and region, swept as a single-account sweep with its own checkpoints."""
        key = (account, region)
        if key not in self._scopes:
            settings, home = self._settings, self._home
            scope = AccountScope(home.partition, region, account)
            factory = member_client_factory(
                self._organization.organization,
                self.roles,
                home.partition,
                account,
                self._client_factory,
            )
            dynamodb = self._client_factory("dynamodb", home.region)
            self._scopes[key] = build_sweep_service(
                settings.options,
                scope,
                checkpoints=DynamoDbCheckpointStore(
                    dynamodb,
                    settings.checkpoint_table,
                    time.time,
                    run_key=f"sweep#{account}#{region}",
                ),
                runs=S3RunStore(self._client_factory("s3", home.region), settings.report_bucket),
                # One digest for the whole Organization, sent by OrganizationSweep.finish.
                digest=None,
                client_factory=factory,
                safety_margin_seconds=settings.safety_margin_seconds,
                directory_store=DynamoDbDirectoryStore(
                    dynamodb,
                    settings.directory_table,
                    partition=home.partition,
                    account=account,
                    region=region,
                )
                if settings.directory_table
                else None,
            )
        return self._scopes[key]
