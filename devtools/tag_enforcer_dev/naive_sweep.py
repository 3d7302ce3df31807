"""The naive sweep the real one is measured against: List, then ListTags, Describe, AddTags each.

Same attribution as the sweep (the pure rules), same decisions, but one ListTags per
resource, a Describe for each untagged one, ListTags per parent, and one AddTags per
resource to tag. It exists for `make bench` only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore import xform_name

from tag_enforcer.aws.sagemaker_directory import read_directory
from tag_enforcer.aws.sagemaker_tags import SageMakerTags
from tag_enforcer.core import registry
from tag_enforcer.core.attribution import attribute
from tag_enforcer.core.decisions import Outcome
from tag_enforcer.core.errors import ResourceGoneError
from tag_enforcer.core.evidence import attribution_request, parent_references
from tag_enforcer.core.registry.schema import ListEnumeration, ResourceType
from tag_enforcer.core.resources import AccountScope, SweptResource
from tag_enforcer.core.tags import DOMAIN_TAG

# Types the sweep reads with Search, listed here with their List and Describe calls
# (botocore SageMaker model): the naive sweep lists everything.
_LISTED_INSTEAD_OF_SEARCHED: dict[str, tuple[str, str, str, str, str]] = {
    "TrainingJob": (
        "list_training_jobs",
        "TrainingJobSummaries",
        "TrainingJobArn",
        "describe_training_job",
        "TrainingJobName",
    ),
    "Experiment": (
        "list_experiments",
        "ExperimentSummaries",
        "ExperimentArn",
        "describe_experiment",
        "ExperimentName",
    ),
    "Trial": ("list_trials", "TrialSummaries", "TrialArn", "describe_trial", "TrialName"),
    "Endpoint": (
        "list_endpoints",
        "Endpoints",
        "EndpointArn",
        "describe_endpoint",
        "EndpointName",
    ),
}


@dataclass(frozen=True)
class _Listing:
    operation: str
    result_key: str
    arn_field: str
    describe: str | None
    key_field: str
    key_parameter: str


def _listing(resource_type: ResourceType) -> _Listing:
    if resource_type.name in _LISTED_INSTEAD_OF_SEARCHED:
        op, key, arn_field, searched_describe, name = _LISTED_INSTEAD_OF_SEARCHED[
            resource_type.name
        ]
        return _Listing(op, key, arn_field, searched_describe, name, name)
    enumeration = resource_type.enumeration
    if not isinstance(enumeration, ListEnumeration) or enumeration.arn_field is None:
        raise ValueError(f"the naive sweep does not cover {resource_type.name}")
    describe = resource_type.describe if enumeration.describe_from_summary else None
    return _Listing(
        _snake(enumeration.operation),
        enumeration.result_key,
        enumeration.arn_field,
        _snake(describe.operation) if describe else None,
        describe.key_sources[0] if describe else "",
        describe.key[0] if describe else "",
    )


def _snake(operation: str) -> str:
    return str(xform_name(operation))


def _summaries(client: Any, listing: _Listing) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    request: dict[str, Any] = {"MaxResults": 100}
    while True:
        page = getattr(client, listing.operation)(**request)
        found.extend(page.get(listing.result_key, []))
        if not page.get("NextToken"):
            return found
        request["NextToken"] = page["NextToken"]


def naive_sweep(sagemaker: Any, scope: AccountScope, type_names: list[str]) -> dict[str, int]:
    """Tag what the evidence supports, the naive way; returns how many resources got each action."""
    directory = read_directory(sagemaker, scope.partition, scope.region, scope.account, 0.0)
    tags = SageMakerTags(sagemaker)
    done = {"tagged": 0, "compliant": 0, "flagged": 0}
    for type_name in type_names:
        resource_type = registry.by_name(type_name)
        listing = _listing(resource_type)
        for summary in _summaries(sagemaker, listing):
            arn = summary[listing.arn_field]
            current = tags.list_tags(arn)
            if current.get(DOMAIN_TAG):
                done["compliant"] += 1
                continue
            document = dict(summary)
            if listing.describe and (resource_type.role_fields or resource_type.lineage):
                described = getattr(sagemaker, listing.describe)(
                    **{listing.key_parameter: summary[listing.key_field]}
                )
                document.update(described)
            parents: dict[str, dict[str, str]] = {}
            for _, parent_arn in parent_references(resource_type, document, scope):
                try:
                    parents[parent_arn.lower()] = tags.list_tags(parent_arn)
                except ResourceGoneError:
                    parents[parent_arn.lower()] = {}
            resource = SweptResource(resource_type, arn, document, current)
            decision = attribute(attribution_request(resource, parents, scope), directory)
            if decision.outcome is Outcome.TAG:
                tags.add_tags(arn, decision.missing_tags)
                done["tagged"] += 1
            else:
                done["flagged" if decision.outcome is Outcome.FLAG else "compliant"] += 1
    return done
