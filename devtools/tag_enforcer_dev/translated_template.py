"""template.yaml as the SAM translator expands it, offline: what CloudFormation would receive.

Tests and scanners read the translated template because the roles, the event source
mapping and the schedule SAM generates only exist there. No AWS call is made: code
locations are replaced by the S3 URIs `sam package` would leave, and the managed
policy loader answers from nothing (the template names no managed policy by name).
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

from samtranslator.translator.transform import transform

from tag_enforcer_dev.template_file import TEMPLATE_PATH, load_template

# Any region works: the translator only reads it for pseudo parameters it resolves early.
TRANSLATION_REGION = "us-east-1"


class _NoManagedPolicies:
    """The translator asks IAM for managed policy ARNs only when a template names one."""

    def load(self) -> dict[str, str]:
        return {}


def translate(template: dict[str, Any]) -> dict[str, Any]:
    """The CloudFormation template SAM makes of `template` (left unchanged)."""
    packaged = copy.deepcopy(template)
    for resource in packaged["Resources"].values():
        properties = resource.get("Properties", {})
        for key in ("CodeUri", "ContentUri"):
            if key in properties:
                properties[key] = "s3://bucket/key.zip"
    previous = os.environ.get("AWS_DEFAULT_REGION")
    os.environ["AWS_DEFAULT_REGION"] = previous or TRANSLATION_REGION
    try:
        translated: dict[str, Any] = transform(packaged, {}, _NoManagedPolicies())
    finally:
        if previous is None:
            del os.environ["AWS_DEFAULT_REGION"]
    # Plain JSON types only, as CloudFormation would read the file back.
    plain: dict[str, Any] = json.loads(json.dumps(translated))
    return plain


def translated_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    return translate(load_template(path))
