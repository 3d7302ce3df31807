"""The layer ships the SDK the tests run with: every runtime dependency at its locked version."""

from __future__ import annotations

from pathlib import Path

from tag_enforcer_dev import layer_requirements


def test_the_layer_requirements_are_the_locked_runtime_closure() -> None:
    # THEN the checked-in file is what `make sync` writes from requirements/dev.lock
    assert layer_requirements.LAYER_REQUIREMENTS.read_text() == layer_requirements.render()


def test_the_layer_ships_boto3_and_botocore_at_the_locked_versions() -> None:
    pins = layer_requirements.locked_versions()
    text = layer_requirements.LAYER_REQUIREMENTS.read_text()
    assert f"boto3=={pins['boto3']}" in text
    assert f"botocore=={pins['botocore']}" in text


def test_a_built_layer_with_another_botocore_is_caught(tmp_path: Path) -> None:
    # GIVEN a "built layer" whose botocore differs from the lock, and no boto3
    site = tmp_path / "python" / "botocore-0.0.1.dist-info"
    site.mkdir(parents=True)
    (site / "METADATA").write_text("Metadata-Version: 2.1\nName: botocore\nVersion: 0.0.1\n")

    # WHEN it is checked
    problems = layer_requirements.check_built(tmp_path)

    # THEN both differences are named
    assert any("botocore 0.0.1 in the layer" in p for p in problems)
    assert any("boto3 is missing" in p for p in problems)
