"""Console addresses an operator can open from an alert or a report: the event, the resource.

Console hosts differ by partition. The `aws` partition's regional host and the
CloudTrail event page are the ones the project was asked to link
(`https://<region>.console.aws.amazon.com/cloudtrailv2/home?region=<region>#/events/<id>`).
AWS GovCloud (US) has one console host, console.amazonaws-us-gov.com, and the China
regions console.amazonaws.cn (AWS GovCloud (US) User Guide, "Signing in"; "Getting
Started with AWS in China"); the same page paths are used there, which this project
could not try. The isolated partitions (aws-iso*) have no public console: no link.
"""

from __future__ import annotations

from urllib.parse import quote

from tag_enforcer.core.arns import Arn, InvalidArnError

_SHARED_HOSTS = {
    "aws-us-gov": "console.amazonaws-us-gov.com",
    "aws-cn": "console.amazonaws.cn",
}

# SageMaker console pages that take the resource's name in their address (the console's
# own hash routes, read from the console; not an API contract, so only these few).
# Other types are reached through Studio or by pages that are not addressable by name:
# no link is better than a wrong one.
SAGEMAKER_CONSOLE_PAGES = {
    "TrainingJob": "jobs",
    "ProcessingJob": "processing-jobs",
    "TransformJob": "transform-jobs",
    "HyperParameterTuningJob": "hyper-tuning-jobs",
    "Model": "models",
    "EndpointConfig": "endpointConfig",
    "Endpoint": "endpoints",
    "NotebookInstance": "notebook-instances",
}
NO_CONSOLE_PAGE = (
    "no SageMaker console page is addressed by this type's name; open it from "
    "SageMaker Studio or the console's list of this type"
)


def console_host(partition: str, region: str) -> str | None:
    """The console host for a region, or None where there is no public console."""
    if partition == "aws":
        return f"{region}.console.aws.amazon.com"
    return _SHARED_HOSTS.get(partition)


def cloudtrail_event_url(partition: str, region: str, event_id: str) -> str | None:
    """The CloudTrail Event history page of one event, or None without a console or an id.

    >>> cloudtrail_event_url("aws", "eu-west-1", "54149ad1-2f0e")
    'https://eu-west-1.console.aws.amazon.com/cloudtrailv2/home?region=eu-west-1#/events/54149ad1-2f0e'
    """
    host = console_host(partition, region)
    if host is None or not event_id:
        return None
    event = quote(event_id, safe="")
    return f"https://{host}/cloudtrailv2/home?region={quote(region)}#/events/{event}"


def sagemaker_console_url(resource_type: str, resource_arn: str) -> str | None:
    """The SageMaker console page of a resource, where one is addressed by its name.

    >>> prefix = "arn:aws:sagemaker:us-east-1:111122223333"
    >>> sagemaker_console_url("TrainingJob", f"{prefix}:training-job/churn")
    'https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/jobs/churn'
    >>> sagemaker_console_url("Trial", f"{prefix}:experiment-trial/t") is None
    True
    """
    page = SAGEMAKER_CONSOLE_PAGES.get(resource_type)
    try:
        arn = Arn.parse(resource_arn)
    except InvalidArnError:
        return None
    host = console_host(arn.partition, arn.region)
    if page is None or host is None or len(arn.resource_path) != 1:
        return None
    name = quote(arn.resource_path[0], safe="")
    return f"https://{host}/sagemaker/home?region={quote(arn.region)}#/{page}/{name}"
