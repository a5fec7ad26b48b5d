"""The emulator's command-line server: startup, shutdown, errors and faults."""

from __future__ import annotations

import re
import signal
import socket
import time
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from ptc_provider.emulator import server as emulator_server

# The start_emulator fixture comes from the tests' top-level conftest.py.
Launcher = Callable[..., Any]

SINGLE_ATTEMPT = Config(retries={"max_attempts": 1, "mode": "standard"})


def ecr_client(url: str) -> Any:
    """An ECR client for a server URL that does not retry."""
    return boto3.client(
        "ecr", region_name="us-east-1", endpoint_url=url, config=SINGLE_ATTEMPT
    )


def test_server_prints_loopback_url_first(emulator_url: str) -> None:
    """The first output line is the endpoint URL on 127.0.0.1 with a real port."""
    match = re.fullmatch(r"http://127\.0\.0\.1:(\d+)", emulator_url)

    assert match is not None
    assert int(match.group(1)) > 0


def test_server_answers_at_printed_url(start_emulator: Launcher, aws_env: Any) -> None:
    """The server accepts requests as soon as it prints its URL."""
    server = start_emulator(["--port", "0"])

    response = ecr_client(server.url).describe_pull_through_cache_rules()

    assert response["pullThroughCacheRules"] == []


@pytest.mark.parametrize(
    "signal_number", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP]
)
def test_server_exits_0_on_signal(start_emulator: Launcher, signal_number: int) -> None:
    """SIGTERM, SIGINT and SIGHUP stop the server with exit status 0."""
    server = start_emulator(["--port", "0"])

    status = server.stop(signal_number)

    assert status == 0
    assert "Stopped" in server.log()
    assert "Traceback" not in server.log()


def test_server_help_names_stop_signals(capsys: pytest.CaptureFixture[str]) -> None:
    """--help lists every signal that stops the server."""
    with pytest.raises(SystemExit) as caught:
        emulator_server.main(["--help"])

    output = capsys.readouterr().out
    assert caught.value.code == 0
    assert "SIGINT, SIGTERM or SIGHUP stops" in output


def test_server_rejects_busy_port(start_emulator: Launcher) -> None:
    """A port in use ends the server with status 1 and a one-line message."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]

        server = start_emulator(["--port", str(port)])
        status = server.process.wait(timeout=30)

    lines = server.log().strip().splitlines()
    assert server.url is None
    assert status == 1
    assert len(lines) == 1
    assert f"port {port} is already in use" in lines[0]


def test_server_warns_for_non_loopback_host(start_emulator: Launcher) -> None:
    """Binding an address other than loopback logs a warning first."""
    # 192.0.2.1 is reserved for documentation, so binding it fails here and the
    # test opens no port beyond loopback.
    server = start_emulator(["--host", "192.0.2.1", "--port", "0"])
    if server.url is None:
        server.process.wait(timeout=30)

    assert "192.0.2.1, which is not a loopback address" in server.log()


def test_server_does_not_warn_for_loopback(start_emulator: Launcher) -> None:
    """The default host logs no warning."""
    server = start_emulator(["--port", "0"])
    server.stop()

    assert "WARNING" not in server.log()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--fault-rate", "2"], "invalid fault rate '2'"),
        (["--fault-kind", "slow"], "invalid fault kind 'slow'"),
        (["--latency-ms", "-5"], "invalid latency '-5'"),
        (["--port", "70000"], "invalid port '70000'"),
    ],
)
def test_server_rejects_invalid_option(
    start_emulator: Launcher, arguments: list[str], message: str
) -> None:
    """Invalid option values end the server with status 2 and a message."""
    server = start_emulator(arguments)

    status = server.process.wait(timeout=30)

    assert server.url is None
    assert status == 2
    assert message in server.log()


def test_server_rejects_invalid_fault_variable(start_emulator: Launcher) -> None:
    """An invalid fault variable ends the server with a message naming it."""
    server = start_emulator(["--port", "0"], {"PTC_EMULATOR_FAULT_KIND": "slow"})

    status = server.process.wait(timeout=30)

    assert status == 2
    assert "PTC_EMULATOR_FAULT_KIND: invalid fault kind 'slow'" in server.log()


def test_server_fault_rate_throttles(start_emulator: Launcher, aws_env: Any) -> None:
    """--fault-rate 1 makes every rule call fail with ThrottlingException."""
    server = start_emulator(["--port", "0", "--fault-rate", "1"])

    with pytest.raises(ClientError) as caught:
        ecr_client(server.url).describe_pull_through_cache_rules()

    assert caught.value.response["Error"]["Code"] == "ThrottlingException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_server_fault_kind_server_error(start_emulator: Launcher, aws_env: Any) -> None:
    """--fault-kind server-error makes failing calls return HTTP 500."""
    server = start_emulator(
        ["--port", "0", "--fault-rate", "1", "--fault-kind", "server-error"]
    )

    with pytest.raises(ClientError) as caught:
        ecr_client(server.url).describe_pull_through_cache_rules()

    assert caught.value.response["Error"]["Code"] == "ServerException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500


def test_server_reads_fault_variables(start_emulator: Launcher, aws_env: Any) -> None:
    """Without options the server uses the fault environment variables."""
    server = start_emulator(
        ["--port", "0"],
        {"PTC_EMULATOR_FAULT_RATE": "1", "PTC_EMULATOR_FAULT_KIND": "server-error"},
    )

    with pytest.raises(ClientError) as caught:
        ecr_client(server.url).describe_pull_through_cache_rules()

    assert caught.value.response["Error"]["Code"] == "ServerException"


def test_server_faults_spare_other_apis(start_emulator: Launcher, aws_env: Any) -> None:
    """Fault injection leaves the rest of moto's API alone."""
    server = start_emulator(["--port", "0", "--fault-rate", "1"])

    response = ecr_client(server.url).describe_repositories()

    assert response["repositories"] == []


def test_server_latency_delays_calls(start_emulator: Launcher, aws_env: Any) -> None:
    """--latency-ms adds delay to each rule call."""
    server = start_emulator(["--port", "0", "--latency-ms", "300"])
    client = ecr_client(server.url)
    client.describe_repositories()

    started = time.monotonic()
    client.describe_pull_through_cache_rules()
    elapsed = time.monotonic() - started

    assert elapsed >= 0.3


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("", False),
        ("192.168.1.10", False),
        ("example.com", False),
    ],
)
def test_is_loopback_classifies_hosts(host: str, expected: bool) -> None:
    """Only loopback addresses and localhost count as loopback."""
    assert emulator_server.is_loopback(host) is expected


def test_format_url_brackets_ipv6() -> None:
    """IPv6 hosts are bracketed in the endpoint URL."""
    assert emulator_server.format_url("::1", 8080) == "http://[::1]:8080"
    assert emulator_server.format_url("127.0.0.1", 80) == "http://127.0.0.1:80"
