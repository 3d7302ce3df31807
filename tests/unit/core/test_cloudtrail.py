"""The CloudTrail record model reads what SageMaker writes, whatever its casing."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from tag_enforcer.core import registry
from tag_enforcer.core.arns import Arn
from tag_enforcer.core.cloudtrail import (
    CloudTrailApiCallEvent,
    CloudTrailRecord,
    partition_of,
    rebuild_arn,
    resource_arn,
    tags_from_request,
)
from tag_enforcer.core.registry.paths import field_values, first_text
from tests.support.project import EVENTS_DIR

# A CreateEndpointConfig call made with the SDK from a Studio notebook, as EventBridge
# delivers it (CloudTrail User Guide, "CloudTrail record contents"): camelCase members,
# lower-case `key`/`value` tags, a source identity, and fields this model does not know.
ENDPOINT_CONFIG_EVENT: dict[str, Any] = {
    "version": "0",
    "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
    "detail-type": "AWS API Call via CloudTrail",
    "source": "aws.sagemaker",
    "account": "111122223333",
    "time": "2026-11-29T10:15:02Z",
    "region": "eu-west-1",
    "resources": [],
    "detail": {
        "eventVersion": "1.09",
        "userIdentity": {
            "type": "AssumedRole",
            "principalId": "AROAYQZ3EXAMPLEFIN01:SageMaker",
            "arn": "arn:aws:sts::111122223333:assumed-role/FinanceDataScientistRole/SageMaker",
            "accountId": "111122223333",
            "accessKeyId": "ASIAYQZ3EXAMPLEKEY01",
            "sessionContext": {
                "sessionIssuer": {
                    "type": "Role",
                    "principalId": "AROAYQZ3EXAMPLEFIN01",
                    "arn": "arn:aws:iam::111122223333:role/service-role/FinanceDataScientistRole",
                    "accountId": "111122223333",
                    "userName": "FinanceDataScientistRole",
                },
                "attributes": {
                    "creationDate": "2026-11-29T09:58:41Z",
                    "mfaAuthenticated": "false",
                },
                "sourceIdentity": "maria-garcia",
            },
        },
        "eventTime": "2026-11-29T10:15:02Z",
        "eventSource": "sagemaker.amazonaws.com",
        "eventName": "CreateEndpointConfig",
        "awsRegion": "eu-west-1",
        "sourceIPAddress": "198.51.100.23",
        "userAgent": "AmazonSageMaker/Studio Boto3/1.44.5",
        "requestParameters": {
            "endpointConfigName": "Churn-XGB-Config",
            "productionVariants": [
                {"variantName": "blue", "modelName": "churn-xgb-model", "initialVariantWeight": 1},
                {"variantName": "green", "modelName": "churn-xgb-model-v2"},
            ],
            "executionRoleArn": "arn:aws:iam::111122223333:role/service-role/EndpointRole",
            "tags": [
                {"key": "team", "value": "finance"},
                {
                    "key": "sagemaker:domain-arn",
                    "value": "arn:aws:sagemaker:eu-west-1:111122223333:domain/d-8f3kq2lxw9ab",
                },
            ],
        },
        "responseElements": {
            "endpointConfigArn": "arn:aws:sagemaker:eu-west-1:111122223333:endpoint-config/churn-xgb-config"  # noqa: E501
        },
        "additionalEventData": {"someFutureField": True},
        "requestID": "929eabf1-9707-5edd-b120-e7a5c5657a34",
        "eventID": "54149ad1-9057-586a-8578-f5e53bde89d8",
        "readOnly": False,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": "111122223333",
        "eventCategory": "Management",
        "tlsDetails": {"tlsVersion": "TLSv1.3"},
    },
}


def _event(**detail_changes: Any) -> dict[str, Any]:
    event = copy.deepcopy(ENDPOINT_CONFIG_EVENT)
    event["detail"].update(detail_changes)
    return event


def _record(**detail_changes: Any) -> CloudTrailRecord:
    return CloudTrailApiCallEvent.model_validate(_event(**detail_changes)).detail


def test_a_realistic_eventbridge_event_parses_into_the_record() -> None:
    # GIVEN a CreateEndpointConfig event as EventBridge delivers it
    # WHEN it is parsed
    event = CloudTrailApiCallEvent.model_validate(ENDPOINT_CONFIG_EVENT)

    # THEN the envelope and the record are both read
    record = event.detail
    assert event.detail_type == "AWS API Call via CloudTrail"
    assert event.source == "aws.sagemaker"
    assert record.event_name == "CreateEndpointConfig"
    assert record.event_id == "54149ad1-9057-586a-8578-f5e53bde89d8"
    assert record.event_source == "sagemaker.amazonaws.com"
    assert record.aws_region == "eu-west-1"
    assert record.account == "111122223333"
    assert record.read_only is False
    assert record.error_code is None
    assert record.user_identity.type == "AssumedRole"
    assert record.user_identity.session_issuer_arn == (
        "arn:aws:iam::111122223333:role/service-role/FinanceDataScientistRole"
    )
    assert record.user_identity.source_identity == "maria-garcia"


def test_unknown_fields_anywhere_are_ignored() -> None:
    # GIVEN fields CloudTrail may add in the future, at every level
    event = _event()
    event["detail"]["brandNewTopLevelField"] = {"x": 1}
    event["detail"]["userIdentity"]["onBehalfOf"] = {"userId": "u-1"}
    event["detail"]["userIdentity"]["sessionContext"]["ec2RoleDelivery"] = "2.0"

    # WHEN it is parsed
    record = CloudTrailApiCallEvent.model_validate(event).detail

    # THEN parsing succeeds and nothing known changes
    assert record.event_name == "CreateEndpointConfig"
    assert record.user_identity.source_identity == "maria-garcia"


@pytest.mark.parametrize("missing", ["eventID", "eventName", "eventSource", "awsRegion"])
def test_a_record_without_a_required_field_is_invalid(missing: str) -> None:
    # GIVEN a record that lacks a field the enforcer cannot do without
    event = _event()
    del event["detail"][missing]

    # WHEN it is parsed
    # THEN pydantic refuses it, naming the field
    with pytest.raises(ValidationError, match=missing):
        CloudTrailApiCallEvent.model_validate(event)


def test_a_record_without_user_identity_is_invalid() -> None:
    # GIVEN a record with no caller at all
    event = _event()
    del event["detail"]["userIdentity"]

    # WHEN it is parsed
    # THEN it is refused
    with pytest.raises(ValidationError, match="userIdentity"):
        CloudTrailApiCallEvent.model_validate(event)


@pytest.mark.parametrize("field", ["eventName", "eventID"])
def test_an_empty_required_text_field_is_invalid(field: str) -> None:
    # GIVEN a record whose required text is empty
    # WHEN it is parsed
    # THEN it is refused rather than processed with a blank name
    with pytest.raises(ValidationError):
        CloudTrailApiCallEvent.model_validate(_event(**{field: ""}))


def test_an_envelope_without_detail_is_invalid() -> None:
    # GIVEN an EventBridge envelope with no detail
    event = _event()
    del event["detail"]

    # WHEN it is parsed
    # THEN it is refused
    with pytest.raises(ValidationError):
        CloudTrailApiCallEvent.model_validate(event)


def test_error_code_and_read_only_are_read() -> None:
    # GIVEN a failed, read-only call
    # WHEN it is parsed
    record = _record(errorCode="ValidationException", readOnly=True)

    # THEN both facts are available to screen it out
    assert record.error_code == "ValidationException"
    assert record.read_only is True


def test_the_account_is_the_recipient_not_the_caller() -> None:
    # GIVEN a caller from a CI account creating in a workload account
    event = _event(recipientAccountId="444455556666")

    # WHEN it is parsed
    record = CloudTrailApiCallEvent.model_validate(event).detail

    # THEN the resource's account is the recipient
    assert record.account == "444455556666"


def test_the_account_falls_back_to_the_caller_when_no_recipient_is_written() -> None:
    # GIVEN a record with no recipientAccountId
    event = _event()
    del event["detail"]["recipientAccountId"]

    # WHEN it is parsed
    # THEN the caller's account is used
    assert CloudTrailApiCallEvent.model_validate(event).detail.account == "111122223333"


@pytest.mark.parametrize("account", ["12345", "11112222333a", "../111122223333", "", " "])
def test_a_recipient_that_is_no_account_id_is_invalid(account: str) -> None:
    # The account picks the member role the enforcer enters it through: never a guess.
    with pytest.raises(ValidationError, match="recipientAccountId"):
        CloudTrailApiCallEvent.model_validate(_event(recipientAccountId=account))


def test_a_caller_account_that_is_no_account_id_names_no_account() -> None:
    # GIVEN no recipient, and a caller whose accountId is not an account id
    event = _event()
    del event["detail"]["recipientAccountId"]
    event["detail"]["userIdentity"]["accountId"] = "ANONYMOUS_PRINCIPAL"

    # THEN the record names no account (the enforce path drops it as malformed)
    assert CloudTrailApiCallEvent.model_validate(event).detail.account == ""


# --- look-ups into request and response -----------------------------------------------


@pytest.mark.parametrize("path", ["EndpointConfigName", "endpointConfigName", "ENDPOINTCONFIGNAME"])
def test_look_ups_ignore_case_so_botocore_names_find_camel_case_members(path: str) -> None:
    # GIVEN the camelCase request CloudTrail writes
    request = ENDPOINT_CONFIG_EVENT["detail"]["requestParameters"]

    # WHEN a member is looked up by its botocore (PascalCase) or any other casing
    # THEN it is found
    assert first_text(request, path) == "Churn-XGB-Config"


def test_an_exact_key_wins_over_a_differently_cased_one() -> None:
    # GIVEN a document holding both spellings
    document = {"roleArn": "camel", "RoleArn": "pascal"}

    # WHEN the PascalCase name is looked up
    # THEN the exact match is taken
    assert field_values(document, "RoleArn") == ["pascal"]


def test_field_values_walks_lists_marked_with_brackets() -> None:
    # GIVEN a request with a list of production variants
    request = ENDPOINT_CONFIG_EVENT["detail"]["requestParameters"]

    # WHEN the registry path `ProductionVariants[].ModelName` is followed
    values = field_values(request, "ProductionVariants[].ModelName")

    # THEN every variant's model is returned in order
    assert values == ["churn-xgb-model", "churn-xgb-model-v2"]


def test_field_values_walks_nested_structures_and_skips_what_is_missing() -> None:
    # GIVEN nested members, lists holding None, and items lacking the member
    document = {
        "modelSource": {"sageMakerModel": {"modelName": "base"}},
        "specifications": [None, {"modelName": "a"}, {"other": 1}, {"MODELNAME": "b"}],
        "notAList": {"modelName": "x"},
    }

    # WHEN paths are followed
    # THEN nested values are found and gaps are skipped without raising
    assert field_values(document, "ModelSource.SageMakerModel.ModelName") == ["base"]
    assert field_values(document, "Specifications[].ModelName") == ["a", "b"]
    assert field_values(document, "NotAList[].ModelName") == []
    assert field_values(document, "Absent.ModelName") == []
    assert field_values(None, "Anything") == []


def test_first_text_skips_empty_and_non_text_values() -> None:
    # GIVEN a list whose first items are empty or not text
    document = {"items": [{"name": ""}, {"name": 7}, {"name": "third"}]}

    # WHEN the first text is read
    # THEN the first non-empty string is returned
    assert first_text(document, "Items[].Name") == "third"
    assert first_text(document, "Items[].Missing") is None


# --- tags ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tags",
    [
        [{"key": "team", "value": "finance"}],
        [{"Key": "team", "Value": "finance"}],
    ],
)
def test_request_tags_are_read_in_either_casing(tags: list[dict[str, str]]) -> None:
    # GIVEN request tags written as key/value or Key/Value
    # WHEN they are read
    # THEN both give the same mapping
    assert tags_from_request({"tags": tags}) == {"team": "finance"}
    assert tags_from_request({"Tags": tags}) == {"team": "finance"}


def test_request_tags_tolerate_missing_values_and_junk() -> None:
    # GIVEN tags with an absent value, a non-string key and a non-mapping item
    request = {
        "tags": [{"key": "empty"}, {"key": 5, "value": "x"}, "junk", {"key": "k", "value": 1}]
    }

    # WHEN they are read
    # THEN a missing or non-text value is empty, and junk is dropped
    assert tags_from_request(request) == {"empty": "", "k": ""}


def test_request_tags_are_empty_when_absent_or_not_a_list() -> None:
    # GIVEN requests without tags, or with a tags member of the wrong shape
    # WHEN tags are read
    # THEN there are none
    assert tags_from_request({}) == {}
    assert tags_from_request({"tags": {"key": "team"}}) == {}


def test_record_requested_tags_reads_the_request() -> None:
    # GIVEN the realistic event with lower-case key/value tags
    # WHEN its requested tags are read
    tags = CloudTrailApiCallEvent.model_validate(ENDPOINT_CONFIG_EVENT).detail.requested_tags()

    # THEN both tags are present
    assert tags["team"] == "finance"
    assert tags["sagemaker:domain-arn"].endswith(":domain/d-8f3kq2lxw9ab")


# --- the resource ARN ---------------------------------------------------------------------


def test_the_arn_comes_from_the_response_when_present() -> None:
    # GIVEN a response ARN that SageMaker lower-cased, and a mixed-case request name
    record = _record()

    # WHEN the resource ARN is read
    arn = resource_arn(record, registry.by_name("EndpointConfig"))

    # THEN it is exactly the response's
    assert arn == "arn:aws:sagemaker:eu-west-1:111122223333:endpoint-config/churn-xgb-config"


def test_without_a_response_the_arn_is_rebuilt_and_the_name_lower_cased() -> None:
    # GIVEN the same call with no response elements (CloudTrail omits some)
    record = _record(responseElements=None)

    # WHEN the resource ARN is read
    arn = resource_arn(record, registry.by_name("EndpointConfig"))

    # THEN it is rebuilt from the request, lower-cased as SageMaker does
    assert arn == "arn:aws:sagemaker:eu-west-1:111122223333:endpoint-config/churn-xgb-config"
    assert arn == rebuild_arn(record, registry.by_name("EndpointConfig"))


def test_a_response_value_that_is_not_a_sagemaker_arn_is_not_trusted() -> None:
    # GIVEN a response whose ARN member holds something else
    record = _record(responseElements={"endpointConfigArn": "HIDDEN_DUE_TO_SECURITY_REASONS"})

    # WHEN the resource ARN is read
    # THEN it is rebuilt from the request instead
    assert resource_arn(record, registry.by_name("EndpointConfig")) == (
        "arn:aws:sagemaker:eu-west-1:111122223333:endpoint-config/churn-xgb-config"
    )


@pytest.mark.parametrize(
    "response_arn",
    [
        "arn:aws:sagemaker:eu-west-1:111122223333:model/churn-xgb-config",  # another type
        "arn:aws:sagemaker:::0",  # no region, no account, no resource segment
        "arn:aws:sagemaker:eu-west-1:111122223333:endpoint-config",  # no name
        "arn:aws:s3:::endpoint-config/churn-xgb-config",  # another service
    ],
)
def test_a_response_arn_of_another_shape_or_type_is_not_taken(response_arn: str) -> None:
    # GIVEN a response whose ARN member names something that is not this endpoint config
    record = _record(responseElements={"endpointConfigArn": response_arn})

    # WHEN the resource ARN is read
    # THEN it is rebuilt from the request instead, so no tag is written onto a stranger
    assert resource_arn(record, registry.by_name("EndpointConfig")) == (
        "arn:aws:sagemaker:eu-west-1:111122223333:endpoint-config/churn-xgb-config"
    )


def test_types_that_keep_case_are_rebuilt_with_their_case() -> None:
    # GIVEN a CreateJob call without a response; job ARNs keep the category's case
    record = _record(
        eventName="CreateJob",
        requestParameters={"jobCategory": "AgentRFT", "jobName": "Support-Agent"},
        responseElements=None,
    )

    # WHEN the ARN is rebuilt
    arn = rebuild_arn(record, registry.by_name("Job"))

    # THEN the names keep their case
    assert arn == "arn:aws:sagemaker:eu-west-1:111122223333:job/AgentRFT/Support-Agent"


def test_alternative_request_fields_fill_one_arn_part() -> None:
    # GIVEN a CreateApp in a space (UserProfileName|SpaceName), no response
    record = _record(
        eventName="CreateApp",
        requestParameters={
            "domainId": "d-abc",
            "spaceName": "Team-Space",
            "appType": "JupyterLab",
            "appName": "default",
        },
        responseElements=None,
    )

    # WHEN the ARN is rebuilt
    arn = rebuild_arn(record, registry.by_name("App"))

    # THEN the space fills the profile-or-space part
    assert arn == "arn:aws:sagemaker:eu-west-1:111122223333:app/d-abc/team-space/jupyterlab/default"


def test_no_arn_when_neither_response_nor_request_names_it() -> None:
    # GIVEN a CreateEndpointConfig with no response and no name
    record = _record(requestParameters={}, responseElements=None)

    # WHEN the ARN is read
    # THEN there is none (the caller treats it as malformed)
    assert resource_arn(record, registry.by_name("EndpointConfig")) is None


def test_no_rebuilt_arn_for_types_whose_id_only_the_response_knows() -> None:
    # GIVEN a CreateCluster without a response: the cluster id is made by SageMaker
    record = _record(eventName="CreateCluster", requestParameters={"clusterName": "hp"})
    record = record.model_copy(update={"response_elements": None})

    # WHEN the ARN is read
    # THEN there is none
    assert resource_arn(record, registry.by_name("Cluster")) is None


def test_no_rebuilt_arn_without_an_account() -> None:
    # GIVEN a record with neither recipient nor caller account
    event = _event(responseElements=None)
    del event["detail"]["recipientAccountId"]
    del event["detail"]["userIdentity"]["accountId"]
    record = CloudTrailApiCallEvent.model_validate(event).detail

    # WHEN the ARN is rebuilt
    # THEN it is None rather than an ARN with an empty account
    assert rebuild_arn(record, registry.by_name("EndpointConfig")) is None


# --- partition ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("region", "principal", "expected"),
    [
        ("us-east-1", None, "aws"),
        ("cn-north-1", None, "aws-cn"),
        ("us-gov-west-1", None, "aws-us-gov"),
        ("cn-north-1", "arn:aws-cn:sts::111122223333:assumed-role/R/s", "aws-cn"),
        # The principal's ARN is trusted over the region name.
        ("us-east-1", "arn:aws-us-gov:iam::111122223333:role/R", "aws-us-gov"),
        # An unparsable principal falls back to the region.
        ("cn-northwest-1", "sagemaker.amazonaws.com", "aws-cn"),
    ],
)
def test_partition_comes_from_the_principal_else_the_region(
    region: str, principal: str | None, expected: str
) -> None:
    # GIVEN a region and maybe a principal ARN
    # WHEN the partition is derived
    # THEN the principal's partition wins, else the region's prefix decides
    assert partition_of(region, principal) == expected


def test_a_china_record_rebuilds_arns_in_the_china_partition() -> None:
    # GIVEN a record from cn-north-1 by a China principal, with no response ARN
    event = _event(awsRegion="cn-north-1", responseElements=None)
    identity = event["detail"]["userIdentity"]
    identity["arn"] = "arn:aws-cn:sts::111122223333:assumed-role/FinanceDataScientistRole/s"
    record = CloudTrailApiCallEvent.model_validate(event).detail

    # WHEN the ARN is rebuilt
    arn = resource_arn(record, registry.by_name("EndpointConfig"))

    # THEN it is in aws-cn
    assert record.partition == "aws-cn"
    assert arn == "arn:aws-cn:sagemaker:cn-north-1:111122223333:endpoint-config/churn-xgb-config"


# --- the shared sample events -------------------------------------------------------------

SAMPLE_EVENTS = sorted((EVENTS_DIR / "create").glob("*.json"))


@pytest.mark.parametrize("path", SAMPLE_EVENTS, ids=lambda p: p.stem)
def test_every_sample_create_event_parses_and_names_its_resource(path: Path) -> None:
    # GIVEN a shared sample event for one registered create operation
    event = json.loads(path.read_text(encoding="utf-8"))

    # WHEN it is parsed and its ARN is read
    record = CloudTrailApiCallEvent.model_validate(event).detail
    resource_type = registry.for_create_event(record.event_name)
    assert resource_type is not None
    arn = resource_arn(record, resource_type)

    # THEN the ARN is a SageMaker ARN of that type's segment, in the record's account
    assert arn is not None
    parsed = Arn.parse(arn)
    assert (parsed.service, parsed.account) == ("sagemaker", record.account)
    assert parsed.resource_segment == resource_type.arn_segment
