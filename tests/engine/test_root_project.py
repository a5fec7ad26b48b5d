"""The repository root is a runnable Pulumi project that deploys examples/basic."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, Stack

pytestmark = pytest.mark.engine


def test_root_project_deploys_basic_example(stack: Stack, ecr: Any) -> None:
    project = stack.workdir
    shutil.copy(ROOT / "Pulumi.yaml", project / "Pulumi.yaml")
    shutil.copy(ROOT / "__main__.py", project / "__main__.py")
    (project / "examples" / "basic").mkdir(parents=True)
    shutil.copy(
        ROOT / "examples" / "basic" / "__main__.py",
        project / "examples" / "basic" / "__main__.py",
    )
    (project / ".venv").symlink_to(Path(sys.prefix))
    stack.run("stack", "init", "root")

    stack.preview()
    stack.up()
    deployed = ecr.describe_pull_through_cache_rules()["pullThroughCacheRules"]
    stack.destroy()

    assert [rule["ecrRepositoryPrefix"] for rule in deployed] == ["ecr-public"]
    assert stack.outputs() == {}
