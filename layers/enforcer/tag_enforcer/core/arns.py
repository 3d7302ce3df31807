"""Parse and build SageMaker and IAM ARNs without assuming the `aws` partition."""

from __future__ import annotations

import re
from dataclasses import dataclass

# arn:partition:service:region:account-id:resource (IAM User Guide, "ARN format").
_ARN_PATTERN = re.compile(
    r"^arn:(?P<partition>aws[a-z-]*):(?P<service>[a-z0-9-]+):(?P<region>[a-z0-9-]*):"
    r"(?P<account>\d{12}|):(?P<resource>.+)$"
)


class InvalidArnError(ValueError):
    """Raised for text that is not an ARN of the expected shape."""


@dataclass(frozen=True)
class Arn:
    partition: str
    service: str
    region: str
    account: str
    resource: str

    @classmethod
    def parse(cls, text: str) -> Arn:
        match = _ARN_PATTERN.match(text or "")
        if match is None:
            raise InvalidArnError(f"{text!r} is not an ARN")
        return cls(**match.groupdict())

    @property
    def resource_segment(self) -> str:
        """`training-job` for `...:training-job/name`."""
        return self.resource.split("/", 1)[0]

    @property
    def resource_path(self) -> list[str]:
        """The parts after the segment: `[domain_id, name]` for a user profile."""
        return self.resource.split("/")[1:]

    def __str__(self) -> str:
        return f"arn:{self.partition}:{self.service}:{self.region}:{self.account}:{self.resource}"


def sagemaker_arn(partition: str, region: str, account: str, segment: str, *parts: str) -> str:
    return str(Arn(partition, "sagemaker", region, account, "/".join((segment, *parts))))


def role_name_from_arn(role_or_session_arn: str) -> str | None:
    """The IAM role name in a role ARN (any path) or an assumed-role session ARN.

    Role names are unique in an account whatever their path (IAM User Guide,
    "IAM identifiers"), so the name is the stable key to compare on.
    """
    try:
        arn = Arn.parse(role_or_session_arn)
    except InvalidArnError:
        return None
    kind, _, rest = arn.resource.partition("/")
    if arn.service == "iam" and kind == "role" and rest:
        return rest.rsplit("/", 1)[-1]
    if arn.service == "sts" and kind == "assumed-role" and rest:
        return rest.split("/", 1)[0]
    return None


def role_key(role_arn: str) -> tuple[str, str] | None:
    """(account, role name): what two role references must share to be the same role."""
    name = role_name_from_arn(role_arn)
    if name is None:
        return None
    return Arn.parse(role_arn).account, name
