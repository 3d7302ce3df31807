"""An emulated AWS Organization: the central account and member accounts on one moto server.

moto keeps separate state per account id and routes a request by its credentials, so one
server holds the whole Organization:

- the management account, which is also the central one here (moto's default account,
  123456789012): it creates the Organization and its members with moto's Organizations,
  and runs the central stack (template.yaml in organization mode);
- member accounts, each with its own SageMaker domains, each running member-template.yaml
  deployed through moto's CloudFormation in that account, as a StackSet instance would be.

The operator's own calls in a member account (seeding domains, deploying its stack) go
in as that account (moto's `x-moto-account-id` header), as an administrator role of the
account would. The central functions' calls go in with their execution role's
credentials, as Lambda hands them over, so the member role's trust policy is checked
against the very role ARNs it names (`moto_patches.sts_assume_role`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from moto.sts.models import sts_backends

from tag_enforcer_dev.emulator.account import EmulatedAccount
from tag_enforcer_dev.emulator.deploy import DeployedStack, create_stack, deploy
from tag_enforcer_dev.emulator.pipeline import EnforcePipeline
from tag_enforcer_dev.emulator.sweep_pipeline import DeployedSweep
from tag_enforcer_dev.member_template import MEMBER_TEMPLATE_PATH, build_member_template
from tag_enforcer_dev.template_policies import SAMPLE_PARAMETERS

CENTRAL_STACK = "sagemaker-tag-enforcer"
MEMBER_STACK = "sagemaker-tag-enforcer-member"
MEMBER_ROLE_NAME = SAMPLE_PARAMETERS["MemberRoleName"]
READ_ROLE_NAME = "SageMakerTagEnforcerOrganizationReader"


@dataclass
class AccountView(EmulatedAccount):
    """One account of the Organization as its administrator reaches it on the shared server."""

    def client(self, service_name: str, region: str | None = None) -> Any:
        made = super().client(service_name, region)
        account = self.account_id

        def as_account(request: Any, **_: Any) -> None:
            request.headers["x-moto-account-id"] = account

        made.meta.events.register("before-sign.*.*", as_account)
        return made

    def start(self) -> EmulatedAccount:
        raise RuntimeError("an account view shares the organization's server; start that one")

    def reset(self) -> None:
        raise RuntimeError("an account view cannot reset the shared server")


@dataclass
class MemberAccount:
    name: str
    view: AccountView
    stacks: dict[str, DeployedStack] = field(default_factory=dict)  # region -> member stack

    @property
    def account_id(self) -> str:
        return self.view.account_id


@dataclass
class EmulatedOrganization:
    """The Organization on a running emulated account (its management and central account)."""

    central: EmulatedAccount
    organization_id: str = ""
    root_id: str = ""
    unit_id: str = ""  # the OU the members are in
    members: list[MemberAccount] = field(default_factory=list)

    @classmethod
    def create(
        cls,
        central: EmulatedAccount,
        member_names: tuple[str, ...] = ("ml-research", "ml-platform"),
    ) -> EmulatedOrganization:
        """The Organization, an OU, and one member account per name inside it."""
        organizations = central.client("organizations")
        organization = organizations.create_organization(FeatureSet="ALL")["Organization"]
        root_id = organizations.list_roots()["Roots"][0]["Id"]
        unit_id = organizations.create_organizational_unit(ParentId=root_id, Name="ml-workloads")[
            "OrganizationalUnit"
        ]["Id"]
        made = cls(central, organization["Id"], root_id, unit_id)
        for name in member_names:
            made.add_member(name)
        return made

    def add_member(self, name: str, *, in_unit: bool = True) -> MemberAccount:
        organizations = self.central.client("organizations")
        status = organizations.create_account(AccountName=name, Email=f"{name}@example.com")
        account_id = status["CreateAccountStatus"]["AccountId"]
        if in_unit:
            organizations.move_account(
                AccountId=account_id, SourceParentId=self.root_id, DestinationParentId=self.unit_id
            )
        view = AccountView(
            region=self.central.region,
            account_id=account_id,
            endpoint_url=self.central.endpoint_url,
        )
        member = MemberAccount(name, view)
        self.members.append(member)
        return member

    def member(self, name: str) -> MemberAccount:
        return next(m for m in self.members if m.name == name)

    def view(self, region: str, account_id: str | None = None) -> AccountView:
        """The central (or another) account in another region."""
        return AccountView(
            region=region,
            account_id=account_id or self.central.account_id,
            endpoint_url=self.central.endpoint_url,
        )

    # ------------------------------------------------------------------ stacks

    @property
    def read_role_arn(self) -> str:
        return f"arn:aws:iam::{self.central.account_id}:role/{READ_ROLE_NAME}"

    def deploy_central(self, parameters: dict[str, str] | None = None) -> DeployedStack:
        """template.yaml in organization mode, and the bus policy moto's CloudFormation skips."""
        stack = deploy(
            self.central,
            stack_name=CENTRAL_STACK,
            parameters={
                "OrganizationId": self.organization_id,
                "OrganizationReadRoleArn": self.read_role_arn,
                "SweepOrganizationalUnitId": self.unit_id,
                **(parameters or {}),
            },
        )
        self._put_bus_policy(stack)
        return stack

    def _put_bus_policy(self, stack: DeployedStack) -> None:
        """moto's CloudFormation does not create AWS::Events::EventBusPolicy: put the
        template's statement on the bus, its references resolved as CloudFormation would."""
        properties = stack.translated_template["Resources"]["CentralEventBusPolicy"]["Properties"]
        statement = json.loads(
            json.dumps(properties["Statement"])
            .replace('{"Fn::GetAtt": ["CentralEventBus", "Arn"]}', json.dumps(self.bus_arn(stack)))
            .replace('{"Ref": "OrganizationId"}', json.dumps(self.organization_id))
        )
        self.central.client("events").put_permission(
            EventBusName=stack.physical_ids["CentralEventBus"],
            Policy=json.dumps({"Version": "2012-10-17", "Statement": [statement]}),
        )

    @staticmethod
    def bus_arn(stack: DeployedStack) -> str:
        return stack.outputs["CentralEventBusArn"]

    def member_parameters(self, central: DeployedStack, **overrides: str) -> dict[str, str]:
        return {
            "CentralEventBusArn": central.outputs["CentralEventBusArn"],
            "CentralEnforceRoleArn": central.outputs["CentralEnforceRoleArn"],
            "CentralSweepRoleArn": central.outputs["CentralSweepRoleArn"],
            "OrganizationId": self.organization_id,
            "MemberRoleName": MEMBER_ROLE_NAME,
            "MemberRoleRegion": self.central.region,
            **overrides,
        }

    def deploy_member(
        self,
        view: EmulatedAccount,
        central: DeployedStack,
        template_text: str | None = None,
        **overrides: str,
    ) -> DeployedStack:
        """member-template.yaml in one account and region, as a StackSet instance is made."""
        parameters = self.member_parameters(central, **overrides)
        return create_stack(
            view.client("cloudformation"),
            MEMBER_STACK,
            template_text if template_text is not None else MEMBER_TEMPLATE_PATH.read_text(),
            parameters=parameters,
            capabilities=["CAPABILITY_NAMED_IAM"],
            translated=build_member_template(),
        )

    def deploy_members(self, central: DeployedStack, regions: tuple[str, ...] = ()) -> None:
        """The member stack in every member, in each region (the roles in the first one),
        and in the central account itself, which also holds the read role here."""
        for region in regions or (self.central.region,):
            for member in self.members:
                view = AccountView(
                    region=region,
                    account_id=member.account_id,
                    endpoint_url=member.view.endpoint_url,
                )
                member.stacks[region] = self.deploy_member(view, central)
            self.deploy_member(self.view(region), central, CreateOrganizationReadRole="true")

    # ------------------------------------------------------------------ the central functions

    def function_credentials(self, stack: DeployedStack, logical_id: str) -> dict[str, str]:
        """The environment credentials Lambda gives the function: its execution role's.

        Assumed through moto's backend, as the Lambda service assumes it (the role trusts
        lambda.amazonaws.com), not over HTTP where AssumeRole checks the caller.
        """
        configuration = self.central.client("lambda").get_function_configuration(
            FunctionName=stack.physical_ids[logical_id]
        )
        session = sts_backends[self.central.account_id]["aws"].assume_role(
            region_name=self.central.region,
            role_session_name=stack.physical_ids[logical_id][:64],
            role_arn=configuration["Role"],
            policy="",
            duration=3600,
            external_id="",
        )
        return {
            "AWS_ACCESS_KEY_ID": session.access_key_id,
            "AWS_SECRET_ACCESS_KEY": session.secret_access_key,
            "AWS_SESSION_TOKEN": session.session_token,
        }


