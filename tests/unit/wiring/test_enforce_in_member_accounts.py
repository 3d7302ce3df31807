"""The composition root reads and tags an event's resource in the event's own account: the
deployment's clients at home, the member role's clients in every other account."""

from __future__ import annotations

from typing import Any

import pytest

from tag_enforcer.core.errors import MalformedRecordError
from tag_enforcer.core.settings import EnforcerSettings, OrganizationSettings
from tag_enforcer.wiring.enforce import EnforcementServices

HOME = "111122223333"
MEMBER = "222233334444"
ORGANIZATION = OrganizationSettings(
    organization_id="o-a1b2c3d4e5",
    member_role_name="SageMakerTagEnforcerMember",
    deployment_account=HOME,
)


class Clients:
    """A client factory that records what it was asked for."""

    def __init__(self) -> None:
        self.made: list[tuple[str, str]] = []

    def __call__(self, service: str, region: str) -> Any:
        self.made.append((service, region))
        return object()


class Roles:
    """AssumedRoles' client(), recorded."""

    def __init__(self) -> None:
        self.made: list[tuple[str, str, str]] = []

    def client(self, service: str, region: str, role_arn: str) -> Any:
        self.made.append((service, region, role_arn))
        return object()


def test_a_member_accounts_event_uses_the_member_role_in_the_events_region() -> None:
    clients, roles = Clients(), Roles()
    services = EnforcementServices(
        EnforcerSettings(organization=ORGANIZATION),
        clients,
        assumed_roles=roles,  # type: ignore[arg-type]
    )
    services.for_event("aws", "eu-west-1", MEMBER)
    assert roles.made[0] == (
        "sagemaker",
        "eu-west-1",
        f"arn:aws:iam::{MEMBER}:role/SageMakerTagEnforcerMember",
    )
    assert ("sagemaker", "eu-west-1") not in clients.made


def test_the_deployments_own_account_uses_the_functions_role() -> None:
    clients, roles = Clients(), Roles()
    services = EnforcementServices(
        EnforcerSettings(organization=ORGANIZATION),
        clients,
        assumed_roles=roles,  # type: ignore[arg-type]
    )
    services.for_event("aws", "us-east-1", HOME)
    assert ("sagemaker", "us-east-1") in clients.made
    assert all(service != "sagemaker" for service, _, _ in roles.made)


def test_a_single_account_deployment_never_assumes_a_role() -> None:
    clients, roles = Clients(), Roles()
    services = EnforcementServices(EnforcerSettings(), clients, assumed_roles=roles)  # type: ignore[arg-type]
    services.for_event("aws", "us-east-1", MEMBER)
    assert roles.made == []
    assert "organizations" not in {service for service, _ in clients.made}
    assert "sts" not in {service for service, _ in clients.made}


def test_a_record_naming_no_account_is_malformed_and_enters_no_account() -> None:
    clients, roles = Clients(), Roles()
    services = EnforcementServices(
        EnforcerSettings(organization=ORGANIZATION),
        clients,
        assumed_roles=roles,  # type: ignore[arg-type]
    )
    with pytest.raises(MalformedRecordError, match="no 12-digit account"):
        services.for_event("aws", "us-east-1", "")
    assert (roles.made, clients.made) == ([], [])
