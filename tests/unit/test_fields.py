"""Table tests of how a difference between state and program is applied."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown

from ptc_provider.fields import compare

SECRET_A = "arn:aws:secretsmanager:us-east-1:111122223333:secret:ecr-pullthroughcache/a"
SECRET_B = "arn:aws:secretsmanager:us-east-1:111122223333:secret:ecr-pullthroughcache/b"
ROLE = "arn:aws:iam::111122223333:role/ecr-ptc"

BASE: dict[str, Any] = {
    "ecr_repository_prefix": "hub",
    "upstream_registry_url": "registry-1.docker.io",
    "region": "us-east-1",
    "credential_arn": SECRET_A,
}


@pytest.mark.parametrize(
    ("olds", "news", "replaces", "updates"),
    [
        ({}, {}, [], []),
        ({"ecr_repository_prefix": "b"}, {}, ["ecr_repository_prefix"], []),
        ({"upstream_registry_url": "quay.io"}, {}, ["upstream_registry_url"], []),
        ({"region": "eu-west-1"}, {}, ["region"], []),
        (
            {},
            {"upstream_repository_prefix": "team"},
            ["upstream_repository_prefix"],
            [],
        ),
        ({}, {"credential_arn": SECRET_B}, [], ["credential_arn"]),
        ({}, {"custom_role_arn": ROLE}, [], ["custom_role_arn"]),
        ({}, {"credential_arn": None}, ["credential_arn"], []),
        ({"custom_role_arn": ROLE}, {}, ["custom_role_arn"], []),
        ({}, {"validate_credentials": True}, [], ["validate_credentials"]),
        ({}, {"ecr_repository_prefix": Unknown()}, ["ecr_repository_prefix"], []),
    ],
)
def test_compare_classifies_changes(
    olds: dict[str, Any],
    news: dict[str, Any],
    replaces: list[str],
    updates: list[str],
) -> None:
    changes = compare({**BASE, **olds}, {**BASE, **news})

    assert changes.replaces == replaces
    assert changes.updates == updates
    assert changes.any == bool(replaces or updates)


@pytest.mark.parametrize(
    ("old", "new"),
    [(None, "ROOT"), ("ROOT", None), ("ROOT", "")],
)
def test_omitted_upstream_prefix_equals_root(old: Any, new: Any) -> None:
    olds = {**BASE, "upstream_repository_prefix": old}
    news = {**BASE, "upstream_repository_prefix": new}

    assert not compare(olds, news).any


def test_trailing_slash_on_prefix_is_not_a_change() -> None:
    changes = compare(
        {**BASE, "ecr_repository_prefix": "team"},
        {**BASE, "ecr_repository_prefix": "team/"},
    )

    assert not changes.any


def test_provider_blob_and_outputs_are_not_compared() -> None:
    olds = {**BASE, "__provider": "old", "registry_id": "1", "created_at": "t"}
    news = {**BASE, "__provider": "new"}

    assert not compare(olds, news).any


def test_state_without_region_is_not_replaced() -> None:
    olds = {key: value for key, value in BASE.items() if key != "region"}

    assert not compare(olds, BASE).any
