"""Checks of a rule's arguments, made before any AWS call.

The functions here are pure: they take values and return what is wrong with
them, and know nothing of boto3 or the Pulumi engine. Each failure names the
argument, the value and the accepted form, and :func:`check_rule` returns
every failure at once so a user fixes them in one pass.

The constraints follow the ECR API (botocore service model ``ecr/2015-09-21``)
and the ECR User Guide's list of supported upstream registries.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .fields import IMPORT_KEY, ROOT

PREFIX_MIN_LENGTH = 2
PREFIX_MAX_LENGTH = 30

# The service model's pattern for PullThroughCacheRuleRepositoryPrefix. It
# allows "__" and runs of "-" between components, and an optional trailing "/".
PREFIX_PATTERN = re.compile(
    r"^([a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*/?|ROOT)$"
)

CREDENTIAL_ARN_MIN_LENGTH = 50
CREDENTIAL_ARN_MAX_LENGTH = 612
CREDENTIAL_ARN_PATTERN = re.compile(
    r"^arn:(?P<partition>aws(-[a-z]+)*):secretsmanager:(?P<region>[a-z0-9-]+):"
    r"(?P<account>\d{12}):secret:ecr-pullthroughcache/[a-zA-Z0-9/_+=.@-]+$"
)
CREDENTIAL_NAME_PREFIX = "ecr-pullthroughcache/"

ROLE_ARN_MAX_LENGTH = 2048
ROLE_ARN_PATTERN = re.compile(
    r"^arn:aws(-[a-z]+)*:iam::\d{12}:role/[a-zA-Z0-9+=,.@_/-]{1,512}$"
)

REGION_PATTERN = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")

# ECR does not offer pull-through cache in the China and GovCloud (US) Regions.
UNSUPPORTED_REGION_PREFIXES = ("cn-", "us-gov-")


@dataclass(frozen=True)
class Upstream:
    """A kind of upstream registry that pull-through cache supports."""

    kind: str
    """The `upstreamRegistry` value AWS reports, such as "docker-hub"."""

    example: str
    """A host name of this kind, for messages."""

    needs_credential: bool
    """Whether AWS requires a Secrets Manager credential for it."""


_FIXED_HOSTS: dict[str, Upstream] = {
    "public.ecr.aws": Upstream("ecr-public", "public.ecr.aws", False),
    "registry.k8s.io": Upstream("k8s", "registry.k8s.io", False),
    "quay.io": Upstream("quay", "quay.io", False),
    "registry-1.docker.io": Upstream("docker-hub", "registry-1.docker.io", True),
    "ghcr.io": Upstream("github-container-registry", "ghcr.io", True),
    "registry.gitlab.com": Upstream(
        "gitlab-container-registry", "registry.gitlab.com", True
    ),
    # NOTE: the API model lists Chainguard without its host name; cgr.dev is
    # Chainguard's public registry host and the best guess for it.
    "cgr.dev": Upstream("chainguard", "cgr.dev", True),
}

AZURE = Upstream("azure-container-registry", "myregistry.azurecr.io", True)
AZURE_HOST = re.compile(r"^[a-z0-9]{5,50}\.azurecr\.io$")

PRIVATE_ECR = Upstream(
    "ecr", "111122223333.dkr.ecr.us-west-2.amazonaws.com", needs_credential=False
)
PRIVATE_ECR_HOST = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com$"
)

# Hosts users often try in place of the one AWS accepts.
_HOST_HINTS = {
    "docker.io": "registry-1.docker.io",
    "index.docker.io": "registry-1.docker.io",
    "hub.docker.com": "registry-1.docker.io",
    "k8s.gcr.io": "registry.k8s.io",
    "gitlab.com": "registry.gitlab.com",
    "ecr-public.aws": "public.ecr.aws",
}

Reporter = Callable[[str, "str | None"], None]
"""Records a failure of an argument; a None reason means the value is valid."""

SUPPORTED_UPSTREAMS = (
    "public.ecr.aws, registry.k8s.io, quay.io, registry-1.docker.io, ghcr.io, "
    "registry.gitlab.com, cgr.dev, <name>.azurecr.io, "
    "<account>.dkr.ecr.<region>.amazonaws.com"
)


@dataclass(frozen=True)
class Failure:
    """One invalid argument."""

    argument: str
    value: Any
    reason: str

    @property
    def message(self) -> str:
        return f"invalid {self.argument} {self.value!r}: {self.reason}"


def upstream_for(url: str) -> Upstream | None:
    """Return the kind of upstream registry at host `url`, or None if unsupported."""
    if url in _FIXED_HOSTS:
        return _FIXED_HOSTS[url]
    if AZURE_HOST.fullmatch(url):
        return AZURE
    if PRIVATE_ECR_HOST.fullmatch(url):
        return PRIVATE_ECR
    return None


def check_prefix(value: Any, *, allow_root: bool = True) -> str | None:
    """Return why `value` is not a valid repository prefix, or None if it is."""
    if not isinstance(value, str):
        return f"must be a string, not {type(value).__name__}"
    if value == ROOT:
        return None if allow_root else "ROOT is not allowed here"
    if not PREFIX_MIN_LENGTH <= len(value) <= PREFIX_MAX_LENGTH:
        return (
            f"must be {PREFIX_MIN_LENGTH} to {PREFIX_MAX_LENGTH} characters long "
            f"(got {len(value)}), or ROOT"
        )
    if not PREFIX_PATTERN.fullmatch(value):
        return (
            "must be lower-case letters and digits in components separated by "
            "'/', each component joined by '.', '_', '__' or '-', with an "
            "optional trailing '/' (for example 'ecr-public' or "
            "'thirdparty/registry.k8s.io'), or ROOT"
        )
    return None


def check_upstream_registry_url(value: Any) -> str | None:
    """Return why `value` is not a supported upstream host, or None if it is."""
    if not isinstance(value, str):
        return f"must be a string, not {type(value).__name__}"
    if "://" in value:
        host = value.split("://", 1)[1].split("/", 1)[0]
        host = _HOST_HINTS.get(host, host)
        return f"must be a bare host name without a scheme, such as {host!r}"
    if "/" in value:
        host = value.split("/", 1)[0]
        host = _HOST_HINTS.get(host, host)
        return f"must be a bare host name without a path, such as {host!r}"
    if value != value.lower():
        return f"must be lower case, such as {value.lower()!r}"
    if upstream_for(value) is not None:
        return None
    hint = _HOST_HINTS.get(value)
    if hint:
        return f"is not accepted by ECR; use {hint!r}"
    return f"is not a supported upstream registry; supported: {SUPPORTED_UPSTREAMS}"


def check_credential_arn(value: Any, region: Any) -> str | None:
    """Return why `value` is not a usable credential ARN, or None if it is."""
    if not isinstance(value, str):
        return f"must be a string, not {type(value).__name__}"
    accepted = (
        "must be a Secrets Manager secret ARN with a 12-digit account whose "
        f"secret name starts with {CREDENTIAL_NAME_PREFIX!r}, such as "
        "'arn:aws:secretsmanager:us-east-1:111122223333:secret:"
        "ecr-pullthroughcache/docker-hub-AbCdEf'"
    )
    match = CREDENTIAL_ARN_PATTERN.fullmatch(value)
    if match is None:
        return accepted
    if not CREDENTIAL_ARN_MIN_LENGTH <= len(value) <= CREDENTIAL_ARN_MAX_LENGTH:
        return (
            f"must be {CREDENTIAL_ARN_MIN_LENGTH} to {CREDENTIAL_ARN_MAX_LENGTH} "
            f"characters long (got {len(value)})"
        )
    if isinstance(region, str) and match.group("region") != region:
        return (
            f"is in region {match.group('region')}, but the secret must be in the "
            f"rule's region {region}"
        )
    return None


def check_custom_role_arn(value: Any) -> str | None:
    """Return why `value` is not an IAM role ARN, or None if it is."""
    if not isinstance(value, str):
        return f"must be a string, not {type(value).__name__}"
    if len(value) > ROLE_ARN_MAX_LENGTH:
        return f"must be at most {ROLE_ARN_MAX_LENGTH} characters long"
    if not ROLE_ARN_PATTERN.fullmatch(value):
        return (
            "must be an IAM role ARN, such as "
            "'arn:aws:iam::111122223333:role/ecr-pull-through-cache'"
        )
    return None


def check_region(value: Any) -> str | None:
    """Return why `value` is not a Region with pull-through cache, or None."""
    if not isinstance(value, str) or not REGION_PATTERN.fullmatch(value):
        return "must be an AWS Region name, such as 'us-east-1'"
    if value.startswith(UNSUPPORTED_REGION_PREFIXES):
        return "ECR pull-through cache is not available in China or GovCloud Regions"
    return None


def is_known(value: Any) -> bool:
    """Tell whether a value is known; during preview an unresolved Output is not."""
    return value is None or isinstance(value, (str, bool, int, float, list, dict))


def check_rule(inputs: Mapping[str, Any]) -> list[Failure]:
    """Check every argument of a rule and return all failures.

    Values still unknown during preview are skipped, so a prefix computed from
    another resource's output previews without a false failure.
    """
    failures: list[Failure] = []

    def fail(argument: str, reason: str | None) -> None:
        if reason is not None:
            failures.append(Failure(argument, inputs.get(argument), reason))

    def known(argument: str) -> bool:
        return is_known(inputs.get(argument))

    prefix = inputs.get("ecr_repository_prefix")
    url = inputs.get("upstream_registry_url")
    region = inputs.get("region")
    upstream = upstream_for(url) if isinstance(url, str) else None

    for required in ("ecr_repository_prefix", "upstream_registry_url"):
        if inputs.get(required) is None:
            fail(required, "is required")

    if prefix is not None and known("ecr_repository_prefix"):
        fail("ecr_repository_prefix", check_prefix(prefix))
    if url is not None and known("upstream_registry_url"):
        fail("upstream_registry_url", check_upstream_registry_url(url))
    if region is not None and known("region"):
        fail("region", check_region(region))

    _check_upstream_prefix(inputs, fail)
    _check_credentials(inputs, upstream, fail)
    _check_settings(inputs, fail)
    return failures


def _check_settings(inputs: Mapping[str, Any], fail: Reporter) -> None:
    validate = inputs.get("validate_credentials")
    if validate is not None and is_known(validate) and not isinstance(validate, bool):
        fail("validate_credentials", "must be True or False")

    import_id = inputs.get(IMPORT_KEY)
    prefix = inputs.get("ecr_repository_prefix")
    if isinstance(import_id, str) and isinstance(prefix, str) and import_id != prefix:
        fail(
            IMPORT_KEY,
            "a rule's id is its prefix, so the import_ option must equal "
            f"ecr_repository_prefix ({prefix!r})",
        )


def _check_upstream_prefix(inputs: Mapping[str, Any], fail: Reporter) -> None:
    value = inputs.get("upstream_repository_prefix")
    if value is None or not is_known(value):
        return
    fail("upstream_repository_prefix", check_prefix(value))
    if inputs.get("ecr_repository_prefix") == ROOT and value != ROOT:
        fail(
            "upstream_repository_prefix",
            "can be set only when ecr_repository_prefix is not ROOT; omit it",
        )


def _check_credentials(
    inputs: Mapping[str, Any], upstream: Upstream | None, fail: Reporter
) -> None:
    credential = inputs.get("credential_arn")
    role = inputs.get("custom_role_arn")
    region = inputs.get("region") if is_known(inputs.get("region")) else None

    if credential is not None and is_known(credential):
        fail("credential_arn", check_credential_arn(credential, region))
        if upstream is PRIVATE_ECR:
            fail(
                "credential_arn",
                "is not used with an ECR upstream, which authenticates with "
                "custom_role_arn; omit it",
            )
    if credential is None and upstream is not None and upstream.needs_credential:
        fail(
            "credential_arn",
            f"is required for upstream {inputs.get('upstream_registry_url')} "
            f"({upstream.kind}); give the ARN of a Secrets Manager secret whose "
            f"name starts with {CREDENTIAL_NAME_PREFIX!r} and that holds "
            "'username' and 'accessToken'",
        )

    if role is not None and is_known(role):
        fail("custom_role_arn", check_custom_role_arn(role))
        if upstream is not None and upstream is not PRIVATE_ECR:
            fail(
                "custom_role_arn",
                "applies only to a private ECR upstream "
                "(<account>.dkr.ecr.<region>.amazonaws.com); omit it",
            )
