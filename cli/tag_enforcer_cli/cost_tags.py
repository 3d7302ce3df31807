"""Report and activate the enforced tag keys as cost allocation tags, so cost splits per domain.

Tags on resources do nothing for billing until their keys are activated as cost
allocation tags, and only the management (payer) account of an organization, or
a standalone account, can do that (AWS Billing User Guide, "Using user-defined
cost allocation tags"). Cost Explorer lists a key only once it has seen it in
billing data, so a key nobody has used on a billed resource yet is reported as
"not yet seen" rather than treated as an error.

    >>> from botocore.stub import Stubber
    >>> import boto3
    >>> ce = boto3.client("ce", region_name="us-east-1", aws_access_key_id="x",
    ...                   aws_secret_access_key="x")
    >>> with Stubber(ce) as stub:
    ...     stub.add_response("list_cost_allocation_tags", {"CostAllocationTags": []})
    ...     [s.state.value for s in cost_allocation_tag_status(ce)]
    ['not yet seen', 'not yet seen', 'not yet seen']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from botocore.exceptions import ClientError

from tag_enforcer.core.tags import ENFORCED_TAG_KEYS

# A boto3 Cost Explorer client; boto3 ships no type stubs here.
CostExplorerClient = Any

# UpdateCostAllocationTagsStatus takes at most 20 entries a call (botocore ce
# model, CostAllocationTagStatusList max 20).
_UPDATE_BATCH_SIZE = 20
# Cost Explorer's own error codes for a caller it refuses. A member account gets
# AccessDeniedException "Linked account doesn't have access to cost allocation
# tags" (seen in hashicorp/terraform-provider-aws issue 37636).
_ACCESS_DENIED_CODES = frozenset({"AccessDeniedException", "AccessDenied"})


class CostAllocationTagState(StrEnum):
    ACTIVE = "Active"
    INACTIVE = "Inactive"
    NOT_YET_SEEN = "not yet seen"


@dataclass(frozen=True)
class CostAllocationTagStatus:
    tag_key: str
    state: CostAllocationTagState
    tag_type: str | None = None  # "UserDefined" or "AWSGenerated", as Cost Explorer says
    last_used: str | None = None  # ZonedDateTime text, e.g. "2026-11-01T00:00:00Z"


@dataclass(frozen=True)
class CostAllocationActivation:
    statuses: tuple[CostAllocationTagStatus, ...]  # as found, before activation
    activated: tuple[str, ...] = ()
    already_active: tuple[str, ...] = ()
    # Cost Explorer cannot activate a key it has never seen in billing data.
    not_yet_seen: tuple[str, ...] = ()
    failed: dict[str, str] = field(default_factory=dict)  # tag key -> "Code: Message"


class CostAllocationTagsError(RuntimeError):
    """Cost Explorer refused the call; the message says what to do."""


class NotManagementAccountError(CostAllocationTagsError):
    """The caller is a member account, or lacks the Cost Explorer permissions."""


def cost_allocation_tag_status(
    ce_client: CostExplorerClient, tag_keys: Sequence[str] = ENFORCED_TAG_KEYS
) -> list[CostAllocationTagStatus]:
    """The cost allocation status of each key in `tag_keys`, in that order."""
    seen: dict[str, CostAllocationTagStatus] = {}
    request: dict[str, Any] = {"TagKeys": list(tag_keys)}
    while True:
        response = _call(ce_client.list_cost_allocation_tags, "ListCostAllocationTags", request)
        for tag in response.get("CostAllocationTags", []):
            seen.setdefault(
                tag["TagKey"],
                CostAllocationTagStatus(
                    tag_key=tag["TagKey"],
                    state=CostAllocationTagState(tag["Status"]),
                    tag_type=tag.get("Type"),
                    last_used=tag.get("LastUsedDate"),
                ),
            )
        if not response.get("NextToken"):
            break
        request["NextToken"] = response["NextToken"]
    return [
        seen.get(key, CostAllocationTagStatus(key, CostAllocationTagState.NOT_YET_SEEN))
        for key in tag_keys
    ]


def activate_cost_allocation_tags(
    ce_client: CostExplorerClient, tag_keys: Sequence[str] = ENFORCED_TAG_KEYS
) -> CostAllocationActivation:
    """Activate each inactive key in `tag_keys`; active and unseen keys are left alone."""
    statuses = cost_allocation_tag_status(ce_client, tag_keys)
    inactive = [s.tag_key for s in statuses if s.state is CostAllocationTagState.INACTIVE]
    failed: dict[str, str] = {}
    for start in range(0, len(inactive), _UPDATE_BATCH_SIZE):
        batch = inactive[start : start + _UPDATE_BATCH_SIZE]
        response = _call(
            ce_client.update_cost_allocation_tags_status,
            "UpdateCostAllocationTagsStatus",
            {"CostAllocationTagsStatus": [{"TagKey": key, "Status": "Active"} for key in batch]},
        )
        # A call that succeeds may still refuse single keys (botocore ce model,
        # UpdateCostAllocationTagsStatusResponse.Errors).
        for error in response.get("Errors", []):
            failed[error.get("TagKey", "?")] = f"{error.get('Code')}: {error.get('Message')}"
    return CostAllocationActivation(
        statuses=tuple(statuses),
        activated=tuple(key for key in inactive if key not in failed),
        already_active=_keys_in(statuses, CostAllocationTagState.ACTIVE),
        not_yet_seen=_keys_in(statuses, CostAllocationTagState.NOT_YET_SEEN),
        failed=failed,
    )


def _keys_in(
    statuses: Sequence[CostAllocationTagStatus], state: CostAllocationTagState
) -> tuple[str, ...]:
    return tuple(s.tag_key for s in statuses if s.state is state)


def _call(method: Callable[..., Any], operation: str, request: dict[str, Any]) -> Any:
    try:
        return method(**request)
    except ClientError as error:
        raise _explain(error, operation) from error


def _explain(error: ClientError, operation: str) -> CostAllocationTagsError:
    code = error.response.get("Error", {}).get("Code", "Unknown")
    message = error.response.get("Error", {}).get("Message", "")
    if code in _ACCESS_DENIED_CODES or "linked account" in message.lower():
        return NotManagementAccountError(
            f"Cost Explorer refused {operation} ({code}: {message}). Cost allocation tags "
            "are managed only from the management (payer) account of an AWS Organization, "
            "or from a standalone account. Run `tag-enforcer cost-tags` with that account's "
            f"credentials; there, the caller also needs ce:{operation}."
        )
    if code == "LimitExceededException":
        return CostAllocationTagsError(
            f"Cost Explorer throttled {operation} ({message}); wait a minute and run it again."
        )
    return CostAllocationTagsError(f"Cost Explorer {operation} failed ({code}: {message}).")
