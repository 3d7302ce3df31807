"""An operation the loaded botocore lacks is an error that says so, never an AttributeError."""

from __future__ import annotations

import pytest

from tag_enforcer.aws.sagemaker_catalog import SageMakerCatalogApi
from tag_enforcer.core.errors import OperationUnavailableError, PermanentAwsError


class _OldClient:
    """A SageMaker client from a botocore that predates ListAIBenchmarkJobs."""

    def list_models(self, **_: object) -> dict[str, object]:
        return {"Models": []}


def test_an_operation_missing_from_botocore_is_unavailable_and_permanent() -> None:
    catalog = SageMakerCatalogApi(_OldClient())
    with pytest.raises(
        OperationUnavailableError, match="ListAIBenchmarkJobs is not in the loaded botocore"
    ):
        catalog.list_page("ListAIBenchmarkJobs", "AIBenchmarkJobs", {}, None, 100)
    with pytest.raises(PermanentAwsError):
        catalog.list_page("ListAIBenchmarkJobs", "AIBenchmarkJobs", {}, None, 100)
    assert catalog.list_page("ListModels", "Models", {}, None, 100) == ([], None)
