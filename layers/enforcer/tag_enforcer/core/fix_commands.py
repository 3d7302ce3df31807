"""The exact AWS CLI commands that fix a finding once an administrator has decided.

The enforcer never overwrites a tag value; a person does, with these. Every token is
shell-quoted, so a command pasted into a POSIX shell means what it shows.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping

from tag_enforcer.core.arns import Arn, InvalidArnError
from tag_enforcer.core.tags import DOMAIN_TAG

# A placeholder that cannot be mistaken for a value: SageMaker tag values allow only
# [\p{L}\p{Z}\p{N}_.:/=+\-@] (SageMaker API reference, Tag), so a command run without
# replacing it is refused instead of writing a wrong domain.
DOMAIN_ID_PLACEHOLDER = "<DOMAIN-ID>"


def placeholder_domain_arn(resource_arn: str) -> str:
    """`arn:...:domain/<DOMAIN-ID>` in the resource's partition, region and account."""
    try:
        arn = Arn.parse(resource_arn)
    except InvalidArnError:
        return f"arn:aws:sagemaker:<REGION>:<ACCOUNT>:domain/{DOMAIN_ID_PLACEHOLDER}"
    return (
        f"arn:{arn.partition}:sagemaker:{arn.region}:{arn.account}:domain/{DOMAIN_ID_PLACEHOLDER}"
    )


def _region_of(resource_arn: str) -> str | None:
    try:
        return Arn.parse(resource_arn).region or None
    except InvalidArnError:
        return None


def add_tags_command(resource_arn: str, tags: Mapping[str, str]) -> str:
    """`aws sagemaker add-tags` for these tags; AddTags overwrites a key's value.

    >>> model = "arn:aws:sagemaker:eu-west-1:111122223333:model/m"
    >>> command = add_tags_command(model, {"k": "v"})
    >>> command.startswith("aws sagemaker add-tags --region eu-west-1 --resource-arn arn:")
    True
    >>> command.endswith("model/m --tags Key=k,Value=v")
    True
    """
    words = ["aws", "sagemaker", "add-tags"]
    region = _region_of(resource_arn)
    if region:
        words += ["--region", region]
    words += ["--resource-arn", resource_arn, "--tags"]
    words += [f"Key={key},Value={value}" for key, value in sorted(tags.items())]
    return shlex.join(words)


def delete_tags_command(resource_arn: str, keys: list[str]) -> str:
    words = ["aws", "sagemaker", "delete-tags"]
    region = _region_of(resource_arn)
    if region:
        words += ["--region", region]
    return shlex.join([*words, "--resource-arn", resource_arn, "--tag-keys", *sorted(keys)])


def fix_commands(
    resource_arn: str,
    proposed_tags: Mapping[str, str],
    found_tags: Mapping[str, str],
) -> list[str]:
    """What to run to make the resource carry the evidence's tags.

    Without a proposed domain (nothing ties the resource to one) the domain ARN is the
    marked placeholder. A found tag the evidence does not support (a profile tag where
    the evidence names only a domain) is deleted.
    """
    tags = dict(proposed_tags)
    if not tags.get(DOMAIN_TAG):
        tags[DOMAIN_TAG] = placeholder_domain_arn(resource_arn)
    commands = [add_tags_command(resource_arn, tags)]
    stale = [key for key in found_tags if key not in tags]
    if stale:
        commands.append(delete_tags_command(resource_arn, stale))
    return commands
