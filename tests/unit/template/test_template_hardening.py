"""Encryption, TLS, retention and least privilege, checked on the template as SAM expands it.

test_template_security.py checks actions; this file checks where they apply,
what is stored encrypted and private, and that cfn-lint passes without silent suppressions.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import cfnlint
import pytest
from cfnlint.api import ManualArgs, lint_file
from samtranslator.translator.transform import transform

from tag_enforcer_dev.template_file import PROJECT_ROOT, TEMPLATE_PATH, load_template

# Actions granted on Resource "*" only because they take no resource ARN. Source: the
# Service Authorization Reference ("Actions defined by ..." tables, resource types
# column empty); cfn-lint ships a copy, checked below in POLICY_DATA.
WILDCARD_RESOURCE_ACTIONS = (
    "sagemaker:List*",  # SageMaker AI: List calls other than ListTags & co. (checked below)
    "sagemaker:Search",  # SageMaker AI
    "tag:GetResources",  # Resource Groups Tagging API
    "tag:TagResources",
    "tag:UntagResources",
    "xray:PutTraceSegments",  # AWS X-Ray (Tracing: Active)
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
    "cloudwatch:PutMetricData",  # Amazon CloudWatch
)
POLICY_DATA = Path(cfnlint.__file__).parent / "data/AdditionalSpecs/Policies.json"


class _NoManagedPolicies:
    """The translator asks IAM for managed policy names only when a template uses them by name."""

    def load(self) -> dict[str, str]:
        return {}


@cache
def _translated() -> dict[str, Any]:
    template = load_template()
    for resource in template["Resources"].values():
        properties = resource.get("Properties", {})
        for key in ("CodeUri", "ContentUri"):
            if key in properties:
                properties[key] = "s3://bucket/key.zip"  # as `sam package` leaves it
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        result: dict[str, Any] = transform(template, {}, _NoManagedPolicies())
    return result


@pytest.fixture(scope="module")
def translated() -> dict[str, Any]:
    return _translated()


def _resources(template: dict[str, Any], resource_type: str) -> list[tuple[str, dict[str, Any]]]:
    return [
        (logical_id, resource.get("Properties", {}))
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == resource_type
    ]


def _ids(resource_type: str) -> list[str]:
    return [logical_id for logical_id, _ in _resources(_translated(), resource_type)]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _refers_to(value: Any, logical_id: str) -> bool:
    """Whether an intrinsic (Ref, GetAtt, Sub) points at `logical_id`."""
    text = json.dumps(value)
    return (
        f'"Ref": "{logical_id}"' in text
        or f'"Fn::GetAtt": ["{logical_id}"' in text
        or f"${{{logical_id}" in text
    )


def _policy_statements(template: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every statement of every identity policy: roles' inline policies and policy resources."""
    for logical_id, properties in _resources(template, "AWS::IAM::Role"):
        for policy in properties.get("Policies", []):
            for statement in _as_list(policy["PolicyDocument"]["Statement"]):
                yield logical_id, statement
    for kind in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
        for logical_id, properties in _resources(template, kind):
            for statement in _as_list(properties["PolicyDocument"]["Statement"]):
                yield logical_id, statement


def _denies_insecure_transport(statement: dict[str, Any]) -> bool:
    condition = statement.get("Condition", {}).get("Bool", {})
    return (
        statement.get("Effect") == "Deny"
        and str(condition.get("aws:SecureTransport")).lower() == "false"
    )


def _resource_policies(template: dict[str, Any], kind: str, target_key: str) -> list[Any]:
    """(targets, statements) of each resource policy of `kind` (queue, topic, bucket policies)."""
    found = []
    for _, properties in _resources(template, kind):
        targets = _as_list(properties[target_key])
        found.append((targets, _as_list(properties["PolicyDocument"]["Statement"])))
    return found


# ---------------------------------------------------------------------------------------
# S3
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("bucket", _ids("AWS::S3::Bucket"))
def test_bucket_is_private_encrypted_and_versioned(translated: dict[str, Any], bucket: str) -> None:
    # GIVEN a bucket of the template
    properties = translated["Resources"][bucket]["Properties"]

    # THEN every public access path is blocked
    block = properties.get("PublicAccessBlockConfiguration", {})
    for setting in ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls"):
        assert block.get(setting) is True, f"{bucket}: {setting} is not true"
    assert block.get("RestrictPublicBuckets") is True, f"{bucket}: RestrictPublicBuckets"
    # AND objects are encrypted at rest and keep their versions
    rules = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rules
    assert all(r["ServerSideEncryptionByDefault"]["SSEAlgorithm"] for r in rules)
    assert properties["VersioningConfiguration"]["Status"] == "Enabled"


