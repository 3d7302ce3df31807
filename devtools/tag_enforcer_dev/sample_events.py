"""Write one sample "AWS API Call via CloudTrail" event per registered create operation.

The samples are the "created outside Studio" case: a data scientist's SDK call with no
tags. `requestParameters` holds every member botocore marks required (checked against
its enums, patterns and lengths) plus the role and lineage fields the registry reads;
the values come from one finance scenario so names line up across samples (the model
an endpoint config names is the model CreateModel made). Output is deterministic:
fixed times, ids derived from the operation name.

    .venv/bin/python -m tag_enforcer_dev.sample_events [--output-dir events/create]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import uuid
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from botocore.model import OperationModel, ServiceModel, Shape, StructureShape
from botocore.session import get_session

from tag_enforcer.core import registry

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUTPUT_DIR = PROJECT_ROOT / "events" / "create"

ACCOUNT = "111122223333"
REGION = "us-east-1"
EVENT_TIME = "2026-11-29T10:15:02Z"
SESSION_START = "2026-11-29T09:58:41Z"
CALLER_ROLE_NAME = "FinanceDataScientistRole"
CALLER_ROLE_ID = "AROAYQZ3EXAMPLEFIN01"
SESSION_NAME = "maria.garcia"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/service-role/{CALLER_ROLE_NAME}"
BUCKET = f"finance-ml-{ACCOUNT}-{REGION}"
DOMAIN_ID = "d-8f3kq2lxw9ab"
CLUSTER_ID = "k3x9m2q7w1zd"
# SageMaker's own XGBoost and Model Monitor images in us-east-1 (SageMaker Developer
# Guide, "Docker Registry Paths and Example Code").
XGBOOST_IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"
MONITOR_IMAGE = "156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer"
CLARIFY_IMAGE = "205585389593.dkr.ecr.us-east-1.amazonaws.com/sagemaker-clarify-processing:1.0"
PUBLIC_LLAMA = (
    f"arn:aws:sagemaker:{REGION}:aws:hub-content/SageMakerPublicHub/Model/"
    "meta-textgeneration-llama-3-1-8b-instruct"
)
# CloudTrail's stand-in for members the service marks sensitive.
HIDDEN = "HIDDEN_DUE_TO_SECURITY_REASONS"
USER_AGENT = (
    "Boto3/1.44.5 md/Botocore#1.44.5 ua/2.1 os/linux#6.8.0 md/arch#x86_64 "
    "lang/python#3.13.1 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.44.5"
)
SOURCE_IP = "198.51.100.23"  # TEST-NET-2 (RFC 5737)


def _arn(resource: str) -> str:
    return f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:{resource}"


def _s3(path: str) -> str:
    return f"s3://{BUCKET}/{path}"


_MODEL_PACKAGE_ARN = _arn("model-package/churn-models/3")
_CLUSTER_ARN = _arn(f"cluster/{CLUSTER_ID}")
_WORKTEAM_ARN = _arn("workteam/private-crowd/finance-labelers")
_TRAINING_DEFINITION = {
    "AlgorithmSpecification": {"TrainingImage": XGBOOST_IMAGE, "TrainingInputMode": "File"},
    "RoleArn": ROLE_ARN,
    "OutputDataConfig": {"S3OutputPath": _s3("churn/hpo/output/")},
    "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 30},
    "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
}
_MONITORING_OUTPUT = {
    "MonitoringOutputs": [
        {
            "S3Output": {
                "S3Uri": _s3("churn/monitoring/reports/"),
                "LocalPath": "/opt/ml/processing/output",
            }
        }
    ]
}
_MONITORING_RESOURCES = {
    "ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.xlarge", "VolumeSizeInGB": 20}
}
_ENDPOINT_INPUT = {"EndpointName": "churn-xgb-endpoint", "LocalPath": "/opt/ml/processing/input"}
_GROUND_TRUTH = {"S3Uri": _s3("churn/monitoring/ground-truth/")}

# One finance-team scenario: the request each create call makes (PascalCase, as botocore
# names members; required members not given here are filled from botocore's model) and
# the response SageMaker gives. "Arn" is the resource part of the new resource's ARN.
SCENARIOS: dict[str, dict[str, Any]] = {
    # --- Studio ---
    "CreateDomain": {
        "request": {
            "DomainName": "finance-lob",
            "AuthMode": "IAM",
            "DefaultUserSettings": {"ExecutionRole": ROLE_ARN},
            "SubnetIds": ["subnet-0a1b2c3d4e5f60718"],
            "VpcId": "vpc-0f1e2d3c4b5a69788",
        },
        "response": {
            "Arn": f"domain/{DOMAIN_ID}",
            "DomainId": DOMAIN_ID,
            "Url": f"https://{DOMAIN_ID}.studio.{REGION}.sagemaker.aws",
        },
    },
    "CreateUserProfile": {
        "request": {
            "DomainId": DOMAIN_ID,
            "UserProfileName": "maria-garcia",
            "UserSettings": {"ExecutionRole": ROLE_ARN},
        },
        "response": {"Arn": f"user-profile/{DOMAIN_ID}/maria-garcia"},
    },
    "CreateSpace": {
        "request": {
            "DomainId": DOMAIN_ID,
            "SpaceName": "churn-analysis",
            "OwnershipSettings": {"OwnerUserProfileName": "maria-garcia"},
            "SpaceSharingSettings": {"SharingType": "Private"},
        },
        "response": {"Arn": f"space/{DOMAIN_ID}/churn-analysis"},
    },
    "CreateApp": {
        "request": {
            "DomainId": DOMAIN_ID,
            "SpaceName": "churn-analysis",
            "AppType": "JupyterLab",
            "AppName": "default",
        },
        # SageMaker lower-cases the app type in the ARN like the names.
        "response": {"Arn": f"app/{DOMAIN_ID}/churn-analysis/jupyterlab/default"},
    },
    "CreateAppImageConfig": {
        "request": {
            "AppImageConfigName": "finance-conda-py313",
            "JupyterLabAppImageConfig": {
                "ContainerConfig": {"ContainerEnvironmentVariables": {"TEAM": "finance"}}
            },
        },
        "response": {"Arn": "app-image-config/finance-conda-py313"},
    },
    "CreateStudioLifecycleConfig": {
        "request": {
            "StudioLifecycleConfigName": "finance-idle-shutdown",
            # base64 of "#!/bin/bash\nset -eu\n"
            "StudioLifecycleConfigContent": "IyEvYmluL2Jhc2gKc2V0IC1ldQo=",
            "StudioLifecycleConfigAppType": "JupyterLab",
        },
        "response": {"Arn": "studio-lifecycle-config/finance-idle-shutdown"},
    },
    "CreateImage": {
        "request": {"ImageName": "finance-xgboost-py313", "RoleArn": ROLE_ARN},
        "response": {"Arn": "image/finance-xgboost-py313"},
    },
    # --- Training, tuning, processing and batch inference ---
    "CreateTrainingJob": {
        "request": {
            # Mixed case on purpose: the ARN carries the name lower-cased.
            "TrainingJobName": "Churn-XGB-2026-11-29",
            "AlgorithmSpecification": {"TrainingImage": XGBOOST_IMAGE, "TrainingInputMode": "File"},
            "RoleArn": ROLE_ARN,
            "InputDataConfig": [
                {
                    "ChannelName": "train",
                    "DataSource": {
                        "S3DataSource": {
                            "S3DataType": "S3Prefix",
                            "S3Uri": _s3("churn/features/train/"),
                        }
                    },
                    "ContentType": "text/csv",
                }
            ],
            "OutputDataConfig": {"S3OutputPath": _s3("churn/models/")},
            "ResourceConfig": {
                "InstanceType": "ml.m5.xlarge",
                "InstanceCount": 1,
                "VolumeSizeInGB": 30,
            },
            "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
            "HyperParameters": {"max_depth": "5", "eta": "0.2", "num_round": "200"},
            "ExperimentConfig": {
                "ExperimentName": "churn-prediction",
                "TrialName": "churn-xgb-trial-1",
            },
        },
        "response": {"Arn": "training-job/churn-xgb-2026-11-29"},
    },
    "CreateProcessingJob": {
        "request": {
            "ProcessingJobName": "churn-features-2026-11-29",
            "ProcessingResources": {
                "ClusterConfig": {
                    "InstanceCount": 1,
                    "InstanceType": "ml.m5.xlarge",
                    "VolumeSizeInGB": 30,
                }
            },
            "AppSpecification": {
                "ImageUri": (
                    "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"
                ),
                "ContainerEntrypoint": ["python3", "/opt/ml/processing/code/features.py"],
            },
            "RoleArn": ROLE_ARN,
            "ExperimentConfig": {
                "ExperimentName": "churn-prediction",
                "TrialName": "churn-xgb-trial-1",
            },
        },
        "response": {"Arn": "processing-job/churn-features-2026-11-29"},
    },
    "CreateTransformJob": {
        "request": {
            "TransformJobName": "churn-batch-scoring-2026-11-29",
            "ModelName": "churn-xgb-model",
            "TransformInput": {
                "DataSource": {
                    "S3DataSource": {
                        "S3DataType": "S3Prefix",
                        "S3Uri": _s3("churn/scoring/input/"),
                    }
                },
                "ContentType": "text/csv",
            },
            "TransformOutput": {"S3OutputPath": _s3("churn/scoring/output/")},
            "TransformResources": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1},
        },
        "response": {"Arn": "transform-job/churn-batch-scoring-2026-11-29"},
    },
    "CreateHyperParameterTuningJob": {
        "request": {
            "HyperParameterTuningJobName": "churn-xgb-hpo-1129",
            "HyperParameterTuningJobConfig": {
                "Strategy": "Bayesian",
                "ResourceLimits": {"MaxNumberOfTrainingJobs": 20, "MaxParallelTrainingJobs": 2},
            },
            "TrainingJobDefinition": _TRAINING_DEFINITION,
        },
        "response": {"Arn": "hyper-parameter-tuning-job/churn-xgb-hpo-1129"},
    },
    "CreateAutoMLJob": {
        "request": {
            "AutoMLJobName": "churn-autopilot-1129",
            "InputDataConfig": [
                {
                    "DataSource": {
                        "S3DataSource": {
                            "S3DataType": "S3Prefix",
                            "S3Uri": _s3("churn/features/train/"),
                        }
                    },
                    "TargetAttributeName": "churned",
                }
            ],
            "OutputDataConfig": {"S3OutputPath": _s3("churn/autopilot/")},
            "RoleArn": ROLE_ARN,
        },
        "response": {"Arn": "automl-job/churn-autopilot-1129"},
    },
    "CreateAutoMLJobV2": {
        "request": {
            "AutoMLJobName": "churn-autopilot-v2-1129",
            "AutoMLJobInputDataConfig": [
                {
                    "ChannelType": "training",
                    "ContentType": "text/csv;header=present",
                    "DataSource": {
                        "S3DataSource": {
                            "S3DataType": "S3Prefix",
                            "S3Uri": _s3("churn/features/train/"),
                        }
                    },
                }
            ],
            "OutputDataConfig": {"S3OutputPath": _s3("churn/autopilot-v2/")},
            "AutoMLProblemTypeConfig": {"TabularJobConfig": {"TargetAttributeName": "churned"}},
            "RoleArn": ROLE_ARN,
        },
        "response": {"Arn": "automl-job/churn-autopilot-v2-1129"},
    },
    "CreateCompilationJob": {
        "request": {
            "CompilationJobName": "churn-xgb-neo-1129",
            "RoleArn": ROLE_ARN,
            "ModelPackageVersionArn": _MODEL_PACKAGE_ARN,
            "OutputConfig": {
                "S3OutputLocation": _s3("churn/compiled/"),
                "TargetDevice": "ml_c5",
            },
            "StoppingCondition": {"MaxRuntimeInSeconds": 900},
        },
        "response": {"Arn": "compilation-job/churn-xgb-neo-1129"},
    },
    "CreateOptimizationJob": {
        "request": {
            "OptimizationJobName": "summarizer-awq-1129",
            "RoleArn": ROLE_ARN,
            "ModelSource": {"SageMakerModel": {"ModelName": "support-summarizer"}},
            "DeploymentInstanceType": "ml.g5.12xlarge",
            "OptimizationConfigs": [
                {"ModelQuantizationConfig": {"OverrideEnvironment": {"OPTION_QUANTIZE": "awq"}}}
            ],
            "OutputConfig": {"S3OutputLocation": _s3("support/optimized/")},
            "StoppingCondition": {"MaxRuntimeInSeconds": 7200},
        },
        "response": {"Arn": "optimization-job/summarizer-awq-1129"},
    },
    "CreateJob": {
        "request": {
            "JobName": "support-agent-rft-2026-11-29",
            "RoleArn": ROLE_ARN,
            "JobCategory": "AgentRFT",
            "JobConfigSchemaVersion": "1.0.0",
            "JobConfigDocument": json.dumps(
                {"baseModel": PUBLIC_LLAMA, "trainingData": _s3("support/rft/prompts.jsonl")}
            ),
        },
        # The job category keeps its case in the ARN (see registry.py, "Job").
        "response": {"Arn": "job/AgentRFT/support-agent-rft-2026-11-29"},
    },
    "CreateTrainingSession": {
        "request": {
            "TrainingSessionName": "support-lora-1129",
            "LoraConfig": {"Rank": 16, "Alpha": 32},
            "RoleArn": ROLE_ARN,
            "ModelConfig": {"BaseModelArn": PUBLIC_LLAMA, "AcceptEula": True},
            "OutputConfig": {"S3Location": {"Path": _s3("support/lora/")}},
        },
        "response": {"Arn": "training-session/support-lora-1129"},
    },
    "CreateAlgorithm": {
        "request": {
            "AlgorithmName": "finance-churn-xgb",
            "TrainingSpecification": {
                "TrainingImage": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/finance-xgb:2.1",
                "SupportedTrainingInstanceTypes": ["ml.m5.xlarge"],
                "TrainingChannels": [
                    {
                        "Name": "train",
                        "SupportedContentTypes": ["text/csv"],
                        "SupportedInputModes": ["File"],
                    }
                ],
            },
        },
        "response": {"Arn": "algorithm/finance-churn-xgb"},
    },
    # --- Experiments and lineage ---
    "CreateExperiment": {
        "request": {"ExperimentName": "churn-prediction"},
        "response": {"Arn": "experiment/churn-prediction"},
    },
    "CreateTrial": {
        "request": {"TrialName": "churn-xgb-trial-1", "ExperimentName": "churn-prediction"},
        "response": {"Arn": "experiment-trial/churn-xgb-trial-1"},
    },
    "CreateTrialComponent": {
        "request": {"TrialComponentName": "churn-xgb-preprocess"},
        "response": {"Arn": "experiment-trial-component/churn-xgb-preprocess"},
    },
    "CreateAction": {
        "request": {
            "ActionName": "churn-model-approval",
            "Source": {"SourceUri": _MODEL_PACKAGE_ARN},
            "ActionType": "ModelApproval",
            "Status": "Completed",
        },
        "response": {"Arn": "action/churn-model-approval"},
    },
    "CreateArtifact": {
        "request": {
            "ArtifactName": "churn-training-data",
            "Source": {"SourceUri": _s3("churn/features/train/")},
            "ArtifactType": "DataSet",
        },
        # The ARN carries a hash of the source, not the name.
        "response": {
            "Arn": "artifact/"
            + hashlib.sha256(_s3("churn/features/train/").encode()).hexdigest()[:32]
        },
    },
    "CreateContext": {
        "request": {
            "ContextName": "churn-endpoint-context",
            "Source": {"SourceUri": _arn("endpoint/churn-xgb-endpoint")},
            "ContextType": "Endpoint",
        },
        "response": {"Arn": "context/churn-endpoint-context"},
    },
    # --- Pipelines and projects ---
    "CreatePipeline": {
        "request": {
            "PipelineName": "churn-training-pipeline",
            # The SDK sends a UUID; this one is fixed so the sample stays stable.
            "ClientRequestToken": "3f6d2a9e-8c41-4b7e-9a05-1d2c3b4a5e6f",
            "PipelineDefinitionS3Location": {
                "Bucket": BUCKET,
                "ObjectKey": "churn/pipelines/definition.json",
            },
            "RoleArn": ROLE_ARN,
        },
        "response": {"Arn": "pipeline/churn-training-pipeline"},
    },
    "CreateProject": {
        "request": {"ProjectName": "churn-mlops", "ProjectDescription": "Churn model MLOps"},
        "response": {"Arn": "project/churn-mlops", "ProjectId": "p-4tz7wq9kmx2d"},
    },
    # --- Models, registry and hosting ---
    "CreateModel": {
        "request": {
            "ModelName": "churn-xgb-model",
            "PrimaryContainer": {"ModelPackageName": _MODEL_PACKAGE_ARN},
            "ExecutionRoleArn": ROLE_ARN,
        },
        "response": {"Arn": "model/churn-xgb-model"},
    },
    "CreateEndpointConfig": {
        "request": {
            "EndpointConfigName": "churn-xgb-config",
            "ProductionVariants": [
                {
                    "VariantName": "AllTraffic",
                    "ModelName": "churn-xgb-model",
                    "InitialInstanceCount": 1,
                    "InstanceType": "ml.m5.large",
                }
            ],
        },
        "response": {"Arn": "endpoint-config/churn-xgb-config"},
    },
    "CreateEndpoint": {
        "request": {"EndpointName": "churn-xgb-endpoint", "EndpointConfigName": "churn-xgb-config"},
        "response": {"Arn": "endpoint/churn-xgb-endpoint"},
    },
    "CreateInferenceComponent": {
        "request": {
            "InferenceComponentName": "churn-xgb-ic",
            "EndpointName": "finance-shared-endpoint",
            "VariantName": "AllTraffic",
            "Specification": {
                "ModelName": "churn-xgb-model",
                "ComputeResourceRequirements": {
                    "NumberOfCpuCoresRequired": 1,
                    "MinMemoryRequiredInMb": 1024,
                },
            },
            "RuntimeConfig": {"CopyCount": 1},
        },
        "response": {"Arn": "inference-component/churn-xgb-ic"},
    },
    "CreateInferenceExperiment": {
        "request": {
            "Name": "churn-xgb-shadow-test",
            "Type": "ShadowMode",
            "RoleArn": ROLE_ARN,
            "EndpointName": "churn-xgb-endpoint",
            "ModelVariants": [
                {
                    "ModelName": "churn-xgb-model",
                    "VariantName": "production",
                    "InfrastructureConfig": {
                        "InfrastructureType": "RealTimeInference",
                        "RealTimeInferenceConfig": {
                            "InstanceType": "ml.m5.large",
                            "InstanceCount": 1,
                        },
                    },
                },
                {
                    "ModelName": "churn-xgb-model-v2",
                    "VariantName": "challenger",
                    "InfrastructureConfig": {
                        "InfrastructureType": "RealTimeInference",
                        "RealTimeInferenceConfig": {
                            "InstanceType": "ml.m5.large",
                            "InstanceCount": 1,
                        },
                    },
                },
            ],
            "ShadowModeConfig": {
                "SourceModelVariantName": "production",
                "ShadowModelVariants": [
                    {"ShadowModelVariantName": "challenger", "SamplingPercentage": 50}
                ],
            },
        },
        "response": {"Arn": "inference-experiment/churn-xgb-shadow-test"},
    },
    "CreateInferenceRouter": {
        "request": {
            "InferenceRouterName": "churn-router",
            "RoutingTargets": [
                {
                    "Name": "churn",
                    "Destinations": [{"ResourceArn": _arn("endpoint/churn-xgb-endpoint")}],
                }
            ],
        },
        "response": {"Arn": "inference-router/churn-router"},
    },
    "CreateInferenceRecommendationsJob": {
        "request": {
            "JobName": "churn-xgb-sizing-1129",
            "JobType": "Default",
            "RoleArn": ROLE_ARN,
            "InputConfig": {"ModelPackageVersionArn": _MODEL_PACKAGE_ARN},
        },
        "response": {"Arn": "inference-recommendations-job/churn-xgb-sizing-1129"},
    },
    "CreateModelPackageGroup": {
        "request": {
            "ModelPackageGroupName": "churn-models",
            "ModelPackageGroupDescription": "Customer churn classifiers",
        },
        "response": {"Arn": "model-package-group/churn-models"},
    },
    "CreateModelPackage": {
        "request": {
            "ModelPackageGroupName": "churn-models",
            "ModelApprovalStatus": "PendingManualApproval",
            "InferenceSpecification": {
                "Containers": [
                    {
                        "Image": XGBOOST_IMAGE,
                        "ModelDataUrl": _s3("churn/models/churn-xgb-2026-11-29/model.tar.gz"),
                    }
                ],
                "SupportedContentTypes": ["text/csv"],
                "SupportedResponseMIMETypes": ["text/csv"],
            },
        },
        # A versioned package: the version number is SageMaker's.
        "response": {"Arn": "model-package/churn-models/3"},
    },
    "CreateModelCard": {
        "request": {"ModelCardName": "churn-xgb-card", "ModelCardStatus": "Draft"},
        "response": {"Arn": "model-card/churn-xgb-card"},
    },
    # --- Generative AI workload benchmarking and recommendation ---
    "CreateAIWorkloadConfig": {
        "request": {"AIWorkloadConfigName": "support-chat-workload"},
        "response": {"Arn": "ai-workload-config/support-chat-workload"},
    },
    "CreateAIBenchmarkJob": {
        "request": {
            "AIBenchmarkJobName": "support-llm-bench-1129",
            "BenchmarkTarget": {"Endpoint": {"Identifier": "support-llm-endpoint"}},
            "OutputConfig": {"S3OutputLocation": _s3("support/benchmarks/")},
            "AIWorkloadConfigIdentifier": "support-chat-workload",
            "RoleArn": ROLE_ARN,
        },
        "response": {"Arn": "ai-benchmark-job/support-llm-bench-1129"},
    },
    "CreateAIRecommendationJob": {
        "request": {
            "AIRecommendationJobName": "support-llm-reco-1129",
            "ModelSource": {"S3": {"S3Uri": _s3("support/models/summarizer/")}},
            "OutputConfig": {"S3OutputLocation": _s3("support/recommendations/")},
            "AIWorkloadConfigIdentifier": "support-chat-workload",
            "PerformanceTarget": {"Constraints": [{"Metric": "ttft-ms"}]},
            "RoleArn": ROLE_ARN,
        },
        "response": {"Arn": "ai-recommendation-job/support-llm-reco-1129"},
    },
    # --- Model monitoring ---
    "CreateDataQualityJobDefinition": {
        "request": {
            "JobDefinitionName": "churn-xgb-data-quality",
            "DataQualityAppSpecification": {"ImageUri": MONITOR_IMAGE},
            "DataQualityJobInput": {"EndpointInput": _ENDPOINT_INPUT},
            "DataQualityJobOutputConfig": _MONITORING_OUTPUT,
            "JobResources": _MONITORING_RESOURCES,
            "RoleArn": ROLE_ARN,
        },
        "response": {"Arn": "data-quality-job-definition/churn-xgb-data-quality"},
    },
    "CreateModelBiasJobDefinition": {
        "request": {
            "JobDefinitionName": "churn-xgb-bias",
            "ModelBiasAppSpecification": {
                "ImageUri": CLARIFY_IMAGE,
                "ConfigUri": _s3("churn/monitoring/bias/analysis_config.json"),
            },
            "ModelBiasJobInput": {
                "EndpointInput": _ENDPOINT_INPUT,
                "GroundTruthS3Input": _GROUND_TRUTH,
            },
            "ModelBiasJobOutputConfig": _MONITORING_OUTPUT,
            "JobResources": _MONITORING_RESOURCES,
            "RoleArn": ROLE_ARN,
        },
        "response": {"Arn": "model-bias-job-definition/churn-xgb-bias"},
    },
    "CreateModelExplainabilityJobDefinition": {
        "request": {
            "JobDefinitionName": "churn-xgb-explainability",
            "ModelExplainabilityAppSpecification": {
                "ImageUri": CLARIFY_IMAGE,
                "ConfigUri": _s3("churn/monitoring/explainability/analysis_config.json"),
            },
            "ModelExplainabilityJobInput": {"EndpointInput": _ENDPOINT_INPUT},
            "ModelExplainabilityJobOutputConfig": _MONITORING_OUTPUT,
            "JobResources": _MONITORING_RESOURCES,
            "RoleArn": ROLE_ARN,
        },
        "response": {"Arn": "model-explainability-job-definition/churn-xgb-explainability"},
    },
    "CreateModelQualityJobDefinition": {
        "request": {
            "JobDefinitionName": "churn-xgb-quality",
            "ModelQualityAppSpecification": {
                "ImageUri": MONITOR_IMAGE,
                "ProblemType": "BinaryClassification",
            },
            "ModelQualityJobInput": {
                "EndpointInput": {**_ENDPOINT_INPUT, "InferenceAttribute": "prediction"},
                "GroundTruthS3Input": _GROUND_TRUTH,
            },
            "ModelQualityJobOutputConfig": _MONITORING_OUTPUT,
            "JobResources": _MONITORING_RESOURCES,
            "RoleArn": ROLE_ARN,
        },
        "response": {"Arn": "model-quality-job-definition/churn-xgb-quality"},
    },
    "CreateMonitoringSchedule": {
        "request": {
            "MonitoringScheduleName": "churn-xgb-data-quality-hourly",
            "MonitoringScheduleConfig": {
                "ScheduleConfig": {"ScheduleExpression": "cron(0 * ? * * *)"},
                "MonitoringJobDefinition": {
                    "MonitoringInputs": [{"EndpointInput": _ENDPOINT_INPUT}],
                    "MonitoringOutputConfig": _MONITORING_OUTPUT,
                    "MonitoringResources": _MONITORING_RESOURCES,
                    "MonitoringAppSpecification": {"ImageUri": MONITOR_IMAGE},
                    "RoleArn": ROLE_ARN,
                },
                "MonitoringType": "DataQuality",
            },
        },
        "response": {"Arn": "monitoring-schedule/churn-xgb-data-quality-hourly"},
    },
    # --- Feature Store ---
    "CreateFeatureGroup": {
        "request": {
            "FeatureGroupName": "customer-churn-features",
            "RecordIdentifierFeatureName": "customer_id",
            "EventTimeFeatureName": "event_time",
            "FeatureDefinitions": [
                {"FeatureName": "customer_id", "FeatureType": "String"},
                {"FeatureName": "event_time", "FeatureType": "String"},
                {"FeatureName": "tenure_months", "FeatureType": "Integral"},
            ],
            "OfflineStoreConfig": {
                "S3StorageConfig": {"S3Uri": _s3("feature-store/")},
            },
            "RoleArn": ROLE_ARN,
        },
        "response": {"Arn": "feature-group/customer-churn-features"},
    },
    # --- Labeling and human review ---
    "CreateLabelingJob": {
        "request": {
            "LabelingJobName": "invoice-classification-1129",
            "LabelAttributeName": "invoice-category",
            "InputConfig": {
                "DataSource": {
                    "S3DataSource": {"ManifestS3Uri": _s3("invoices/labeling/input.manifest")}
                }
            },
            "OutputConfig": {"S3OutputPath": _s3("invoices/labeling/output/")},
            "RoleArn": ROLE_ARN,
            "HumanTaskConfig": {
                "WorkteamArn": _WORKTEAM_ARN,
                "UiConfig": {"HumanTaskUiArn": _arn("human-task-ui/invoice-review-ui")},
                "PreHumanTaskLambdaArn": (
                    "arn:aws:lambda:us-east-1:432418664414:function:PRE-TextMultiClass"
                ),
                "TaskTitle": "Classify invoices",
                "TaskDescription": "Pick the category that fits each invoice",
                "NumberOfHumanWorkersPerDataObject": 1,
                "TaskTimeLimitInSeconds": 600,
                "AnnotationConsolidationConfig": {
                    "AnnotationConsolidationLambdaArn": (
                        "arn:aws:lambda:us-east-1:432418664414:function:ACS-TextMultiClass"
                    )
                },
            },
        },
        "response": {"Arn": "labeling-job/invoice-classification-1129"},
    },
    "CreateFlowDefinition": {
        "request": {
            "FlowDefinitionName": "invoice-review-flow",
            "HumanLoopConfig": {
                "WorkteamArn": _WORKTEAM_ARN,
                "HumanTaskUiArn": _arn("human-task-ui/invoice-review-ui"),
                "TaskTitle": "Review low-confidence invoices",
                "TaskDescription": "Check the extracted totals",
                "TaskCount": 1,
            },
            "OutputConfig": {"S3OutputPath": _s3("invoices/reviews/")},
            "RoleArn": ROLE_ARN,
        },
        "response": {"Arn": "flow-definition/invoice-review-flow"},
    },
    "CreateHumanTaskUi": {
        "request": {
            "HumanTaskUiName": "invoice-review-ui",
            "UiTemplate": {
                "Content": (
                    '<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>'
                    '<crowd-form><crowd-classifier name="category" categories="{{ task.input'
                    '.labels | to_json }}" header="Invoice category"></crowd-classifier>'
                    "</crowd-form>"
                )
            },
        },
        "response": {"Arn": "human-task-ui/invoice-review-ui"},
    },
    "CreateWorkforce": {
        "request": {
            "WorkforceName": "finance-private-workforce",
            "CognitoConfig": {
                "UserPool": "us-east-1_Fin4nceP0",
                "ClientId": "6fj3k2l1m0n9o8p7q6r5s4t3u2",
            },
        },
        "response": {"Arn": "workforce/finance-private-workforce"},
    },
    "CreateWorkteam": {
        "request": {
            "WorkteamName": "finance-labelers",
            "MemberDefinitions": [
                {
                    "CognitoMemberDefinition": {
                        "UserPool": "us-east-1_Fin4nceP0",
                        "UserGroup": "finance-labelers",
                        "ClientId": "6fj3k2l1m0n9o8p7q6r5s4t3u2",
                    }
                }
            ],
            "Description": "Finance back-office labelers",
        },
        "response": {"Arn": "workteam/private-crowd/finance-labelers"},
    },
    # --- Notebook instances ---
    "CreateNotebookInstance": {
        "request": {
            "NotebookInstanceName": "finance-legacy-notebook",
            "InstanceType": "ml.t3.medium",
            "RoleArn": ROLE_ARN,
            "LifecycleConfigName": "finance-idle-stop",
        },
        "response": {"Arn": "notebook-instance/finance-legacy-notebook"},
    },
    "CreateNotebookInstanceLifecycleConfig": {
        "request": {
            "NotebookInstanceLifecycleConfigName": "finance-idle-stop",
            # base64 of "#!/bin/bash\nset -eu\n"
            "OnStart": [{"Content": "IyEvYmluL2Jhc2gKc2V0IC1ldQo="}],
        },
        "response": {"Arn": "notebook-instance-lifecycle-config/finance-idle-stop"},
    },
    "CreateCodeRepository": {
        "request": {
            "CodeRepositoryName": "finance-churn-models",
            "GitConfig": {
                "RepositoryUrl": "https://github.com/example-finance/churn-models.git",
                "Branch": "main",
            },
        },
        "response": {"Arn": "code-repository/finance-churn-models"},
    },
    # --- MLflow and partner AI apps ---
    "CreateMlflowTrackingServer": {
        "request": {
            "TrackingServerName": "finance-mlflow",
            "ArtifactStoreUri": _s3("mlflow/"),
            "RoleArn": ROLE_ARN,
            "TrackingServerSize": "Small",
        },
        "response": {"Arn": "mlflow-tracking-server/finance-mlflow"},
    },
    "CreateMlflowApp": {
        "request": {
            "Name": "finance-mlflow-app",
            "ArtifactStoreUri": _s3("mlflow-app/"),
            "RoleArn": ROLE_ARN,
        },
        "response": {"Arn": "mlflow-app/app-Q7M2K9X4TBWD"},
    },
    "CreatePartnerApp": {
        "request": {
            "Name": "financecomet",
            "Type": "comet",
            "ExecutionRoleArn": ROLE_ARN,
            "Tier": "small",
            "AuthType": "IAM",
        },
        "response": {"Arn": "partner-app/app-3HZQ8N2V6PLK"},
    },
    # --- HyperPod ---
    "CreateCluster": {
        "request": {
            "ClusterName": "finance-llm-cluster",
            "InstanceGroups": [
                {
                    "InstanceCount": 2,
                    "InstanceGroupName": "workers",
                    "InstanceType": "ml.g5.12xlarge",
                    "LifeCycleConfig": {
                        "SourceS3Uri": _s3("hyperpod/lifecycle/"),
                        "OnCreate": "on_create.sh",
                    },
                    "ExecutionRole": ROLE_ARN,
                }
            ],
        },
        "response": {"Arn": f"cluster/{CLUSTER_ID}"},
    },
    "CreateClusterExtension": {
        "request": {"ClusterArn": _CLUSTER_ARN, "ExtensionName": "sagemaker-observability"},
        "response": {"Arn": f"extension/sagemaker-observability/{CLUSTER_ID}/a7c2e9f41b"},
    },
    "CreateGlobalInferenceGateway": {
        "request": {
            "Name": "churn-global-gateway",
            "ExecutionRoleArn": ROLE_ARN,
            "Gateways": [
                {"Name": "churn-gateway", "Namespace": "inference", "ClusterArn": _CLUSTER_ARN}
            ],
        },
        "response": {
            "Arn": "global-inference-gateway/g5k2m8q1w4zt",
            "Id": "g5k2m8q1w4zt",
            "Name": "churn-global-gateway",
            "Status": "CREATING",
            "ExecutionRoleArn": ROLE_ARN,
        },
    },
    "CreateClusterSchedulerConfig": {
        "request": {
            "Name": "finance-scheduler",
            "ClusterArn": _CLUSTER_ARN,
            "SchedulerConfig": {"PriorityClasses": [{"Name": "inference", "Weight": 90}]},
        },
        "response": {
            "Arn": "cluster-scheduler-config/p4n8r2t6v0xb",
            "ClusterSchedulerConfigId": "p4n8r2t6v0xb",
        },
    },
    "CreateComputeQuota": {
        "request": {
            "Name": "finance-team-quota",
            "ClusterArn": _CLUSTER_ARN,
            "ComputeQuotaConfig": {
                "ComputeQuotaResources": [{"InstanceType": "ml.g5.12xlarge", "Count": 2}]
            },
            "ComputeQuotaTarget": {"TeamName": "finance"},
        },
        "response": {"Arn": "compute-quota/h5j9l3n7q1sd", "ComputeQuotaId": "h5j9l3n7q1sd"},
    },
    "CreateTrainingPlan": {
        "request": {
            "TrainingPlanName": "finance-p5-december",
            "TrainingPlanOfferingId": "tpo-0f3c8a1b2d4e5f607",
        },
        "response": {"Arn": "training-plan/finance-p5-december"},
    },
    # --- JumpStart private hubs ---
    "CreateHub": {
        "request": {"HubName": "finance-private-hub", "HubDescription": "Approved models"},
        "response": {"Arn": "hub/finance-private-hub"},
    },
    "CreateHubContentReference": {
        "request": {
            "HubName": "finance-private-hub",
            "SageMakerPublicHubContentArn": PUBLIC_LLAMA,
        },
        "response": {
            "HubArn": _arn("hub/finance-private-hub"),
            "Arn": (
                "hub-content/finance-private-hub/ModelReference/"
                "meta-textgeneration-llama-3-1-8b-instruct/1.0.0"
            ),
        },
    },
    # --- Edge Manager ---
    "CreateDeviceFleet": {
        "request": {
            "DeviceFleetName": "branch-atm-fleet",
            "RoleArn": ROLE_ARN,
            "OutputConfig": {"S3OutputLocation": _s3("edge/fleet-data/")},
        },
        "response": {"Arn": "device-fleet/branch-atm-fleet"},  # not in the (empty) response
    },
    "CreateEdgePackagingJob": {
        "request": {
            "EdgePackagingJobName": "atm-fraud-edge-pkg-1129",
            "CompilationJobName": "atm-fraud-neo-1129",
            "ModelName": "atm-fraud",
            "ModelVersion": "1.0",
            "RoleArn": ROLE_ARN,
            "OutputConfig": {"S3OutputLocation": _s3("edge/packages/")},
        },
        "response": {"Arn": "edge-packaging-job/atm-fraud-edge-pkg-1129"},
    },
    "CreateEdgeDeploymentPlan": {
        "request": {
            "EdgeDeploymentPlanName": "atm-fraud-rollout",
            "ModelConfigs": [
                {"ModelHandle": "atm-fraud", "EdgePackagingJobName": "atm-fraud-edge-pkg-1129"}
            ],
            "DeviceFleetName": "branch-atm-fleet",
        },
        "response": {"Arn": "edge-deployment/atm-fraud-rollout"},
    },
}

# botocore shapes whose pattern no real value can match, by shape name, with why.
_UNMATCHABLE_PATTERNS: dict[str, str] = {
    "EdgeDeploymentPlanArn": "its region part is [a-z\\-]*, which no region with digits fits",
}


class SampleValueError(ValueError):
    """A sample value botocore would reject, or a required member the scenario lacks."""


@cache
def sagemaker_model() -> ServiceModel:
    return get_session().get_service_model("sagemaker")


def camel(member: str) -> str:
    """CloudTrail's spelling of a member: the first character lower-cased."""
    return member[:1].lower() + member[1:]


