"""The blog scenario on the emulated account: two domains, their users, resources made every way.

A finance line of business and a sustainability research division share one
account. Resources are created inside Studio (tagged by SageMaker), outside Studio
(SDK/CLI, untagged), with a spoofed domain tag, and by an IAM user no domain
knows. Each create is a real call on the emulated account plus the CloudTrail
event it would produce.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tag_enforcer.core.tags import DOMAIN_TAG, USER_PROFILE_TAG
from tag_enforcer_dev.emulator.account import EmulatedAccount
from tag_enforcer_dev.emulator.cloudtrail_events import Caller, api_call_event

_ACRONYM_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
STUDIO_USER_AGENT = "AWS-SageMaker-Studio/2.0 Boto3/1.44.5 (JupyterLab)"


def boto3_method(operation: str) -> str:
    """CreateTrainingJob -> create_training_job."""
    return _ACRONYM_BOUNDARY.sub("_", operation).lower()


@dataclass(frozen=True)
class DomainSetup:
    domain_id: str
    domain_arn: str
    default_role_arn: str
    profiles: dict[str, str]  # profile name -> profile ARN
    spaces: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ScenarioStep:
    """One thing a person did, the CloudTrail event it produced and the resource it made."""

    who: str
    how: str  # inside Studio | outside Studio | spoofed tag | unknown IAM user | ...
    event: dict[str, Any]
    resource_arn: str | None

    @property
    def event_id(self) -> str:
        event_id: str = self.event["detail"]["eventID"]
        return event_id

    @property
    def event_name(self) -> str:
        name: str = self.event["detail"]["eventName"]
        return name


@dataclass
class Actor:
    """Someone who calls SageMaker: records each call as the CloudTrail event it would produce."""

    account: EmulatedAccount
    caller: Caller
    who: str
    studio_tags: dict[str, str] | None = None

    def _invoke(
        self, operation: str, request: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Make the call on the emulated account; return the CloudTrail event and the response."""
        response = getattr(self.account.client("sagemaker"), boto3_method(operation))(**request)
        response.pop("ResponseMetadata", None)
        event = api_call_event(
            operation,
            request,
            response,
            caller=self.caller,
            account=self.account.account_id,
            region=self.account.region,
        )
        return event, response

    def create(self, operation: str, request: dict[str, Any], how: str) -> ScenarioStep:
        request = dict(request)
        tags = dict(self.studio_tags or {})
        tags.update({t["Key"]: t["Value"] for t in request.pop("Tags", [])})
        if tags:
            request["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
        event, response = self._invoke(operation, request)
        arn = next((v for k, v in response.items() if k.endswith("Arn")), None)
        return ScenarioStep(self.who, how, event, arn)

    def call(self, operation: str, request: dict[str, Any], how: str) -> ScenarioStep:
        event, _ = self._invoke(operation, request)
        return ScenarioStep(self.who, how, event, None)

    def failed_call(
        self, operation: str, request: dict[str, Any], error_code: str, how: str
    ) -> ScenarioStep:
        event = api_call_event(
            operation,
            request,
            None,
            caller=self.caller,
            account=self.account.account_id,
            region=self.account.region,
            error_code=error_code,
        )
        return ScenarioStep(self.who, how, event, None)


def _role(account: EmulatedAccount, name: str) -> str:
    iam = account.client("iam")
    trust = (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
        '"Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
    )
    role_arn: str = iam.create_role(
        RoleName=name, Path="/service-role/", AssumeRolePolicyDocument=trust
    )["Role"]["Arn"]
    return role_arn


def _domain(
    account: EmulatedAccount,
    name: str,
    default_role: str,
    profiles: dict[str, str | None],
    source_identity: bool,
) -> DomainSetup:
    sagemaker = account.client("sagemaker")
    created = sagemaker.create_domain(
        DomainName=name,
        AuthMode="IAM",
        DefaultUserSettings={"ExecutionRole": default_role},
        DomainSettings={
            "ExecutionRoleIdentityConfig": "USER_PROFILE_NAME" if source_identity else "DISABLED"
        },
        SubnetIds=["subnet-0a1b2c3d"],
        VpcId="vpc-0a1b2c3d",
        Tags=[{"Key": "team", "Value": name}],
    )
    domain_arn = created["DomainArn"]
    domain_id = created.get("DomainId") or domain_arn.rsplit("/", 1)[-1]
    profile_arns = {}
    for profile, own_role in profiles.items():
        settings = {"ExecutionRole": own_role} if own_role else {}
        profile_arns[profile] = sagemaker.create_user_profile(
            DomainId=domain_id, UserProfileName=profile, UserSettings=settings
        )["UserProfileArn"]
    return DomainSetup(domain_id, domain_arn, default_role, profile_arns)


@dataclass
class BlogScenario:
    account: EmulatedAccount
    finance: DomainSetup
    sustainability: DomainSetup
    roles: dict[str, str]
    steps: list[ScenarioStep] = field(default_factory=list)

    def tags_for_role(self, role_name: str) -> dict[str, str]:
        """The enforced tags a resource made with one of the scenario's roles should carry."""
        finance, sustainability = self.finance, self.sustainability
        owners = {
            # finance's default role: the domain and no profile, though only alice
            # inherits it today (a shared space and the next new profile run as it too).
            "FinanceStudioExecutionRole": {DOMAIN_TAG: finance.domain_arn},
            "FinanceQuantAnalystRole": {
                DOMAIN_TAG: finance.domain_arn,
                USER_PROFILE_TAG: finance.profiles["bob"],
            },
            # carol and dave share their domain's default role: the domain, no profile.
            "SustainabilityStudioExecutionRole": {DOMAIN_TAG: sustainability.domain_arn},
        }
        return dict(owners.get(role_name, {}))

    def studio_user(self, domain: DomainSetup, profile: str, role: str | None = None) -> Actor:
        """A user working inside Studio: SageMaker adds the domain and profile tags itself."""
        caller = Caller.assumed_role(
            role or domain.default_role_arn,
            f"SageMaker-{profile}",
            source_identity=profile,
            user_agent=STUDIO_USER_AGENT,
        )
        tags = {DOMAIN_TAG: domain.domain_arn, USER_PROFILE_TAG: domain.profiles[profile]}
        return Actor(self.account, caller, f"{profile} ({domain.domain_id})", tags)

    def sdk_user(self, who: str, role_arn: str) -> Actor:
        """The same person's role used from a laptop or CI: no Studio, so no tags."""
        return Actor(self.account, Caller.assumed_role(role_arn, who), who)

    def iam_user(self, name: str) -> Actor:
        arn = f"arn:aws:iam::{self.account.account_id}:user/{name}"
        return Actor(self.account, Caller.iam_user(arn), name)


def set_up_domains(account: EmulatedAccount) -> BlogScenario:
    roles = {
        name: _role(account, name)
        for name in (
            "FinanceStudioExecutionRole",
            "FinanceQuantAnalystRole",
            "SustainabilityStudioExecutionRole",
            "CiModelDeployRole",
        )
    }
    finance = _domain(
        account,
        "finance-lob",
        roles["FinanceStudioExecutionRole"],
        {"alice": None, "bob": roles["FinanceQuantAnalystRole"]},
        source_identity=True,
    )
    sustainability = _domain(
        account,
        "sustainability-research",
        roles["SustainabilityStudioExecutionRole"],
        {"carol": None, "dave": None},
        source_identity=False,
    )
    space_arn = account.client("sagemaker").create_space(
        DomainId=finance.domain_id,
        SpaceName="quarterly-forecast",
        OwnershipSettings={"OwnerUserProfileName": "alice"},
        SpaceSharingSettings={"SharingType": "Shared"},
    )["SpaceArn"]
    finance.spaces["quarterly-forecast"] = space_arn
    return BlogScenario(account, finance, sustainability, roles)


def _training_job(name: str, role_arn: str) -> dict[str, Any]:
    return {
        "TrainingJobName": name,
        "AlgorithmSpecification": {
            "TrainingImage": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
            "TrainingInputMode": "File",
        },
        "RoleArn": role_arn,
        "OutputDataConfig": {"S3OutputPath": "s3://finance-ml-artifacts/models/"},
        "ResourceConfig": {
            "InstanceType": "ml.m5.xlarge",
            "InstanceCount": 1,
            "VolumeSizeInGB": 30,
        },
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
    }


def _model(name: str, role_arn: str) -> dict[str, Any]:
    return {
        "ModelName": name,
        "ExecutionRoleArn": role_arn,
        "PrimaryContainer": {
            "Image": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
            "ModelDataUrl": "s3://ml-artifacts/model.tar.gz",
        },
    }


def play_blog_scenario(scenario: BlogScenario) -> list[ScenarioStep]:
    """Every way a resource comes to exist in a multi-domain account, in order."""
    finance, sustainability, roles = scenario.finance, scenario.sustainability, scenario.roles
    alice = scenario.studio_user(finance, "alice")
    bob_sdk = scenario.sdk_user("bob-laptop", roles["FinanceQuantAnalystRole"])
    carol_cli = scenario.sdk_user("carol-cli", roles["SustainabilityStudioExecutionRole"])
    dave_cli = scenario.sdk_user("dave-cli", roles["SustainabilityStudioExecutionRole"])
    ci_bot = scenario.iam_user("ci-bot")
    admin = scenario.iam_user("platform-admin")
    steps = [
        alice.create(
            "CreateTrainingJob",
            _training_job("churn-xgb", roles["FinanceStudioExecutionRole"]),
            "inside Studio",
        ),
        bob_sdk.create(
            "CreateProcessingJob",
            {
                "ProcessingJobName": "ledger-features",
                "ProcessingResources": {
                    "ClusterConfig": {
                        "InstanceCount": 1,
                        "InstanceType": "ml.m5.xlarge",
                        "VolumeSizeInGB": 30,
                    }
                },
                "AppSpecification": {
                    "ImageUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/fe:1"
                },
                "RoleArn": roles["FinanceQuantAnalystRole"],
            },
            "outside Studio (SDK)",
        ),
        carol_cli.create(
            "CreateModel",
            _model("emissions-forecast", roles["SustainabilityStudioExecutionRole"]),
            "outside Studio (CLI)",
        ),
        dave_cli.create(
            "CreateEndpointConfig",
            {
                "EndpointConfigName": "emissions-forecast-cfg",
                "ProductionVariants": [
                    {
                        "VariantName": "AllTraffic",
                        "ModelName": "emissions-forecast",
                        "InitialInstanceCount": 1,
                        "InstanceType": "ml.m5.large",
                    }
                ],
                # Charged to finance, and reachable by finance's users: the spoof.
                "Tags": [{"Key": DOMAIN_TAG, "Value": finance.domain_arn}],
            },
            "spoofed domain tag",
        ),
        ci_bot.create(
            "CreateModel", _model("fraud-scorer", roles["CiModelDeployRole"]), "unknown IAM user"
        ),
        admin.create(
            "CreateUserProfile",
            {"DomainId": finance.domain_id, "UserProfileName": "erin"},
            "console, structural",
        ),
        alice.create("CreateExperiment", {"ExperimentName": "churn-study"}, "inside Studio"),
        ci_bot.create(
            "CreateTrial",
            {"TrialName": "churn-study-nightly", "ExperimentName": "churn-study"},
            "CI, lineage",
        ),
        admin.create(
            "CreateApp",
            {
                "DomainId": finance.domain_id,
                "SpaceName": "quarterly-forecast",
                "AppType": "JupyterLab",
                "AppName": "default",
            },
            "space app, structural",
        ),
        bob_sdk.failed_call(
            "CreateTrainingJob",
            _training_job("denied-job", roles["FinanceQuantAnalystRole"]),
            "AccessDenied",
            "failed call",
        ),
        admin.call(
            "UpdateUserProfile",
            {
                "DomainId": sustainability.domain_id,
                "UserProfileName": "dave",
                "UserSettings": {"ExecutionRole": roles["SustainabilityStudioExecutionRole"]},
            },
            "directory change",
        ),
    ]
    scenario.steps.extend(steps)
    return steps