@pytest.mark.parametrize("bucket", _ids("AWS::S3::Bucket"))
def test_bucket_refuses_requests_without_tls(translated: dict[str, Any], bucket: str) -> None:
    # GIVEN the bucket policies that apply to the bucket
    statements = [
        statement
        for targets, statements in _resource_policies(translated, "AWS::S3::BucketPolicy", "Bucket")
        if any(_refers_to(t, bucket) for t in targets)
        for statement in statements
    ]

    # THEN one denies every S3 action over plain HTTP, on the bucket and on its objects
    denials = [s for s in statements if _denies_insecure_transport(s)]
    assert denials, f"{bucket} has no TLS-only bucket policy"
    resources = [r for s in denials for r in _as_list(s["Resource"])]
    assert any("/*" in json.dumps(r) for r in resources), f"{bucket}: objects are not covered"
    assert any("s3:*" in _as_list(s["Action"]) for s in denials)


# ---------------------------------------------------------------------------------------
# DynamoDB, SQS, SNS, logs
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("table", _ids("AWS::DynamoDB::Table"))
def test_table_is_encrypted(translated: dict[str, Any], table: str) -> None:
    properties = translated["Resources"][table]["Properties"]
    assert properties.get("SSESpecification", {}).get("SSEEnabled") is True, table


@pytest.mark.parametrize("queue", _ids("AWS::SQS::Queue"))
def test_queue_is_encrypted_and_tls_only(translated: dict[str, Any], queue: str) -> None:
    # GIVEN a queue (the enforce queue or a dead-letter queue)
    properties = translated["Resources"][queue]["Properties"]

    # THEN it is encrypted at rest
    assert properties.get("SqsManagedSseEnabled") or properties.get("KmsMasterKeyId"), queue
    # AND a queue policy denies it every request over plain HTTP
    statements = [
        statement
        for _, statements in _resource_policies(translated, "AWS::SQS::QueuePolicy", "Queues")
        for statement in statements
        if _denies_insecure_transport(statement)
    ]
    assert any(
        _refers_to(resource, queue) for s in statements for resource in _as_list(s["Resource"])
    ), f"{queue} accepts plain HTTP"


@pytest.mark.parametrize("topic", _ids("AWS::SNS::Topic"))
def test_topic_is_encrypted_and_tls_only(translated: dict[str, Any], topic: str) -> None:
    properties = translated["Resources"][topic]["Properties"]
    assert properties.get("KmsMasterKeyId"), f"{topic} is not encrypted"
    statements = [
        statement
        for targets, statements in _resource_policies(translated, "AWS::SNS::TopicPolicy", "Topics")
        if any(_refers_to(t, topic) for t in targets)
        for statement in statements
    ]
    assert any(_denies_insecure_transport(s) for s in statements), f"{topic} accepts plain HTTP"


@pytest.mark.parametrize("log_group", _ids("AWS::Logs::LogGroup"))
def test_log_group_has_retention(translated: dict[str, Any], log_group: str) -> None:
    assert "RetentionInDays" in translated["Resources"][log_group]["Properties"], log_group


def test_every_function_logs_to_a_log_group_of_the_template(translated: dict[str, Any]) -> None:
    # Without one, Lambda creates /aws/lambda/<name>, which never expires.
    log_groups = set(_ids("AWS::Logs::LogGroup"))
    for name, function in _resources(translated, "AWS::Lambda::Function"):
        assert function.get("LoggingConfig", {}).get("LogGroup", {}).get("Ref") in log_groups, name


# ---------------------------------------------------------------------------------------
# IAM: resources scoped wherever the action allows it
# ---------------------------------------------------------------------------------------


@cache
def _service_authorization_reference() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(POLICY_DATA.read_text())
    return data


def _resource_types(action: str) -> list[str] | None:
    """Resource types the action can be scoped to; None when the reference lacks it."""
    service, _, name = action.partition(":")
    actions = _service_authorization_reference().get(service, {}).get("Actions", {})
    if name.lower() not in actions:
        return None
    return list(actions[name.lower()].get("Resources", []))


