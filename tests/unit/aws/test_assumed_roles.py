"""The member role: assumed once per account while its credentials last, refreshed before they
expire, shared by every region, and a refused role remembered instead of asked per event."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError

from tag_enforcer.aws.assumed_roles import REFUSED_RETRY_SECONDS, SESSION_SECONDS, AssumedRoles
from tag_enforcer.core.errors import RoleUnavailableError, TransientAwsError

MEMBER_ROLE = "arn:aws:iam::222233334444:role/SageMakerTagEnforcerMember"
OTHER_MEMBER_ROLE = "arn:aws:iam::555566667777:role/SageMakerTagEnforcerMember"
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class FakeSts:
    """sts:AssumeRole that hands out credentials lasting `SESSION_SECONDS` from `now`."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.calls: list[dict[str, Any]] = []
        self.error: ClientError | None = None

    def assume_role(self, **request: Any) -> dict[str, Any]:
        self.calls.append(request)
        if self.error is not None:
            raise self.error
        number = len(self.calls)
        return {
            "Credentials": {
                "AccessKeyId": f"ASIAMEMBER{number:06d}",
                "SecretAccessKey": "secret",
                "SessionToken": f"token-{number}",
                "Expiration": self.clock.now + timedelta(seconds=request["DurationSeconds"]),
            }
        }


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def seconds(self) -> float:
        return self.now.timestamp()


def _refusal(code: str = "AccessDenied") -> ClientError:
    return ClientError(
        {
            "Error": {
                "Code": code,
                "Message": "User: arn:aws:sts::111122223333:assumed-role/enforce/x is not "
                f"authorized to perform: sts:AssumeRole on resource: {MEMBER_ROLE}",
            },
            "ResponseMetadata": {"HTTPStatusCode": 403 if code == "AccessDenied" else 400},
        },
        "AssumeRole",
    )


def _answered_locally(client: Any) -> Any:
    """The client signs each request (so it needs credentials) and gets an empty ListTags
    answer instead of a network round trip; the key it signed with is kept."""
    client.signed_with = []

    def answer(request: Any, **_: Any) -> AWSResponse:
        authorization = request.headers["Authorization"].decode()
        client.signed_with.append(authorization.split("Credential=")[1].split("/")[0])
        return AWSResponse(request.url, 200, {}, _Raw(json.dumps({"Tags": []}).encode()))

    client.meta.events.register("before-send", answer)
    return client


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Any:
        yield self._body


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sts(clock: Clock) -> FakeSts:
    return FakeSts(clock)


@pytest.fixture
def roles(sts: FakeSts, clock: Clock) -> AssumedRoles:
    return AssumedRoles(
        sts,
        session_name="sagemaker-tag-enforcer-EnforceFunction",
        clock=clock.seconds,
        credential_clock=clock,
    )


def _list_tags(roles: AssumedRoles, region: str, role: str = MEMBER_ROLE) -> Any:
    client = roles.client("sagemaker", region, role)
    if not hasattr(client, "signed_with"):
        _answered_locally(client)
    client.list_tags(ResourceArn="arn:aws:sagemaker:us-east-1:222233334444:model/m")
    return client


def test_one_assume_role_serves_every_region_and_call_of_an_account(
    roles: AssumedRoles, sts: FakeSts
) -> None:
    # GIVEN clients of one member account in two regions
    # WHEN they make several calls
    for _ in range(3):
        _list_tags(roles, "us-east-1")
        _list_tags(roles, "eu-west-1")

    # THEN the member role was assumed once, with the function's name as the session
    assert len(sts.calls) == 1
    [call] = sts.calls
    assert call == {
        "RoleArn": MEMBER_ROLE,
        "RoleSessionName": "sagemaker-tag-enforcer-EnforceFunction",
        "DurationSeconds": SESSION_SECONDS,
    }
    assert roles.assumed == {MEMBER_ROLE: 1}


def test_each_account_has_its_own_credentials(roles: AssumedRoles, sts: FakeSts) -> None:
    first = _list_tags(roles, "us-east-1")
    second = _list_tags(roles, "us-east-1", OTHER_MEMBER_ROLE)
    assert [c["RoleArn"] for c in sts.calls] == [MEMBER_ROLE, OTHER_MEMBER_ROLE]
    assert first.signed_with != second.signed_with


def test_credentials_are_renewed_before_they_expire(
    roles: AssumedRoles, sts: FakeSts, clock: Clock
) -> None:
    # GIVEN credentials in use
    client = _list_tags(roles, "us-east-1")

    # WHEN most of the session has passed (less than botocore's 15-minute advisory margin left)
    clock.now += timedelta(seconds=SESSION_SECONDS - 14 * 60)
    client.list_tags(ResourceArn="arn:aws:sagemaker:us-east-1:222233334444:model/m")

    # THEN the role was assumed again, and the new key signed the call
    assert len(sts.calls) == 2
    assert client.signed_with == ["ASIAMEMBER000001", "ASIAMEMBER000002"]


def test_a_refused_role_is_one_clear_error_and_is_not_asked_again_at_once(
    roles: AssumedRoles, sts: FakeSts, clock: Clock
) -> None:
    # GIVEN an account whose member role is missing
    sts.error = _refusal()

    # WHEN events of that account keep coming
    errors = []
    for _ in range(5):
        with pytest.raises(RoleUnavailableError) as raised:
            _list_tags(roles, "us-east-1")
        errors.append(raised.value)

    # THEN STS was asked once, and the error names the role, its account and what to do
    assert len(sts.calls) == 1
    assert errors[0].role_arn == MEMBER_ROLE
    assert errors[0].account == "222233334444"
    assert "member template" in str(errors[0])
    assert "AccessDenied" in errors[0].reason

    # AND after the retry interval it is asked again, and a deployed role then works
    clock.now += timedelta(seconds=REFUSED_RETRY_SECONDS + 1)
    sts.error = None
    _list_tags(roles, "us-east-1")
    assert len(sts.calls) == 2


def test_throttled_sts_is_transient_and_not_remembered(roles: AssumedRoles, sts: FakeSts) -> None:
    sts.error = _refusal("Throttling")
    with pytest.raises(TransientAwsError):
        _list_tags(roles, "us-east-1")
    sts.error = None
    _list_tags(roles, "us-east-1")
    assert len(sts.calls) == 2
