"""AWS access: the ECR client, finders for rules, and error translation.

Clients are made where they are used and never stored on anything that is
pickled into Pulumi state. boto3 takes the endpoint (``AWS_ENDPOINT_URL``,
``AWS_ENDPOINT_URL_ECR``), credentials and profile from the environment of the
process, which for a dynamic provider is the environment of the Pulumi CLI.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

import boto3
import botocore.exceptions
from botocore.config import Config

from .errors import (
    AwsOperationError,
    InvalidArgumentError,
    RuleAlreadyExistsError,
    RuleNotFoundError,
)

if TYPE_CHECKING:
    from mypy_boto3_ecr.client import ECRClient

log = logging.getLogger(__name__)

DEFAULT_MAX_ATTEMPTS = 8


def client_config() -> Config:
    """Return the client settings: standard retries and bounded calls.

    Standard retry mode retries throttling, 5xx responses and connection errors
    with backoff; ``AWS_MAX_ATTEMPTS`` overrides the number of attempts. Each
    call has timeouts, because the engine does not enforce custom timeouts on
    dynamic providers.
    """
    attempts = os.environ.get("AWS_MAX_ATTEMPTS", "").strip()
    max_attempts = int(attempts) if attempts.isdigit() else DEFAULT_MAX_ATTEMPTS
    return Config(
        # total_max_attempts counts the first call too, like AWS_MAX_ATTEMPTS.
        retries={"mode": "standard", "total_max_attempts": max(max_attempts, 1)},
        connect_timeout=10,
        read_timeout=30,
        user_agent_extra="ptc-provider",
    )


NOT_FOUND = "PullThroughCacheRuleNotFoundException"
ALREADY_EXISTS = "PullThroughCacheRuleAlreadyExistsException"


def make_client(region: str | None, profile: str | None = None) -> ECRClient:
    """Create an ECR client for `region`, using `profile` when one is given."""
    try:
        session = boto3.session.Session(profile_name=profile, region_name=region)
        return session.client("ecr", config=client_config())
    except botocore.exceptions.ProfileNotFound as err:
        raise InvalidArgumentError(
            "aws:profile", profile or os.environ.get("AWS_PROFILE"), str(err)
        ) from err


def environment_region(profile: str | None = None) -> str | None:
    """Return the Region of the AWS environment, as the AWS CLI resolves it.

    boto3 reads AWS_DEFAULT_REGION and the profile, but not AWS_REGION, which
    the AWS CLI and most SDKs honour first.
    """
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        if os.environ.get(name):
            return os.environ[name]
    try:
        return boto3.session.Session(profile_name=profile).region_name
    except botocore.exceptions.ProfileNotFound:
        return None


def error_code(err: Exception) -> str:
    """Return the AWS error code of `err`, or its class name if it has none."""
    if isinstance(err, botocore.exceptions.ClientError):
        return str(err.response.get("Error", {}).get("Code", "Unknown"))
    return type(err).__name__


def error_message(err: Exception) -> str:
    if isinstance(err, botocore.exceptions.ClientError):
        return str(err.response.get("Error", {}).get("Message", str(err)))
    return str(err)


def translate(err: Exception, action: str, prefix: str) -> AwsOperationError:
    """Wrap a botocore failure with the action and the rule's prefix."""
    code = error_code(err)
    cls = RuleAlreadyExistsError if code == ALREADY_EXISTS else AwsOperationError
    return cls(action, prefix, code, error_message(err))


def find_rule(client: ECRClient, prefix: str) -> dict[str, Any] | None:
    """Describe the rule with `prefix`, or return None if there is none.

    This is the one place that turns AWS's not-found error into None.
    """
    try:
        response = client.describe_pull_through_cache_rules(
            ecrRepositoryPrefixes=[prefix]
        )
    except botocore.exceptions.ClientError as err:
        if error_code(err) == NOT_FOUND:
            return None
        raise translate(err, "reading", prefix) from err
    except botocore.exceptions.BotoCoreError as err:
        raise translate(err, "reading", prefix) from err

    rules = response.get("pullThroughCacheRules", [])
    return dict(rules[0]) if rules else None


def require_rule(client: ECRClient, prefix: str, region: str | None) -> dict[str, Any]:
    """Describe the rule with `prefix`, raising RuleNotFoundError if there is none."""
    rule = find_rule(client, prefix)
    if rule is None:
        raise RuleNotFoundError(prefix, region)
    return rule


def list_rules(client: ECRClient) -> Iterator[dict[str, Any]]:
    """Yield every pull-through cache rule in the registry, page by page."""
    paginator = client.get_paginator("describe_pull_through_cache_rules")
    try:
        for page in paginator.paginate():
            for rule in page.get("pullThroughCacheRules", []):
                yield dict(rule)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as err:
        raise translate(err, "listing", "*") from err


def iso_timestamp(value: Any) -> str | None:
    """Return a boto3 timestamp as an ISO-8601 string; state cannot hold datetimes."""
    if isinstance(value, datetime):
        return value.isoformat()
    return None if value is None else str(value)
