"""SageMaker Studio APIs and tagging fixes that moto 5.2.5 lacks, patched into moto at run time.

Why this exists: the emulated account is moto, and the enforcer must be exercised against
SageMaker *Studio* resources (domains, user profiles, spaces, apps) that moto 5.2.5 does not
implement (see docs/emulator.md, "Known gaps"). Product code must follow real
AWS, so the emulator is bent towards AWS here, never the other way round.

`install()` monkey-patches `moto.sagemaker.models.SageMakerModelBackend` and
`moto.sagemaker.responses.SageMakerResponse`. It is idempotent and must run before the first
request; it works under `moto.mock_aws()` and under a `ThreadedMotoServer` in the same process
(both dispatch to the same patched classes).

Gaps closed (request and response members follow botocore's `sagemaker` service model):

* User profiles: CreateUserProfile, DescribeUserProfile, ListUserProfiles, UpdateUserProfile,
  DeleteUserProfile. ARN `user-profile/{domain_id}/{name}`.
* Spaces: CreateSpace, DescribeSpace, ListSpaces, UpdateSpace, DeleteSpace (OwnershipSettings,
  SpaceSharingSettings, SpaceSettings, SpaceDisplayName are kept). ARN `space/{domain_id}/{name}`.
* Apps: CreateApp, DescribeApp, ListApps, DeleteApp. ARN
  `app/{domain_id}/{profile_or_space}/{app_type}/{app_name}`. A deleted app stays listed and
  describable with Status `Deleted` (as on AWS) and its name may be reused.
* UpdateDomain (DefaultUserSettings, DomainSettingsForUpdate, DefaultSpaceSettings and the
  scalar members). CreateDomain/UpdateDomain now keep TagPropagation and
  HomeEfsFileSystemCreation, which DescribeDomain returns. DescribeDomain/DeleteDomain of an
  unknown domain raise ResourceNotFound (moto: ValidationException); DeleteDomain raises
  ResourceInUse while user profiles or spaces remain.
* Validation: unknown DomainId / profile / space -> ResourceNotFound, duplicate name ->
  ResourceInUse, deleting a profile or space that still has live apps (or owned spaces) ->
  ResourceInUse.
* List pagination (NextToken/MaxResults, default page size 10), SortBy/SortOrder, and the
  DomainIdEquals / *NameContains / *NameEquals filters.
* Tagging, for every SageMaker resource type: AddTags overwrites an existing key; AddTags,
  ListTags and DeleteTags on an unknown, foreign or unparsable ARN raise ValidationException;
  a domain created without Tags can be tagged; CreateExperiment keeps its Tags; Studio ARNs
  work with all three calls.
* Resource Groups Tagging API: GetResources/TagResources/UntagResources see user profiles
  (`sagemaker:user-profile`), spaces (`sagemaker:space`) and apps (`sagemaker:app`); trials are
  typed `sagemaker:experiment-trial(-component)` like their ARN segment; model cards no longer
  crash the listing.

Not covered: resource state transitions (everything is `InService` at once), Studio
lifecycle configs, MLflow tracking servers, presigned URLs, SageMaker Search over Studio
resources, the 50-tag limit, `aws:` key checks, moto's domain ids (`d-{DomainName}`), and the
exact wording of AWS error messages (codes match, texts are approximate).
SageMaker lower-cases names inside ARNs; this module does so for all three Studio ARNs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from moto.core.resource_tagging import TaggedResource
from moto.core.responses import ActionResult, EmptyResult
from moto.core.utils import utcnow
from moto.sagemaker.exceptions import ResourceInUseException, ResourceNotFound, ValidationError
from moto.sagemaker.models import Domain, SageMakerModelBackend
from moto.sagemaker.responses import SageMakerResponse
from moto.utilities.paginator import paginate
from moto.utilities.utils import get_partition

Tags = list[dict[str, str]]

_INSTALLED_MARKER = "_tag_enforcer_studio_installed"
_STORE_ATTRIBUTE = "_tag_enforcer_studio_store"

# AWS documents no default page size; a small one makes callers exercise NextToken.
_DEFAULT_PAGE_SIZE = 10
_PAGINATION_MODEL: dict[str, dict[str, Any]] = {
    name: {
        "input_token": "next_token",
        "limit_key": "max_results",
        "limit_default": _DEFAULT_PAGE_SIZE,
        "unique_attribute": "arn",
    }
    for name in ("list_user_profiles", "list_spaces", "list_apps")
}
# Same contract as moto's own ListTags pagination (the response calls it with these names).
_TAG_PAGINATION_MODEL: dict[str, dict[str, Any]] = {
    "_list_tags": {
        "input_token": "NextToken",
        "limit_key": "MaxResults",
        "limit_default": 50,
        "unique_attribute": "Key",
    }
}
_FIRST_HOME_EFS_UID = 200001  # SageMaker hands out POSIX uids from 200001 upwards.


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    """Drop unset members so responses carry only what AWS would return."""
    return {key: value for key, value in data.items() if value is not None}


def _merge_tags(existing: Tags | None, new: Tags | None) -> Tags:
    """AWS semantics: a key is unique per resource and a later value overwrites it."""
    merged: dict[str, str] = {}
    for tag in [*(existing or []), *(new or [])]:
        merged[tag["Key"]] = tag.get("Value", "")
    return [{"Key": key, "Value": value} for key, value in merged.items()]


def _merge_settings(current: dict[str, Any] | None, update: dict[str, Any] | None) -> Any:
    """Update* calls replace the members they name and keep the others."""
    if update is None:
        return current
    return {**(current or {}), **update}


def _sorted(items: list[Any], sort_by: str | None, sort_order: str | None) -> list[Any]:
    key = "last_modified_time" if sort_by == "LastModifiedTime" else "creation_time"
    return sorted(items, key=lambda item: getattr(item, key), reverse=sort_order == "Descending")


def _studio_arn(backend: SageMakerModelBackend, resource: str) -> str:
    partition = get_partition(backend.region_name)
    return (
        f"arn:{partition}:sagemaker:{backend.region_name}:{backend.account_id}:{resource.lower()}"
    )


def _unknown_arn(arn: str) -> ValidationError:
    return ValidationError(message=f"Resource {arn} does not exist.")


# --------------------------------------------------------------------------------------------
# Resources
# --------------------------------------------------------------------------------------------


@dataclass
class _StudioResource:
    domain_id: str
    arn: str
    tags: Tags
    status: str = "InService"
    creation_time: datetime = field(default_factory=utcnow)
    last_modified_time: datetime = field(default_factory=utcnow)

    def touch(self) -> None:
        self.last_modified_time = utcnow()


@dataclass
class _UserProfile(_StudioResource):
    name: str = ""
    home_efs_file_system_uid: str = ""
    user_settings: dict[str, Any] | None = None
    single_sign_on_user_identifier: str | None = None
    single_sign_on_user_value: str | None = None

    def describe(self) -> dict[str, Any]:
        return _compact(
            {
                "DomainId": self.domain_id,
                "UserProfileArn": self.arn,
                "UserProfileName": self.name,
                "HomeEfsFileSystemUid": self.home_efs_file_system_uid,
                "Status": self.status,
                "LastModifiedTime": self.last_modified_time,
                "CreationTime": self.creation_time,
                "SingleSignOnUserIdentifier": self.single_sign_on_user_identifier,
                "SingleSignOnUserValue": self.single_sign_on_user_value,
                "UserSettings": self.user_settings,
            }
        )

    def summary(self) -> dict[str, Any]:
        return {
            "DomainId": self.domain_id,
            "UserProfileName": self.name,
            "Status": self.status,
            "CreationTime": self.creation_time,
            "LastModifiedTime": self.last_modified_time,
        }


@dataclass
class _Space(_StudioResource):
    name: str = ""
    home_efs_file_system_uid: str = ""
    space_settings: dict[str, Any] | None = None
    ownership_settings: dict[str, Any] | None = None
    space_sharing_settings: dict[str, Any] | None = None
    space_display_name: str | None = None

    def describe(self) -> dict[str, Any]:
        return _compact(
            {
                "DomainId": self.domain_id,
                "SpaceArn": self.arn,
                "SpaceName": self.name,
                "HomeEfsFileSystemUid": self.home_efs_file_system_uid,
                "Status": self.status,
                "LastModifiedTime": self.last_modified_time,
                "CreationTime": self.creation_time,
                "SpaceSettings": self.space_settings,
                "OwnershipSettings": self.ownership_settings,
                "SpaceSharingSettings": self.space_sharing_settings,
                "SpaceDisplayName": self.space_display_name,
            }
        )

    def summary(self) -> dict[str, Any]:
        settings = self.space_settings or {}
        settings_summary = _compact(
            {
                "AppType": settings.get("AppType"),
                "RemoteAccess": settings.get("RemoteAccess"),
                "SpaceStorageSettings": settings.get("SpaceStorageSettings"),
            }
        )
        sharing = self.space_sharing_settings or {}
        ownership = self.ownership_settings or {}
        return _compact(
            {
                "DomainId": self.domain_id,
                "SpaceName": self.name,
                "Status": self.status,
                "CreationTime": self.creation_time,
                "LastModifiedTime": self.last_modified_time,
                "SpaceSettingsSummary": settings_summary or None,
                "SpaceSharingSettingsSummary": (
                    {"SharingType": sharing["SharingType"]} if "SharingType" in sharing else None
                ),
                "OwnershipSettingsSummary": (
                    {"OwnerUserProfileName": ownership["OwnerUserProfileName"]}
                    if "OwnerUserProfileName" in ownership
                    else None
                ),
                "SpaceDisplayName": self.space_display_name,
            }
        )


@dataclass
class _App(_StudioResource):
    app_type: str = ""
    app_name: str = ""
    user_profile_name: str | None = None
    space_name: str | None = None
    resource_spec: dict[str, Any] | None = None
    recovery_mode: bool | None = None

    @property
    def owner(self) -> str:
        return self.user_profile_name or self.space_name or ""

    @property
    def is_live(self) -> bool:
        return self.status != "Deleted"

    def describe(self) -> dict[str, Any]:
        return _compact(
            {
                "AppArn": self.arn,
                "AppType": self.app_type,
                "AppName": self.app_name,
                "DomainId": self.domain_id,
                "UserProfileName": self.user_profile_name,
                "SpaceName": self.space_name,
                "Status": self.status,
                "RecoveryMode": self.recovery_mode,
                "CreationTime": self.creation_time,
                "ResourceSpec": self.resource_spec,
            }
        )

    def summary(self) -> dict[str, Any]:
        return _compact(
            {
                "DomainId": self.domain_id,
                "UserProfileName": self.user_profile_name,
                "SpaceName": self.space_name,
                "AppType": self.app_type,
                "AppName": self.app_name,
                "Status": self.status,
                "CreationTime": self.creation_time,
                "ResourceSpec": self.resource_spec,
            }
        )


# --------------------------------------------------------------------------------------------
# Per-backend store (one per account and region, like the backend it hangs off)
# --------------------------------------------------------------------------------------------


class _StudioStore:
    """User profiles, spaces and apps of one SageMaker backend, with AWS-like validation."""

    def __init__(self, backend: SageMakerModelBackend) -> None:
        self.backend = backend
        self.user_profiles: dict[tuple[str, str], _UserProfile] = {}
        self.spaces: dict[tuple[str, str], _Space] = {}
        # Keyed by (domain, "user"|"space", owner, app type, app name).
        self.apps: dict[tuple[str, str, str, str, str], _App] = {}
        self._next_uid = _FIRST_HOME_EFS_UID

    @classmethod
    def of(cls, backend: SageMakerModelBackend) -> _StudioStore:
        # Lazily attached: moto's reset() rebuilds the backend's __dict__, which drops it too.
        store = getattr(backend, _STORE_ATTRIBUTE, None)
        if store is None:
            store = cls(backend)
            setattr(backend, _STORE_ATTRIBUTE, store)
        return store

    def _take_uid(self) -> str:
        uid, self._next_uid = self._next_uid, self._next_uid + 1
        return str(uid)

    def require_domain(self, domain_id: str) -> Domain:
        domain = self.backend.domains.get(domain_id)
        if domain is None:
            raise ResourceNotFound(message=f"Domain {domain_id} does not exist.")
        return domain

    def all_resources(self) -> Iterator[_StudioResource]:
        yield from self.user_profiles.values()
        yield from self.spaces.values()
        yield from (app for app in self.apps.values() if app.is_live)

    def find_by_arn(self, arn: str) -> _StudioResource | None:
        wanted = arn.lower()
        return next((r for r in self.all_resources() if r.arn.lower() == wanted), None)

    # -- user profiles -------------------------------------------------------------------

    def create_user_profile(
        self,
        *,
        domain_id: str,
        name: str,
        user_settings: dict[str, Any] | None,
        sso_identifier: str | None,
        sso_value: str | None,
        tags: Tags | None,
    ) -> _UserProfile:
        self.require_domain(domain_id)
        if (domain_id, name) in self.user_profiles:
            raise ResourceInUseException(
                message=f"Resource Already Exists: UserProfile with name {name} already exists. "
                "Choose a different name."
            )
        profile = _UserProfile(
            domain_id=domain_id,
            arn=_studio_arn(self.backend, f"user-profile/{domain_id}/{name}"),
            tags=_merge_tags([], tags),
            name=name,
            home_efs_file_system_uid=self._take_uid(),
            user_settings=user_settings,
            single_sign_on_user_identifier=sso_identifier,
            single_sign_on_user_value=sso_value,
        )
        self.user_profiles[(domain_id, name)] = profile
        return profile

    def get_user_profile(self, domain_id: str, name: str) -> _UserProfile:
        profile = self.user_profiles.get((domain_id, name))
        if profile is None:
            raise ResourceNotFound(
                message=f"User profile {name} in domain {domain_id} does not exist."
            )
        return profile

    @paginate(pagination_model=_PAGINATION_MODEL)
    def list_user_profiles(
        self,
        domain_id_equals: str | None = None,
        name_contains: str | None = None,
        sort_by: str | None = None,
        sort_order: str | None = None,
    ) -> list[_UserProfile]:
        profiles = [
            profile
            for profile in self.user_profiles.values()
            if domain_id_equals in (None, profile.domain_id)
            and (not name_contains or name_contains in profile.name)
        ]
        return _sorted(profiles, sort_by, sort_order)

    def update_user_profile(
        self, domain_id: str, name: str, user_settings: dict[str, Any] | None
    ) -> _UserProfile:
        profile = self.get_user_profile(domain_id, name)
        profile.user_settings = _merge_settings(profile.user_settings, user_settings)
        profile.touch()
        return profile

    def delete_user_profile(self, domain_id: str, name: str) -> None:
        self.get_user_profile(domain_id, name)
        if any(app.is_live for app in self._apps_of(domain_id, "user", name)):
            raise ResourceInUseException(
                message=f"User profile {name} has apps that are not deleted. Delete them first."
            )
        owned = [
            space.name
            for space in self.spaces.values()
            if space.domain_id == domain_id
            and (space.ownership_settings or {}).get("OwnerUserProfileName") == name
        ]
        if owned:
            raise ResourceInUseException(
                message=f"User profile {name} owns spaces {owned}. Delete them first."
            )
        self._forget_apps(domain_id, "user", name)
        del self.user_profiles[(domain_id, name)]

    # -- spaces ----------------------------------------------------------------------------

    def create_space(
        self,
        *,
        domain_id: str,
        name: str,
        space_settings: dict[str, Any] | None,
        ownership_settings: dict[str, Any] | None,
        space_sharing_settings: dict[str, Any] | None,
        display_name: str | None,
        tags: Tags | None,
    ) -> _Space:
        self.require_domain(domain_id)
        if (domain_id, name) in self.spaces:
            raise ResourceInUseException(
                message=f"Resource Already Exists: Space with name {name} already exists. "
                "Choose a different name."
            )
        if (ownership_settings is None) != (space_sharing_settings is None):
            raise ValidationError(
                message="OwnershipSettings and SpaceSharingSettings must be specified together."
            )
        if ownership_settings is not None:
            self.get_user_profile(domain_id, ownership_settings["OwnerUserProfileName"])
        space = _Space(
            domain_id=domain_id,
            arn=_studio_arn(self.backend, f"space/{domain_id}/{name}"),
            tags=_merge_tags([], tags),
            name=name,
            home_efs_file_system_uid=self._take_uid(),
            space_settings=space_settings,
            ownership_settings=ownership_settings,
            space_sharing_settings=space_sharing_settings,
            space_display_name=display_name,
        )
        self.spaces[(domain_id, name)] = space
        return space

    def get_space(self, domain_id: str, name: str) -> _Space:
        space = self.spaces.get((domain_id, name))
        if space is None:
            raise ResourceNotFound(message=f"Space {name} in domain {domain_id} does not exist.")
        return space

    @paginate(pagination_model=_PAGINATION_MODEL)
    def list_spaces(
        self,
        domain_id_equals: str | None = None,
        name_contains: str | None = None,
        sort_by: str | None = None,
        sort_order: str | None = None,
    ) -> list[_Space]:
        spaces = [
            space
            for space in self.spaces.values()
            if domain_id_equals in (None, space.domain_id)
            and (not name_contains or name_contains in space.name)
        ]
        return _sorted(spaces, sort_by, sort_order)

    def update_space(
        self,
        domain_id: str,
        name: str,
        space_settings: dict[str, Any] | None,
        display_name: str | None,
    ) -> _Space:
        space = self.get_space(domain_id, name)
        space.space_settings = _merge_settings(space.space_settings, space_settings)
        if display_name is not None:
            space.space_display_name = display_name
        space.touch()
        return space

    def delete_space(self, domain_id: str, name: str) -> None:
        self.get_space(domain_id, name)
        if any(app.is_live for app in self._apps_of(domain_id, "space", name)):
            raise ResourceInUseException(
                message=f"Space {name} has apps that are not deleted. Delete them first."
            )
        self._forget_apps(domain_id, "space", name)
        del self.spaces[(domain_id, name)]

    # -- apps ------------------------------------------------------------------------------

    def _app_key(
        self,
        domain_id: str,
        user_profile_name: str | None,
        space_name: str | None,
        app_type: str,
        app_name: str,
    ) -> tuple[str, str, str, str, str]:
        # Exactly one owner, as the API reference requires for every App call.
        if bool(user_profile_name) == bool(space_name):
            raise ValidationError(
                message="Exactly one of UserProfileName or SpaceName must be specified."
            )
        if user_profile_name:
            return (domain_id, "user", user_profile_name, app_type, app_name)
        return (domain_id, "space", space_name or "", app_type, app_name)

    def _apps_of(self, domain_id: str, kind: str, owner: str) -> list[_App]:
        return [app for key, app in self.apps.items() if key[:3] == (domain_id, kind, owner)]

    def _forget_apps(self, domain_id: str, kind: str, owner: str) -> None:
        for key in [key for key in self.apps if key[:3] == (domain_id, kind, owner)]:
            del self.apps[key]

    def create_app(
        self,
        *,
        domain_id: str,
        user_profile_name: str | None,
        space_name: str | None,
        app_type: str,
        app_name: str,
        resource_spec: dict[str, Any] | None,
        recovery_mode: bool | None,
        tags: Tags | None,
    ) -> _App:
        self.require_domain(domain_id)
        key = self._app_key(domain_id, user_profile_name, space_name, app_type, app_name)
        if user_profile_name:
            self.get_user_profile(domain_id, user_profile_name)
        else:
            self.get_space(domain_id, space_name or "")
        existing = self.apps.get(key)
        if existing is not None and existing.is_live:
            raise ResourceInUseException(
                message=f"Resource Already Exists: App with name {app_name} already exists."
            )
        owner = key[2]
        app = _App(
            domain_id=domain_id,
            arn=_studio_arn(self.backend, f"app/{domain_id}/{owner}/{app_type}/{app_name}"),
            tags=_merge_tags([], tags),
            app_type=app_type,
            app_name=app_name,
            user_profile_name=user_profile_name or None,
            space_name=space_name or None,
            resource_spec=resource_spec,
            recovery_mode=recovery_mode,
        )
        self.apps[key] = app
        return app

    def get_app(
        self,
        domain_id: str,
        user_profile_name: str | None,
        space_name: str | None,
        app_type: str,
        app_name: str,
    ) -> _App:
        key = self._app_key(domain_id, user_profile_name, space_name, app_type, app_name)
        app = self.apps.get(key)
        if app is None:
            raise ResourceNotFound(message=f"App {app_name} of type {app_type} does not exist.")
        return app

    @paginate(pagination_model=_PAGINATION_MODEL)
    def list_apps(
        self,
        domain_id_equals: str | None = None,
        user_profile_name_equals: str | None = None,
        space_name_equals: str | None = None,
        sort_order: str | None = None,
    ) -> list[_App]:
        apps = [
            app
            for app in self.apps.values()
            if domain_id_equals in (None, app.domain_id)
            and user_profile_name_equals in (None, app.user_profile_name)
            and space_name_equals in (None, app.space_name)
        ]
        return _sorted(apps, "CreationTime", sort_order)

    def delete_app(
        self,
        domain_id: str,
        user_profile_name: str | None,
        space_name: str | None,
        app_type: str,
        app_name: str,
    ) -> None:
        app = self.get_app(domain_id, user_profile_name, space_name, app_type, app_name)
        if not app.is_live:
            raise ResourceNotFound(message=f"App {app_name} of type {app_type} is deleted.")
        # AWS keeps a deleted app visible (Status "Deleted") for a while; so do we.
        app.status = "Deleted"
        app.touch()

    # -- domains ---------------------------------------------------------------------------

    def ensure_domain_is_empty(self, domain_id: str) -> None:
        in_use = [
            *(p.name for p in self.user_profiles.values() if p.domain_id == domain_id),
            *(s.name for s in self.spaces.values() if s.domain_id == domain_id),
        ]
        if in_use:
            raise ResourceInUseException(
                message=f"Domain {domain_id} still has user profiles or spaces: {in_use}."
            )
        for key in [key for key in self.apps if key[0] == domain_id]:
            del self.apps[key]

    def update_domain(self, domain_id: str, params: dict[str, Any]) -> Domain:
        domain = self.require_domain(domain_id)
        domain.default_user_settings = _merge_settings(
            domain.default_user_settings, params.get("DefaultUserSettings")
        )
        domain.default_space_settings = _merge_settings(
            domain.default_space_settings, params.get("DefaultSpaceSettings")
        )
        for_update = dict(params.get("DomainSettingsForUpdate") or {})
        if for_update:
            # The *ForUpdate member maps onto DomainSettings' RStudioServerProDomainSettings.
            rstudio = for_update.pop("RStudioServerProDomainSettingsForUpdate", None)
            settings = _merge_settings(domain.domain_settings, for_update)
            if rstudio is not None:
                settings["RStudioServerProDomainSettings"] = _merge_settings(
                    settings.get("RStudioServerProDomainSettings"), rstudio
                )
            domain.domain_settings = settings
        for member, attribute in _DOMAIN_SCALAR_MEMBERS.items():
            if params.get(member) is not None:
                setattr(domain, attribute, params[member])
        domain.last_modified_time = utcnow()
        return domain


# Top-level UpdateDomain members that simply replace the stored value.
_DOMAIN_SCALAR_MEMBERS = {
    "AppSecurityGroupManagement": "app_security_group_management",
    "SubnetIds": "subnet_ids",
    "AppNetworkAccessType": "app_network_access_type",
    "TagPropagation": "tag_propagation",
    "HomeEfsFileSystemCreation": "home_efs_file_system_creation",
    "VpcId": "vpc_id",
}


# --------------------------------------------------------------------------------------------
# Backend patches: tagging for every resource type
# --------------------------------------------------------------------------------------------

_ORIGINALS: dict[str, Callable[..., Any]] = {}
# The ResourceArn pattern of botocore's SageMaker model (AddTags, ListTags, DeleteTags).
_ARN_CONSTRAINT = "arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:[0-9]{12}:.+"
_ARN_PATTERN = re.compile(_ARN_CONSTRAINT)


def _resource_from_arn(self: SageMakerModelBackend, arn: str) -> Any:
    """Find any SageMaker resource by ARN, or raise ValidationException like AWS."""
    if not _ARN_PATTERN.fullmatch(arn or ""):
        # AWS rejects a malformed ARN at input validation, before looking anything up.
        raise ValidationError(
            message=f"1 validation error detected: Value '{arn}' at 'resourceArn' failed to "
            f"satisfy constraint: Member must satisfy regular expression pattern: "
            f"{_ARN_CONSTRAINT}"
        )
    studio = _StudioStore.of(self).find_by_arn(arn)
    if studio is not None:
        return studio
    try:
        resource = _ORIGINALS["_get_resource_from_arn"](self, arn)
    except (ValueError, AttributeError, KeyError, TypeError, IndexError, ValidationError):
        # moto splits the ARN into exactly two parts and indexes dicts blindly.
        resource = None
    if resource is None:
        resource = _resource_by_lowercased_name(self, arn)
    # moto looks up by name only; the full ARN must match (account, region, segment).
    resource_arn = getattr(resource, "arn", "")
    if isinstance(resource_arn, tuple):
        # moto 5.2.5's FakeEndpointConfig stores its ARN as a one-element tuple.
        resource_arn = resource_arn[0] if resource_arn else ""
    if resource is None or str(resource_arn).lower() != arn.lower():
        raise _unknown_arn(arn)
    return resource


def _resource_by_lowercased_name(self: SageMakerModelBackend, arn: str) -> Any:
    """SageMaker lower-cases names in ARNs (e.g. TrainingJobArn); moto keys by the name as given.

    A caller holding the real, lower-cased ARN must still find a resource created
    with capitals in its name.
    """
    segment, _, name = arn.split(":", 5)[-1].partition("/")
    for collection in vars(self).values():
        if not isinstance(collection, dict):
            continue
        for key, resource in collection.items():
            if not isinstance(key, str) or key.lower() != name.lower():
                continue
            candidate = resource[0] if isinstance(resource, list) and resource else resource
            candidate_arn = getattr(candidate, "arn", "")
            if isinstance(candidate_arn, tuple):
                candidate_arn = candidate_arn[0] if candidate_arn else ""
            # Some moto resources (lifecycle configs, for one) keep no tags at all.
            if f":{segment}/" in str(candidate_arn) and hasattr(candidate, "tags"):
                return candidate
    return None


def _add_tags(self: SageMakerModelBackend, arn: str, tags: Tags) -> Tags:
    resource = _resource_from_arn(self, arn)
    resource.tags = _merge_tags(resource.tags, tags)
    return list(resource.tags)


@paginate(pagination_model=_TAG_PAGINATION_MODEL)
def _list_tags(self: SageMakerModelBackend, arn: str) -> Tags:
    resource = _resource_from_arn(self, arn)
    return list(resource.tags or [])


def _delete_tags(self: SageMakerModelBackend, arn: str, tag_keys: list[str]) -> None:
    resource = _resource_from_arn(self, arn)
    resource.tags = [tag for tag in resource.tags or [] if tag["Key"] not in tag_keys]


def _iter_tagged_resources(self: SageMakerModelBackend) -> Iterator[TaggedResource]:
    # Resource types are the ARN's resource segment, as the Tagging API reports them.
    sources: dict[str, dict[str, Any]] = {
        "sagemaker:automl-job": self.auto_ml_jobs,
        "sagemaker:cluster": self.clusters,
        "sagemaker:compilation-job": self.compilation_jobs,
        "sagemaker:data-quality-job-definition": self.data_quality_job_definitions,
        "sagemaker:domain": self.domains,
        "sagemaker:endpoint": self.endpoints,
        "sagemaker:endpoint-config": self.endpoint_configs,
        "sagemaker:experiment": self.experiments,
        "sagemaker:experiment-trial": self.trials,
        "sagemaker:experiment-trial-component": self.trial_components,
        "sagemaker:feature-group": self.feature_groups,
        "sagemaker:hyper-parameter-tuning-job": self.hyper_parameter_tuning_jobs,
        "sagemaker:model": self._models,
        "sagemaker:model-bias-job-definition": self.model_bias_job_definitions,
        "sagemaker:model-card": self.model_cards,
        "sagemaker:model-explainability-job-definition": (
            self.model_explainability_job_definitions
        ),
        "sagemaker:model-package": self.model_packages,
        "sagemaker:model-package-group": self.model_package_groups,
        "sagemaker:model-quality-job-definition": self.model_quality_job_definitions,
        "sagemaker:notebook-instance": self.notebook_instances,
        "sagemaker:notebook-instance-lifecycle-config": (
            self.notebook_instance_lifecycle_configurations
        ),
        "sagemaker:pipeline": self.pipelines,
        "sagemaker:pipeline-execution": self.pipeline_executions,
        "sagemaker:processing-job": self.processing_jobs,
        "sagemaker:training-job": self.training_jobs,
        "sagemaker:transform-job": self.transform_jobs,
    }
    store = _StudioStore.of(self)
    sources["sagemaker:user-profile"] = {p.arn: p for p in store.user_profiles.values()}
    sources["sagemaker:space"] = {s.arn: s for s in store.spaces.values()}
    sources["sagemaker:app"] = {a.arn: a for a in store.apps.values() if a.is_live}
    for resource_type, items in sources.items():
        for item in list(items.values()):
            # Model cards are a list of versions; moto's tag calls read and write the first.
            resource = (item[0] if item else None) if isinstance(item, list) else item
            if resource is None:
                continue
            tags = getattr(resource, "tags", None) or []
            yield TaggedResource(
                arn=resource.arn,
                tags={tag["Key"]: tag["Value"] for tag in tags},
                resource_type=resource_type,
            )


def _describe_domain(self: SageMakerModelBackend, domain_id: str) -> dict[str, Any]:
    _StudioStore.of(self).require_domain(domain_id)
    return dict(_ORIGINALS["describe_domain"](self, domain_id))


def _delete_domain(
    self: SageMakerModelBackend, domain_id: str, retention_policy: dict[str, str] | None
) -> None:
    store = _StudioStore.of(self)
    store.require_domain(domain_id)
    store.ensure_domain_is_empty(domain_id)
    _ORIGINALS["delete_domain"](self, domain_id, retention_policy)


def _domain_describe(self: Domain) -> dict[str, Any]:
    # moto drops these two CreateDomain members; DescribeDomain returns them on AWS.
    description = dict(_ORIGINALS["Domain.describe"](self))
    description["TagPropagation"] = getattr(self, "tag_propagation", None)
    description["HomeEfsFileSystemCreation"] = getattr(self, "home_efs_file_system_creation", None)
    return description


# --------------------------------------------------------------------------------------------
# Response patches: one method per action, named as moto's dispatcher expects (snake_case)
# --------------------------------------------------------------------------------------------


def _store(response: SageMakerResponse) -> _StudioStore:
    return _StudioStore.of(response.sagemaker_backend)


def _param(response: SageMakerResponse, name: str) -> Any:
    return response._get_param(name)


def _page(items: list[Any], key: str, next_token: str | None) -> ActionResult:
    return ActionResult(
        _compact({key: [item.summary() for item in items], "NextToken": next_token})
    )


def _create_user_profile(self: SageMakerResponse) -> ActionResult:
    profile = _store(self).create_user_profile(
        domain_id=_param(self, "DomainId"),
        name=_param(self, "UserProfileName"),
        user_settings=_param(self, "UserSettings"),
        sso_identifier=_param(self, "SingleSignOnUserIdentifier"),
        sso_value=_param(self, "SingleSignOnUserValue"),
        tags=_param(self, "Tags"),
    )
    return ActionResult({"UserProfileArn": profile.arn})


def _describe_user_profile(self: SageMakerResponse) -> ActionResult:
    profile = _store(self).get_user_profile(
        _param(self, "DomainId"), _param(self, "UserProfileName")
    )
    return ActionResult(profile.describe())


def _list_user_profiles(self: SageMakerResponse) -> ActionResult:
    profiles, next_token = _store(self).list_user_profiles(
        domain_id_equals=_param(self, "DomainIdEquals"),
        name_contains=_param(self, "UserProfileNameContains"),
        sort_by=_param(self, "SortBy"),
        sort_order=_param(self, "SortOrder"),
        next_token=_param(self, "NextToken"),
        max_results=_param(self, "MaxResults"),
    )
    return _page(profiles, "UserProfiles", next_token)


def _update_user_profile(self: SageMakerResponse) -> ActionResult:
    profile = _store(self).update_user_profile(
        _param(self, "DomainId"), _param(self, "UserProfileName"), _param(self, "UserSettings")
    )
    return ActionResult({"UserProfileArn": profile.arn})


def _delete_user_profile(self: SageMakerResponse) -> ActionResult:
    _store(self).delete_user_profile(_param(self, "DomainId"), _param(self, "UserProfileName"))
    return EmptyResult()


def _create_space(self: SageMakerResponse) -> ActionResult:
    space = _store(self).create_space(
        domain_id=_param(self, "DomainId"),
        name=_param(self, "SpaceName"),
        space_settings=_param(self, "SpaceSettings"),
        ownership_settings=_param(self, "OwnershipSettings"),
        space_sharing_settings=_param(self, "SpaceSharingSettings"),
        display_name=_param(self, "SpaceDisplayName"),
        tags=_param(self, "Tags"),
    )
    return ActionResult({"SpaceArn": space.arn})


def _describe_space(self: SageMakerResponse) -> ActionResult:
    space = _store(self).get_space(_param(self, "DomainId"), _param(self, "SpaceName"))
    return ActionResult(space.describe())


def _list_spaces(self: SageMakerResponse) -> ActionResult:
    spaces, next_token = _store(self).list_spaces(
        domain_id_equals=_param(self, "DomainIdEquals"),
        name_contains=_param(self, "SpaceNameContains"),
        sort_by=_param(self, "SortBy"),
        sort_order=_param(self, "SortOrder"),
        next_token=_param(self, "NextToken"),
        max_results=_param(self, "MaxResults"),
    )
    return _page(spaces, "Spaces", next_token)


def _update_space(self: SageMakerResponse) -> ActionResult:
    space = _store(self).update_space(
        _param(self, "DomainId"),
        _param(self, "SpaceName"),
        _param(self, "SpaceSettings"),
        _param(self, "SpaceDisplayName"),
    )
    return ActionResult({"SpaceArn": space.arn})


def _delete_space(self: SageMakerResponse) -> ActionResult:
    _store(self).delete_space(_param(self, "DomainId"), _param(self, "SpaceName"))
    return EmptyResult()


def _app_identity(self: SageMakerResponse) -> dict[str, Any]:
    return {
        "domain_id": _param(self, "DomainId"),
        "user_profile_name": _param(self, "UserProfileName"),
        "space_name": _param(self, "SpaceName"),
        "app_type": _param(self, "AppType"),
        "app_name": _param(self, "AppName"),
    }


def _create_app(self: SageMakerResponse) -> ActionResult:
    app = _store(self).create_app(
        **_app_identity(self),
        resource_spec=_param(self, "ResourceSpec"),
        recovery_mode=_param(self, "RecoveryMode"),
        tags=_param(self, "Tags"),
    )
    return ActionResult({"AppArn": app.arn})


def _describe_app(self: SageMakerResponse) -> ActionResult:
    return ActionResult(_store(self).get_app(**_app_identity(self)).describe())


def _list_apps(self: SageMakerResponse) -> ActionResult:
    apps, next_token = _store(self).list_apps(
        domain_id_equals=_param(self, "DomainIdEquals"),
        user_profile_name_equals=_param(self, "UserProfileNameEquals"),
        space_name_equals=_param(self, "SpaceNameEquals"),
        sort_order=_param(self, "SortOrder"),
        next_token=_param(self, "NextToken"),
        max_results=_param(self, "MaxResults"),
    )
    return _page(apps, "Apps", next_token)


def _delete_app(self: SageMakerResponse) -> ActionResult:
    _store(self).delete_app(**_app_identity(self))
    return EmptyResult()


def _update_domain(self: SageMakerResponse) -> ActionResult:
    params = {
        member: _param(self, member)
        for member in (
            "DefaultUserSettings",
            "DomainSettingsForUpdate",
            "DefaultSpaceSettings",
            *_DOMAIN_SCALAR_MEMBERS,
        )
    }
    domain = _store(self).update_domain(_param(self, "DomainId"), params)
    return ActionResult({"DomainArn": domain.arn})


def _create_domain(self: SageMakerResponse) -> ActionResult:
    result: ActionResult = _ORIGINALS["create_domain"](self)
    domain_arn = result.result["DomainArn"]  # type: ignore[index]
    domain = next(d for d in self.sagemaker_backend.domains.values() if d.arn == domain_arn)
    domain.tags = _merge_tags([], domain.tags)  # never None, so AddTags/ListTags work
    for member in ("TagPropagation", "HomeEfsFileSystemCreation"):
        setattr(domain, _DOMAIN_SCALAR_MEMBERS[member], _param(self, member))
    return result


def _create_experiment(self: SageMakerResponse) -> ActionResult:
    result: ActionResult = _ORIGINALS["create_experiment"](self)
    experiment = self.sagemaker_backend.experiments[_param(self, "ExperimentName")]
    experiment.tags = _merge_tags([], _param(self, "Tags"))
    return result


_NEW_ACTIONS: tuple[Callable[[SageMakerResponse], ActionResult], ...] = (
    _create_user_profile,
    _describe_user_profile,
    _list_user_profiles,
    _update_user_profile,
    _delete_user_profile,
    _create_space,
    _describe_space,
    _list_spaces,
    _update_space,
    _delete_space,
    _create_app,
    _describe_app,
    _list_apps,
    _delete_app,
    _update_domain,
)


# --------------------------------------------------------------------------------------------
# Installation
# --------------------------------------------------------------------------------------------


def install() -> None:
    """Patch moto's SageMaker backend and responses. Safe to call more than once."""
    if getattr(SageMakerResponse, _INSTALLED_MARKER, False):
        return
    _ORIGINALS.update(
        {
            "_get_resource_from_arn": SageMakerModelBackend._get_resource_from_arn,
            "describe_domain": SageMakerModelBackend.describe_domain,
            "delete_domain": SageMakerModelBackend.delete_domain,
            "Domain.describe": Domain.describe,
            "create_domain": SageMakerResponse.create_domain,
            "create_experiment": SageMakerResponse.create_experiment,
        }
    )
    backend_patches: dict[str, Callable[..., Any]] = {
        "_get_resource_from_arn": _resource_from_arn,
        "add_tags": _add_tags,
        "list_tags": _list_tags,
        "delete_tags": _delete_tags,
        "iter_tagged_resources": _iter_tagged_resources,
        "describe_domain": _describe_domain,
        "delete_domain": _delete_domain,
    }
    for name, function in backend_patches.items():
        setattr(SageMakerModelBackend, name, function)
    Domain.describe = _domain_describe  # type: ignore[method-assign]
    # The dispatcher finds an action's method by its snake_case name (here without the "_").
    for action in _NEW_ACTIONS:
        setattr(SageMakerResponse, action.__name__.removeprefix("_"), action)
    SageMakerResponse.create_domain = _create_domain  # type: ignore[method-assign]
    SageMakerResponse.create_experiment = _create_experiment  # type: ignore[method-assign]
    setattr(SageMakerResponse, _INSTALLED_MARKER, True)
