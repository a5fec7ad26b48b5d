"""Stored state of the emulated pull-through cache rules.

There is one ``PullThroughCacheBackend`` per account and Region. It is kept as
an attribute of moto's ECR backend for the same account and Region, so moto's
reset (a new ``mock_aws()`` or ``POST /moto-api/reset``) clears it together
with the rest of ECR's state.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

from moto.ecr.models import ecr_backends

from ptc_provider.emulator import credentials, policies, validation
from ptc_provider.emulator.exceptions import (
    LimitExceededException,
    PullThroughCacheError,
    PullThroughCacheRuleAlreadyExistsException,
    PullThroughCacheRuleNotFoundException,
    UnsupportedUpstreamRegistryException,
    shorten,
)

BACKEND_ATTRIBUTE = "ptc_provider_pull_through_cache_backend"
"""Name of the attribute that stores the backend on moto's ECR backend."""

_ATTACH_LOCK = threading.Lock()

TOKEN_KEY_BYTES = 32
"""Size of the random HMAC-SHA256 key that each backend signs its tokens with."""


@dataclass
class PullThroughCacheRule:
    """One pull-through cache rule with the members that Describe returns.

    Timestamps are epoch seconds. ``updated_at`` is None only when the policy
    leaves it out until the first update.
    """

    ecr_repository_prefix: str
    upstream_registry_url: str
    upstream_registry: str
    registry_id: str
    created_at: float
    updated_at: float | None
    credential_arn: str | None = None
    custom_role_arn: str | None = None
    upstream_repository_prefix: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the rule as a JSON object, leaving out unset members."""
        members = {
            "ecrRepositoryPrefix": self.ecr_repository_prefix,
            "upstreamRegistryUrl": self.upstream_registry_url,
            "createdAt": self.created_at,
            "registryId": self.registry_id,
            "credentialArn": self.credential_arn,
            "customRoleArn": self.custom_role_arn,
            "upstreamRepositoryPrefix": self.upstream_repository_prefix,
            "upstreamRegistry": self.upstream_registry,
            "updatedAt": self.updated_at,
        }
        return {name: value for name, value in members.items() if value is not None}


@dataclass(frozen=True)
class CreateRuleRequest:
    """Checked members of a CreatePullThroughCacheRule request."""

    ecr_repository_prefix: str
    upstream_registry_url: str
    upstream_registry: str | None = None
    credential_arn: str | None = None
    custom_role_arn: str | None = None
    upstream_repository_prefix: str | None = None


@dataclass(frozen=True)
class RulePage:
    """One page of DescribePullThroughCacheRules results."""

    rules: list[PullThroughCacheRule]
    next_token: str | None


@dataclass(frozen=True)
class ValidationResult:
    """Result of ValidatePullThroughCacheRule for one rule."""

    rule: PullThroughCacheRule
    is_valid: bool
    failure: str | None


def current_time() -> float:
    """Return the current time in epoch seconds, rounded to milliseconds."""
    return round(time.time(), 3)


def encode_page_token(key: bytes, last_key: str, filter_keys: list[str] | None) -> str:
    """Encode where the next page starts as a ``nextToken`` signed with ``key``.

    The token is the URL-safe Base64 of an HMAC-SHA256 followed by the JSON
    payload that it signs: the key of the page's last rule and the filter.
    """
    payload = json.dumps(
        {"after": last_key, "filter": filter_keys}, separators=(",", ":")
    ).encode()
    signature = hmac.new(key, payload, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(signature + payload).decode("ascii")


def decode_page_token(key: bytes, token: str, filter_keys: list[str] | None) -> str:
    """Return the rule key after which the page starts.

    Raises the constraint error unless ``key`` signed the token and the token
    was issued for the same filter.
    """
    try:
        data = base64.urlsafe_b64decode(token.encode("ascii"))
    except (binascii.Error, UnicodeError, ValueError) as err:
        raise _invalid_token_error() from err

    signature = data[: hashlib.sha256().digest_size]
    payload = data[len(signature) :]
    expected = hmac.new(key, payload, hashlib.sha256).digest()
    if not hmac.compare_digest(signature, expected):
        raise _invalid_token_error()

    # The signature shows that encode_page_token wrote this payload.
    fields = json.loads(payload)
    if fields["filter"] != filter_keys:
        raise validation.constraint_error(
            "nextToken",
            "must be sent with the same ecrRepositoryPrefixes as the call that "
            "returned it",
        )

    return str(fields["after"])


def _invalid_token_error() -> PullThroughCacheError:
    return validation.constraint_error(
        "nextToken",
        "must be a token returned by a previous DescribePullThroughCacheRules call",
    )


class PullThroughCacheBackend:
    """Pull-through cache rules of one registry (one account and Region).

    Methods that read or change rules hold a lock, because the server handles
    requests on several threads. Page tokens are signed with a key of this
    backend, so they are valid only for its account and Region, and a reset,
    which replaces the backend, invalidates them.
    """

    def __init__(self, account_id: str, region_name: str) -> None:
        self.account_id = account_id
        self.region_name = region_name
        self.rules: dict[str, PullThroughCacheRule] = {}
        self._lock = threading.RLock()
        self._token_key = secrets.token_bytes(TOKEN_KEY_BYTES)

    def check_registry_id(self, registry_id: str | None) -> None:
        """Reject a ``registryId`` that is not the caller's own registry."""
        if registry_id is None or registry_id == self.account_id:
            return

        raise policies.FOREIGN_REGISTRY_ERROR(
            f"Invalid parameter at 'registryId' failed to satisfy constraint: "
            "'must be the registry id of the calling account, "
            f"{shorten(self.account_id)}'"
        )

    def create_rule(self, request: CreateRuleRequest) -> PullThroughCacheRule:
        """Store a new rule after checking its upstream, credential and role."""
        upstream = self._resolve_upstream(request)
        self._check_upstream_prefix(request)
        self._check_authentication(request, upstream)
        credentials.require_secret(
            request.credential_arn, self.account_id, self.region_name
        )

        now = current_time()
        rule = PullThroughCacheRule(
            ecr_repository_prefix=request.ecr_repository_prefix,
            upstream_registry_url=request.upstream_registry_url,
            upstream_registry=upstream,
            registry_id=self.account_id,
            created_at=now,
            updated_at=now if policies.UPDATED_AT_ON_CREATE else None,
            credential_arn=request.credential_arn,
            custom_role_arn=request.custom_role_arn,
            upstream_repository_prefix=request.upstream_repository_prefix
            or policies.default_upstream_repository_prefix(upstream),
        )

        with self._lock:
            self._insert(rule)
        return rule

    def describe_rules(
        self,
        prefixes: list[str] | None,
        max_results: int | None,
        next_token: str | None,
    ) -> RulePage:
        """Return one page of rules, all of them or those named in ``prefixes``."""
        page_size = max_results or policies.DEFAULT_PAGE_SIZE
        filter_keys = None
        if prefixes is not None:
            filter_keys = sorted({policies.rule_key(prefix) for prefix in prefixes})

        after = None
        if next_token is not None:
            after = decode_page_token(self._token_key, next_token, filter_keys)

        with self._lock:
            if prefixes is None:
                selected = list(self.rules.values())
            else:
                selected = [self._find(prefix) for prefix in dict.fromkeys(prefixes)]

        # NOTE: AWS does not document the order of rules. Sorting by key keeps
        # pages stable when rules are added or deleted between calls.
        keyed = {
            policies.rule_key(rule.ecr_repository_prefix): rule for rule in selected
        }
        ordered = sorted(keyed.items())
        remaining = [
            (key, rule) for key, rule in ordered if after is None or key > after
        ]

        page = remaining[:page_size]
        more = len(remaining) > page_size
        token = None
        if more:
            token = encode_page_token(self._token_key, page[-1][0], filter_keys)
        return RulePage([rule for _, rule in page], token)

    def update_rule(
        self, prefix: str, credential_arn: str | None, custom_role_arn: str | None
    ) -> PullThroughCacheRule:
        """Replace a rule's credential or role and set its ``updatedAt``."""
        if credential_arn is None and custom_role_arn is None:
            raise policies.CONSTRAINT_ERROR(
                "Invalid input: Please set either credential arn or role arn to "
                "update the credentials"
            )

        with self._lock:
            rule = self._find(prefix)
            self._check_custom_role(custom_role_arn)
            credentials.require_secret(
                credential_arn, self.account_id, self.region_name
            )

            if credential_arn is not None:
                rule.credential_arn = credential_arn
            if custom_role_arn is not None:
                rule.custom_role_arn = custom_role_arn
            rule.updated_at = current_time()
            return rule

    def delete_rule(self, prefix: str) -> PullThroughCacheRule:
        """Remove a rule and return it."""
        with self._lock:
            rule = self._find(prefix)
            del self.rules[policies.rule_key(rule.ecr_repository_prefix)]
            return rule

    def validate_rule(self, prefix: str) -> ValidationResult:
        """Check that a rule's credential secret exists and contains credentials."""
        with self._lock:
            rule = self._find(prefix)

        if rule.credential_arn is None:
            is_valid, failure = policies.VALID_WITHOUT_CREDENTIAL
            return ValidationResult(rule, is_valid, failure)

        failure = credentials.find_credential_problem(
            rule.credential_arn, self.account_id, self.region_name
        )
        return ValidationResult(rule, failure is None, failure)

    def _find(self, prefix: str) -> PullThroughCacheRule:
        rule = self.rules.get(policies.rule_key(prefix))
        if rule is None:
            raise PullThroughCacheRuleNotFoundException(
                f"The pull through cache rule with prefix '{shorten(prefix)}' does "
                f"not exist in the registry with id '{shorten(self.account_id)}'"
            )

        return rule

    def _insert(self, rule: PullThroughCacheRule) -> None:
        key = policies.rule_key(rule.ecr_repository_prefix)
        if key in self.rules:
            raise PullThroughCacheRuleAlreadyExistsException(
                "A pull through cache rule with prefix "
                f"'{shorten(rule.ecr_repository_prefix)}' already exists in the "
                f"registry with id '{shorten(self.account_id)}'"
            )

        if len(self.rules) >= policies.RULES_PER_REGISTRY_QUOTA:
            raise LimitExceededException(
                f"The registry with id '{shorten(self.account_id)}' already has "
                f"{policies.RULES_PER_REGISTRY_QUOTA} pull through cache rules, "
                "the maximum per Region. Delete a rule before creating another."
            )

        self.rules[key] = rule

    def _resolve_upstream(self, request: CreateRuleRequest) -> str:
        upstream = policies.upstream_registry_for_url(request.upstream_registry_url)
        url = shorten(request.upstream_registry_url)
        if upstream is None:
            raise UnsupportedUpstreamRegistryException(
                f"The upstream registry URL {url} is invalid. Specify a valid "
                "upstream registry URL and try again"
            )

        if request.upstream_registry not in (None, upstream):
            raise validation.constraint_error(
                "upstreamRegistry",
                f"must be {upstream} for the upstream registry URL {url}",
            )

        return upstream

    def _check_upstream_prefix(self, request: CreateRuleRequest) -> None:
        if request.ecr_repository_prefix != policies.ROOT:
            return

        allowed = policies.UPSTREAM_PREFIX_ALLOWED_WITH_ROOT
        if request.upstream_repository_prefix not in (None, *allowed):
            raise validation.constraint_error(
                "upstreamRepositoryPrefix",
                "can be set only when ecrRepositoryPrefix is not ROOT",
            )

    def _check_authentication(self, request: CreateRuleRequest, upstream: str) -> None:
        needs_credential = upstream in policies.CREDENTIAL_REQUIRED_UPSTREAMS
        if needs_credential and request.credential_arn is None:
            raise UnsupportedUpstreamRegistryException(
                policies.CREDENTIAL_REQUIRED_MESSAGE
            )

        upstream_account = policies.ecr_upstream_account(request.upstream_registry_url)
        foreign = upstream_account not in (None, self.account_id)
        if foreign and request.custom_role_arn is None:
            raise policies.CROSS_ACCOUNT_ROLE_ERROR(
                "Invalid parameter at 'customRoleArn' failed to satisfy constraint: "
                f"'must be set when the upstream registry is in another account "
                f"({upstream_account})'"
            )

        self._check_custom_role(request.custom_role_arn)

    def _check_custom_role(self, role_arn: str | None) -> None:
        if role_arn is None:
            return

        match = policies.ROLE_ARN_PATTERN.fullmatch(role_arn)
        if match is None:
            raise validation.constraint_error(
                "customRoleArn",
                "must be the ARN of an IAM role: arn:aws:iam::<account>:role/<name>",
            )

        if match.group("account") != self.account_id:
            raise validation.constraint_error(
                "customRoleArn",
                f"must be a role in the registry's account, {shorten(self.account_id)}",
            )


def get_backend(account_id: str, region_name: str) -> PullThroughCacheBackend:
    """Return the rules backend of an account and Region, creating it if needed.

    Raises the unknown Region error for a Region that moto does not serve.
    moto serves the Regions that botocore lists for ECR, and any name when the
    environment variable MOTO_ALLOW_NONEXISTENT_REGION is true.
    """
    try:
        ecr_backend: Any = ecr_backends[account_id][region_name]
    except KeyError as err:
        raise policies.UNKNOWN_REGION_ERROR(
            f"The request is signed for the Region '{shorten(region_name)}', "
            "which the emulator does not serve. Sign it for an AWS Region such "
            "as us-east-1, or set MOTO_ALLOW_NONEXISTENT_REGION=true where the "
            "emulator runs."
        ) from err

    with _ATTACH_LOCK:
        backend = getattr(ecr_backend, BACKEND_ATTRIBUTE, None)
        if backend is None:
            backend = PullThroughCacheBackend(account_id, region_name)
            setattr(ecr_backend, BACKEND_ATTRIBUTE, backend)

    assert isinstance(backend, PullThroughCacheBackend)
    return backend
