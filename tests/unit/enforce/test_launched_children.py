"""Jobs SageMaker launches itself (for a tuning, AutoML or labeling job) inherit from that parent.

The create request of such a job names no parent; its Describe output and Search
record do (TuningJobArn, AutoMLJobArn, ...). The registry's `launched_by` links say
where, and both the event path and the sweep read them.
"""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest

from tag_enforcer.core import registry
from tag_enforcer.core.cloudtrail import CloudTrailRecord
from tag_enforcer.core.decisions import FlagReason
from tag_enforcer.core.directory import DomainDirectory, DomainEntry
from tag_enforcer.core.registry.schema import ListEnumeration, ParentLink, SearchEnumeration
from tag_enforcer.core.settings import EnforcementMode, EnforcerSettings
from tag_enforcer.core.tags import DOMAIN_TAG
from tag_enforcer.enforce.service import Action, EnforcementService
from tests.support.ports import FakeDirectory, FakeInspector, FakeTags
from tests.support.studio import Studio
from tests.support.sweep import SweepWorld, new_world

MODEL = botocore.session.get_session().get_service_model("sagemaker")
ACCOUNT = "111122223333"
JOB = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:training-job/hpo-1-001-abc"
FINANCE = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:domain/d-finance01"
LAUNCHED = [
    (resource_type.name, link)
    for resource_type in registry.RESOURCE_TYPES
    for link in resource_type.launched_by
]


@pytest.mark.parametrize(
    ("type_name", "link"), LAUNCHED, ids=lambda v: getattr(v, "request_field", v)
)
def test_launching_parent_fields_exist_where_the_sweep_and_inspection_read(
    type_name: str, link: ParentLink
) -> None:
    # The Describe output (inspection, List types) or the Search record (Search types)
    resource_type = registry.by_name(type_name)
    assert registry.by_name(link.parent_type)
    describe = MODEL.operation_model(f"Describe{type_name}").output_shape
    assert link.request_field in describe.members
    enumeration = resource_type.enumeration
    if isinstance(enumeration, SearchEnumeration):
        record = MODEL.shape_for("SearchRecord").members[enumeration.record_key]
        assert link.request_field in record.members
    else:
        assert isinstance(enumeration, ListEnumeration)
        assert resource_type.describe is not None
        assert resource_type.describe.operation == f"Describe{type_name}"


TUNING = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:hyper-parameter-tuning-job/hpo-1"


def fakes() -> tuple[FakeTags, FakeDirectory, FakeInspector]:
    """The tuning job is tagged with finance; the new job's Describe output names it."""
    tags = FakeTags({TUNING: {DOMAIN_TAG: FINANCE}})
    directory = FakeDirectory(
        DomainDirectory((DomainEntry("d-finance01", FINANCE, "finance", None, None, False),))
    )
    inspector = FakeInspector(outputs={JOB: {"TrainingJobArn": JOB, "TuningJobArn": TUNING}})
    return tags, directory, inspector


def job_event(identity: dict[str, Any]) -> CloudTrailRecord:
    return CloudTrailRecord.model_validate(
        {
            "eventID": "e-1",
            "eventName": "CreateTrainingJob",
            "eventSource": "sagemaker.amazonaws.com",
            "eventTime": "2026-11-29T10:00:00Z",
            "awsRegion": "us-east-1",
            "recipientAccountId": ACCOUNT,
            "userIdentity": identity,
            "requestParameters": {"trainingJobName": "hpo-1-001-abc"},
            "responseElements": {"trainingJobArn": JOB},
        }
    )


SERVICE = {"type": "AWSService", "invokedBy": "sagemaker.amazonaws.com"}
PERSON = {"type": "IAMUser", "arn": f"arn:aws:iam::{ACCOUNT}:user/ci"}


def test_service_made_job_is_tagged_from_the_job_that_launched_it() -> None:
    # GIVEN a training job SageMaker created for a tagged tuning job
    tags, directory, inspector = fakes()
    enforcer = EnforcementService(
        EnforcerSettings(mode=EnforcementMode.TAG), directory, tags, None, inspector=inspector
    )

    # WHEN its event arrives with no caller evidence
    result = enforcer.enforce(job_event(SERVICE))

    # THEN the Describe-side lineage names the domain and the job is tagged
    assert inspector.described == [JOB]
    assert result.action is Action.TAGGED
    assert tags.added == [(JOB, {DOMAIN_TAG: FINANCE})]


def test_a_person_without_evidence_is_not_given_the_launching_parent_path() -> None:
    tags, directory, inspector = fakes()
    enforcer = EnforcementService(
        EnforcerSettings(mode=EnforcementMode.TAG), directory, tags, None, inspector=inspector
    )
    result = enforcer.enforce(job_event(PERSON))
    assert inspector.described == []
    assert result.decision is not None
    assert result.decision.reason is FlagReason.UNATTRIBUTABLE


@pytest.fixture
def world(studio: Studio) -> SweepWorld:
    return new_world(studio)


def test_the_sweep_reads_the_launching_parent_from_the_search_record(
    world: SweepWorld, studio: Studio
) -> None:
    # GIVEN a tagged tuning job and a training job it launched, with no role of any domain
    tuning = world.account.add(
        "HyperParameterTuningJob", "hpo-1", tags={DOMAIN_TAG: studio.finance.domain_arn}
    )
    child = world.account.add(
        "TrainingJob",
        "hpo-1-001",
        details={"RoleArn": studio.role("CiRole"), "TuningJobArn": tuning},
    )

    # WHEN the sweep runs over both types
    world.service(types=("HyperParameterTuningJob", "TrainingJob")).run("cli")

    # THEN the child inherits the tuning job's domain
    assert world.account.tags_of(child) == {DOMAIN_TAG: studio.finance.domain_arn}