def _check_scalar(value: Any, shape: Shape, where: str) -> Any:
    enum = getattr(shape, "enum", None)
    if enum and value not in enum:
        raise SampleValueError(f"{where}: {value!r} is not one of {enum}")
    if shape.type_name == "string" and value != HIDDEN:
        low, high = shape.metadata.get("min", 0), shape.metadata.get("max", 1 << 20)
        if not low <= len(value) <= high:
            raise SampleValueError(f"{where}: length of {value!r} is outside {low}..{high}")
        pattern = shape.metadata.get("pattern")
        if pattern and shape.name not in _UNMATCHABLE_PATTERNS:
            try:
                compiled = re.compile(pattern)
            except re.error:  # a Java-only construct; the length check still ran
                compiled = None
            if compiled is not None and compiled.fullmatch(value) is None:
                raise SampleValueError(f"{where}: {value!r} does not match {pattern!r}")
    if shape.type_name in ("integer", "long"):
        low, high = shape.metadata.get("min", 0), shape.metadata.get("max", 1 << 62)
        if not low <= value <= high:
            raise SampleValueError(f"{where}: {value} is outside {low}..{high}")
    return value


def _default_scalar(member: str, shape: Shape, where: str, slug: str) -> Any:
    """A value for a required leaf the scenario leaves out; only the obvious kinds."""
    if shape.metadata.get("sensitive"):
        return HIDDEN
    pattern = shape.metadata.get("pattern", "")
    if shape.type_name == "string" and ":iam::" in pattern and "role" in pattern:
        return ROLE_ARN
    if shape.type_name == "string" and pattern.startswith("(https|s3)://"):
        return _s3(f"{slug}/{re.sub(r'(?<!^)(?=[A-Z])', '-', member).lower()}/")
    raise SampleValueError(f"{where}: required, but the scenario gives no value")


