"""Fixtures that run each emulator test both in process and against the server.

The ``transport`` fixture is parametrized: ``in-process`` uses ``mock_aws()``,
``server`` uses the session's emulator subprocess through its endpoint URL.
Both start every test from empty state.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from moto import mock_aws

import ptc_provider.emulator  # noqa: F401  (adds the operations to moto)

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
"""moto's default account, which owns the fake credentials."""

SINGLE_ATTEMPT = Config(retries={"max_attempts": 1, "mode": "standard"})
"""Client settings that surface errors without botocore's retries."""


class Transport:
    """A way to reach the emulator: creates clients and resets stored state."""

    name = ""
    endpoint_url: str | None = None

    def client(
        self,
        service: str,
        region: str = REGION,
        config: Config | None = None,
        account_id: str | None = None,
    ) -> Any:
        """Create a boto3 client that does not retry.

        ``account_id`` selects a moto account other than the default one.
        """
        create_client: Any = boto3.client
        client = create_client(
            service,
            region_name=region,
            endpoint_url=self.endpoint_url,
            config=SINGLE_ATTEMPT.merge(config or Config()),
        )
        if account_id is not None:
            _send_account_header(client, account_id)
        return client

    def reset(self) -> None:
        """Clear every rule, secret and other stored state."""
        raise NotImplementedError


def _send_account_header(client: Any, account_id: str) -> None:
    def add_header(request: Any, **_: Any) -> None:
        request.headers["x-moto-account-id"] = account_id

    client.meta.events.register("before-sign.*.*", add_header)


class InProcessTransport(Transport):
    """Requests handled inside the test process by ``mock_aws()``."""

    name = "in-process"

    def __init__(self) -> None:
        self._mock = mock_aws()
        self._mock.start()

    def reset(self) -> None:
        """Replace the mock with a fresh ``mock_aws()``."""
        self._mock.stop()
        self._mock = mock_aws()
        self._mock.start()

    def close(self) -> None:
        """Stop the mock."""
        self._mock.stop()


class ServerTransport(Transport):
    """Requests sent over HTTP to the emulator server."""

    name = "server"

    def __init__(self, url: str) -> None:
        self.endpoint_url = url

    def reset(self) -> None:
        """Clear the server's state with ``POST /moto-api/reset``."""
        reset_server(self.endpoint_url or "")


def reset_server(url: str) -> None:
    """Send ``POST /moto-api/reset`` to an emulator server."""
    request = urllib.request.Request(f"{url}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200


@pytest.fixture(params=["in-process", "server"])
def transport(
    request: pytest.FixtureRequest, aws_env: dict[str, str]
) -> Iterator[Transport]:
    """Each transport in turn, starting from empty state."""
    if request.param == "in-process":
        in_process = InProcessTransport()
        yield in_process
        in_process.close()
        return

    server = ServerTransport(request.getfixturevalue("emulator_url"))
    server.reset()
    yield server
    server.reset()


@pytest.fixture
def ecr(transport: Transport) -> Any:
    """An ECR client with botocore's client-side parameter checks."""
    return transport.client("ecr")


@pytest.fixture
def unchecked_ecr(transport: Transport) -> Any:
    """An ECR client that sends values botocore would reject client-side."""
    return transport.client("ecr", config=Config(parameter_validation=False))


SecretFactory = Callable[..., str]


@pytest.fixture
def make_secret(transport: Transport) -> SecretFactory:
    """Create a Secrets Manager secret and return its ARN.

    The default value contains a username and an access token.
    """
    default_value = json.dumps({"username": "alice", "accessToken": "token-1"})

    def create(
        name: str = "ecr-pullthroughcache/upstream",
        value: str | None = default_value,
        region: str = REGION,
    ) -> str:
        client = transport.client("secretsmanager", region=region)
        arguments: dict[str, Any] = {"Name": name}
        if value is not None:
            arguments["SecretString"] = value
        return str(client.create_secret(**arguments)["ARN"])

    return create


@pytest.fixture
def secret_arn(make_secret: SecretFactory) -> str:
    """ARN of a secret that contains valid upstream credentials."""
    return make_secret()
