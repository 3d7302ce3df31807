"""Reading pages: Search records carry their tags, List pages get theirs from one GetResources."""

from __future__ import annotations

from tag_enforcer.core import registry
from tag_enforcer.core.tags import DOMAIN_TAG
from tag_enforcer.sweep.enumeration import read_page, summary_arn, sweep_waves
from tests.support.studio import Studio, sm_arn
from tests.support.sweep import SCOPE, FakeSageMaker


def test_search_pages_carry_tags_and_details(studio: Studio) -> None:
    # GIVEN a tagged and an untagged training job
    account = FakeSageMaker()
    tagged = account.add(
        "TrainingJob",
        "tagged",
        tags={DOMAIN_TAG: studio.finance.domain_arn},
        details={"RoleArn": studio.role("AliceRole")},
    )
    account.add("TrainingJob", "untagged", details={"RoleArn": studio.role("DanRole")})

    # WHEN the first page is read
    page = read_page(registry.by_name("TrainingJob"), None, account, account, SCOPE)

    # THEN one Search call returned both, with tags and roles, and nothing else was asked
    assert account.calls == {"Search": 1}
    by_arn = {r.arn: r for r in page.resources}
    assert by_arn[tagged].tags == {DOMAIN_TAG: studio.finance.domain_arn}
    assert by_arn[tagged].document["RoleArn"] == studio.role("AliceRole")
    assert page.next_cursor is None


def test_list_pages_learn_tags_from_one_getresources_call(studio: Studio) -> None:
    # GIVEN 150 processing jobs, every third one tagged
    account = FakeSageMaker()
    for index in range(150):
        account.add(
            "ProcessingJob",
            f"pj-{index}",
            tags={DOMAIN_TAG: studio.finance.domain_arn} if index % 3 == 0 else None,
        )
    processing = registry.by_name("ProcessingJob")

    # WHEN both pages are read
    first = read_page(processing, None, account, account, SCOPE)
    second = read_page(processing, first.next_cursor, account, account, SCOPE)

    # THEN each page cost one List and one GetResources call; never-tagged ones have no tags
    assert account.calls == {"ListProcessingJobs": 2, "GetResources": 2}
    resources = first.resources + second.resources
    assert len(resources) == 150
    assert sum(1 for r in resources if r.tags) == 50
    assert second.next_cursor is None


def test_studio_summaries_without_an_arn_get_one_built_from_their_names(studio: Studio) -> None:
    # GIVEN ListApps and ListUserProfiles summaries, which carry no ARN (botocore model)
    app = registry.by_name("App")
    profile = registry.by_name("UserProfile")

    # WHEN their ARNs are built
    app_arn = summary_arn(
        app,
        {
            "DomainId": "d-finance00001",
            "SpaceName": "Team-Space",
            "AppType": "JupyterLab",
            "AppName": "default",
        },
        SCOPE,
    )
    profile_arn = summary_arn(
        profile, {"DomainId": "d-finance00001", "UserProfileName": "alice"}, SCOPE
    )

    # THEN they follow the documented formats, names lower-cased as SageMaker does
    assert app_arn == sm_arn("app", "d-finance00001", "team-space", "jupyterlab", "default")
    assert profile_arn == studio.profile("alice").arn


def test_deleted_apps_are_not_swept(studio: Studio) -> None:
    # GIVEN an app ListApps still shows as Deleted, and a live one
    account = FakeSageMaker()
    common = {
        "DomainId": studio.finance.domain_id,
        "UserProfileName": "alice",
        "AppType": "JupyterLab",
    }
    account.add("App", "gone", summary={**common, "AppName": "gone", "Status": "Deleted"})
    live = account.add("App", "live", summary={**common, "AppName": "live", "Status": "InService"})

    # WHEN the page is read
    page = read_page(registry.by_name("App"), None, account, account, SCOPE)

    # THEN only the live app is there
    assert [r.arn for r in page.resources] == [live]


def test_types_listed_within_a_parent_visit_every_parent(studio: Studio) -> None:
    # GIVEN two clusters, the first with 150 extensions and the second with 1
    account = FakeSageMaker()
    clusters = [account.add("Cluster", name) for name in ("c1", "c2")]
    for index in range(150):
        account.add(
            "ClusterExtension",
            f"ext-{index}",
            summary={"ClusterArn": clusters[0], "ExtensionArn": sm_arn("extension", f"e{index}")},
        )
    account.add(
        "ClusterExtension",
        "solo",
        summary={"ClusterArn": clusters[1], "ExtensionArn": sm_arn("extension", "solo")},
    )
    extension = registry.by_name("ClusterExtension")

    # WHEN pages are read until the cursor runs out
    cursor, seen, pages = None, [], 0
    while True:
        page = read_page(extension, cursor, account, account, SCOPE)
        seen += [r.arn for r in page.resources]
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            break

    # THEN every extension of every cluster was seen once
    assert len(seen) == len(set(seen)) == 151
    assert pages == 3
    assert account.calls["ListClusters"] == 1


def test_waves_put_lineage_parents_before_their_children() -> None:
    # GIVEN the types in an order where children come first
    names = ["Endpoint", "Trial", "EndpointConfig", "Experiment", "Model", "TrainingJob"]

    # WHEN they are grouped into waves
    waves = [[t.name for t in wave] for wave in sweep_waves(registry.by_name(n) for n in names)]

    # THEN every parent is in an earlier wave than its child
    level = {name: index for index, wave in enumerate(waves) for name in wave}
    assert level["Model"] < level["EndpointConfig"] < level["Endpoint"]
    assert level["Experiment"] < level["Trial"] < level["TrainingJob"]
    assert sorted(level) == sorted(names)


def test_every_registered_type_lands_in_a_wave() -> None:
    waves = sweep_waves(registry.RESOURCE_TYPES)
    assert sorted(t.name for wave in waves for t in wave) == sorted(
        t.name for t in registry.RESOURCE_TYPES
    )
