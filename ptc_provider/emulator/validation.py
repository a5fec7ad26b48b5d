"""Parse request bodies and check members against the ECR service model.

The checks follow the shapes of botocore's ``ecr`` 2015-09-21 model: JSON
types, required members, string lengths, integer ranges, list sizes, patterns
and enums. Rules that depend on stored state (duplicates, secrets, quota) live
in the backend.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ptc_provider.emulator import policies
from ptc_provider.emulator.exceptions import PullThroughCacheError

PREFIX_PATTERN = (
    r"^([a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*"
    r"\/?|ROOT)$"
)
PREFIX_MIN_LENGTH = 2
PREFIX_MAX_LENGTH = 30

CREDENTIAL_ARN_PATTERN = (
    r"^arn:aws(-\w+)*:secretsmanager:[a-zA-Z0-9-:]+:secret:"
    r"ecr\-pullthroughcache\/[a-zA-Z0-9\/_+=.@-]+$"
)
CREDENTIAL_ARN_MIN_LENGTH = 50
CREDENTIAL_ARN_MAX_LENGTH = 612

CUSTOM_ROLE_ARN_MAX_LENGTH = 2048

REGISTRY_ID_PATTERN = r"[0-9]{12}"

UPSTREAM_REGISTRIES = (
    "ecr",
    "ecr-public",
    "quay",
    "k8s",
    "docker-hub",
    "github-container-registry",
    "azure-container-registry",
    "gitlab-container-registry",
    "chainguard",
)

MAX_INTEGER_DIGITS = 100
"""Digits beyond which a JSON integer is read as plus or minus 10**100.

