"""Look up the Secrets Manager secrets that rules name in ``credentialArn``.

Secrets are read from moto's Secrets Manager backend of the rule's own account
and Region, because AWS requires the secret to live there.
"""

from __future__ import annotations

import json
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.secretsmanager.models import secretsmanager_backends

from ptc_provider.emulator import policies
from ptc_provider.emulator.exceptions import SecretNotFoundException, shorten

CREDENTIAL_KEYS = ("username", "accessToken")
"""Keys that the secret's JSON value must contain, as documented by AWS."""


def find_secret(arn: str, account_id: str, region_name: str) -> Any | None:
    """Return moto's secret whose full ARN is ``arn``, or None.

    Only the account and Region of the rule are searched.
    """
    backend: Any = secretsmanager_backends[account_id][region_name]
    for secret in list(backend.secrets.values()):
        if secret.arn == arn:
            return secret

    return None


def require_secret(arn: str | None, account_id: str, region_name: str) -> None:
    """Raise SecretNotFoundException unless the secret named by ``arn`` exists.

    Does nothing when ``arn`` is None.
    """
    if arn is None:
        return

    secret = find_secret(arn, account_id, region_name)
    deleted = secret is not None and secret.is_deleted()
    if secret is None or (deleted and policies.DELETED_SECRET_IS_MISSING):
        raise SecretNotFoundException(
            f"The secret {shorten(arn)} was not found in account "
            f"{shorten(account_id)}, Region {shorten(region_name)}. Create the "
            "secret there, or specify the ARN of an existing secret."
        )


def find_credential_problem(arn: str, account_id: str, region_name: str) -> str | None:
    """Return why the secret cannot authenticate to an upstream, or None.

    The secret must exist, and its SecretString must be a JSON object with
    non-empty ``username`` and ``accessToken`` strings.
    """
    secret = find_secret(arn, account_id, region_name)
    name = shorten(arn)
    if secret is None:
        return f"The secret {name} was not found"

    if secret.is_deleted():
        return f"The secret {name} is scheduled for deletion"

    value = _read_secret_string(arn, account_id, region_name)
    if value is None:
        return f"The secret {name} has no SecretString value"

    return _find_value_problem(name, value)


def _read_secret_string(arn: str, account_id: str, region_name: str) -> str | None:
    backend: Any = secretsmanager_backends[account_id][region_name]
    try:
        response = backend.get_secret_value(
            secret_id=arn, version_id=None, version_stage=None
        )
    except JsonRESTError:
        return None

    value = response.get("SecretString")
    return value if isinstance(value, str) else None


def _find_value_problem(name: str, value: str) -> str | None:
    try:
        parsed = json.loads(value)
    except (ValueError, RecursionError):
        return f"The value of the secret {name} is not valid JSON"

    if not isinstance(parsed, dict):
        return f"The value of the secret {name} is not a JSON object"

    missing = [key for key in CREDENTIAL_KEYS if not _is_filled(parsed.get(key))]
    if missing:
        keys = " and ".join(missing)
        return f"The value of the secret {name} has no non-empty {keys}"

    return None


def _is_filled(value: Any) -> bool:
    return isinstance(value, str) and value != ""
