"""Every Python sample in the README and docs/ runs, so the docs match the code.

Samples that declare resources run under Pulumi's mocks; the emulator samples
use moto in process.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pulumi
import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def samples() -> Iterator[Any]:
    for document in DOCUMENTS:
        blocks = PYTHON_BLOCK.findall(document.read_text())
        for index, code in enumerate(blocks, start=1):
            yield pytest.param(code, id=f"{document.name}-{index}")


class EchoMocks(pulumi.runtime.Mocks):
    """Mocks whose resources output their inputs, plus an id and an ARN."""

    def new_resource(
        self, args: pulumi.runtime.MockResourceArgs
    ) -> tuple[str, dict[str, Any]]:
        outputs = dict(args.inputs)
        outputs.setdefault("arn", f"arn:aws:mock:us-east-1:123456789012:{args.name}")
        return f"{args.name}-id", outputs

    def call(
        self, args: pulumi.runtime.MockCallArgs
    ) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


@pytest.fixture(autouse=True)
def fake_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


def test_documents_have_samples() -> None:
    assert len(list(samples())) >= 5


@pytest.mark.parametrize("code", list(samples()))
def test_sample_runs(code: str) -> None:
    pulumi.runtime.set_mocks(EchoMocks(), preview=False)

    @pulumi.runtime.test
    def run() -> None:
        exec(compile(code, "<sample>", "exec"), {"__name__": "__main__"})

    run()
