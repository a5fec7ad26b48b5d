"""Fixtures for the engine tier: the real Pulumi CLI, a local file backend in a
temporary folder, and the local AWS endpoint started as a server."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import textwrap
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

ROOT = Path(__file__).resolve().parents[2]
REGION = "us-east-1"
COMMAND_TIMEOUT = 600


@pytest.fixture(scope="session")
def pulumi_dir() -> Path:
    """Directory of the pinned Pulumi CLI and its Python plugins."""
    given = os.environ.get("PTC_PULUMI_DIR")
    if given:
        return Path(given)

    script = ROOT / "scripts" / "get-pulumi.sh"
    result = subprocess.run(
        ["bash", str(script)], capture_output=True, text=True, check=False
    )
    if result.returncode == 0:
        return Path(result.stdout.strip().splitlines()[-1])
    if os.environ.get("PTC_REQUIRE_ENGINE"):
        pytest.fail(f"no Pulumi CLI: {result.stderr.strip()}")
    pytest.skip(f"no Pulumi CLI: {result.stderr.strip()}")


@pytest.fixture
def endpoint(emulator_url: str) -> str:
    """The local AWS endpoint, emptied before each test."""
    request = urllib.request.Request(f"{emulator_url}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=10):
        pass
    return emulator_url


@pytest.fixture
def ecr(endpoint: str) -> Any:
    """ECR client of the test itself, for checking the cloud side."""
    return aws_client("ecr", endpoint)


@pytest.fixture
def secrets(endpoint: str) -> Any:
    return aws_client("secretsmanager", endpoint)


def rules_in_aws(ecr: Any) -> dict[str, dict[str, Any]]:
    """Every rule in the local endpoint's registry, by prefix."""
    response = ecr.describe_pull_through_cache_rules()
    return {r["ecrRepositoryPrefix"]: r for r in response["pullThroughCacheRules"]}


def make_secret(secrets: Any, name: str) -> str:
    """Create secret ecr-pullthroughcache/<name> with a username and token."""
    body = json.dumps({"username": "alice", "accessToken": name})
    response = secrets.create_secret(
        Name=f"ecr-pullthroughcache/{name}", SecretString=body
    )
    return str(response["ARN"])


def aws_client(service: str, endpoint: str, region: str = REGION) -> Any:
    """A boto3 client of the local endpoint, with fake credentials."""
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


class Stack:
    """A Pulumi project and stack in a temporary folder, driven by the CLI."""

    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.workdir = workdir
        self.env = env
        (workdir / "Pulumi.yaml").write_text(
            textwrap.dedent(
                f"""\
                name: ptc-e2e
                runtime:
                  name: python
                  options:
                    virtualenv: {sys.prefix}
                """
            )
        )

    def write_program(self, source: str) -> None:
        (self.workdir / "__main__.py").write_text(textwrap.dedent(source))

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            ["pulumi", *args, "--non-interactive"],
            cwd=self.workdir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
            check=False,
        )
        if check and result.returncode != 0:
            pytest.fail(
                f"pulumi {' '.join(args)} exited {result.returncode}\n"
                f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
            )
        return result

    def up(self, *extra: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("up", "--yes", "--skip-preview", *extra, check=check)

    def preview(
        self, *extra: str, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        return self.run("preview", *extra, check=check)

    def refresh(self) -> subprocess.CompletedProcess[str]:
        return self.run("refresh", "--yes", "--skip-preview")

    def destroy(self) -> subprocess.CompletedProcess[str]:
        return self.run("destroy", "--yes", "--skip-preview")

    def outputs(self) -> dict[str, Any]:
        result = self.run("stack", "output", "--json", "--show-secrets")
        return dict(json.loads(result.stdout))

    def export(self, show_secrets: bool = False) -> dict[str, Any]:
        args = ["stack", "export"] + (["--show-secrets"] if show_secrets else [])
        return dict(json.loads(self.run(*args).stdout))

    def resources(self) -> list[dict[str, Any]]:
        deployment = self.export()["deployment"]
        return list(deployment.get("resources") or [])

    def rule_states(self) -> list[dict[str, Any]]:
        """The state of every pull-through cache rule resource in the stack."""
        return [
            r
            for r in self.resources()
            if r["type"] == "pulumi-python:dynamic/ecr:PullThroughCacheRule"
        ]


def pulumi_env(pulumi_dir: Path, state: Path, endpoint: str) -> dict[str, str]:
    """The CLI's environment: only loopback endpoints and fake credentials."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "PULUMI_"))
    }
    env.update(
        PATH=f"{pulumi_dir}{os.pathsep}{env.get('PATH', '')}",
        PULUMI_HOME=str(state / "home"),
        PULUMI_BACKEND_URL=f"file://{state / 'backend'}",
        PULUMI_CONFIG_PASSPHRASE="engine-tests",
        PULUMI_SKIP_UPDATE_CHECK="true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="true",
        AWS_ENDPOINT_URL=endpoint,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_REGION=REGION,
        AWS_DEFAULT_REGION=REGION,
        AWS_EC2_METADATA_DISABLED="true",
    )
    return env


@pytest.fixture
def stack(pulumi_dir: Path, endpoint: str, tmp_path: Path) -> Iterator[Stack]:
    """A fresh stack named `test`; destroyed at the end if anything is left."""
    state = tmp_path / "state"
    (state / "backend").mkdir(parents=True)
    project = tmp_path / "project"
    project.mkdir()

    result = Stack(project, pulumi_env(pulumi_dir, state, endpoint))
    result.run("stack", "init", "test")
    yield result

    if result.rule_states():
        result.run("destroy", "--yes", "--skip-preview", check=False)
    shutil.rmtree(tmp_path, ignore_errors=True)


def decoded_provider_blobs(exported: dict[str, Any]) -> list[bytes]:
    """Return each serialized provider in an exported stack, base64-decoded."""
    blobs: list[bytes] = []
    for resource in exported["deployment"].get("resources") or []:
        for section in ("inputs", "outputs"):
            value = (resource.get(section) or {}).get("__provider")
            if isinstance(value, dict):
                value = value.get("plaintext", "")
                value = json.loads(value) if value.startswith('"') else value
            if isinstance(value, str) and value:
                blobs.append(base64.b64decode(value))
    return blobs
