"""boto3 clients configured once: adaptive retries, and one client per service and region."""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from botocore.config import Config

# Adaptive mode adds client-side rate limiting on top of exponential backoff, which
# is what SageMaker's per-account API throttling calls for (botocore, "Retries").
RETRY_CONFIG = Config(
    retries={"mode": "adaptive", "max_attempts": 10},
    user_agent_extra="sagemaker-domain-tag-enforcer",
    connect_timeout=5,
    read_timeout=20,
)


@cache
def client(service_name: str, region: str) -> Any:
    return boto3.session.Session().client(service_name, region_name=region, config=RETRY_CONFIG)
