"""The one declarative table of taggable SageMaker resource types.

The EventBridge pattern, ARN extraction, sweep enumeration and IAM actions are
all derived from `RESOURCE_TYPES`; tests check it and `template.yaml` against
botocore's SageMaker service model.

Field names are written as botocore spells them (PascalCase). CloudTrail writes
the same members in camelCase, so look-ups into a record are case-insensitive.
A dotted path walks nested structures; `[]` maps over a list
(`ProductionVariants[].ModelName`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from tag_enforcer.settings import DOMAIN_TAG, SPACE_TAG, USER_PROFILE_TAG


@dataclass(frozen=True)
class SearchEnumeration:
    """Enumerate with `Search`, which returns tags and details 100 records a page."""

    search_resource: str  # Search `Resource` enum value, e.g. "ExperimentTrial"
    record_key: str  # member of SearchRecord, e.g. "Trial"
    arn_field: str  # ARN member inside that record


@dataclass(frozen=True)
class ListEnumeration:
    """Enumerate with a List API; tags come from the Resource Groups Tagging API."""

    operation: str  # e.g. "ListProcessingJobs"
    result_key: str  # list member of the response, e.g. "ProcessingJobSummaries"
    arn_field: str | None  # None where summaries carry no ARN (user profiles, spaces, apps)
    describe_operation: str | None = None  # for resource-side evidence (role, parents)
    describe_key_fields: tuple[str, ...] = ()  # summary fields passed to the Describe call


@dataclass(frozen=True)
class ParentLink:
    """A lineage parent named in the create request, whose tags a child may inherit."""

    request_field: str  # path into requestParameters, e.g. "EndpointConfigName"
    parent_type: str  # registry name of the parent, e.g. "EndpointConfig"


@dataclass(frozen=True)
class StudioScope:
    """Request fields that name the domain, profile or space a Studio resource lives in."""

    domain_id_field: str | None = "DomainId"
    user_profile_field: str | None = None
    space_field: str | None = None
    own_arn_tag: str | None = None  # the enforced tag key that takes the resource's own ARN


@dataclass(frozen=True)
class ResourceType:
    name: str  # the Create operation without "Create", e.g. "TrainingJob"
    arn_segment: str  # resource segment of the ARN, e.g. "training-job"
    arn_response_field: str | None  # None where the response carries no ARN
    # Request fields joined by "/" after the segment to rebuild the ARN when
    # CloudTrail omits the response; "A|B" takes whichever is present.
    arn_name_fields: tuple[str, ...]
    role_fields: tuple[str, ...] = ()  # the role the resource runs as
    parents: tuple[ParentLink, ...] = ()
    studio_scope: StudioScope | None = None
    enumeration: SearchEnumeration | ListEnumeration | None = None
    # SageMaker lower-cases names inside most ARNs (SageMaker API reference,
    # e.g. CreateTrainingJob's TrainingJobArn); the fallback builder follows it.
    arn_lowercases_name: bool = True
    extra_create_operations: tuple[str, ...] = field(default=())

    @property
    def create_operation(self) -> str:
        return f"Create{self.name}"

    @property
    def create_operations(self) -> tuple[str, ...]:
        return (self.create_operation, *self.extra_create_operations)


def _list(
    operation: str,
    result_key: str,
    arn_field: str | None,
    describe: str | None = None,
    key_fields: tuple[str, ...] = (),
) -> ListEnumeration:
    return ListEnumeration(operation, result_key, arn_field, describe, key_fields)


RESOURCE_TYPES: tuple[ResourceType, ...] = (
    # --- Studio: domains, user profiles, spaces and apps -----------------------------
    ResourceType(
        "Domain",
        "domain",
        "DomainArn",
        (),  # the domain id is made by SageMaker; only the response names it
        role_fields=("DefaultUserSettings.ExecutionRole",),
        studio_scope=StudioScope(domain_id_field=None, own_arn_tag=DOMAIN_TAG),
        enumeration=_list("ListDomains", "Domains", "DomainArn", "DescribeDomain", ("DomainId",)),
        arn_lowercases_name=False,
    ),
    ResourceType(
        "UserProfile",
        "user-profile",
        "UserProfileArn",
        ("DomainId", "UserProfileName"),
        role_fields=("UserSettings.ExecutionRole",),
        studio_scope=StudioScope(own_arn_tag=USER_PROFILE_TAG),
        enumeration=_list(
            "ListUserProfiles",
            "UserProfiles",
            None,
            "DescribeUserProfile",
            ("DomainId", "UserProfileName"),
        ),
    ),
    ResourceType(
        "Space",
        "space",
        "SpaceArn",
        ("DomainId", "SpaceName"),
        studio_scope=StudioScope(own_arn_tag=SPACE_TAG),
        enumeration=_list("ListSpaces", "Spaces", None, "DescribeSpace", ("DomainId", "SpaceName")),
    ),
    ResourceType(
        "App",
        "app",
        "AppArn",
        ("DomainId", "UserProfileName|SpaceName", "AppType", "AppName"),
        studio_scope=StudioScope(user_profile_field="UserProfileName", space_field="SpaceName"),
        enumeration=_list("ListApps", "Apps", None),
    ),
    # --- Training, processing and batch inference --------------------------------------
    ResourceType(
        "TrainingJob",
        "training-job",
        "TrainingJobArn",
        ("TrainingJobName",),
        role_fields=("RoleArn",),
        parents=(ParentLink("ExperimentConfig.TrialName", "Trial"),),
        enumeration=SearchEnumeration("TrainingJob", "TrainingJob", "TrainingJobArn"),
    ),
    ResourceType(
        "ProcessingJob",
        "processing-job",
        "ProcessingJobArn",
        ("ProcessingJobName",),
        role_fields=("RoleArn",),
        parents=(ParentLink("ExperimentConfig.TrialName", "Trial"),),
        enumeration=_list(
            "ListProcessingJobs",
            "ProcessingJobSummaries",
            "ProcessingJobArn",
            "DescribeProcessingJob",
            ("ProcessingJobName",),
        ),
    ),
    ResourceType(
        "TransformJob",
        "transform-job",
        "TransformJobArn",
        ("TransformJobName",),
        parents=(ParentLink("ModelName", "Model"),),
        enumeration=_list(
            "ListTransformJobs",
            "TransformJobSummaries",
            "TransformJobArn",
            "DescribeTransformJob",
            ("TransformJobName",),
        ),
    ),
    ResourceType(
        "HyperParameterTuningJob",
        "hyper-parameter-tuning-job",
        "HyperParameterTuningJobArn",
        ("HyperParameterTuningJobName",),
        role_fields=("TrainingJobDefinition.RoleArn", "TrainingJobDefinitions[].RoleArn"),
        enumeration=SearchEnumeration(
            "HyperParameterTuningJob", "HyperParameterTuningJob", "HyperParameterTuningJobArn"
        ),
    ),
    # --- Experiments ------------------------------------------------------------------
    ResourceType(
        "Experiment",
        "experiment",
        "ExperimentArn",
        ("ExperimentName",),
        enumeration=SearchEnumeration("Experiment", "Experiment", "ExperimentArn"),
    ),
    ResourceType(
        "Trial",
        "experiment-trial",
        "TrialArn",
        ("TrialName",),
        parents=(ParentLink("ExperimentName", "Experiment"),),
        enumeration=SearchEnumeration("ExperimentTrial", "Trial", "TrialArn"),
    ),
    ResourceType(
        "TrialComponent",
        "experiment-trial-component",
        "TrialComponentArn",
        ("TrialComponentName",),
        enumeration=SearchEnumeration(
            "ExperimentTrialComponent", "TrialComponent", "TrialComponentArn"
        ),
    ),
    # --- Pipelines --------------------------------------------------------------------
    ResourceType(
        "Pipeline",
        "pipeline",
        "PipelineArn",
        ("PipelineName",),
        role_fields=("RoleArn",),
        enumeration=SearchEnumeration("Pipeline", "Pipeline", "PipelineArn"),
    ),
    # --- Models and hosting -----------------------------------------------------------
    ResourceType(
        "Model",
        "model",
        "ModelArn",
        ("ModelName",),
        role_fields=("ExecutionRoleArn",),
        # Search's "Model" records nest the model one level deeper and are not
        # offered by every region; List is the dependable path.
        enumeration=_list("ListModels", "Models", "ModelArn", "DescribeModel", ("ModelName",)),
    ),
    ResourceType(
        "EndpointConfig",
        "endpoint-config",
        "EndpointConfigArn",
        ("EndpointConfigName",),
        parents=(ParentLink("ProductionVariants[].ModelName", "Model"),),
        enumeration=_list(
            "ListEndpointConfigs",
            "EndpointConfigs",
            "EndpointConfigArn",
            "DescribeEndpointConfig",
            ("EndpointConfigName",),
        ),
    ),
    ResourceType(
        "Endpoint",
        "endpoint",
        "EndpointArn",
        ("EndpointName",),
        parents=(ParentLink("EndpointConfigName", "EndpointConfig"),),
        enumeration=SearchEnumeration("Endpoint", "Endpoint", "EndpointArn"),
    ),
    ResourceType(
        "ModelPackageGroup",
        "model-package-group",
        "ModelPackageGroupArn",
        ("ModelPackageGroupName",),
        enumeration=SearchEnumeration(
            "ModelPackageGroup", "ModelPackageGroup", "ModelPackageGroupArn"
        ),
    ),
    ResourceType(
        "ModelPackage",
        "model-package",
        "ModelPackageArn",
        # A versioned package's ARN ends in "<group>/<version>", which only the
        # response knows; an unversioned one is named by ModelPackageName.
        ("ModelPackageName",),
        parents=(ParentLink("ModelPackageGroupName", "ModelPackageGroup"),),
        enumeration=SearchEnumeration("ModelPackage", "ModelPackage", "ModelPackageArn"),
    ),
    # --- Notebook instances -----------------------------------------------------------
    ResourceType(
        "NotebookInstance",
        "notebook-instance",
        "NotebookInstanceArn",
        ("NotebookInstanceName",),
        role_fields=("RoleArn",),
        enumeration=_list(
            "ListNotebookInstances",
            "NotebookInstances",
            "NotebookInstanceArn",
            "DescribeNotebookInstance",
            ("NotebookInstanceName",),
        ),
    ),
)


@cache
def _by_create_event() -> dict[str, ResourceType]:
    table: dict[str, ResourceType] = {}
    for resource_type in RESOURCE_TYPES:
        for operation in resource_type.create_operations:
            if operation in table:
                raise ValueError(f"{operation} is registered twice")
            table[operation] = resource_type
    return table


@cache
def _by_name() -> dict[str, ResourceType]:
    return {resource_type.name: resource_type for resource_type in RESOURCE_TYPES}


@cache
def _by_arn_segment() -> dict[str, ResourceType]:
    return {resource_type.arn_segment: resource_type for resource_type in RESOURCE_TYPES}


def for_create_event(event_name: str) -> ResourceType | None:
    return _by_create_event().get(event_name)


def by_name(name: str) -> ResourceType:
    try:
        return _by_name()[name]
    except KeyError:
        raise KeyError(f"{name!r} is not a registered SageMaker resource type") from None


def for_arn_segment(segment: str) -> ResourceType | None:
    return _by_arn_segment().get(segment)


def create_event_names() -> list[str]:
    """Every CloudTrail eventName the create rule must match, sorted for stable output."""
    return sorted(_by_create_event())


# Events that change who belongs to which domain; they refresh the directory.
DIRECTORY_EVENT_NAMES: tuple[str, ...] = tuple(
    f"{verb}{noun}"
    for noun in ("Domain", "UserProfile", "Space")
    for verb in ("Create", "Update", "Delete")
)
