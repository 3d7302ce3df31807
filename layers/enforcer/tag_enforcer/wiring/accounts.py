"""Composition root of the operator's commands across accounts: other accounts' clients through
the member role, assumed with the functions' own adapter (`aws.assumed_roles`), and the
Organization's accounts.

The operator's own account needs no role; any other account is entered through
`arn:<partition>:iam::<account>:role/<member role>`, whose trust policy must name the
operator's role: a role of the central account listed in the member stack's
OperatorRoleArns parameter (member-template.yaml).

    >>> home = AccountScope("aws", "eu-west-1", "111122223333")
    >>> accounts = OperatorAccounts(home, "TagEnforcerMember")
    >>> accounts.client_factory("222233334444")("sagemaker", "eu-west-1")
"""

from __future__ import annotations

from typing import Any

from tag_enforcer.aws.assumed_roles import AssumedRoles
from tag_enforcer.aws.clients import client
from tag_enforcer.aws.organizations import OrganizationAccounts
from tag_enforcer.core.organization import OrganizationAccount
from tag_enforcer.core.resources import AccountScope
from tag_enforcer.core.settings import OrganizationSettings
from tag_enforcer.wiring.sweep import ClientFactory, member_client_factory

# Who the member account's CloudTrail shows acting (STS AssumeRole RoleSessionName).
OPERATOR_SESSION_NAME = "tag-enforcer-cli"


class OperatorAccounts:
    """Clients in the operator's account and, through the member role, in any other."""

    def __init__(
        self,
        home: AccountScope,
        member_role_name: str,
        client_factory: ClientFactory = client,
        assumed_roles: AssumedRoles | None = None,
    ) -> None:
        self.home = home
        self._client_factory = client_factory
        # Only the role name and the home account matter here: the organization id is the
        # deployment's business (its bus policy and grants), not the operator's.
        self.organization = OrganizationSettings(
            organization_id="",
            member_role_name=member_role_name,
            deployment_account=home.account,
            session_name=OPERATOR_SESSION_NAME,
        )
        self.roles = assumed_roles or AssumedRoles(
            client_factory("sts", home.region), session_name=OPERATOR_SESSION_NAME
        )
        self._organizations: OrganizationAccounts | None = None

    def member_role_arn(self, account: str) -> str:
        return self.organization.member_role_arn(self.home.partition, account)

    def client_factory(self, account: str) -> ClientFactory:
        """Clients in `account`: the operator's own in the home account, else the member role's."""
        return member_client_factory(
            self.organization, self.roles, self.home.partition, account, self._client_factory
        )

    def check(self, account: str) -> None:
        """RoleUnavailableError when the account's member role cannot be assumed."""
        if self.organization.is_member(account):
            self.roles.check(self.member_role_arn(account))

    def _reader(self) -> OrganizationAccounts:
        if self._organizations is None:
            # The operator's own credentials: the management account or a delegated
            # administrator may list accounts (Organizations API reference, ListAccounts).
            self._organizations = OrganizationAccounts(
                self._client_factory("organizations", self.home.region)
            )
        return self._organizations

    def organization_accounts(self, parent_id: str | None = None) -> list[OrganizationAccount]:
        """The Organization's active accounts (or those under an OU), by id."""
        return self._reader().active_accounts(parent_id)

    def account_name(self, account: str) -> str | None:
        """Best effort: None when Organizations cannot tell (or the caller may not ask)."""
        return self._reader().account_name(account)

    def scope(self, account: str, region: str) -> AccountScope:
        return AccountScope(self.home.partition, region, account)

    def describe(self) -> dict[str, Any]:
        return {"home": self.home.account, "memberRole": self.organization.member_role_name}
