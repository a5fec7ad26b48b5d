"""The rule's properties: AWS names, defaults, and how a change is applied.

This table is the one place that defines which arguments AWS can change in
place and which force a new rule. The provider's diff and update both read it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any


class Change(Enum):
    """The way a changed value reaches AWS."""

    REPLACE = "replace"
    """AWS cannot change it: the rule is deleted and created again."""

    IN_PLACE = "in_place"
    """UpdatePullThroughCacheRule changes it."""

    SETTING = "setting"
    """A setting of this package that is never sent to AWS."""


@dataclass(frozen=True)
class Field:
    """One property of a pull-through cache rule."""

    name: str
    """Argument name, as Terraform's aws_ecr_pull_through_cache_rule spells it."""

    aws_name: str | None
    """Key in AWS requests and responses, or None for package-only settings."""

    change: Change

    default: Any = None
    """Value that an omitted argument means."""

    is_prefix: bool = False
    """Whether a trailing "/" is optional: ECR treats "team" and "team/" alike."""


ROOT = "ROOT"

FIELDS: tuple[Field, ...] = (
    Field(
        "ecr_repository_prefix", "ecrRepositoryPrefix", Change.REPLACE, is_prefix=True
    ),
    Field("upstream_registry_url", "upstreamRegistryUrl", Change.REPLACE),
    Field(
        "upstream_repository_prefix",
        "upstreamRepositoryPrefix",
        Change.REPLACE,
        default=ROOT,
        is_prefix=True,
    ),
    Field("region", None, Change.REPLACE),
    Field("credential_arn", "credentialArn", Change.IN_PLACE),
    Field("custom_role_arn", "customRoleArn", Change.IN_PLACE),
    Field("validate_credentials", None, Change.SETTING, default=False),
)

FIELDS_BY_NAME: dict[str, Field] = {field.name: field for field in FIELDS}

INPUT_NAMES: tuple[str, ...] = tuple(field.name for field in FIELDS)

OUTPUT_NAMES: tuple[str, ...] = (
    "registry_id",
    "upstream_registry",
    "created_at",
    "updated_at",
    "image_uri_prefix",
)
"""Properties that only AWS sets."""

IMPORT_KEY = "import_existing"
"""Input that makes create adopt an existing rule instead of creating one.

Its value is the import id that the program gave, which must equal the prefix.
"""


def normalized(field: Field, value: Any) -> Any:
    """Return the value AWS would store for an argument given as `value`."""
    if value is None or value == "":
        return field.default
    if field.is_prefix and isinstance(value, str) and value != "/":
        return value.rstrip("/")
    return value


@dataclass(frozen=True)
class Changes:
    """The differences between a rule in state and the program's new inputs."""

    replaces: list[str]
    updates: list[str]

    @property
    def any(self) -> bool:
        return bool(self.replaces or self.updates)


def compare(olds: Mapping[str, Any], news: Mapping[str, Any]) -> Changes:
    """Compare stored outputs with new inputs, field by field.

    A value that is unknown during preview counts as changed. Removing an ARN
    replaces the rule, because UpdatePullThroughCacheRule cannot clear one. A
    state without a Region (written before the Region was stored) is taken to
    be in the new Region rather than replaced.
    """
    replaces: list[str] = []
    updates: list[str] = []
    for field in FIELDS:
        old = normalized(field, olds.get(field.name))
        new = normalized(field, news.get(field.name))
        if old == new or (field.name == "region" and old is None):
            continue
        removed_arn = field.change is Change.IN_PLACE and new is None
        if field.change is Change.REPLACE or removed_arn:
            replaces.append(field.name)
        else:
            updates.append(field.name)
    return Changes(replaces=replaces, updates=updates)
