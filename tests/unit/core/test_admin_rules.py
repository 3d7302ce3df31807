"""Admin attribution rules: validated at start with clear messages, used only as a last resort."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tag_enforcer.core import registry
from tag_enforcer.core.admin_rules import (
    AdminRules,
    AdminRulesError,
    load_admin_rules,
    parse_admin_rules,
)
from tag_enforcer.core.attribution import attribute
from tag_enforcer.core.decisions import AttributionInput, CallerEvidence, FlagReason, Outcome
from tag_enforcer.core.directory import DomainDirectory, DomainEntry, UserProfileEntry
from tag_enforcer.core.tags import DOMAIN_TAG

ACCOUNT = "111122223333"
FINANCE = DomainEntry(
    "d-finance01",
    f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:domain/d-finance01",
    "finance",
    (ACCOUNT, "FinanceStudioRole"),
    None,
    False,
)
RESEARCH = DomainEntry(
    "d-research01",
    f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:domain/d-research01",
    "research",
    (ACCOUNT, "ResearchStudioRole"),
    None,
    False,
)
DIRECTORY = DomainDirectory(
    (FINANCE, RESEARCH),
    (
        UserProfileEntry(
            "d-research01",
            "rita",
            f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:user-profile/d-research01/rita",
            (ACCOUNT, "ResearchStudioRole"),
        ),
    ),
)
CI_ROLE = f"arn:aws:iam::{ACCOUNT}:role/ci/finance-ci-deploy"


def rules(*entries: dict[str, str]) -> AdminRules:
    return AdminRules.model_validate({"version": 1, "rules": list(entries)})


def model_created_by(role_arn: str | None, name: str = "fraud-scorer") -> AttributionInput:
    return AttributionInput(
        resource_type=registry.by_name("Model"),
        resource_arn=f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:model/{name}",
        caller=CallerEvidence(principal_type="AssumedRole", session_issuer_arn=role_arn),
    )


def test_role_pattern_rule_tags_the_domain_with_its_evidence() -> None:
    # GIVEN a rule mapping finance's CI roles to the finance domain
    finance_ci = rules(
        {
            "name": "finance-ci",
            "roleArnPattern": "arn:aws:iam::*:role/ci/finance-ci-*",
            "domainId": "d-finance01",
        }
    )

    # WHEN a model made by that CI role is attributed
    decision = attribute(model_created_by(CI_ROLE), DIRECTORY, finance_ci)

    # THEN the rule names the domain, and the evidence names the rule
    assert decision.outcome is Outcome.TAG
    assert decision.missing_tags == {DOMAIN_TAG: FINANCE.domain_arn}
    assert decision.evidence[-1].rule == "admin-rule"
    assert decision.evidence[-1].fields["rule"] == "finance-ci"


def test_name_prefix_rule_matches_case_insensitively() -> None:
    by_prefix = rules(
        {"name": "fin-names", "resourceNamePrefix": "fin-", "domainId": "d-finance01"}
    )
    decision = attribute(model_created_by(None, "fin-ledger-model"), DIRECTORY, by_prefix)
    assert decision.missing_tags == {DOMAIN_TAG: FINANCE.domain_arn}


def test_without_a_matching_rule_the_resource_stays_unattributable() -> None:
    by_prefix = rules(
        {"name": "fin-names", "resourceNamePrefix": "fin-", "domainId": "d-finance01"}
    )
    decision = attribute(model_created_by(CI_ROLE, "other-model"), DIRECTORY, by_prefix)
    assert decision.reason is FlagReason.UNATTRIBUTABLE


def test_a_rule_that_contradicts_the_callers_role_is_ambiguous() -> None:
    # GIVEN a rule that would send everything named fin-* to finance
    by_prefix = rules(
        {"name": "fin-names", "resourceNamePrefix": "fin-", "domainId": "d-finance01"}
    )
    research_role = f"arn:aws:iam::{ACCOUNT}:role/ResearchStudioRole"

    # WHEN research's own role creates fin-something
    decision = attribute(model_created_by(research_role, "fin-copy"), DIRECTORY, by_prefix)

    # THEN the rule is one more source: it and the role do not meet, so nothing is written
    assert decision.reason is FlagReason.AMBIGUOUS
    assert decision.missing_tags == {}
    assert {"admin-rule", "caller-role"} <= {e.rule for e in decision.evidence}


def test_a_rule_that_agrees_with_the_callers_role_changes_nothing() -> None:
    by_prefix = rules(
        {"name": "research-names", "resourceNamePrefix": "fin-", "domainId": "d-research01"}
    )
    research_role = f"arn:aws:iam::{ACCOUNT}:role/ResearchStudioRole"
    decision = attribute(model_created_by(research_role, "fin-copy"), DIRECTORY, by_prefix)
    assert decision.missing_tags[DOMAIN_TAG] == RESEARCH.domain_arn


def test_rules_naming_two_domains_are_ambiguous() -> None:
    both = rules(
        {"name": "ci", "roleArnPattern": "arn:aws:iam::*:role/ci/*", "domainId": "d-finance01"},
        {"name": "fin", "resourceNamePrefix": "fraud", "domainId": "d-research01"},
    )
    decision = attribute(model_created_by(CI_ROLE), DIRECTORY, both)
    assert decision.reason is FlagReason.AMBIGUOUS


def test_rule_naming_an_unknown_domain_is_unattributable() -> None:
    stale = rules({"name": "old", "resourceNamePrefix": "fraud", "domainId": "d-deleted99"})
    decision = attribute(model_created_by(None), DIRECTORY, stale)
    assert decision.reason is FlagReason.UNATTRIBUTABLE
    assert "does not exist" in decision.evidence[-1].conclusion


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"name": "a", "domainId": "d-finance01"}, "exactly one of roleArnPattern"),
        (
            {"name": "a", "domainId": "finance", "resourceNamePrefix": "x"},
            "not a SageMaker domain id",
        ),
        ({"name": "a", "domainId": "d-finance01", "roleArnPattern": "FinanceRole"}, "IAM role ARN"),
        ({"name": "a", "domainId": "d-finance01", "resourceNamePrefix": "x", "extra": 1}, "extra"),
        ({"name": "bad name!", "domainId": "d-finance01", "resourceNamePrefix": "x"}, "name"),
    ],
)
def test_invalid_rule_is_rejected_naming_the_rule_and_problem(
    rule: dict[str, object], message: str
) -> None:
    document = json.dumps(
        {
            "version": 1,
            "rules": [{"name": "fine", "domainId": "d-finance01", "resourceNamePrefix": "f"}, rule],
        }
    )
    with pytest.raises(AdminRulesError) as raised:
        parse_admin_rules(document, "rules.json")
    text = str(raised.value)
    assert "rules.json" in text
    assert "rule #2" in text
    assert message in text


def test_duplicate_names_wrong_version_and_bad_json_are_rejected() -> None:
    twice = {"name": "x", "domainId": "d-finance01", "resourceNamePrefix": "a"}
    with pytest.raises(AdminRulesError, match="used twice"):
        parse_admin_rules(json.dumps({"version": 1, "rules": [twice, twice]}))
    with pytest.raises(AdminRulesError, match="version"):
        parse_admin_rules(json.dumps({"version": 2, "rules": []}))
    with pytest.raises(AdminRulesError, match="not valid JSON"):
        parse_admin_rules("{")


def test_the_packaged_rules_document_is_valid() -> None:
    # The file that ships in the layer must load, or every cold start would fail.
    assert load_admin_rules().version == 1


def test_rules_load_from_the_configured_path(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "rules": [{"name": "x", "domainId": "d-finance01", "resourceNamePrefix": "a"}],
            }
        )
    )
    assert [r.name for r in load_admin_rules(str(path)).rules] == ["x"]


def test_an_invalid_rules_file_stops_the_function_at_start(tmp_path: Path) -> None:
    from tag_enforcer.core.settings import EnforcerSettings
    from tag_enforcer.wiring.enforce import EnforcementServices

    # GIVEN a deployment whose rules document has a broken rule
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"version": 1, "rules": [{"name": "ci", "domainId": "d-x1"}]}))

    # WHEN the function's services are built (module import, i.e. cold start)
    # THEN it refuses to start, naming the rule
    with pytest.raises(AdminRulesError, match=r"rule #1 \('ci'\)"):
        EnforcementServices(EnforcerSettings(admin_rules_path=str(path)))
