"""The built wheel, installed in a fresh virtual environment, used by a program.

The module builds the wheel and sdist from this checkout, installs the wheel
with its dependencies (pinned by constraints.txt) into a new virtual
environment without the system site packages, and runs a separate Pulumi
project against that environment. The install downloads the dependencies
from the package index that pip is configured to use.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import textwrap
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

import ptc_provider

from .conftest import ROOT, Stack, pulumi_env, rules_in_aws

pytestmark = pytest.mark.engine

BUILD_TIMEOUT = 600
INSTALL_TIMEOUT = 1800

CONSUMER_PROGRAM = '''\
"""Create one pull-through cache rule with ptc-provider installed from its wheel."""

import pulumi

import ptc_provider
from ptc_provider import PullThroughCacheRule

rule = PullThroughCacheRule(
    "consumer",
    ecr_repository_prefix="consumer",
    upstream_registry_url="quay.io",
)
registry_id: pulumi.Output[str] = rule.registry_id

pulumi.export("registry_id", registry_id)
pulumi.export("package_file", ptc_provider.__file__)
'''

MISTYPED_PROGRAM = '''\
"""Use the component wrongly, so that a type checker must reject it."""

from ptc_provider import PullThroughCacheRule

rule = PullThroughCacheRule(
    "consumer",
    ecr_repository_prefix="consumer",
    upstream_registry_url="quay.io",
)
registry_id: int = rule.registry_id

PullThroughCacheRule(
    "misspelt",
    ecr_repository_prefix="misspelt",
    upstream_registry="quay.io",
)
'''


def isolated_env() -> dict[str, str]:
    """Return this environment without the variables that point Python elsewhere."""
    env = dict(os.environ)
    for name in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"):
        env.pop(name, None)
    return env


def run_checked(
    command: Sequence[str | Path], cwd: Path, timeout: int
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=isolated_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"{' '.join(map(str, command))} exited {result.returncode}\n"
            f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
        )
    return result


@pytest.fixture(scope="module")
def dist_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder with the wheel and sdist built from this checkout."""
    out = tmp_path_factory.mktemp("dist")
    run_checked(
        [
            sys.executable, "-m", "build", "--wheel", "--sdist", "--no-isolation",
            "--outdir", out, ROOT,
        ],
        cwd=out,
        timeout=BUILD_TIMEOUT,
    )  # fmt: skip
    return out


def only(paths: list[Path]) -> Path:
    assert len(paths) == 1, f"expected one file, found {paths}"
    return paths[0]


@pytest.fixture(scope="module")
def wheel(dist_dir: Path) -> Path:
    return only(sorted(dist_dir.glob("*.whl")))


@pytest.fixture(scope="module")
def sdist(dist_dir: Path) -> Path:
    return only(sorted(dist_dir.glob("*.tar.gz")))


@pytest.fixture(scope="module")
def consumer_venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    """A new virtual environment with only the wheel and its dependencies."""
    venv = tmp_path_factory.mktemp("consumer") / "venv"
    run_checked([sys.executable, "-m", "venv", venv], cwd=venv.parent, timeout=300)
    run_checked(
        [
            venv / "bin" / "python", "-m", "pip", "install", "--quiet",
            "--constraint", ROOT / "constraints.txt", wheel,
        ],
        cwd=venv.parent,
        timeout=INSTALL_TIMEOUT,
    )  # fmt: skip
    return venv


@pytest.fixture
def consumer(
    pulumi_dir: Path, endpoint: str, consumer_venv: Path, tmp_path: Path
) -> Iterator[Stack]:
    """A Pulumi project outside the checkout whose program runs in consumer_venv."""
    state = tmp_path / "state"
    (state / "backend").mkdir(parents=True)
    project = tmp_path / "consumer"
    project.mkdir()
    env = pulumi_env(pulumi_dir, state, endpoint)
    for name in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"):
        env.pop(name, None)

    stack = Stack(project, env)
    (project / "Pulumi.yaml").write_text(
        textwrap.dedent(
            f"""\
            name: ptc-consumer
            runtime:
              name: python
              options:
                virtualenv: {consumer_venv}
            """
        )
    )
    stack.write_program(CONSUMER_PROGRAM)
    stack.run("stack", "init", "test")
    yield stack

    if stack.rule_states():
        stack.run("destroy", "--yes", "--skip-preview", check=False)
    shutil.rmtree(tmp_path, ignore_errors=True)


def run_mypy(venv: Path, folder: Path, source: str) -> subprocess.CompletedProcess[str]:
    """Run mypy --strict on `source`, resolving imports in `venv` only."""
    (folder / "program.py").write_text(source)
    # An empty config keeps mypy from reading this checkout's or the user's.
    (folder / "mypy.ini").write_text("[mypy]\n")
    return subprocess.run(
        [
            sys.executable, "-m", "mypy", "--strict", "--config-file", "mypy.ini",
            "--python-executable", str(venv / "bin" / "python"),
            "--cache-dir", str(folder / ".mypy_cache"), "program.py",
        ],
        cwd=folder,
        env=isolated_env(),
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
        check=False,
    )  # fmt: skip


def test_wheel_ships_type_marker(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()

    assert "ptc_provider/py.typed" in names
    assert "ptc_provider/__init__.py" in names


def test_wheel_leaves_out_tests_and_examples(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()

    assert [name for name in names if name.startswith("tests/")] == []
    assert [name for name in names if name.startswith("examples/")] == []


def test_wheel_version_matches_package(wheel: Path) -> None:
    version = wheel.name.split("-")[1]

    assert version == ptc_provider.__version__


def test_sdist_contains_package_and_type_marker(sdist: Path) -> None:
    top = sdist.name.removesuffix(".tar.gz")

    with tarfile.open(sdist) as archive:
        names = archive.getnames()

    assert f"{top}/pyproject.toml" in names
    assert f"{top}/ptc_provider/py.typed" in names
    assert f"{top}/ptc_provider/__init__.py" in names


def test_consumer_venv_imports_wheel_not_checkout(consumer_venv: Path) -> None:
    python = consumer_venv / "bin" / "python"

    result = run_checked(
        [python, "-c", "import ptc_provider; print(ptc_provider.__file__)"],
        cwd=consumer_venv.parent,
        timeout=120,
    )

    package_file = Path(result.stdout.strip()).resolve()
    assert package_file.is_relative_to(consumer_venv.resolve())


def test_consumer_program_deploys_and_destroys(
    consumer: Stack, consumer_venv: Path, ecr: Any
) -> None:
    consumer.up()
    deployed = rules_in_aws(ecr)
    outputs = consumer.outputs()
    consumer.preview("--expect-no-changes")
    consumer.destroy()

    assert deployed["consumer"]["upstreamRegistryUrl"] == "quay.io"
    assert outputs["registry_id"] == deployed["consumer"]["registryId"]
    package_file = Path(outputs["package_file"]).resolve()
    assert package_file.is_relative_to(consumer_venv.resolve())
    assert rules_in_aws(ecr) == {}
    assert consumer.rule_states() == []


def test_consumer_program_passes_mypy_strict(
    consumer_venv: Path, tmp_path: Path
) -> None:
    result = run_mypy(consumer_venv, tmp_path, CONSUMER_PROGRAM)

    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_rejects_misused_component(consumer_venv: Path, tmp_path: Path) -> None:
    result = run_mypy(consumer_venv, tmp_path, MISTYPED_PROGRAM)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "Incompatible types in assignment" in result.stdout
    assert 'No overload variant of "PullThroughCacheRule"' in result.stdout