class OrganizationPipeline(EnforcePipeline):
    """Member default buses -> member rules -> central bus -> central rules -> enforce queue
    -> the central enforce function, running with its execution role's credentials."""

    def __init__(
        self, organization: EmulatedOrganization, stack: DeployedStack, log_level: str = "WARNING"
    ) -> None:
        super().__init__(
            organization.central,
            stack,
            log_level,
            extra_environment=organization.function_credentials(stack, "EnforceFunction"),
        )

    def _restore_envelope(self, body: str) -> str:
        """As `EnforcePipeline._restore_envelope`, with the account the event came from:
        EventBridge keeps the sender's account on an event it delivers to another bus."""
        try:
            event = json.loads(body)
        except json.JSONDecodeError:
            return body
        if isinstance(event, dict) and "account" not in event and "detail" in event:
            event["account"] = event["detail"].get("recipientAccountId", self._account.account_id)
            return json.dumps(event)
        return body


def organization_sweep(organization: EmulatedOrganization, stack: DeployedStack) -> DeployedSweep:
    """The central stack's organization sweep state machine, runnable on moto's executor."""
    return DeployedSweep(
        organization.central,
        stack,
        state_machine="OrganizationSweepStateMachine",
        extra_environment=organization.function_credentials(stack, "SweepFunction"),
    )