def test_wildcard_resources_are_only_for_allow_listed_actions(translated: dict[str, Any]) -> None:
    granted = list(_policy_statements(translated))
    assert granted, "expected identity policies"
    for owner, statement in granted:
        if statement.get("Effect") != "Allow" or "*" not in _as_list(statement.get("Resource")):
            continue
        for action in _as_list(statement["Action"]):
            assert any(fnmatch.fnmatchcase(action, p) for p in WILDCARD_RESOURCE_ACTIONS), (
                f"{owner} grants {action} on every resource; scope it to ARNs"
            )


def test_actions_granted_on_every_resource_really_take_no_resource(
    translated: dict[str, Any],
) -> None:
    # The allow-list's "List*" would also admit ListTags, which takes resource ARNs.
    for owner, statement in _policy_statements(translated):
        if statement.get("Effect") != "Allow" or "*" not in _as_list(statement.get("Resource")):
            continue
        for action in _as_list(statement["Action"]):
            if action.startswith(("xray:", "cloudwatch:")):
                continue  # not SageMaker or tagging; kept on the explicit list above
            types = _resource_types(action)
            # Actions newer than cfn-lint's copy (ListClusterExtensions, ListInferenceRouters
            # in cfn-lint 1.58) are held to the allow-list alone.
            assert types in (None, []), f"{owner} grants {action} on '*' but it takes {types}"


def test_the_reference_copy_knows_the_actions_it_is_asked_about() -> None:
    # GIVEN actions whose resource types are known from the reference
    # THEN the copy answers as the reference does, so the check above can fail
    assert _resource_types("sagemaker:ListDomains") == []
    assert "domain" in (_resource_types("sagemaker:ListTags") or [])
    assert _resource_types("sagemaker:NoSuchAction") is None


# ---------------------------------------------------------------------------------------
# cfn-lint
# ---------------------------------------------------------------------------------------

_SUPPRESSION = re.compile(r"^(?P<indent>\s*)cfn-lint:\s*(#.*)?$")


def unexplained_suppressions(text: str) -> list[int]:
    """Line numbers of `cfn-lint:` metadata blocks that ignore checks without saying why.

    A reason is a YAML comment inside the block, or a `Reason:`/`Comment:` key in it.
    """
    lines = text.splitlines()
    found = []
    for number, line in enumerate(lines):
        match = _SUPPRESSION.match(line)
        if match is None:
            continue
        indent = len(match["indent"])
        block = [line]
        for following in lines[number + 1 :]:
            if following.strip() and len(following) - len(following.lstrip()) <= indent:
                break
            block.append(following)
        text_of_block = "\n".join(block)
        if "ignore_checks" not in text_of_block:
            continue
        explained = "#" in text_of_block or re.search(r"^\s*(Reason|Comment):", text_of_block, re.M)
        if not explained:
            found.append(number + 1)
    return found


def test_no_cfn_lint_check_is_suppressed_without_a_reason() -> None:
    # GIVEN template.yaml and any cfn-lint configuration file of the project
    sources = [TEMPLATE_PATH, *PROJECT_ROOT.glob(".cfnlintrc*")]

    # THEN every ignore_checks carries its written reason
    for source in sources:
        assert unexplained_suppressions(source.read_text()) == [], source


def test_the_suppression_check_tells_explained_from_unexplained() -> None:
    # GIVEN one suppression with a reason and one without
    explained = (
        "  Thing:\n    Metadata:\n      cfn-lint:\n        config:\n"
        "          # W3005: the explicit DependsOn orders the deletion\n"
        "          ignore_checks: [W3005]\n"
    )
    silent = (
        "  Thing:\n    Metadata:\n      cfn-lint:\n        config:\n"
        "          ignore_checks: [W3005]\n"
    )

    # THEN only the silent one is reported
    assert unexplained_suppressions(explained) == []
    assert unexplained_suppressions(silent) == [3]


def test_cfn_lint_reports_no_error_or_warning() -> None:
    # WHEN cfn-lint checks the template (it expands the SAM transform itself)
    matches = lint_file(TEMPLATE_PATH, config=ManualArgs(regions=["us-east-1"]))

    # THEN nothing but informational notes remain
    problems = [
        f"{m.rule.id} line {m.linenumber}: {m.message}"
        for m in matches
        if m.rule.id[:1] in ("E", "W")
    ]
    assert problems == []
