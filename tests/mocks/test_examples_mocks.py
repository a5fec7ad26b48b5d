"""The docker-hub example under Pulumi's mocks.

The example creates a Secrets Manager secret with pulumi-aws, whose provider
plugin is not installed here, so pulumi.runtime.set_mocks replaces the
engine. The program gets its config through the PULUMI_CONFIG environment
variable, which the Pulumi SDK reads for keys that the runtime has not set.
"""

from __future__ import annotations

import json
import runpy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pulumi
import pytest
from pulumi.runtime import rpc

from .conftest import SECRET_SUFFIX, SECRET_TYPE, VERSION_TYPE, RecordingMocks

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "docker-hub"
PROJECT = "project"
"""Project name that pulumi.runtime.set_mocks uses unless given another."""

USERNAME = "alice"
TOKEN = "dckr_pat_example-token-123"

RULE_TYPE = "pulumi-python:dynamic/ecr:PullThroughCacheRule"


@pytest.fixture
def mocks(monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordingMocks]:
    token_key = f"{PROJECT}:dockerHubToken"
    config = {f"{PROJECT}:dockerHubUsername": USERNAME, token_key: TOKEN}
    monkeypatch.setenv("PULUMI_CONFIG", json.dumps(config))
    monkeypatch.setenv("PULUMI_CONFIG_SECRET_KEYS", json.dumps([token_key]))
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    recording = RecordingMocks()
    pulumi.runtime.set_mocks(recording, project=PROJECT, preview=False)
    yield recording


def is_secret(value: Any) -> bool:
    return isinstance(value, dict) and (
        value.get(rpc._special_sig_key) == rpc._special_secret_sig
    )


def plain_strings(value: Any) -> Iterator[str]:
    """Yield every string in `value` that is not inside a Pulumi secret."""
    if is_secret(value):
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from plain_strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from plain_strings(item)


def run_example() -> dict[str, Any]:
    return runpy.run_path(str(EXAMPLE / "__main__.py"), run_name="__main__")


@pulumi.runtime.test
def test_docker_hub_example_stores_login_in_secret(mocks: RecordingMocks) -> Any:
    program = run_example()

    def check(credential_arn: str) -> None:
        secrets = mocks.of_type(SECRET_TYPE)
        versions = mocks.of_type(VERSION_TYPE)
        assert len(secrets) == 1
        assert secrets[0].inputs["namePrefix"].startswith("ecr-pullthroughcache/")
        assert len(versions) == 1
        assert versions[0].inputs["secretId"] == f"{secrets[0].name}-id"
        secret_string = versions[0].inputs["secretString"]
        assert is_secret(secret_string)
        stored = json.loads(secret_string["value"])
        assert stored == {"username": USERNAME, "accessToken": TOKEN}
        assert credential_arn == (
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:"
            f"{secrets[0].inputs['namePrefix']}{SECRET_SUFFIX}"
        )

    return program["rule"].credential_arn.apply(check)


@pulumi.runtime.test
def test_docker_hub_example_rule_uses_secret_arn(mocks: RecordingMocks) -> Any:
    program = run_example()

    def check(credential_arn: str) -> None:
        rules = mocks.of_type(RULE_TYPE)
        assert len(rules) == 1
        assert rules[0].inputs["ecr_repository_prefix"] == "docker-hub"
        assert rules[0].inputs["upstream_registry_url"] == "registry-1.docker.io"
        assert rules[0].inputs["credential_arn"] == credential_arn
        assert "upstream_credentials" not in rules[0].inputs

    return program["rule"].credential_arn.apply(check)


@pulumi.runtime.test
def test_docker_hub_example_token_only_in_secret(mocks: RecordingMocks) -> Any:
    program = run_example()

    def check(_: str) -> None:
        assert mocks.resources
        for resource in mocks.resources:
            for text in plain_strings(resource.inputs):
                assert TOKEN not in text, f"{resource.typ} {resource.name}"

    return program["rule"].credential_arn.apply(check)
