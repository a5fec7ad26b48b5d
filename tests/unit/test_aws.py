"""Client settings derived from the environment."""

from __future__ import annotations

import pytest

from ptc_provider.aws import DEFAULT_MAX_ATTEMPTS, client_config


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, DEFAULT_MAX_ATTEMPTS), ("2", 2), (" 3 ", 3), ("0", 1), ("x", 8)],
)
def test_max_attempts_from_environment(
    monkeypatch: pytest.MonkeyPatch, value: str | None, expected: int
) -> None:
    if value is None:
        monkeypatch.delenv("AWS_MAX_ATTEMPTS", raising=False)
    else:
        monkeypatch.setenv("AWS_MAX_ATTEMPTS", value)

    retries = client_config().retries or {}

    assert retries["total_max_attempts"] == expected
    assert retries["mode"] == "standard"
