"""Fixtures shared by all test tiers: fake AWS credentials and the local endpoint.

``emulator_url`` runs ``python -m ptc_provider.emulator --port 0`` once per test
session. Pass it to clients as ``endpoint_url``. These fixtures never set
``AWS_ENDPOINT_URL`` in the test process, and ``aws_env`` removes it.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]

FAKE_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
    # Stop botocore from reading a developer's files or the instance metadata.
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}
"""Environment that points the AWS SDKs at fake credentials and nothing else."""

REAL_AWS_ENV_NAMES = (
    "AWS_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_ECR",
    "AWS_ENDPOINT_URL_SECRETS_MANAGER",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
)
"""Variables that could send a test's requests to a real account or endpoint."""

STARTUP_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 15.0


def emulator_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return the environment for an emulator subprocess.

    It has the fake credentials, none of the real-AWS variables, and the
    repository root on PYTHONPATH so that ``ptc_provider`` imports.
    """
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in REAL_AWS_ENV_NAMES
    }
    environment.update(FAKE_AWS_ENV)

    python_path = [str(REPOSITORY_ROOT), environment.get("PYTHONPATH", "")]
    environment["PYTHONPATH"] = os.pathsep.join(part for part in python_path if part)
    environment.update(extra or {})
    return environment


@dataclass
class EmulatorProcess:
    """An emulator server subprocess.

    ``url`` is None when the process exited before printing its endpoint.
    """

    process: subprocess.Popen[str]
    log_path: Path
    url: str | None

    def log(self) -> str:
        """Return what the server wrote to standard error so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self, signal_number: int = signal.SIGTERM) -> int:
        """Send a signal unless the process has exited, then return its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal_number)

        try:
            return self.process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()


def _read_first_line(process: subprocess.Popen[str], timeout: float) -> str | None:
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        lines.put(process.stdout.readline())

    threading.Thread(target=read, daemon=True).start()
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        return None


def launch_emulator(
    arguments: Sequence[str],
    log_path: Path,
    extra_env: Mapping[str, str] | None = None,
) -> EmulatorProcess:
    """Start ``python -m ptc_provider.emulator`` and wait for its endpoint URL.

    Raises RuntimeError when nothing is printed within the startup timeout.
    """
    with log_path.open("w", encoding="utf-8") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "ptc_provider.emulator", *arguments],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=log_file,
            text=True,
            env=emulator_environment(extra_env),
            cwd=REPOSITORY_ROOT,
        )

    line = _read_first_line(process, STARTUP_TIMEOUT_SECONDS)
    if line is None:
        process.kill()
        process.wait()
        raise RuntimeError(
            f"the emulator printed no endpoint URL within "
            f"{STARTUP_TIMEOUT_SECONDS} seconds. Its log is in {log_path}"
        )

    url = line.strip() or None
    return EmulatorProcess(process, log_path, url)


EmulatorLauncher = Callable[..., EmulatorProcess]


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Set fake AWS credentials and Region, and remove real-AWS variables."""
    for name in REAL_AWS_ENV_NAMES:
        monkeypatch.delenv(name, raising=False)

    for name, value in FAKE_AWS_ENV.items():
        monkeypatch.setenv(name, value)

    return dict(FAKE_AWS_ENV)


@pytest.fixture(scope="session")
def emulator_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Endpoint URL of an emulator server shared by the whole test session."""
    log_path = tmp_path_factory.mktemp("emulator") / "server.log"
    server = launch_emulator(["--port", "0"], log_path)
    if server.url is None:
        server.stop()
        pytest.fail(f"the emulator exited during startup:\n{server.log()}")

    yield server.url

    server.stop()


@pytest.fixture
def start_emulator(tmp_path: Path) -> Iterator[EmulatorLauncher]:
    """Start emulator servers for one test and stop them when it ends.

    Call it with the command-line arguments and, optionally, extra
    environment variables: ``start_emulator(["--port", "0"], {...})``.
    """
    started: list[EmulatorProcess] = []

    def start(
        arguments: Sequence[str], extra_env: Mapping[str, str] | None = None
    ) -> EmulatorProcess:
        log_path = tmp_path / f"emulator-{len(started)}.log"
        server = launch_emulator(arguments, log_path, extra_env)
        started.append(server)
        return server

    yield start

    for server in started:
        server.stop()
