"""The component under Pulumi's mocks, for the paths that use pulumi-aws.

The AWS provider plugin cannot be installed here, so creating the credential
secret is exercised with pulumi.runtime.set_mocks instead of a real engine.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pulumi
import pytest
from pulumi.runtime import rpc

from ptc_provider import (
    InvalidArgumentError,
    PullThroughCacheRule,
    PullThroughCacheRuleArgs,
    UnknownArgumentError,
    UpstreamCredentials,
)

from .conftest import RecordingMocks


@pytest.fixture
def mocks(monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordingMocks]:
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    recording = RecordingMocks()
    pulumi.runtime.set_mocks(recording, preview=False)
    yield recording


@pulumi.runtime.test
def test_credentials_create_secret_and_feed_rule(mocks: RecordingMocks) -> Any:
    rule = PullThroughCacheRule(
        "hub",
        ecr_repository_prefix="hub",
        upstream_registry_url="registry-1.docker.io",
        upstream_credentials=UpstreamCredentials("alice", "token-123"),
    )

    def check(credential_arn: str) -> None:
        secrets = mocks.of_type("aws:secretsmanager/secret:Secret")
        versions = mocks.of_type("aws:secretsmanager/secretVersion:SecretVersion")
        rules = mocks.of_type("pulumi-python:dynamic/ecr:PullThroughCacheRule")
        assert len(secrets) == 1
        assert secrets[0].inputs["namePrefix"] == "ecr-pullthroughcache/hub-"
        assert len(versions) == 1
        assert versions[0].inputs["secretId"] == "hub-credential-id"
        secret_string = versions[0].inputs["secretString"]
        assert secret_string[rpc._special_sig_key] == rpc._special_secret_sig
        assert '"accessToken": "token-123"' in secret_string["value"]
        assert credential_arn.startswith(
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/hub-"
        )
        assert rules[0].inputs["credential_arn"] == credential_arn

    return rule.credential_arn.apply(check)


def test_credentials_repr_hides_token() -> None:
    credentials = UpstreamCredentials("alice", "token-123")

    assert "token-123" not in repr(credentials)
    assert "alice" in repr(credentials)


def test_credentials_and_arn_together_rejected(mocks: RecordingMocks) -> None:
    with pytest.raises(InvalidArgumentError) as raised:
        PullThroughCacheRule(
            "hub",
            ecr_repository_prefix="hub",
            upstream_registry_url="registry-1.docker.io",
            credential_arn="arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/x",
            upstream_credentials=UpstreamCredentials("alice", "token-123"),
        )

    assert raised.value.argument == "upstream_credentials"
    assert "not both" in str(raised.value)
    assert "token-123" not in str(raised.value)


def test_misspelt_argument_names_valid_ones(mocks: RecordingMocks) -> None:
    with pytest.raises(UnknownArgumentError) as raised:
        PullThroughCacheRule(  # type: ignore[call-overload]
            "hub",
            ecr_repository_prefix="hub",
            upstream_registry_url="registry-1.docker.io",
            credentials_arn="arn",
        )

    assert raised.value.argument == "credentials_arn"
    assert "credential_arn" in str(raised.value)
    assert "upstream_registry_url" in str(raised.value)


def test_import_id_must_equal_prefix(mocks: RecordingMocks) -> None:
    with pytest.raises(InvalidArgumentError) as raised:
        PullThroughCacheRule(
            "cache",
            ecr_repository_prefix="ecr-public",
            upstream_registry_url="public.ecr.aws",
            opts=pulumi.ResourceOptions(import_="other"),
        )

    assert raised.value.argument == "opts.import_"
    assert "'other'" in str(raised.value)


@pulumi.runtime.test
def test_args_object_and_keywords_build_same_child(mocks: RecordingMocks) -> Any:
    PullThroughCacheRule(
        "by-args",
        PullThroughCacheRuleArgs(
            ecr_repository_prefix="k8s", upstream_registry_url="registry.k8s.io"
        ),
    )
    last = PullThroughCacheRule(
        "by-keywords",
        ecr_repository_prefix="k8s",
        upstream_registry_url="registry.k8s.io",
    )

    def check(_: Any) -> None:
        rules = mocks.of_type("pulumi-python:dynamic/ecr:PullThroughCacheRule")
        first, second = (
            {k: v for k, v in r.inputs.items() if k != "__provider"} for r in rules
        )
        assert first == second
        assert first["region"] == "us-east-1"

    return last.registry_id.apply(check)


@pytest.mark.parametrize(
    "credentials",
    [{"username": "a", "access_token": "s3cr3t-token"}, ("a", "s3cr3t-token")],
)
def test_wrong_credentials_type_hides_token(
    mocks: RecordingMocks, credentials: Any
) -> None:
    with pytest.raises(InvalidArgumentError) as raised:
        PullThroughCacheRule(
            "hub",
            ecr_repository_prefix="hub",
            upstream_registry_url="registry-1.docker.io",
            credential_arn="arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/x",
            upstream_credentials=credentials,
        )

    assert "s3cr3t-token" not in str(raised.value)
    assert "UpstreamCredentials" in str(raised.value)


def test_every_misspelt_argument_is_named(mocks: RecordingMocks) -> None:
    with pytest.raises(UnknownArgumentError) as raised:
        PullThroughCacheRule(  # type: ignore[call-overload]
            "hub",
            ecr_repository_prefix="hub",
            upstream_registry_url="quay.io",
            credentials_arn="arn",
            regoin="us-east-1",
        )

    assert raised.value.argument == "credentials_arn, regoin"


@pytest.mark.parametrize(
    ("prefix", "region", "argument"),
    [("Bad Prefix", None, "ecr_repository_prefix"), ("ok", "mars-1", "region")],
)
def test_get_checks_its_arguments(
    mocks: RecordingMocks, prefix: str, region: str | None, argument: str
) -> None:
    with pytest.raises(InvalidArgumentError) as raised:
        PullThroughCacheRule.get("found", prefix, region=region)

    assert raised.value.argument == argument
    assert mocks.resources == []
