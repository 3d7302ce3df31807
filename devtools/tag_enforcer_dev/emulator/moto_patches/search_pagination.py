"""SageMaker Search as AWS answers it, patched into moto 5.2.5 for the sweep.

Why this exists: the sweep reads Search 100 records a page with NextToken, for every
resource the registry enumerates with Search. moto's Search has no pagination,
ignores MaxResults, and rejects several resources AWS accepts (docs/emulator.md,
"Known gaps"). Product code follows AWS; this module bends moto to it.

* MaxResults 1-100 and NextToken, as in botocore's SageMaker model (Search).
* HyperParameterTuningJob and ModelCard records come from moto's own stores, with the
  members the sweep reads (ARN, name, role, tags); Job and HubContent, which moto
  does not model at all, answer an empty page, as an account without them would.
* Records keep moto's content otherwise; Tags filters are not touched.

`install()` is idempotent and must run before the first request (in-process server).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.core.responses import ActionResult
from moto.sagemaker.exceptions import AWSValidationException
from moto.sagemaker.models import SageMakerModelBackend
from moto.sagemaker.responses import SageMakerResponse

from tag_enforcer.core import registry
from tag_enforcer.core.registry.schema import SearchEnumeration

_INSTALLED_MARKER = "_tag_enforcer_search_pagination_installed"
# Search MaxResults is 1-100 (botocore SageMaker model); AWS documents no default, and a
# small one makes a caller that forgets MaxResults page like one that sets it low.
_MAX_RESULTS = 100
_DEFAULT_RESULTS = 10
_ORIGINAL: dict[str, Callable[..., Any]] = {}


def _tags(resource: Any) -> list[dict[str, str]]:
    return list(getattr(resource, "tags", None) or [])


def _tuning_jobs(backend: SageMakerModelBackend) -> list[dict[str, Any]]:
    return [
        {
            "HyperParameterTuningJobName": job.hyper_parameter_tuning_job_name,
            "HyperParameterTuningJobArn": job.arn,
            "TrainingJobDefinition": job.training_job_definition,
            "TrainingJobDefinitions": job.training_job_definitions,
            "Tags": _tags(job),
        }
        for job in backend.hyper_parameter_tuning_jobs.values()
    ]


def _model_cards(backend: SageMakerModelBackend) -> list[dict[str, Any]]:
    records = []
    for versions in backend.model_cards.values():
        if versions:
            latest = versions[-1]
            records.append(
                {
                    "ModelCardName": latest.model_card_name,
                    "ModelCardArn": latest.arn,
                    "ModelCardVersion": latest.model_card_version,
                    "Tags": _tags(latest),
                }
            )
    return records


_MOTO_LACKS: dict[str, Callable[[SageMakerModelBackend], list[dict[str, Any]]]] = {
    "HyperParameterTuningJob": _tuning_jobs,
    "ModelCard": _model_cards,
    "Job": lambda _: [],
    "HubContent": lambda _: [],
}
_RECORD_KEYS = {
    t.enumeration.search_resource: t.enumeration.record_key
    for t in registry.RESOURCE_TYPES
    if isinstance(t.enumeration, SearchEnumeration)
}


def _search(self: SageMakerResponse) -> ActionResult:
    resource = self._get_param("Resource")
    max_results = self._get_int_param("MaxResults") or _DEFAULT_RESULTS
    if not 1 <= max_results <= _MAX_RESULTS:
        raise AWSValidationException(
            f"1 validation error detected: Value '{max_results}' at 'maxResults' failed to "
            f"satisfy constraint: Member must have value less than or equal to {_MAX_RESULTS}"
        )
    token = self._get_param("NextToken")
    try:
        start = int(token) if token else 0
    except ValueError:
        raise AWSValidationException("Invalid pagination token.") from None
    if resource in _MOTO_LACKS:
        results = [
            {_RECORD_KEYS[resource]: record}
            for record in _MOTO_LACKS[resource](self.sagemaker_backend)
        ]
    else:
        results = self.sagemaker_backend.search(
            resource=resource, search_expression=self._get_param("SearchExpression")
        )["Results"]
    end = start + max_results
    page: dict[str, Any] = {"Results": results[start:end]}
    if end < len(results):
        page["NextToken"] = str(end)
    return ActionResult(page)


def install() -> None:
    """Patch moto's Search response. Safe to call more than once."""
    if getattr(SageMakerResponse, _INSTALLED_MARKER, False):
        return
    _ORIGINAL["search"] = SageMakerResponse.search
    SageMakerResponse.search = _search  # type: ignore[method-assign]
    setattr(SageMakerResponse, _INSTALLED_MARKER, True)
