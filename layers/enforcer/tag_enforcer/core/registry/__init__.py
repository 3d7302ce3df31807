"""The one declarative table of taggable SageMaker resource types, and look-ups into it.

`schema` says what an entry holds, `resource_types` holds the entries, `paths` reads
a registry path (`ProductionVariants[].ModelName`) out of a request or a description.
"""

from tag_enforcer.core.registry.resource_types import (
    ASSOCIATION_EVENT_NAMES,
    DIRECTORY_EVENT_NAMES,
    RESOURCE_TYPES,
    TAG_CHANGE_EVENT_NAMES,
    by_name,
    create_event_names,
    for_arn_segment,
    for_create_event,
)

__all__ = [
    "ASSOCIATION_EVENT_NAMES",
    "DIRECTORY_EVENT_NAMES",
    "RESOURCE_TYPES",
    "TAG_CHANGE_EVENT_NAMES",
    "by_name",
    "create_event_names",
    "for_arn_segment",
    "for_create_event",
]
