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
    # Why: a few Describe calls spell their key differently from the summary
    # (MonitoringJobDefinitionName is passed as JobDefinitionName); same order as
    # describe_key_fields, empty when the names agree.
    describe_key_params: tuple[str, ...] = ()
    # Why: a few List calls only work inside one parent (ListClusterExtensions requires
    # a ClusterArn); the sweep enumerates `within.parent_type` first and passes each
    # parent's ARN as `within.request_field`.
    within: ParentLink | None = None

    @property
    def describe_parameters(self) -> tuple[str, ...]:
        """Describe request members, position by position with `describe_key_fields`."""
        return self.describe_key_params or self.describe_key_fields


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
    # Parents that launch the resource themselves (a tuning job its training jobs); only
    # the resource's Describe or Search output names them, never the create request.
    launched_by: tuple[ParentLink, ...] = ()
    studio_scope: StudioScope | None = None
    enumeration: SearchEnumeration | ListEnumeration | None = None
    # SageMaker lower-cases names inside most ARNs (SageMaker API reference,
    # e.g. CreateTrainingJob's TrainingJobArn); the fallback builder follows it.
    arn_lowercases_name: bool = True
    extra_create_operations: tuple[str, ...] = field(default=())

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


def _list(
    operation: str,
    result_key: str,
    arn_field: str | None,
    describe: str | None = None,
    key_fields: tuple[str, ...] = (),
    *,
    key_params: tuple[str, ...] = (),
    within: ParentLink | None = None,
) -> ListEnumeration:
    return ListEnumeration(
        operation, result_key, arn_field, describe, key_fields, key_params, within
    )


