"""Request handlers for the five pull-through cache rule operations.

moto routes an ECR JSON 1.1 request to the ``ECRResponse`` method named after
the operation in ``X-Amz-Target``, in snake case. ``install()`` copies the
methods of ``PullThroughCacheResponse`` onto ``ECRResponse``. Each handler
returns a JSON body and headers. Emulator errors become AWS error responses.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from ptc_provider.emulator import faults, validation
from ptc_provider.emulator.exceptions import PullThroughCacheError, shorten
from ptc_provider.emulator.models import (
    CreateRuleRequest,
    PullThroughCacheBackend,
    PullThroughCacheRule,
    get_backend,
)

JSON_CONTENT_TYPE = "application/x-amz-json-1.1"

Response = tuple[str, dict[str, Any]]
Action = Callable[[PullThroughCacheBackend, dict[str, Any]], dict[str, Any]]
T = TypeVar("T")

CREATE_MEMBERS = (
    "ecrRepositoryPrefix",
    "upstreamRegistryUrl",
    "createdAt",
    "registryId",
    "upstreamRegistry",
    "credentialArn",
    "customRoleArn",
    "upstreamRepositoryPrefix",
)
UPDATE_MEMBERS = (
    "ecrRepositoryPrefix",
    "registryId",
    "updatedAt",
    "credentialArn",
    "customRoleArn",
    "upstreamRepositoryPrefix",
)
DELETE_MEMBERS = (
    "ecrRepositoryPrefix",
    "upstreamRegistryUrl",
    "createdAt",
    "registryId",
    "credentialArn",
    "customRoleArn",
    "upstreamRepositoryPrefix",
)
VALIDATE_MEMBERS = (
    "ecrRepositoryPrefix",
    "registryId",
    "upstreamRegistryUrl",
    "credentialArn",
    "customRoleArn",
    "upstreamRepositoryPrefix",
)

logger = logging.getLogger(__name__)


def select_members(
    rule: PullThroughCacheRule, names: tuple[str, ...]
) -> dict[str, Any]:
    """Return the named members of a rule that are set, in the given order."""
    members = rule.to_dict()
    return {name: members[name] for name in names if name in members}


def json_response(body: dict[str, Any]) -> Response:
    """Build a successful JSON 1.1 response."""
    return json.dumps(body), {"status": 200, "Content-Type": JSON_CONTENT_TYPE}


def error_response(error: PullThroughCacheError) -> Response:
    """Build the JSON 1.1 error response of an emulator error."""
    body = {"__type": error.code, "message": error.message}
    headers = {
        "status": error.status,
        "Content-Type": JSON_CONTENT_TYPE,
        "X-Amzn-ErrorType": error.code,
    }
    return json.dumps(body), headers


def handle(request: Any, operation: str, action: Action) -> Response:
    """Run one operation for a moto request and build its response.

    ``request`` is moto's ECRResponse for the call. The Region of the signature
    is checked first, as AWS checks it before the service runs. Then faults are
    injected, the body is parsed and ``action`` runs on the caller's backend.
    An invalid fault injection variable raises ValueError, which moto does not
    turn into a response.
    """
    try:
        backend = get_backend(request.current_account, request.region)
        faults.inject_faults(operation, faults.FaultSettings.from_environment())
        params = validation.parse_body(request.body)

        registry_id = _optional(validation.check_registry_id, params, "registryId")
        backend.check_registry_id(registry_id)

        return json_response(action(backend, params))
    except PullThroughCacheError as error:
        logger.info(
            "%s failed for account %s in %s: %s",
            operation,
            shorten(request.current_account),
            shorten(request.region),
            error,
        )
        return error_response(error)


def _optional(
    check: Callable[[str], T], params: dict[str, Any], member: str
) -> T | None:
    value = validation.get_string(params, member)
    return None if value is None else check(value)


def _check_upstream_prefix(value: str) -> str:
    return validation.check_repository_prefix("upstreamRepositoryPrefix", value)


def _required_prefix(params: dict[str, Any]) -> str:
    prefix = validation.get_required_string(params, "ecrRepositoryPrefix")
    return validation.check_repository_prefix("ecrRepositoryPrefix", prefix)


def create_rule(
    backend: PullThroughCacheBackend, params: dict[str, Any]
) -> dict[str, Any]:
    """Handle CreatePullThroughCacheRule."""
    request = CreateRuleRequest(
        ecr_repository_prefix=_required_prefix(params),
        upstream_registry_url=validation.get_required_string(
            params, "upstreamRegistryUrl"
        ),
        upstream_registry=_optional(
            validation.check_upstream_registry, params, "upstreamRegistry"
        ),
        credential_arn=_optional(
            validation.check_credential_arn, params, "credentialArn"
        ),
        custom_role_arn=_optional(
            validation.check_custom_role_arn, params, "customRoleArn"
        ),
        upstream_repository_prefix=_optional(
            _check_upstream_prefix, params, "upstreamRepositoryPrefix"
        ),
    )

    rule = backend.create_rule(request)
    return select_members(rule, CREATE_MEMBERS)


def describe_rules(
    backend: PullThroughCacheBackend, params: dict[str, Any]
) -> dict[str, Any]:
    """Handle DescribePullThroughCacheRules."""
    prefixes = validation.get_string_list(params, "ecrRepositoryPrefixes")
    if prefixes is not None:
        validation.check_prefix_list(prefixes)

    max_results = validation.get_integer(params, "maxResults")
    if max_results is not None:
        validation.check_max_results(max_results)

    next_token = validation.get_string(params, "nextToken")

    page = backend.describe_rules(prefixes, max_results, next_token)

    body: dict[str, Any] = {
        "pullThroughCacheRules": [rule.to_dict() for rule in page.rules]
    }
    if page.next_token is not None:
        body["nextToken"] = page.next_token
    return body


def update_rule(
    backend: PullThroughCacheBackend, params: dict[str, Any]
) -> dict[str, Any]:
    """Handle UpdatePullThroughCacheRule."""
    prefix = _required_prefix(params)
    credential_arn = _optional(validation.check_credential_arn, params, "credentialArn")
    custom_role_arn = _optional(
        validation.check_custom_role_arn, params, "customRoleArn"
    )

    rule = backend.update_rule(prefix, credential_arn, custom_role_arn)
    return select_members(rule, UPDATE_MEMBERS)


def delete_rule(
    backend: PullThroughCacheBackend, params: dict[str, Any]
) -> dict[str, Any]:
    """Handle DeletePullThroughCacheRule."""
    rule = backend.delete_rule(_required_prefix(params))
    return select_members(rule, DELETE_MEMBERS)


def validate_rule(
    backend: PullThroughCacheBackend, params: dict[str, Any]
) -> dict[str, Any]:
    """Handle ValidatePullThroughCacheRule."""
    result = backend.validate_rule(_required_prefix(params))

    body = select_members(result.rule, VALIDATE_MEMBERS)
    body["isValid"] = result.is_valid
    if result.failure is not None:
        body["failure"] = result.failure
    return body


class PullThroughCacheResponse:
    """ECR request handlers for the pull-through cache rule operations.

    The methods run as methods of moto's ECRResponse, which provides the
    attributes declared here.
    """

    body: Any
    current_account: str
    region: str

    def create_pull_through_cache_rule(self) -> Response:
        """Handle a CreatePullThroughCacheRule request."""
        return handle(self, "CreatePullThroughCacheRule", create_rule)

    def describe_pull_through_cache_rules(self) -> Response:
        """Handle a DescribePullThroughCacheRules request."""
        return handle(self, "DescribePullThroughCacheRules", describe_rules)

    def update_pull_through_cache_rule(self) -> Response:
        """Handle an UpdatePullThroughCacheRule request."""
        return handle(self, "UpdatePullThroughCacheRule", update_rule)

    def delete_pull_through_cache_rule(self) -> Response:
        """Handle a DeletePullThroughCacheRule request."""
        return handle(self, "DeletePullThroughCacheRule", delete_rule)

    def validate_pull_through_cache_rule(self) -> Response:
        """Handle a ValidatePullThroughCacheRule request."""
        return handle(self, "ValidatePullThroughCacheRule", validate_rule)


HANDLER_NAMES = (
    "create_pull_through_cache_rule",
    "describe_pull_through_cache_rules",
    "update_pull_through_cache_rule",
    "delete_pull_through_cache_rule",
    "validate_pull_through_cache_rule",
)
"""Methods of PullThroughCacheResponse that ``install()`` adds to ECRResponse."""
