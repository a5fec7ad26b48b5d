"""Fault injection for the emulated pull-through cache rule operations.

Fault injection is off by default. Three environment variables turn it on.
They are read on every call, so tests can change them with ``monkeypatch``,
and the server's ``--fault-rate``, ``--fault-kind`` and ``--latency-ms``
options set them in the server process:

``PTC_EMULATOR_FAULT_RATE``
    Fraction of calls that fail, from 0 to 1. Default 0.
``PTC_EMULATOR_FAULT_KIND``
    ``throttling`` (ThrottlingException, HTTP 400) or ``server-error``
    (ServerException, HTTP 500). Default ``throttling``.
``PTC_EMULATOR_LATENCY_MS``
    Milliseconds of delay added to every call, from 0 to 60000. Default 0.

Only the five pull-through cache rule operations are affected. The rest of
moto's API behaves as usual.
"""

from __future__ import annotations

import logging
import os
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from ptc_provider.emulator.exceptions import ServerException, ThrottlingException

FAULT_RATE_ENV = "PTC_EMULATOR_FAULT_RATE"
FAULT_KIND_ENV = "PTC_EMULATOR_FAULT_KIND"
LATENCY_MS_ENV = "PTC_EMULATOR_LATENCY_MS"

THROTTLING = "throttling"
SERVER_ERROR = "server-error"
FAULT_KINDS = (THROTTLING, SERVER_ERROR)

MAX_LATENCY_MS = 60_000
"""Maximum added latency: botocore's default read timeout is 60 seconds."""

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class FaultSettings:
    """How often calls fail, how they fail, and how much they are delayed."""

    rate: float = 0.0
    kind: str = THROTTLING
    latency_ms: int = 0

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str] | None = None
    ) -> FaultSettings:
        """Read the settings from the environment variables.

        Raises ValueError naming the variable when a value is invalid.
        """
        environ = os.environ if environ is None else environ
        return cls(
            rate=_read(environ, FAULT_RATE_ENV, parse_fault_rate, 0.0),
            kind=_read(environ, FAULT_KIND_ENV, parse_fault_kind, THROTTLING),
            latency_ms=_read(environ, LATENCY_MS_ENV, parse_latency_ms, 0),
        )

    def to_environment(self) -> dict[str, str]:
        """Return the environment variables that produce these settings."""
        return {
            FAULT_RATE_ENV: repr(self.rate),
            FAULT_KIND_ENV: self.kind,
            LATENCY_MS_ENV: str(self.latency_ms),
        }


def _read(
    environ: Mapping[str, str], name: str, parse: Callable[[str], T], default: T
) -> T:
    text = environ.get(name, "").strip()
    if not text:
        return default

    try:
        return parse(text)
    except ValueError as err:
        raise ValueError(f"{name}: {err}") from err


def parse_fault_rate(text: str) -> float:
    """Parse a fault rate: a number from 0 to 1."""
    try:
        rate = float(text)
    except ValueError:
        rate = -1.0

    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"invalid fault rate {text!r}: expected a number from 0 to 1")

    return rate


def parse_fault_kind(text: str) -> str:
    """Parse a fault kind: ``throttling`` or ``server-error``."""
    if text not in FAULT_KINDS:
        raise ValueError(
            f"invalid fault kind {text!r}: expected one of {', '.join(FAULT_KINDS)}"
        )

    return text


def parse_latency_ms(text: str) -> int:
    """Parse an added latency: whole milliseconds from 0 to 60000."""
    try:
        latency = int(text)
    except ValueError:
        latency = -1

    if not 0 <= latency <= MAX_LATENCY_MS:
        raise ValueError(
            f"invalid latency {text!r}: expected whole milliseconds from 0 to "
            f"{MAX_LATENCY_MS}"
        )

    return latency


def inject_faults(
    operation: str,
    settings: FaultSettings,
    draw: Callable[[], float] = random.random,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Delay the call, then raise the configured error for a share of calls."""
    if settings.latency_ms:
        sleep(settings.latency_ms / 1000)

    if settings.rate <= 0.0 or draw() >= settings.rate:
        return

    logger.debug("Injecting a %s fault into %s", settings.kind, operation)
    if settings.kind == SERVER_ERROR:
        raise ServerException(
            f"Injected server error in {operation} (fault injection is on)"
        )

    raise ThrottlingException(f"Rate exceeded (fault injection in {operation})")
