"""The function's configuration comes from the environment, typed and checked once."""

from __future__ import annotations

import pytest

from tag_enforcer.core.settings import (
    ENV_ADMIN_RULES_PATH,
    ENV_ALERT_DEDUP_TABLE,
    ENV_ALERT_TOPIC_ARN,
    ENV_ALERT_WINDOW_SECONDS,
    ENV_DIRECTORY_TTL_SECONDS,
    ENV_EXCLUDED_TYPES,
    ENV_MODE,
    EnforcementMode,
    EnforcerSettings,
)


def test_defaults_are_audit_mode_no_topic_no_exclusions_and_five_minutes() -> None:
    # GIVEN an empty environment
    # WHEN settings are read
    settings = EnforcerSettings.from_environment({})

    # THEN the safe defaults apply: report only, nothing excluded, alerts not deduplicated
    assert settings == EnforcerSettings(
        mode=EnforcementMode.AUDIT,
        alert_topic_arn=None,
        excluded_types=frozenset(),
        directory_ttl_seconds=300,
        alert_dedup_table=None,
        alert_window_seconds=86_400,
        admin_rules_path=None,
    )


def test_every_variable_is_read() -> None:
    # GIVEN every variable set
    env = {
        ENV_MODE: "tag",
        ENV_ALERT_TOPIC_ARN: "arn:aws:sns:us-east-1:111122223333:alerts",
        ENV_EXCLUDED_TYPES: "TrialComponent",
        ENV_DIRECTORY_TTL_SECONDS: "60",
        ENV_ALERT_DEDUP_TABLE: "alert-dedup",
        ENV_ALERT_WINDOW_SECONDS: "3600",
        ENV_ADMIN_RULES_PATH: "/opt/rules.json",
    }

    # WHEN settings are read
    settings = EnforcerSettings.from_environment(env)

    # THEN each lands in its typed field
    assert settings.mode is EnforcementMode.TAG
    assert settings.alert_topic_arn == "arn:aws:sns:us-east-1:111122223333:alerts"
    assert settings.excluded_types == frozenset({"TrialComponent"})
    assert settings.directory_ttl_seconds == 60
    assert settings.alert_dedup_table == "alert-dedup"
    assert settings.alert_window_seconds == 3600
    assert settings.admin_rules_path == "/opt/rules.json"


@pytest.mark.parametrize("raw", ["TAG", " tag ", "Tag"])
def test_mode_ignores_case_and_surrounding_space(raw: str) -> None:
    # GIVEN a mode written loosely, as in a console parameter
    # WHEN settings are read
    # THEN it is still the tag mode
    assert EnforcerSettings.from_environment({ENV_MODE: raw}).mode is EnforcementMode.TAG


def test_unknown_mode_names_the_variable_the_value_and_the_choices() -> None:
    # GIVEN a mode that does not exist
    # WHEN settings are read
    # THEN the error says which variable, what it held, and what would work
    with pytest.raises(ValueError, match=r"ENFORCEMENT_MODE='enforce'.*'audit' or 'tag'"):
        EnforcerSettings.from_environment({ENV_MODE: "enforce"})


def test_excluded_types_are_split_on_commas_trimmed_and_empty_items_dropped() -> None:
    # GIVEN a hand-written comma list with spaces and stray commas
    env = {ENV_EXCLUDED_TYPES: " TrialComponent, ,Trial,,  Experiment ,"}

    # WHEN settings are read
    settings = EnforcerSettings.from_environment(env)

    # THEN only the names remain
    assert settings.excluded_types == frozenset({"TrialComponent", "Trial", "Experiment"})


@pytest.mark.parametrize("raw", ["5m", "-1", "1.5", "", "three hundred"])
def test_ttl_that_is_not_whole_seconds_is_rejected_with_the_variable_name(raw: str) -> None:
    # GIVEN a TTL that is not a count of seconds
    # WHEN settings are read
    # THEN the error names the variable and says what it needs
    with pytest.raises(ValueError, match=r"DIRECTORY_TTL_SECONDS=.*must be whole seconds"):
        EnforcerSettings.from_environment({ENV_DIRECTORY_TTL_SECONDS: raw})


@pytest.mark.parametrize("name", [ENV_DIRECTORY_TTL_SECONDS, ENV_ALERT_WINDOW_SECONDS])
def test_seconds_may_carry_surrounding_space(name: str) -> None:
    # GIVEN a duration pasted with a trailing newline
    # WHEN settings are read
    settings = EnforcerSettings.from_environment({name: " 120\n"})

    # THEN it is read as the number
    assert 120 in (settings.directory_ttl_seconds, settings.alert_window_seconds)


def test_a_non_numeric_alert_window_names_its_variable() -> None:
    # GIVEN an alert window written as a duration string
    # WHEN settings are read
    # THEN the error names ALERT_WINDOW_SECONDS
    with pytest.raises(ValueError, match=r"ALERT_WINDOW_SECONDS='1d' must be whole seconds"):
        EnforcerSettings.from_environment({ENV_ALERT_WINDOW_SECONDS: "1d"})


@pytest.mark.parametrize("name", [ENV_ALERT_TOPIC_ARN, ENV_ALERT_DEDUP_TABLE, ENV_ADMIN_RULES_PATH])
def test_empty_optional_names_mean_unset(name: str) -> None:
    # GIVEN a template that passes an empty optional parameter
    settings = EnforcerSettings.from_environment({name: ""})

    # WHEN settings are read
    # THEN it is unset rather than an empty name
    assert (settings.alert_topic_arn, settings.alert_dedup_table, settings.admin_rules_path) == (
        None,
        None,
        None,
    )


def test_ttl_with_a_superscript_digit_gets_the_friendly_error() -> None:
    # GIVEN a TTL with a character isdigit() accepts but int() does not
    # WHEN settings are read
    # THEN the error still names the variable
    with pytest.raises(ValueError, match="DIRECTORY_TTL_SECONDS"):
        EnforcerSettings.from_environment({ENV_DIRECTORY_TTL_SECONDS: "3²"})


def test_settings_read_the_process_environment_when_none_is_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # GIVEN the process environment selects tag mode
    monkeypatch.setenv(ENV_MODE, "tag")
    monkeypatch.setenv(ENV_DIRECTORY_TTL_SECONDS, "42")

    # WHEN settings are read without an explicit mapping
    settings = EnforcerSettings.from_environment()

    # THEN the process environment is used
    assert settings.mode is EnforcementMode.TAG
    assert settings.directory_ttl_seconds == 42
