"""Composition root of `tag-enforcer explain`: one inspector over real clients, listings included.

The enforce path builds its own inspector (Describe only, `wiring.enforce`); an
operator's explain may also look through a type's pages for types without a Describe.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tag_enforcer.aws.clients import client
from tag_enforcer.aws.sagemaker_catalog import SageMakerCatalogApi
from tag_enforcer.aws.sagemaker_directory import read_directory
from tag_enforcer.aws.sagemaker_tags import SageMakerTags
from tag_enforcer.aws.tagging_api import ResourceGroupsTagging
from tag_enforcer.core.admin_rules import AdminRules, load_admin_rules
from tag_enforcer.core.arns import Arn
from tag_enforcer.core.directory import DomainDirectory
from tag_enforcer.enforce.inspection import ResourceInspector
from tag_enforcer.sweep.enumeration import page_finder


def build_resource_inspector(
    arn: Arn,
    client_factory: Callable[[str, str], Any] = client,
    rules: AdminRules | None = None,
) -> ResourceInspector:
    """An inspector for resources in the ARN's account and region."""
    sagemaker = client_factory("sagemaker", arn.region)
    catalog = SageMakerCatalogApi(sagemaker)
    tagging = ResourceGroupsTagging(client_factory("resourcegroupstaggingapi", arn.region))

    loaded: list[DomainDirectory] = []

    def load_directory() -> DomainDirectory:
        # Read once per inspector: an operator's explain of many ARNs reads it once.
        if not loaded:
            loaded.append(read_directory(sagemaker, arn.partition, arn.region, arn.account, 0.0))
        return loaded[0]

    return ResourceInspector(
        catalog,
        SageMakerTags(sagemaker),
        load_directory,
        load_admin_rules() if rules is None else rules,
        find_in_pages=page_finder(catalog, tagging),
    )