# ARN segments follow the IAM Service Authorization Reference, "Resource types defined
# by Amazon SageMaker AI"; where botocore's SageMaker model gives the ARN member a
# pattern, tests/unit/test_registry_coverage.py checks the segment against it.
# Every operation and member name below is checked against botocore by that test too.
RESOURCE_TYPES: tuple[ResourceType, ...] = (
    # --- Studio: domains, user profiles, spaces, apps and their images ----------------
    ResourceType(
        "Domain",
        "domain",
        "DomainArn",
        (),  # the domain id is made by SageMaker; only the response names it
        role_fields=("DefaultUserSettings.ExecutionRole", "DefaultSpaceSettings.ExecutionRole"),
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
        # App summaries already carry the domain, profile and space; Describe adds nothing.
        enumeration=_list("ListApps", "Apps", None),
    ),
    ResourceType(
        "AppImageConfig",
        "app-image-config",
        "AppImageConfigArn",
        ("AppImageConfigName",),
        enumeration=_list(
            "ListAppImageConfigs",
            "AppImageConfigs",
            "AppImageConfigArn",
            "DescribeAppImageConfig",
            ("AppImageConfigName",),
        ),
    ),
    ResourceType(
        "StudioLifecycleConfig",
        "studio-lifecycle-config",
        "StudioLifecycleConfigArn",
        ("StudioLifecycleConfigName",),
        enumeration=_list(
            "ListStudioLifecycleConfigs",
            "StudioLifecycleConfigs",
            "StudioLifecycleConfigArn",
            "DescribeStudioLifecycleConfig",
            ("StudioLifecycleConfigName",),
        ),
    ),
    ResourceType(
        "Image",
        "image",
        "ImageArn",
        ("ImageName",),
        role_fields=("RoleArn",),
        # Search accepts "Image" as a resource, but SearchRecord has no member to hold
        # it (botocore SageMaker model), so List is the only way.
        enumeration=_list("ListImages", "Images", "ImageArn", "DescribeImage", ("ImageName",)),
    ),
    # --- Training, tuning, processing and batch inference ------------------------------
    ResourceType(
        "TrainingJob",
        "training-job",
        "TrainingJobArn",
        ("TrainingJobName",),
        role_fields=("RoleArn",),
        parents=(
            ParentLink("ExperimentConfig.TrialName", "Trial"),
            ParentLink("ExperimentConfig.ExperimentName", "Experiment"),
        ),
        launched_by=(
            ParentLink("TuningJobArn", "HyperParameterTuningJob"),
            ParentLink("AutoMLJobArn", "AutoMLJob"),
            ParentLink("LabelingJobArn", "LabelingJob"),
        ),
        enumeration=SearchEnumeration("TrainingJob", "TrainingJob", "TrainingJobArn"),
    ),
    ResourceType(
        "ProcessingJob",
        "processing-job",
        "ProcessingJobArn",
        ("ProcessingJobName",),
        role_fields=("RoleArn",),
        parents=(
            ParentLink("ExperimentConfig.TrialName", "Trial"),
            ParentLink("ExperimentConfig.ExperimentName", "Experiment"),
        ),
        launched_by=(
            ParentLink("AutoMLJobArn", "AutoMLJob"),
            ParentLink("TrainingJobArn", "TrainingJob"),
            ParentLink("MonitoringScheduleArn", "MonitoringSchedule"),
        ),
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
        # No role of its own: a transform job runs as its model's ExecutionRoleArn.
        parents=(
            ParentLink("ModelName", "Model"),
            ParentLink("ExperimentConfig.TrialName", "Trial"),
            ParentLink("ExperimentConfig.ExperimentName", "Experiment"),
        ),
        launched_by=(
            ParentLink("AutoMLJobArn", "AutoMLJob"),
            ParentLink("LabelingJobArn", "LabelingJob"),
        ),
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
        parents=(
            # A warm start names the tuning jobs it continues from.
            ParentLink(
                "WarmStartConfig.ParentHyperParameterTuningJobs[].HyperParameterTuningJobName",
                "HyperParameterTuningJob",
            ),
        ),
        enumeration=SearchEnumeration(
            "HyperParameterTuningJob", "HyperParameterTuningJob", "HyperParameterTuningJobArn"
        ),
    ),
    ResourceType(
        "AutoMLJob",
        "automl-job",
        "AutoMLJobArn",
        ("AutoMLJobName",),
        role_fields=("RoleArn",),
        enumeration=_list(
            "ListAutoMLJobs",
            "AutoMLJobSummaries",
            "AutoMLJobArn",
            # DescribeAutoMLJobV2 describes jobs made by either create call (SageMaker
            # API reference, DescribeAutoMLJobV2).
            "DescribeAutoMLJobV2",
            ("AutoMLJobName",),
        ),
        # Both calls make the same automl-job resource (botocore: same AutoMLJobArn).
        extra_create_operations=("CreateAutoMLJobV2",),
    ),
    ResourceType(
        "CompilationJob",
        "compilation-job",
        "CompilationJobArn",
        ("CompilationJobName",),
        role_fields=("RoleArn",),
        parents=(ParentLink("ModelPackageVersionArn", "ModelPackage"),),
        enumeration=_list(
            "ListCompilationJobs",
            "CompilationJobSummaries",
            "CompilationJobArn",
            "DescribeCompilationJob",
            ("CompilationJobName",),
        ),
    ),
    ResourceType(
        "OptimizationJob",
        "optimization-job",
        "OptimizationJobArn",
        ("OptimizationJobName",),
        role_fields=("RoleArn",),
        # OutputConfig.SageMakerModel names the model the job will create, not a parent.
        parents=(ParentLink("ModelSource.SageMakerModel.ModelName", "Model"),),
        enumeration=_list(
            "ListOptimizationJobs",
            "OptimizationJobSummaries",
            "OptimizationJobArn",
            "DescribeOptimizationJob",
            ("OptimizationJobName",),
        ),
    ),
    ResourceType(
        "Job",
        "job",
        "JobArn",
        # arn:...:job/<JobCategory>/<JobName> (botocore JobArn pattern).
        ("JobCategory", "JobName"),
        role_fields=("RoleArn",),
        # ListJobs requires a JobCategory; Search covers every category in one pass.
        enumeration=SearchEnumeration("Job", "Job", "JobArn"),
        # The category keeps its case, e.g. job/AgentRFT/my-training-job (SageMaker Job
        # Runtime API reference examples).
        arn_lowercases_name=False,
    ),
    ResourceType(
        "TrainingSession",
        "training-session",
        "TrainingSessionArn",
        ("TrainingSessionName",),
        role_fields=("RoleArn",),
        # ModelPackageGroupArn is where the session publishes, not where it comes from.
        # Summaries carry only the ARN and DescribeTrainingSession takes the name alone,
        # so there is no Describe step.
        enumeration=_list("ListTrainingSessions", "TrainingSessionSummaries", "TrainingSessionArn"),
    ),
    ResourceType(
        "Algorithm",
        "algorithm",
        "AlgorithmArn",
        ("AlgorithmName",),
        role_fields=("ValidationSpecification.ValidationRole",),
        enumeration=_list(
            "ListAlgorithms",
            "AlgorithmSummaryList",
            "AlgorithmArn",
            "DescribeAlgorithm",
            ("AlgorithmName",),
        ),
    ),
    # --- Experiments and lineage ------------------------------------------------------
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
    ResourceType(
        "Action",
        "action",
        "ActionArn",
        ("ActionName",),
        enumeration=_list(
            "ListActions", "ActionSummaries", "ActionArn", "DescribeAction", ("ActionName",)
        ),
    ),
    ResourceType(
        "Artifact",
        "artifact",
        "ArtifactArn",
        # arn:...:artifact/<hash of the source> (IAM Service Authorization Reference);
        # the name is optional and not part of the ARN.
        (),
        enumeration=_list(
            "ListArtifacts",
            "ArtifactSummaries",
            "ArtifactArn",
            "DescribeArtifact",
            ("ArtifactArn",),
        ),
    ),
    ResourceType(
        "Context",
        "context",
        "ContextArn",
        ("ContextName",),
        enumeration=_list(
            "ListContexts", "ContextSummaries", "ContextArn", "DescribeContext", ("ContextName",)
        ),
    ),
    # --- Pipelines and projects -------------------------------------------------------
    ResourceType(
        "Pipeline",
        "pipeline",
        "PipelineArn",
        ("PipelineName",),
        role_fields=("RoleArn",),
        enumeration=SearchEnumeration("Pipeline", "Pipeline", "PipelineArn"),
    ),
    ResourceType(
        "Project",
        "project",
        "ProjectArn",
        ("ProjectName",),
        enumeration=SearchEnumeration("Project", "Project", "ProjectArn"),
    ),
    # --- Models, registry and hosting -------------------------------------------------
    ResourceType(
        "Model",
        "model",
        "ModelArn",
        ("ModelName",),
        role_fields=("ExecutionRoleArn",),
        # A model deployed from the registry names its package (by name or ARN).
        parents=(
            ParentLink("PrimaryContainer.ModelPackageName", "ModelPackage"),
            ParentLink("Containers[].ModelPackageName", "ModelPackage"),
        ),
        # Search's "Model" records are ModelDashboardModel, which nest the model one
        # level deeper (botocore SearchRecord.Model); List is the direct path.
        enumeration=_list("ListModels", "Models", "ModelArn", "DescribeModel", ("ModelName",)),
    ),
    ResourceType(
        "EndpointConfig",
        "endpoint-config",
        "EndpointConfigArn",
        ("EndpointConfigName",),
        # ExecutionRoleArn is set for endpoints that host inference components.
        role_fields=("ExecutionRoleArn",),
        parents=(
            ParentLink("ProductionVariants[].ModelName", "Model"),
            ParentLink("ShadowProductionVariants[].ModelName", "Model"),
        ),
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
        "InferenceComponent",
        "inference-component",
        "InferenceComponentArn",
        ("InferenceComponentName",),
        parents=(
            ParentLink("EndpointName", "Endpoint"),
            ParentLink("Specification.ModelName", "Model"),
            ParentLink("Specifications[].ModelName", "Model"),
            # An adapter component sits on a base component.
            ParentLink("Specification.BaseInferenceComponentName", "InferenceComponent"),
            ParentLink("Specifications[].BaseInferenceComponentName", "InferenceComponent"),
        ),
        enumeration=_list(
            "ListInferenceComponents",
            "InferenceComponents",
            "InferenceComponentArn",
            "DescribeInferenceComponent",
            ("InferenceComponentName",),
        ),
    ),
    ResourceType(
        "InferenceExperiment",
        "inference-experiment",
        "InferenceExperimentArn",
        ("Name",),
        role_fields=("RoleArn",),
        parents=(
            ParentLink("EndpointName", "Endpoint"),
            ParentLink("ModelVariants[].ModelName", "Model"),
        ),
        enumeration=_list(
            "ListInferenceExperiments",
            "InferenceExperiments",
            None,  # InferenceExperimentSummary has a Name but no ARN
            "DescribeInferenceExperiment",
            ("Name",),
        ),
    ),
    ResourceType(
        "InferenceRouter",
        "inference-router",
        "InferenceRouterArn",
        ("InferenceRouterName",),
        # Routing destinations may be endpoints or components in other accounts and
        # regions (SageMaker API reference, CreateInferenceRouter): not lineage.
        enumeration=_list(
            "ListInferenceRouters",
            "InferenceRouters",
            "InferenceRouterArn",
            "DescribeInferenceRouter",
            ("InferenceRouterName",),
        ),
    ),
    ResourceType(
        "InferenceRecommendationsJob",
        "inference-recommendations-job",
        "JobArn",
        ("JobName",),
        role_fields=("RoleArn",),
        parents=(
            ParentLink("InputConfig.ModelName", "Model"),
            ParentLink("InputConfig.ModelPackageVersionArn", "ModelPackage"),
            ParentLink("InputConfig.Endpoints[].EndpointName", "Endpoint"),
        ),
        enumeration=_list(
            "ListInferenceRecommendationsJobs",
            "InferenceRecommendationsJobs",
            "JobArn",
            "DescribeInferenceRecommendationsJob",
            ("JobName",),
        ),
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
        role_fields=("ValidationSpecification.ValidationRole",),
        parents=(ParentLink("ModelPackageGroupName", "ModelPackageGroup"),),
        enumeration=SearchEnumeration("ModelPackage", "ModelPackage", "ModelPackageArn"),
    ),
    ResourceType(
        "ModelCard",
        "model-card",
        "ModelCardArn",
        ("ModelCardName",),
        enumeration=SearchEnumeration("ModelCard", "ModelCard", "ModelCardArn"),
    ),
    # --- Generative AI workload benchmarking and recommendation --------------------------
    ResourceType(
        "AIWorkloadConfig",
        "ai-workload-config",
        "AIWorkloadConfigArn",
        ("AIWorkloadConfigName",),
        enumeration=_list(
            "ListAIWorkloadConfigs",
            "AIWorkloadConfigs",
            "AIWorkloadConfigArn",
            "DescribeAIWorkloadConfig",
            ("AIWorkloadConfigName",),
        ),
    ),
    ResourceType(
        "AIBenchmarkJob",
        "ai-benchmark-job",
        "AIBenchmarkJobArn",
        ("AIBenchmarkJobName",),
        role_fields=("RoleArn",),
        parents=(
            ParentLink("AIWorkloadConfigIdentifier", "AIWorkloadConfig"),
            ParentLink("BenchmarkTarget.Endpoint.Identifier", "Endpoint"),
        ),
        enumeration=_list(
            "ListAIBenchmarkJobs",
            "AIBenchmarkJobs",
            "AIBenchmarkJobArn",
            "DescribeAIBenchmarkJob",
            ("AIBenchmarkJobName",),
        ),
    ),
    ResourceType(
        "AIRecommendationJob",
        "ai-recommendation-job",
        "AIRecommendationJobArn",
        ("AIRecommendationJobName",),
        role_fields=("RoleArn",),
        # OutputConfig.ModelPackageGroupIdentifier is where results go, not a parent.
        parents=(
            ParentLink("AIWorkloadConfigIdentifier", "AIWorkloadConfig"),
            ParentLink("AdapterSource.ModelPackageArns[].ModelPackageArn", "ModelPackage"),
        ),
        enumeration=_list(
            "ListAIRecommendationJobs",
            "AIRecommendationJobs",
            "AIRecommendationJobArn",
            "DescribeAIRecommendationJob",
            ("AIRecommendationJobName",),
        ),
    ),
    # --- Model monitoring -------------------------------------------------------------
    # The four job definitions answer with JobDefinitionArn; their summaries call the
    # key MonitoringJobDefinitionName while Describe takes JobDefinitionName.
    ResourceType(
        "DataQualityJobDefinition",
        "data-quality-job-definition",
        "JobDefinitionArn",
        ("JobDefinitionName",),
        role_fields=("RoleArn",),
        parents=(ParentLink("DataQualityJobInput.EndpointInput.EndpointName", "Endpoint"),),
        enumeration=_list(
            "ListDataQualityJobDefinitions",
            "JobDefinitionSummaries",
            "MonitoringJobDefinitionArn",
            "DescribeDataQualityJobDefinition",
            ("MonitoringJobDefinitionName",),
            key_params=("JobDefinitionName",),
        ),
    ),
    ResourceType(
        "ModelBiasJobDefinition",
        "model-bias-job-definition",
        "JobDefinitionArn",
        ("JobDefinitionName",),
        role_fields=("RoleArn",),
        parents=(ParentLink("ModelBiasJobInput.EndpointInput.EndpointName", "Endpoint"),),
        enumeration=_list(
            "ListModelBiasJobDefinitions",
            "JobDefinitionSummaries",
            "MonitoringJobDefinitionArn",
            "DescribeModelBiasJobDefinition",
            ("MonitoringJobDefinitionName",),
            key_params=("JobDefinitionName",),
        ),
    ),
    ResourceType(
        "ModelExplainabilityJobDefinition",
        "model-explainability-job-definition",
        "JobDefinitionArn",
        ("JobDefinitionName",),
        role_fields=("RoleArn",),
        parents=(ParentLink("ModelExplainabilityJobInput.EndpointInput.EndpointName", "Endpoint"),),
        enumeration=_list(
            "ListModelExplainabilityJobDefinitions",
            "JobDefinitionSummaries",
            "MonitoringJobDefinitionArn",
            "DescribeModelExplainabilityJobDefinition",
            ("MonitoringJobDefinitionName",),
            key_params=("JobDefinitionName",),
        ),
    ),
    ResourceType(
        "ModelQualityJobDefinition",
        "model-quality-job-definition",
        "JobDefinitionArn",
        ("JobDefinitionName",),
        role_fields=("RoleArn",),
        parents=(ParentLink("ModelQualityJobInput.EndpointInput.EndpointName", "Endpoint"),),
        enumeration=_list(
            "ListModelQualityJobDefinitions",
            "JobDefinitionSummaries",
            "MonitoringJobDefinitionArn",
            "DescribeModelQualityJobDefinition",
            ("MonitoringJobDefinitionName",),
            key_params=("JobDefinitionName",),
        ),
    ),
    ResourceType(
        "MonitoringSchedule",
        "monitoring-schedule",
        "MonitoringScheduleArn",
        ("MonitoringScheduleName",),
        role_fields=("MonitoringScheduleConfig.MonitoringJobDefinition.RoleArn",),
        # MonitoringScheduleConfig.MonitoringJobDefinitionName may name any of the four
        # job definition types (MonitoringType decides which), so it is not a link here.
        parents=(
            ParentLink(
                "MonitoringScheduleConfig.MonitoringJobDefinition"
                ".MonitoringInputs[].EndpointInput.EndpointName",
                "Endpoint",
            ),
        ),
        enumeration=_list(
            "ListMonitoringSchedules",
            "MonitoringScheduleSummaries",
            "MonitoringScheduleArn",
            "DescribeMonitoringSchedule",
            ("MonitoringScheduleName",),
        ),
    ),
    # --- Feature Store ----------------------------------------------------------------
    ResourceType(
        "FeatureGroup",
        "feature-group",
        "FeatureGroupArn",
        ("FeatureGroupName",),
        role_fields=("RoleArn",),
        enumeration=SearchEnumeration("FeatureGroup", "FeatureGroup", "FeatureGroupArn"),
    ),
    # --- Labeling and human review ------------------------------------------------------
    # Work teams, workforces and task UIs are shared by every team that labels, so
    # the jobs and flows that use them do not inherit their tags.
    ResourceType(
        "LabelingJob",
        "labeling-job",
        "LabelingJobArn",
        ("LabelingJobName",),
        role_fields=("RoleArn",),
        enumeration=_list(
            "ListLabelingJobs",
            "LabelingJobSummaryList",
            "LabelingJobArn",
            "DescribeLabelingJob",
            ("LabelingJobName",),
        ),
    ),
    ResourceType(
        "FlowDefinition",
        "flow-definition",
        "FlowDefinitionArn",
        ("FlowDefinitionName",),
        role_fields=("RoleArn",),
        enumeration=_list(
            "ListFlowDefinitions",
            "FlowDefinitionSummaries",
            "FlowDefinitionArn",
            "DescribeFlowDefinition",
            ("FlowDefinitionName",),
        ),
    ),
    ResourceType(
        "HumanTaskUi",
        "human-task-ui",
        "HumanTaskUiArn",
        ("HumanTaskUiName",),
        enumeration=_list(
            "ListHumanTaskUis",
            "HumanTaskUiSummaries",
            "HumanTaskUiArn",
            "DescribeHumanTaskUi",
            ("HumanTaskUiName",),
        ),
    ),
    ResourceType(
        "Workforce",
        "workforce",
        "WorkforceArn",
        ("WorkforceName",),
        enumeration=_list(
            "ListWorkforces", "Workforces", "WorkforceArn", "DescribeWorkforce", ("WorkforceName",)
        ),
    ),
    ResourceType(
        "Workteam",
        "workteam",
        "WorkteamArn",
        # Private teams are arn:...:workteam/private-crowd/<name> (SageMaker Ground
        # Truth examples); the request never names the "private-crowd" part.
        (),
        enumeration=_list(
            "ListWorkteams", "Workteams", "WorkteamArn", "DescribeWorkteam", ("WorkteamName",)
        ),
    ),
    # --- Notebook instances -----------------------------------------------------------
    ResourceType(
        "NotebookInstance",
        "notebook-instance",
        "NotebookInstanceArn",
        ("NotebookInstanceName",),
        role_fields=("RoleArn",),
        # LifecycleConfigName and DefaultCodeRepository name shared configuration, not
        # lineage.
        enumeration=_list(
            "ListNotebookInstances",
            "NotebookInstances",
            "NotebookInstanceArn",
            "DescribeNotebookInstance",
            ("NotebookInstanceName",),
        ),
    ),
    ResourceType(
        "NotebookInstanceLifecycleConfig",
        "notebook-instance-lifecycle-config",
        "NotebookInstanceLifecycleConfigArn",
        ("NotebookInstanceLifecycleConfigName",),
        enumeration=_list(
            "ListNotebookInstanceLifecycleConfigs",
            "NotebookInstanceLifecycleConfigs",
            "NotebookInstanceLifecycleConfigArn",
            "DescribeNotebookInstanceLifecycleConfig",
            ("NotebookInstanceLifecycleConfigName",),
        ),
    ),
    ResourceType(
        "CodeRepository",
        "code-repository",
        "CodeRepositoryArn",
        ("CodeRepositoryName",),
        enumeration=_list(
            "ListCodeRepositories",
            "CodeRepositorySummaryList",
            "CodeRepositoryArn",
            "DescribeCodeRepository",
            ("CodeRepositoryName",),
        ),
    ),
    # --- MLflow and partner AI apps ---------------------------------------------------
    ResourceType(
        "MlflowTrackingServer",
        "mlflow-tracking-server",
        "TrackingServerArn",
        ("TrackingServerName",),
        role_fields=("RoleArn",),
        enumeration=_list(
            "ListMlflowTrackingServers",
            "TrackingServerSummaries",
            "TrackingServerArn",
            "DescribeMlflowTrackingServer",
            ("TrackingServerName",),
        ),
    ),
    ResourceType(
        "MlflowApp",
        "mlflow-app",
        "Arn",
        (),  # arn:...:mlflow-app/app-<id made by SageMaker>, e.g. app-IN74ELWDTMBI
        role_fields=("RoleArn",),
        enumeration=_list("ListMlflowApps", "Summaries", "Arn", "DescribeMlflowApp", ("Arn",)),
        arn_lowercases_name=False,
    ),
    ResourceType(
        "PartnerApp",
        "partner-app",
        "Arn",
        (),  # arn:...:partner-app/app-[A-Z0-9]{12} (botocore PartnerAppArn pattern)
        role_fields=("ExecutionRoleArn",),
        enumeration=_list("ListPartnerApps", "Summaries", "Arn", "DescribePartnerApp", ("Arn",)),
        arn_lowercases_name=False,
    ),
    # --- HyperPod clusters, their governance and training plans ------------------------
    # Clusters, scheduler configs and compute quotas are named by a 12-character id
    # SageMaker makes (botocore ARN patterns), so only the response has their ARN.
    ResourceType(
        "Cluster",
        "cluster",
        "ClusterArn",
        (),
        role_fields=(
            "InstanceGroups[].ExecutionRole",
            "RestrictedInstanceGroups[].ExecutionRole",
            "ClusterRole",
        ),
        enumeration=_list(
            "ListClusters", "ClusterSummaries", "ClusterArn", "DescribeCluster", ("ClusterName",)
        ),
    ),
    ResourceType(
        "ClusterExtension",
        "extension",  # arn:...:extension/<name>/<cluster id>/<id> (botocore ExtensionArn)
        "ExtensionArn",
        (),
        parents=(ParentLink("ClusterArn", "Cluster"),),
        enumeration=_list(
            "ListClusterExtensions",
            "Extensions",
            "ExtensionArn",
            "DescribeClusterExtension",
            ("ExtensionArn",),
            within=ParentLink("ClusterArn", "Cluster"),
        ),
    ),
    ResourceType(
        "ClusterSchedulerConfig",
        "cluster-scheduler-config",
        "ClusterSchedulerConfigArn",
        (),
        parents=(ParentLink("ClusterArn", "Cluster"),),
        enumeration=_list(
            "ListClusterSchedulerConfigs",
            "ClusterSchedulerConfigSummaries",
            "ClusterSchedulerConfigArn",
            "DescribeClusterSchedulerConfig",
            ("ClusterSchedulerConfigId",),
        ),
    ),
    ResourceType(
        "ComputeQuota",
        "compute-quota",
        "ComputeQuotaArn",
        (),
        parents=(ParentLink("ClusterArn", "Cluster"),),
        enumeration=_list(
            "ListComputeQuotas",
            "ComputeQuotaSummaries",
            "ComputeQuotaArn",
            "DescribeComputeQuota",
            ("ComputeQuotaId",),
        ),
    ),
    ResourceType(
        "TrainingPlan",
        "training-plan",
        "TrainingPlanArn",
        ("TrainingPlanName",),
        enumeration=_list(
            "ListTrainingPlans",
            "TrainingPlanSummaries",
            "TrainingPlanArn",
            "DescribeTrainingPlan",
            ("TrainingPlanName",),
        ),
    ),
    # --- JumpStart private hubs -------------------------------------------------------
    ResourceType(
        "Hub",
        "hub",
        "HubArn",
        ("HubName",),
        enumeration=_list("ListHubs", "HubSummaries", "HubArn", "DescribeHub", ("HubName",)),
        # The SageMaker Python SDK builds hub ARNs from the name as given
        # (jumpstart/hub/utils.py, construct_hub_arn_from_name).
        arn_lowercases_name=False,
    ),
    ResourceType(
        "HubContentReference",
        "hub-content",
        "HubContentArn",
        # hub-content/<hub>/ModelReference/<name>/<version>: the version is made by
        # SageMaker and the name is optional (SageMaker Python SDK hub tests).
        (),
        parents=(ParentLink("HubName", "Hub"),),
        # ListHubContents requires a hub and a content type; Search spans all hubs.
        enumeration=SearchEnumeration("HubContent", "HubContent", "HubContentArn"),
        arn_lowercases_name=False,
    ),
    # --- Edge Manager -----------------------------------------------------------------
    ResourceType(
        "DeviceFleet",
        "device-fleet",
        None,  # CreateDeviceFleet returns an empty body
        ("DeviceFleetName",),
        role_fields=("RoleArn",),
        enumeration=_list(
            "ListDeviceFleets",
            "DeviceFleetSummaries",
            "DeviceFleetArn",
            "DescribeDeviceFleet",
            ("DeviceFleetName",),
        ),
    ),
    ResourceType(
        "EdgePackagingJob",
        "edge-packaging-job",
        None,  # CreateEdgePackagingJob returns an empty body
        ("EdgePackagingJobName",),
        role_fields=("RoleArn",),
        # ModelName here is a label for the packaged model, not a SageMaker model.
        parents=(ParentLink("CompilationJobName", "CompilationJob"),),
        enumeration=_list(
            "ListEdgePackagingJobs",
            "EdgePackagingJobSummaries",
            "EdgePackagingJobArn",
            "DescribeEdgePackagingJob",
            ("EdgePackagingJobName",),
        ),
    ),
    ResourceType(
        "EdgeDeploymentPlan",
        "edge-deployment",  # not "edge-deployment-plan" (botocore EdgeDeploymentPlanArn)
        "EdgeDeploymentPlanArn",
        ("EdgeDeploymentPlanName",),
        parents=(
            ParentLink("DeviceFleetName", "DeviceFleet"),
            ParentLink("ModelConfigs[].EdgePackagingJobName", "EdgePackagingJob"),
        ),
        enumeration=_list(
            "ListEdgeDeploymentPlans",
            "EdgeDeploymentPlanSummaries",
            "EdgeDeploymentPlanArn",
            "DescribeEdgeDeploymentPlan",
            ("EdgeDeploymentPlanName",),
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

# Calls that add or remove tags after creation; the enforcer re-checks a resource when
# one touches an enforced key (tag integrity).
TAG_CHANGE_EVENT_NAMES: tuple[str, ...] = ("AddTags", "DeleteTags")

# A trial component's trial is named only when it is associated, after creation:
# AssociateTrialComponent(TrialComponentName, TrialName) links child to parent.
ASSOCIATION_EVENT_NAMES: tuple[str, ...] = ("AssociateTrialComponent",)
