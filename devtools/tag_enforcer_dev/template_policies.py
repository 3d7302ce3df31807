"""Every IAM policy document of a translated template, with its ARNs rendered as strings.

A policy's Resource holds intrinsics (`!GetAtt Queue.Arn`, `!Sub ...${Bucket.Arn}/*`).
To check it against the IAM reference each is rendered to what CloudFormation would
make of it in a sample account, with ARNs in each resource type's documented format
(CloudFormation template reference, the "Return values" of each resource type).
`Fn::If` renders both branches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

PARTITION = "aws"
REGION = "us-east-1"
ACCOUNT = "111122223333"
_PSEUDO = {
    "AWS::Partition": PARTITION,
    "AWS::Region": REGION,
    "AWS::AccountId": ACCOUNT,
    "AWS::StackName": "sagemaker-tag-enforcer",
    "AWS::URLSuffix": "amazonaws.com",
}
# What Ref and GetAtt <Arn> return, per resource type; {id} is the logical id.
_ARN = {
    "AWS::DynamoDB::Table": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{{id}}",
    "AWS::S3::Bucket": "arn:aws:s3:::{lower}",
    "AWS::KMS::Key": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "AWS::SQS::Queue": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{{id}}",
    "AWS::Events::Rule": f"arn:aws:events:{REGION}:{ACCOUNT}:rule/{{id}}",
    "AWS::Lambda::Function": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{{id}}",
    "AWS::SNS::Topic": f"arn:aws:sns:{REGION}:{ACCOUNT}:{{id}}",
    "AWS::StepFunctions::StateMachine": f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{{id}}",
    "AWS::IAM::Role": f"arn:aws:iam::{ACCOUNT}:role/{{id}}",
    "AWS::Logs::LogGroup": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{{id}}:*",
}
# Parameters whose value is an ARN or an id a policy names, with a sample of each (the
# organization parameters; template.yaml "organization", member-template.yaml). Any other
# parameter renders as "parameter-<name>".
_CENTRAL = "arn:aws:iam::999988887777:role/sagemaker-tag-enforcer"
SAMPLE_PARAMETERS = {
    "OrganizationId": "o-a1b2c3d4e5",
    "MemberRoleName": "SageMakerTagEnforcerMember",
    "OrganizationReadRoleArn": "arn:aws:iam::444455556666:role/TagEnforcerOrganizationReader",
    "CentralEventBusArn": (
        "arn:aws:events:us-east-1:999988887777:event-bus/sagemaker-tag-enforcer-organization-events"
    ),
    "CentralEnforceRoleArn": f"{_CENTRAL}-EnforceFunctionRole-AbC",
    "CentralSweepRoleArn": f"{_CENTRAL}-SweepFunctionRole-DeF",
}
_REF_IS_ARN = {
    "AWS::SNS::Topic",
    "AWS::StepFunctions::StateMachine",
}
_REF = {
    "AWS::SQS::Queue": f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{{id}}",
    "AWS::S3::Bucket": "{lower}",
    "AWS::KMS::Key": "1234abcd-12ab-34cd-56ef-1234567890ab",
}


@dataclass(frozen=True)
class PolicyDocument:
    """One document: where it is, what kind, its statements."""

    where: str
    kind: str  # "identity", "trust", "resource" (queue, topic, bucket) or "key"
    statements: list[dict[str, Any]]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def policy_documents(template: dict[str, Any]) -> Iterator[PolicyDocument]:
    """Role policies (inline and trust), policy resources, resource policies, key policies."""
    for logical_id, resource in template["Resources"].items():
        kind = resource["Type"]
        properties = resource.get("Properties", {})
        if kind == "AWS::IAM::Role":
            trust = properties["AssumeRolePolicyDocument"]
            yield PolicyDocument(f"{logical_id} trust", "trust", _as_list(trust["Statement"]))
            for policy in properties.get("Policies", []):
                statements = _as_list(policy["PolicyDocument"]["Statement"])
                yield PolicyDocument(f"{logical_id}.{policy['PolicyName']}", "identity", statements)
        elif kind in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            statements = _as_list(properties["PolicyDocument"]["Statement"])
            yield PolicyDocument(logical_id, "identity", statements)
        elif kind in ("AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy", "AWS::S3::BucketPolicy"):
            statements = _as_list(properties["PolicyDocument"]["Statement"])
            yield PolicyDocument(logical_id, "resource", statements)
        elif kind == "AWS::KMS::Key":
            statements = _as_list(properties["KeyPolicy"]["Statement"])
            yield PolicyDocument(f"{logical_id} key policy", "key", statements)


def rendered_resources(statement: dict[str, Any], template: dict[str, Any]) -> list[str]:
    """The statement's Resource element as the strings CloudFormation would make of it."""
    return [
        text
        for resource in _as_list(statement.get("Resource", "*"))
        for text in render(resource, template)
    ]


def render(value: Any, template: dict[str, Any]) -> list[str]:
    """Every string an intrinsic can become in the sample account."""
    resources = template["Resources"]
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in render(item, template)]
    ((function, argument),) = value.items()
    if function == "Ref":
        if argument in _PSEUDO:
            return [_PSEUDO[argument]]
        if argument in resources:
            return [_attribute(resources[argument]["Type"], argument, "Ref")]
        if argument in SAMPLE_PARAMETERS:
            return [SAMPLE_PARAMETERS[argument]]
        return [f"parameter-{argument}"]
    if function == "Fn::GetAtt":
        logical_id, attribute = argument if isinstance(argument, list) else argument.split(".", 1)
        return [_attribute(resources[logical_id]["Type"], logical_id, attribute)]
    if function == "Fn::Sub":
        text, local = (argument, {}) if isinstance(argument, str) else argument
        results = [text]
        for name in sorted(set(re.findall(r"\$\{([^}!]+)\}", text))):
            if name in local:
                values = render(local[name], template)
            elif "." in name and name.split(".", 1)[0] in resources:
                values = render({"Fn::GetAtt": name.split(".", 1)}, template)
            else:
                values = render({"Ref": name}, template)
            results = [r.replace(f"${{{name}}}", v) for r in results for v in values]
        return results
    if function == "Fn::Join":
        separator, parts = argument
        joined = [""]
        for index, part in enumerate(parts):
            prefix = separator if index else ""
            joined = [j + prefix + text for j in joined for text in render(part, template)]
        return joined
    if function == "Fn::If":
        return render(argument[1], template) + render(argument[2], template)
    raise ValueError(f"{function} is not rendered; extend tag_enforcer_dev.template_policies")


def _attribute(resource_type: str, logical_id: str, attribute: str) -> str:
    names = {"id": logical_id, "lower": logical_id.lower()}
    if attribute == "Ref" and resource_type not in _REF_IS_ARN:
        if resource_type in _REF:
            return _REF[resource_type].format(**names)
        return logical_id  # functions, tables, log groups: their name
    if attribute in ("Ref", "Arn"):
        if resource_type not in _ARN:
            raise ValueError(f"no sample ARN for {resource_type}; add it to _ARN")
        return _ARN[resource_type].format(**names)
    return f"{logical_id}-{attribute}"
