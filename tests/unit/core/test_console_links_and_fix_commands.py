"""Console links follow the partition's console host; fix commands are exact and shell-safe."""

from __future__ import annotations

import shlex

import pytest

from tag_enforcer.core.console_links import cloudtrail_event_url, sagemaker_console_url
from tag_enforcer.core.fix_commands import DOMAIN_ID_PLACEHOLDER, fix_commands
from tag_enforcer.core.tags import DOMAIN_TAG, USER_PROFILE_TAG

PREFIX = "arn:aws:sagemaker:eu-west-1:111122223333"


@pytest.mark.parametrize(
    ("partition", "region", "expected"),
    [
        (
            "aws",
            "eu-west-1",
            "https://eu-west-1.console.aws.amazon.com/cloudtrailv2/home?region=eu-west-1"
            "#/events/e-1",
        ),
        (
            "aws-us-gov",
            "us-gov-west-1",
            "https://console.amazonaws-us-gov.com/cloudtrailv2/home?region=us-gov-west-1"
            "#/events/e-1",
        ),
        (
            "aws-cn",
            "cn-north-1",
            "https://console.amazonaws.cn/cloudtrailv2/home?region=cn-north-1#/events/e-1",
        ),
        ("aws-iso", "us-iso-east-1", None),
    ],
)
def test_the_cloudtrail_link_uses_the_partitions_console_host(
    partition: str, region: str, expected: str | None
) -> None:
    assert cloudtrail_event_url(partition, region, "e-1") == expected


def test_an_event_id_cannot_break_out_of_the_link() -> None:
    url = cloudtrail_event_url("aws", "us-east-1", 'x"><script>/#?')
    assert url is not None
    assert url.endswith("#/events/x%22%3E%3Cscript%3E%2F%23%3F")


def test_a_console_link_exists_only_for_pages_addressed_by_name() -> None:
    assert sagemaker_console_url("Model", f"{PREFIX}:model/scorer") == (
        "https://eu-west-1.console.aws.amazon.com/sagemaker/home?region=eu-west-1#/models/scorer"
    )
    assert sagemaker_console_url("Trial", f"{PREFIX}:experiment-trial/t") is None
    assert sagemaker_console_url("App", f"{PREFIX}:app/d-1/alice/jupyterlab/default") is None


def test_a_mismatch_fix_sets_the_supported_tags_and_deletes_what_they_do_not_support() -> None:
    arn = f"{PREFIX}:model/scorer"
    finance = f"{PREFIX}:domain/d-finance"
    commands = fix_commands(
        arn,
        proposed_tags={DOMAIN_TAG: finance},
        found_tags={DOMAIN_TAG: f"{PREFIX}:domain/d-other", USER_PROFILE_TAG: "x"},
    )
    assert commands == [
        "aws sagemaker add-tags --region eu-west-1 --resource-arn "
        f"{arn} --tags Key=sagemaker:domain-arn,Value={finance}",
        "aws sagemaker delete-tags --region eu-west-1 --resource-arn "
        f"{arn} --tag-keys sagemaker:user-profile-arn",
    ]


def test_an_unattributable_fix_carries_a_placeholder_that_cannot_be_run_by_mistake() -> None:
    [command] = fix_commands(f"{PREFIX}:model/orphan", proposed_tags={}, found_tags={})
    words = shlex.split(command)
    tag = words[words.index("--tags") + 1]
    assert tag == f"Key={DOMAIN_TAG},Value={PREFIX}:domain/{DOMAIN_ID_PLACEHOLDER}"
    # SageMaker refuses '<' and '>' in a tag value (API reference, Tag): unreplaced, it fails.
    assert "<" in tag


def test_a_hostile_name_stays_one_shell_word() -> None:
    arn = f"{PREFIX}:model/x;rm -rf ~"
    [command] = fix_commands(arn, {DOMAIN_TAG: f"{PREFIX}:domain/d-1"}, {})
    words = shlex.split(command)
    assert words[words.index("--resource-arn") + 1] == arn
