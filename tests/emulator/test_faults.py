"""Fault injection in process: settings parsing and faults seen through boto3."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from moto import mock_aws

from ptc_provider.emulator import faults
from ptc_provider.emulator.exceptions import ServerException, ThrottlingException

SINGLE_ATTEMPT = Config(retries={"max_attempts": 1, "mode": "standard"})


@pytest.fixture
def mocked_ecr(aws_env: dict[str, str]) -> Iterator[Any]:
    """An in-process ECR client that does not retry."""
    with mock_aws():
        yield boto3.client("ecr", region_name="us-east-1", config=SINGLE_ATTEMPT)


def describe(ecr: Any) -> dict[str, Any]:
    """Call DescribePullThroughCacheRules without arguments."""
    response: dict[str, Any] = ecr.describe_pull_through_cache_rules()
    return response


def test_faults_off_by_default(mocked_ecr: Any) -> None:
    """Without the variables every call succeeds."""
    for _ in range(20):
        assert describe(mocked_ecr)["pullThroughCacheRules"] == []


def test_fault_rate_1_throttles_every_call(
    mocked_ecr: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rate 1 with the default kind returns ThrottlingException as HTTP 400."""
    monkeypatch.setenv(faults.FAULT_RATE_ENV, "1")

    with pytest.raises(ClientError) as caught:
        describe(mocked_ecr)

    assert caught.value.response["Error"]["Code"] == "ThrottlingException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_server_error_kind_returns_500(
    mocked_ecr: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server-error kind returns ServerException as HTTP 500."""
    monkeypatch.setenv(faults.FAULT_RATE_ENV, "1")
    monkeypatch.setenv(faults.FAULT_KIND_ENV, "server-error")

    with pytest.raises(ClientError) as caught:
        mocked_ecr.create_pull_through_cache_rule(
            ecrRepositoryPrefix="quay", upstreamRegistryUrl="quay.io"
        )

    assert caught.value.response["Error"]["Code"] == "ServerException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500


def test_faults_spare_other_operations(
    mocked_ecr: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """moto's own ECR operations are not affected by fault injection."""
    monkeypatch.setenv(faults.FAULT_RATE_ENV, "1")

    response = mocked_ecr.describe_repositories()

    assert response["repositories"] == []


def test_fault_rate_0_never_fails(
    mocked_ecr: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rate 0 turns faults off."""
    monkeypatch.setenv(faults.FAULT_RATE_ENV, "0")

    assert describe(mocked_ecr)["pullThroughCacheRules"] == []


def test_latency_delays_each_call(
    mocked_ecr: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PTC_EMULATOR_LATENCY_MS adds that many milliseconds to a call."""
    monkeypatch.setenv(faults.LATENCY_MS_ENV, "250")

    started = time.monotonic()
    describe(mocked_ecr)
    elapsed = time.monotonic() - started

    assert elapsed >= 0.25


def test_invalid_fault_variable_raises_value_error(
    mocked_ecr: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An invalid variable fails the call with a message naming it."""
    monkeypatch.setenv(faults.FAULT_RATE_ENV, "often")

    with pytest.raises(ValueError, match=faults.FAULT_RATE_ENV):
        describe(mocked_ecr)


@pytest.mark.parametrize("text", ["-0.1", "1.5", "nan", "often", "inf"])
def test_parse_fault_rate_rejects_out_of_range(text: str) -> None:
    """A fault rate must be a number from 0 to 1."""
    with pytest.raises(ValueError, match="expected a number from 0 to 1"):
        faults.parse_fault_rate(text)


@pytest.mark.parametrize("text", ["0", "0.25", "1"])
def test_parse_fault_rate_accepts_fraction(text: str) -> None:
    """Rates from 0 to 1 parse as floats."""
    assert faults.parse_fault_rate(text) == float(text)


def test_parse_fault_kind_rejects_unknown_kind() -> None:
    """Only throttling and server-error are fault kinds."""
    with pytest.raises(ValueError, match="throttling, server-error"):
        faults.parse_fault_kind("timeout")


@pytest.mark.parametrize("text", ["-1", "1.5", "60001", "slow"])
def test_parse_latency_rejects_invalid_value(text: str) -> None:
    """Latency must be whole milliseconds from 0 to 60000."""
    with pytest.raises(ValueError, match="whole milliseconds from 0 to 60000"):
        faults.parse_latency_ms(text)


def test_settings_from_environment_reads_each_variable() -> None:
    """All three variables are read into the settings."""
    environ = {
        faults.FAULT_RATE_ENV: "0.5",
        faults.FAULT_KIND_ENV: "server-error",
        faults.LATENCY_MS_ENV: "10",
    }

    settings = faults.FaultSettings.from_environment(environ)

    assert settings == faults.FaultSettings(0.5, "server-error", 10)


def test_settings_round_trip_through_environment() -> None:
    """to_environment produces variables that read back as the same settings."""
    settings = faults.FaultSettings(0.3, "throttling", 5)

    restored = faults.FaultSettings.from_environment(settings.to_environment())

    assert restored == settings


def test_inject_faults_uses_draw_against_rate() -> None:
    """A call fails when the random draw is below the rate."""
    settings = faults.FaultSettings(rate=0.5)

    faults.inject_faults("Op", settings, draw=lambda: 0.7)

    with pytest.raises(ThrottlingException):
        faults.inject_faults("Op", settings, draw=lambda: 0.2)


def test_inject_faults_raises_server_exception_for_server_error() -> None:
    """The server-error kind raises ServerException with status 500."""
    settings = faults.FaultSettings(rate=1.0, kind=faults.SERVER_ERROR)

    with pytest.raises(ServerException) as caught:
        faults.inject_faults("Op", settings)

    assert caught.value.status == 500


def test_inject_faults_sleeps_for_latency() -> None:
    """Latency is passed to the sleep function in seconds."""
    delays: list[float] = []

    faults.inject_faults(
        "Op", faults.FaultSettings(latency_ms=1500), sleep=delays.append
    )

    assert delays == [1.5]
