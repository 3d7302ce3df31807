"""Composition root: builds one EnforcementService per region from settings and real AWS clients.

The region, partition and account come from each event, never from globals, so
one deployment can serve events forwarded from other regions or accounts' buses.
"""

from __future__ import annotations

from collections.abc import Callable

from tag_enforcer.alerts import SnsAlertPublisher
from tag_enforcer.aws_clients import client
from tag_enforcer.directory import CachedDirectory, DomainDirectory, read_directory
from tag_enforcer.enforcement import EnforcementService
from tag_enforcer.settings import EnforcerSettings
from tag_enforcer.tagging import SageMakerTags


class EnforcementServices:
    """Services built on first use, one per (partition, region, account), kept while warm."""

    def __init__(
        self,
        settings: EnforcerSettings,
        client_factory: Callable[[str, str], object] = client,
    ) -> None:
        self._settings = settings
        self._client_factory = client_factory
        self._services: dict[tuple[str, str, str], EnforcementService] = {}

    def for_event(self, partition: str, region: str, account: str) -> EnforcementService:
        key = (partition, region, account)
        if key not in self._services:
            self._services[key] = self._build(partition, region, account)
        return self._services[key]

    def _build(self, partition: str, region: str, account: str) -> EnforcementService:
        sagemaker = self._client_factory("sagemaker", region)

        def load(now: float) -> DomainDirectory:
            return read_directory(sagemaker, partition, region, account, now)

        alerts = None
        if self._settings.alert_topic_arn:
            # The topic lives in the deployment's region, whatever region the event came from.
            topic_region = self._settings.alert_topic_arn.split(":")[3]
            alerts = SnsAlertPublisher(
                self._client_factory("sns", topic_region), self._settings.alert_topic_arn
            )
        return EnforcementService(
            self._settings,
            CachedDirectory(load, self._settings.directory_ttl_seconds),
            SageMakerTags(sagemaker),
            alerts,
        )
