"""The provider as the engine stores it: small, by reference, and secret-free."""

from __future__ import annotations

import base64
import subprocess
import sys
from pathlib import Path

from pulumi.dynamic.dynamic import serialize_provider

from ptc_provider.provider import PullThroughCacheRuleProvider

LOAD_SCRIPT = """
import base64, sys
import dill
provider = dill.loads(base64.b64decode(sys.stdin.read()))
print(type(provider).__module__, type(provider).__name__)
"""


def test_provider_pickles_by_reference() -> None:
    blob = base64.b64decode(serialize_provider(PullThroughCacheRuleProvider()))

    assert len(blob) < 200
    assert b"ptc_provider.provider" in blob
    assert b"PullThroughCacheRuleProvider" in blob


def test_provider_blob_is_stable() -> None:
    first = serialize_provider(PullThroughCacheRuleProvider())
    second = serialize_provider(PullThroughCacheRuleProvider())

    assert first == second


def test_provider_blob_loads_outside_project(tmp_path: Path) -> None:
    blob = serialize_provider(PullThroughCacheRuleProvider())

    result = subprocess.run(
        [sys.executable, "-c", LOAD_SCRIPT],
        input=blob,
        capture_output=True,
        text=True,
        cwd=str(tmp_path),
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "ptc_provider.provider",
        "PullThroughCacheRuleProvider",
    ]


def test_provider_blob_is_not_marked_secret() -> None:
    assert PullThroughCacheRuleProvider.serialize_as_secret_always is False
