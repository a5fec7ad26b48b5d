"""Fixtures for provider tests against the in-process emulator."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

import ptc_provider.emulator  # noqa: F401  (adds the pull-through cache operations)
from ptc_provider import aws
from ptc_provider.provider import PullThroughCacheRuleProvider

REGION = "us-east-1"


@pytest.fixture
def aws_mock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fake credentials and an in-process AWS; nothing leaves the process."""
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_ECR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_REGION", REGION)
    with mock_aws():
        yield


@pytest.fixture
def ecr(aws_mock: None) -> Any:
    """An ECR client for checking the cloud side of each step."""
    return boto3.client("ecr", region_name=REGION)


EventHook = Callable[[str, Callable[..., Any]], None]


@pytest.fixture
def ecr_events(monkeypatch: pytest.MonkeyPatch) -> EventHook:
    """Register a botocore event handler on every ECR client the provider makes."""
    handlers: list[tuple[str, Callable[..., Any]]] = []
    make_client = aws.make_client

    def hooked_client(region: str | None, profile: str | None = None) -> Any:
        client = make_client(region, profile)
        for event, handler in handlers:
            client.meta.events.register(event, handler)
        return client

    monkeypatch.setattr(aws, "make_client", hooked_client)
    return lambda event, handler: handlers.append((event, handler))


@pytest.fixture
def ecr_calls(ecr_events: EventHook) -> list[str]:
    """Names of the ECR operations the provider calls, in order."""
    calls: list[str] = []
    ecr_events("before-call.ecr.*", lambda model, **_: calls.append(model.name))
    return calls


def raising(error: Exception) -> Callable[..., None]:
    """Return an event handler that raises `error`."""

    def handler(**_: Any) -> None:
        raise error

    return handler


@pytest.fixture
def provider() -> PullThroughCacheRuleProvider:
    return PullThroughCacheRuleProvider()


SecretFactory = Callable[[str, str, "str | None"], str]


@pytest.fixture
def make_secret(aws_mock: None) -> SecretFactory:
    """Create a secret with a username and, unless None, an access token."""
    return _make_secret


@pytest.fixture
def docker_hub_secret(aws_mock: None) -> str:
    """ARN of a Secrets Manager secret that contains Docker Hub credentials."""
    return _make_secret("ecr-pullthroughcache/docker-hub", "alice", "token-1")


def _make_secret(name: str, username: str, token: str | None) -> str:
    body: dict[str, str] = {"username": username}
    if token is not None:
        body["accessToken"] = token
    secrets = boto3.client("secretsmanager", region_name=REGION)
    response = secrets.create_secret(Name=name, SecretString=json.dumps(body))
    return str(response["ARN"])
