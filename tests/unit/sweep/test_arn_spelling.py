"""Where SageMaker's own spelling of an ARN is known, the sweep uses it, not a rebuild."""

from __future__ import annotations

from tag_enforcer.core import registry
from tag_enforcer.core.resources import AccountScope
from tag_enforcer.sweep.enumeration import summary_arn

SCOPE = AccountScope("aws", "us-east-1", "111122223333")
SPELLED = "arn:aws:sagemaker:us-east-1:111122223333:user-profile/d-finance00001/Alice-Smith"


def test_a_mixed_case_profile_takes_the_arn_its_describe_gave() -> None:
    # GIVEN a listed profile with a mixed-case name, and the ARN DescribeUserProfile gave
    summary = {"DomainId": "d-finance00001", "UserProfileName": "Alice-Smith"}
    profile = registry.by_name("UserProfile")

    # WHEN its ARN is worked out with and without that knowledge
    rebuilt = summary_arn(profile, summary, SCOPE)
    known = summary_arn(profile, summary, SCOPE, {SPELLED.lower(): SPELLED})

    # THEN the rebuild lower-cases the name, and the known spelling wins when there is one
    assert rebuilt == SPELLED.lower()
    assert known == SPELLED


def test_an_arn_the_summary_carries_is_taken_as_it_is() -> None:
    arn = "arn:aws:sagemaker:us-east-1:111122223333:processing-job/Mixed-Case"
    processing = registry.by_name("ProcessingJob")
    assert summary_arn(processing, {"ProcessingJobArn": arn}, SCOPE) == arn
