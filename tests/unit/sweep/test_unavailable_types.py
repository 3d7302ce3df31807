"""Types whose API is retired or not offered in the region are reported once, not as failures."""

from __future__ import annotations

from tag_enforcer.core.errors import OperationUnavailableError
from tag_enforcer.core.tags import DOMAIN_TAG
from tests.support.studio import Studio
from tests.support.sweep import new_world


def test_a_retired_type_is_reported_unavailable_without_a_call(studio: Studio) -> None:
    # GIVEN a sweep over an Edge Manager type (discontinued on 2024-04-26) and a live one
    world = new_world(studio)

    # WHEN it runs
    result = world.service(types=("DeviceFleet", "Model")).run("cli")

    # THEN the retired type is unavailable, never listed, and the run is complete
    assert "discontinued" in result.summary.unavailable_types["DeviceFleet"]
    assert world.account.calls["ListDeviceFleets"] == 0
    assert result.summary.incomplete_types == {}


def test_a_type_the_region_does_not_offer_is_unavailable_not_incomplete(studio: Studio) -> None:
    # GIVEN a region where ListClusters answers UnknownOperationException
    world = new_world(studio)
    world.account.faults["ListClusters"] = [
        OperationUnavailableError("ListClusters is not available here (UnknownOperationException)")
    ]
    job = world.account.add("TrainingJob", "fit", details={"RoleArn": studio.role("AliceRole")})

    # WHEN the sweep runs over both types
    result = world.service(types=("Cluster", "TrainingJob")).run("cli")

    # THEN the cluster type is unavailable in us-east-1, once, and the rest is swept
    assert result.summary.unavailable_types["Cluster"].startswith("unavailable in us-east-1")
    assert world.account.calls["ListClusters"] == 1
    assert result.summary.incomplete_types == {}
    assert world.account.tags_of(job)[DOMAIN_TAG] == studio.finance.domain_arn
    assert result.summary.to_dict()["unavailableTypes"].keys() == {"Cluster"}