def build(shape: Shape, given: Any, where: str, slug: str, member: str = "") -> Any:
    """CloudTrail's camelCase rendering of `given`, with every required member filled."""
    if shape.type_name == "structure":
        assert isinstance(shape, StructureShape)
        given = given or {}
        unknown = set(given) - set(shape.members)
        if unknown:
            raise SampleValueError(f"{where}: {shape.name} has no member {sorted(unknown)}")
        wanted = set(given) | set(shape.required_members)
        if shape.metadata.get("union") and not given:
            wanted = {next(iter(shape.members))}
        return {
            camel(name): build(member_shape, given.get(name), f"{where}.{name}", slug, member=name)
            for name, member_shape in shape.members.items()
            if name in wanted and name != "Tags"
        }
    if shape.type_name == "list":
        items = given if given is not None else [None]
        return [
            build(shape.member, item, f"{where}[{index}]", slug, member=member)
            for index, item in enumerate(items)
        ]
    if shape.type_name == "map":
        return dict(given or {})  # map keys are data, not member names: kept as given
    value = given if given is not None else _default_scalar(member, shape, where, slug)
    if shape.metadata.get("sensitive"):
        value = HIDDEN
    return _check_scalar(value, shape, where)


def _uuid(operation: str, purpose: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"sample-event/{operation}/{purpose}"))