int() raises ValueError for more than ``sys.get_int_max_str_digits()`` digits
(4300 by default). Only range checks read integers, so the clamped value fails
them as the real one would.
"""

JSON_TYPE_NAMES = {
    type(None): "null",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    str: "a string",
    list: "an array",
    dict: "an object",
}


def constraint_error(member: str, constraint: str) -> PullThroughCacheError:
    """Build the error for a member that fails a model constraint."""
    return policies.CONSTRAINT_ERROR(
        f"Invalid parameter at '{member}' failed to satisfy constraint: '{constraint}'"
    )


def type_error(member: str, expected: str, value: Any) -> PullThroughCacheError:
    """Build the error for a member whose JSON type is wrong."""
    actual = JSON_TYPE_NAMES.get(type(value), type(value).__name__)
    return policies.TYPE_ERROR(
        f"Invalid type at '{member}': expected {expected}, but the request "
        f"contains {actual}"
    )


def parse_body(body: str | bytes | None) -> dict[str, Any]:
    """Decode a JSON 1.1 request body into its members.

    An empty body counts as an empty object, as in other AWS JSON services.
    """
    if not body:
        return {}

    try:
        parsed = json.loads(
            body, parse_int=_parse_integer, parse_constant=_reject_constant
        )
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise policies.TYPE_ERROR(
            f"The request body is not valid JSON ({err}). Send a JSON object."
        ) from err
    except RecursionError as err:
        # The decoder recurses once per nested array or object.
        raise policies.TYPE_ERROR(
            "The request body is nested too deeply to parse. Send a JSON object "
            "whose members are strings, numbers or arrays of strings."
        ) from err

    if not isinstance(parsed, dict):
        actual = JSON_TYPE_NAMES.get(type(parsed), type(parsed).__name__)
        raise policies.TYPE_ERROR(
            f"The request body must be a JSON object, but it is {actual}. Send "
            "a JSON object, for example {}."
        )

    return parsed


def _parse_integer(text: str) -> int:
    digits = text.removeprefix("-")
    if len(digits) <= MAX_INTEGER_DIGITS:
        return int(text)

    clamped: int = 10**MAX_INTEGER_DIGITS
    return -clamped if text.startswith("-") else clamped


def _reject_constant(name: str) -> Any:
    # Python's decoder accepts NaN and Infinity, which JSON does not define.
    raise policies.TYPE_ERROR(
        f"The request body is not valid JSON: {name} is not a JSON value. Send "
        "a JSON object."
    )


def get_string(params: dict[str, Any], member: str) -> str | None:
    """Return a string member, or None when it is absent or JSON null."""
    value = params.get(member)
    if value is None:
        return None

    if not isinstance(value, str):
        raise type_error(member, "a string", value)

    return value


def get_required_string(params: dict[str, Any], member: str) -> str:
    """Return a string member that the model marks as required."""
    value = get_string(params, member)
    if value is None:
        raise constraint_error(member, "Member must not be null")

    return value


def get_integer(params: dict[str, Any], member: str) -> int | None:
    """Return an integer member, or None when it is absent or JSON null."""
    value = params.get(member)
    if value is None:
        return None

    if isinstance(value, bool) or not isinstance(value, int):
        raise type_error(member, "an integer", value)

    return value


def get_string_list(params: dict[str, Any], member: str) -> list[str] | None:
    """Return a list-of-strings member, or None when it is absent or JSON null."""
    value = params.get(member)
    if value is None:
        return None

    if not isinstance(value, list):
        raise type_error(member, "an array of strings", value)

    for item in value:
        if not isinstance(item, str):
            raise type_error(f"{member}.member", "a string", item)

    return value


def check_length(member: str, value: str, minimum: int, maximum: int) -> None:
    """Raise when a string is shorter than ``minimum`` or longer than ``maximum``."""
    if len(value) < minimum:
        raise constraint_error(
            member, f"must have length greater than or equal to {minimum}"
        )

    if len(value) > maximum:
        raise constraint_error(
            member, f"must have length less than or equal to {maximum}"
        )


def check_pattern(member: str, value: str, pattern: str) -> None:
    """Raise when a string does not match a model pattern as a whole."""
    if re.fullmatch(pattern, value, re.ASCII) is None:
        raise constraint_error(
            member, f"Member must satisfy regular expression pattern: {pattern}"
        )


def check_repository_prefix(member: str, value: str) -> str:
    """Check an ECR or upstream repository prefix and return it."""
    check_length(member, value, PREFIX_MIN_LENGTH, PREFIX_MAX_LENGTH)
    check_pattern(member, value, PREFIX_PATTERN)
    return value


def check_credential_arn(value: str) -> str:
    """Check a Secrets Manager secret ARN and return it."""
    check_length(
        "credentialArn", value, CREDENTIAL_ARN_MIN_LENGTH, CREDENTIAL_ARN_MAX_LENGTH
    )
    check_pattern("credentialArn", value, CREDENTIAL_ARN_PATTERN)
    return value


def check_custom_role_arn(value: str) -> str:
    """Check the length of an IAM role ARN and return it."""
    check_length("customRoleArn", value, 0, CUSTOM_ROLE_ARN_MAX_LENGTH)
    return value


def check_registry_id(value: str) -> str:
    """Check a registry id (a 12-digit account id) and return it."""
    check_pattern("registryId", value, REGISTRY_ID_PATTERN)
    return value


def check_upstream_registry(value: str) -> str:
    """Check an ``upstreamRegistry`` enum value and return it."""
    if value not in UPSTREAM_REGISTRIES:
        allowed = ", ".join(UPSTREAM_REGISTRIES)
        raise constraint_error(
            "upstreamRegistry", f"Member must satisfy enum value set: [{allowed}]"
        )

    return value


def check_max_results(value: int) -> int:
    """Check a ``maxResults`` page size and return it."""
    if 1 <= value <= policies.MAX_PAGE_SIZE:
        return value

    if value < 1:
        bound = "greater than or equal to 1"
    else:
        bound = f"less than or equal to {policies.MAX_PAGE_SIZE}"

    raise policies.CONSTRAINT_ERROR(
        "Invalid parameter at 'maxResults' failed to satisfy constraint: "
        f"'Member must have value {bound}'. Specify a number from 1 to "
        f"{policies.MAX_PAGE_SIZE}."
    )


def check_prefix_list(values: list[str]) -> list[str]:
    """Check the ``ecrRepositoryPrefixes`` filter and each prefix in it."""
    member = "ecrRepositoryPrefixes"
    if not values:
        raise constraint_error(member, "must have length greater than or equal to 1")

    if len(values) > policies.MAX_FILTER_PREFIXES:
        raise constraint_error(
            member,
            f"must have length less than or equal to {policies.MAX_FILTER_PREFIXES}",
        )

    for value in values:
        check_repository_prefix(f"{member}.member", value)

    return values
