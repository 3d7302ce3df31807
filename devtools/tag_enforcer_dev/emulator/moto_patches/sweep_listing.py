"""The List calls and the Tagging API look-ups the sweep makes, answered as AWS does, on moto 5.2.5.

Why this exists: the sweep lists every registry type a page at a time and asks the
Resource Groups Tagging API for the tags of a page's ARNs in one call. moto lacks or
bends some of that (docs/emulator.md, "Known gaps"); product code
follows AWS, so the emulator is patched here, and only here.

* ListModels pages (MaxResults 1-100, NextToken) and returns summaries (ModelName,
  ModelArn, CreationTime), as botocore's SageMaker model describes; moto returns every
  model, whole, in one response.
* List calls moto does not implement at all answer an empty page, as an account
  without such resources does; moto answers HTTP 500, which clients retry for minutes.
* GetResources with ResourceARNList answers in one response: AWS forbids pagination
  parameters beside the ARN list (Resource Groups Tagging API reference), while moto
  pages it 50 at a time. SageMaker ARNs are looked up directly rather than by scanning
  every resource of every service, which keeps a 10,000-resource account quick.

`install()` is idempotent and must run before the first request (in-process server).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from botocore import xform_name
from moto.core.resource_tagging import TaggedResource
from moto.core.responses import ActionResult
from moto.resourcegroupstaggingapi.models import ResourceGroupsTaggingAPIBackend
from moto.sagemaker.exceptions import AWSValidationException, ValidationError
from moto.sagemaker.models import sagemaker_backends
from moto.sagemaker.responses import SageMakerResponse

from tag_enforcer.core import registry
from tag_enforcer.core.registry.schema import ListEnumeration

_INSTALLED_MARKER = "_tag_enforcer_sweep_listing_installed"
_MAX_RESULTS = 100  # ListModels MaxResults is 1-100 (botocore SageMaker model)
_DEFAULT_RESULTS = 10
_ORIGINAL: dict[str, Callable[..., Any]] = {}


def _page_bounds(response: SageMakerResponse) -> tuple[int, int]:
    max_results = response._get_int_param("MaxResults") or _DEFAULT_RESULTS
    if not 1 <= max_results <= _MAX_RESULTS:
        raise AWSValidationException(
            f"1 validation error detected: Value '{max_results}' at 'maxResults' failed to "
            f"satisfy constraint: Member must have value less than or equal to {_MAX_RESULTS}"
        )
    token = response._get_param("NextToken")
    try:
        start = int(token) if token else 0
    except ValueError:
        raise AWSValidationException("Invalid pagination token.") from None
    return start, start + max_results


def _list_models(self: SageMakerResponse) -> ActionResult:
    start, end = _page_bounds(self)
    models = list(self.sagemaker_backend.list_models())
    page: dict[str, Any] = {
        "Models": [
            {"ModelName": m.model_name, "ModelArn": m.arn, "CreationTime": m.creation_time}
            for m in models[start:end]
        ]
    }
    if end < len(models):
        page["NextToken"] = str(end)
    return ActionResult(page)


def _empty_list(result_key: str) -> Callable[[SageMakerResponse], ActionResult]:
    def answer(self: SageMakerResponse) -> ActionResult:
        _page_bounds(self)
        return ActionResult({result_key: []})

    return answer


def _sagemaker_resource(backend: ResourceGroupsTaggingAPIBackend, arn: str) -> Any | None:
    sagemaker = sagemaker_backends[backend.account_id][backend.region_name]
    try:
        return sagemaker._get_resource_from_arn(arn)
    except (ValidationError, ValueError, KeyError, AttributeError, IndexError):
        return None


def _tagged_by_arn(
    backend: ResourceGroupsTaggingAPIBackend, arns: list[str]
) -> Iterator[TaggedResource]:
    others = []
    for arn in dict.fromkeys(arns):
        if ":sagemaker:" not in arn:
            others.append(arn)
            continue
        resource = _sagemaker_resource(backend, arn)
        tags = (getattr(resource, "tags", None) or []) if resource is not None else []
        # GetResources never returns a never-tagged resource (API reference, GetResources).
        if tags:
            yield TaggedResource(
                arn=arn,
                tags={t["Key"]: t["Value"] for t in tags},
                resource_type=f"sagemaker:{arn.split(':', 5)[5].split('/', 1)[0]}",
            )
    if others:
        yield from _ORIGINAL["_get_resources_generator"](backend, resource_arn_list=others)


def _get_resources(
    self: ResourceGroupsTaggingAPIBackend,
    *,
    pagination_token: str | None = None,
    resources_per_page: int = 50,
    tags_per_page: int = 100,
    tag_filters: list[dict[str, Any]] | None = None,
    resource_type_filters: list[str] | None = None,
    resource_arn_list: list[str] | None = None,
) -> tuple[str | None, list[TaggedResource]]:
    if resource_arn_list:
        return None, list(_tagged_by_arn(self, resource_arn_list))
    result: tuple[str | None, list[TaggedResource]] = _ORIGINAL["get_resources"](
        self,
        pagination_token=pagination_token,
        resources_per_page=resources_per_page,
        tags_per_page=tags_per_page,
        tag_filters=tag_filters,
        resource_type_filters=resource_type_filters,
    )
    return result


def missing_list_operations() -> dict[str, str]:
    """Registry List operations moto 5.2.5 does not implement, with their result keys."""
    return {
        t.enumeration.operation: t.enumeration.result_key
        for t in registry.RESOURCE_TYPES
        if isinstance(t.enumeration, ListEnumeration)
        and not hasattr(SageMakerResponse, xform_name(t.enumeration.operation))
    }


def install() -> None:
    """Patch moto's SageMaker List responses and the Tagging API. Safe to call more than once."""
    if getattr(SageMakerResponse, _INSTALLED_MARKER, False):
        return
    for operation, result_key in missing_list_operations().items():
        setattr(SageMakerResponse, xform_name(operation), _empty_list(result_key))
    _ORIGINAL["list_models"] = SageMakerResponse.list_models
    SageMakerResponse.list_models = _list_models  # type: ignore[method-assign]
    _ORIGINAL["get_resources"] = ResourceGroupsTaggingAPIBackend.get_resources
    _ORIGINAL["_get_resources_generator"] = ResourceGroupsTaggingAPIBackend._get_resources_generator
    ResourceGroupsTaggingAPIBackend.get_resources = _get_resources  # type: ignore[method-assign,assignment]
    setattr(SageMakerResponse, _INSTALLED_MARKER, True)