def _response(operation: OperationModel, scenario: Mapping[str, Any], arn_field: str | None) -> Any:
    output = operation.output_shape
    if output is None or not output.members:
        return None  # CloudTrail writes null for an empty response body
    given = {key: value for key, value in scenario.items() if key != "Arn"}
    if arn_field is not None:
        given[arn_field] = _arn(scenario["Arn"])
    return build(output, given, f"{operation.name} response", slug="")


def build_event(create_operation: str) -> dict[str, Any]:
    """The EventBridge event for one create call, as the samples hold it."""
    resource_type = registry.for_create_event(create_operation)
    if resource_type is None:
        raise SampleValueError(f"{create_operation} is not a registered create operation")
    scenario = SCENARIOS[create_operation]
    operation = sagemaker_model().operation_model(create_operation)
    slug = re.sub(r"(?<!^)(?=[A-Z])", "-", resource_type.name).lower()
    request = build(operation.input_shape, scenario["request"], create_operation, slug)
    response = _response(operation, scenario["response"], resource_type.arn_response_field)
    return {
        "version": "0",
        "id": _uuid(create_operation, "eventbridge"),
        "detail-type": "AWS API Call via CloudTrail",
        "source": "aws.sagemaker",
        "account": ACCOUNT,
        "time": EVENT_TIME,
        "region": REGION,
        "resources": [],
        "detail": {
            "eventVersion": "1.09",
            "userIdentity": {
                "type": "AssumedRole",
                "principalId": f"{CALLER_ROLE_ID}:{SESSION_NAME}",
                "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{CALLER_ROLE_NAME}/{SESSION_NAME}",
                "accountId": ACCOUNT,
                "accessKeyId": "ASIAYQZ3EXAMPLEKEY01",
                "sessionContext": {
                    "sessionIssuer": {
                        "type": "Role",
                        "principalId": CALLER_ROLE_ID,
                        "arn": ROLE_ARN,
                        "accountId": ACCOUNT,
                        "userName": CALLER_ROLE_NAME,
                    },
                    "attributes": {
                        "creationDate": SESSION_START,
                        "mfaAuthenticated": "false",
                    },
                },
            },
            "eventTime": EVENT_TIME,
            "eventSource": "sagemaker.amazonaws.com",
            "eventName": create_operation,
            "awsRegion": REGION,
            "sourceIPAddress": SOURCE_IP,
            "userAgent": USER_AGENT,
            "requestParameters": request,
            "responseElements": response,
            "requestID": _uuid(create_operation, "request"),
            "eventID": _uuid(create_operation, "cloudtrail"),
            "readOnly": False,
            "eventType": "AwsApiCall",
            "managementEvent": True,
            "recipientAccountId": ACCOUNT,
            "eventCategory": "Management",
        },
    }


def render(event: Mapping[str, Any]) -> str:
    return json.dumps(event, indent=2, ensure_ascii=False) + "\n"


def write_samples(output_dir: Path = DEFAULT_OUTPUT_DIR) -> list[Path]:
    """Write every sample; files of create operations no longer registered are removed."""
    output_dir.mkdir(parents=True, exist_ok=True)
    wanted = registry.create_event_names()
    missing = sorted(set(wanted) - set(SCENARIOS))
    if missing:
        raise SampleValueError(f"add a scenario to SCENARIOS for: {', '.join(missing)}")
    for stale in output_dir.glob("*.json"):
        if stale.stem not in wanted:
            stale.unlink()
    written = []
    for create_operation in wanted:
        path = output_dir / f"{create_operation}.json"
        path.write_text(render(build_event(create_operation)))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", type=Path, default=DEFAULT_OUTPUT_DIR)
    arguments = parser.parse_args(argv)
    written = write_samples(arguments.output_dir)
    print(f"wrote {len(written)} sample events to {arguments.output_dir}")


if __name__ == "__main__":
    main()
