"""Clients that act through a role in another account: the member role, or the Organizations
read role, assumed with STS and kept while warm.

One set of credentials per role, shared by every region and service that uses it, built
on botocore's own `DeferredRefreshableCredentials`: the first call assumes the role, and
botocore assumes it again before the credentials expire (refresh 15 minutes before the
end, mandatory 10 minutes before: botocore.credentials.RefreshableCredentials). A role
that cannot be assumed is remembered for a few minutes, so a burst of events from an
account without the member role costs one AssumeRole, not one per event.

    >>> roles = AssumedRoles(sts_client, session_name="sagemaker-tag-enforcer-enforce")
    >>> roles.client("sagemaker", "eu-west-1", "arn:aws:iam::222233334444:role/TagEnforcerMember")
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

import boto3
import botocore.session
from botocore.credentials import DeferredRefreshableCredentials
from botocore.exceptions import BotoCoreError, ClientError

from tag_enforcer.aws.clients import RETRY_CONFIG
from tag_enforcer.aws.errors import error_code, error_message, is_transient
from tag_enforcer.core.errors import RoleUnavailableError, TransientAwsError

# One hour: the default MaxSessionDuration of a role, and the most a chained role session
# may last (STS API reference, AssumeRole DurationSeconds: 900 to 43,200 seconds, within
# the role's maximum; "role chaining limits your session to a maximum of one hour").
SESSION_SECONDS = 3600
# How long a refused role is not asked again.
REFUSED_RETRY_SECONDS = 300


class AssumedRoles:
    """boto3 clients whose credentials come from sts:AssumeRole, cached per role."""

    def __init__(
        self,
        sts_client: Any,
        *,
        session_name: str,
        clock: Callable[[], float] = time.time,
        session_seconds: int = SESSION_SECONDS,
        refused_retry_seconds: float = REFUSED_RETRY_SECONDS,
        credential_clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._sts = sts_client
        self._session_name = session_name
        self._clock = clock
        self._session_seconds = session_seconds
        self._retry_seconds = refused_retry_seconds
        # What botocore compares the expiry with (tz-aware now); tests move it forward.
        self._credential_clock = credential_clock
        self._sessions: dict[str, boto3.session.Session] = {}
        self._clients: dict[tuple[str, str, str], Any] = {}
        self._refused: dict[str, tuple[float, RoleUnavailableError]] = {}
        # AssumeRole calls made, per role ARN: what `make bench` reports.
        self.assumed: dict[str, int] = {}

    def client(self, service_name: str, region: str, role_arn: str) -> Any:
        key = (service_name, region, role_arn)
        if key not in self._clients:
            self._clients[key] = self._session(role_arn).client(
                service_name, region_name=region, config=RETRY_CONFIG
            )
        return self._clients[key]

    def check(self, role_arn: str) -> None:
        """Assume the role now, unless its credentials are fresh: RoleUnavailableError when
        it cannot be assumed. No other call is made."""
        credentials = self._session(role_arn).get_credentials()
        if credentials is not None:
            credentials.get_frozen_credentials()

    def _session(self, role_arn: str) -> boto3.session.Session:
        if role_arn not in self._sessions:
            refresh = partial(self._assume, role_arn)
            credentials = (
                DeferredRefreshableCredentials(refresh_using=refresh, method="sts-assume-role")
                if self._credential_clock is None
                else DeferredRefreshableCredentials(
                    refresh_using=refresh,
                    method="sts-assume-role",
                    time_fetcher=self._credential_clock,
                )
            )
            core = botocore.session.Session()
            # The documented extension point for custom credentials is a credential
            # provider; setting them on the session is what boto3's own assume-role
            # chain ends with, without reading any profile or environment credentials.
            core._credentials = credentials
            self._sessions[role_arn] = boto3.session.Session(botocore_session=core)
        return self._sessions[role_arn]

    def _assume(self, role_arn: str) -> dict[str, str]:
        """What botocore's refresh expects: the keys, the token and their expiry (ISO 8601)."""
        refused = self._refused.get(role_arn)
        if refused is not None and self._clock() - refused[0] < self._retry_seconds:
            raise refused[1]
        self.assumed[role_arn] = self.assumed.get(role_arn, 0) + 1
        try:
            response = self._sts.assume_role(
                RoleArn=role_arn,
                RoleSessionName=self._session_name,
                DurationSeconds=self._session_seconds,
            )
        except ClientError as error:
            if is_transient(error):
                raise TransientAwsError(
                    f"AssumeRole {role_arn} failed with {error_code(error)}: {error_message(error)}"
                ) from error
            # AccessDenied for a missing role and for a trust policy that does not name
            # the caller alike (STS API reference, AssumeRole errors).
            unavailable = RoleUnavailableError(
                role_arn, f"{error_code(error)}: {error_message(error)}"
            )
            self._refused[role_arn] = (self._clock(), unavailable)
            raise unavailable from error
        except BotoCoreError as error:
            raise TransientAwsError(f"AssumeRole {role_arn} failed: {error}") from error
        self._refused.pop(role_arn, None)
        credentials = response["Credentials"]
        expiration = credentials["Expiration"]
        return {
            "access_key": credentials["AccessKeyId"],
            "secret_key": credentials["SecretAccessKey"],
            "token": credentials["SessionToken"],
            "expiry_time": expiration.isoformat()
            if hasattr(expiration, "isoformat")
            else str(expiration),
        }
