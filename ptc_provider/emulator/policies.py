"""Behaviour choices of the emulator, including those real AWS has not confirmed.

Every choice that is a guess carries a ``NOTE:`` comment. The rest of the
emulator reads these values instead of repeating them, so changing a guess
means changing one line here.
"""

from __future__ import annotations

import re

from ptc_provider.emulator import exceptions

ROOT = "ROOT"
"""Special prefix value.

As ``ecrRepositoryPrefix`` it covers every repository that no other rule
covers. As ``upstreamRepositoryPrefix`` it matches any upstream repository.
"""

RULES_PER_REGISTRY_QUOTA = 50
"""Service quota "Pull through cache rules per registry" (per Region, fixed)."""
# NOTE: the quota is documented, but rejecting exactly the 51st rule with
# LimitExceededException has not been observed.

DEFAULT_PAGE_SIZE = 100
"""Rules per DescribePullThroughCacheRules page when maxResults is absent."""

MAX_PAGE_SIZE = 1000
"""Maximum value of maxResults."""

MAX_FILTER_PREFIXES = 100
"""Maximum number of items in the ecrRepositoryPrefixes filter."""

UPSTREAM_REGISTRY_BY_HOST = {
    "public.ecr.aws": "ecr-public",
    "registry.k8s.io": "k8s",
    "quay.io": "quay",
    "registry-1.docker.io": "docker-hub",
    "ghcr.io": "github-container-registry",
    "registry.gitlab.com": "gitlab-container-registry",
    # NOTE: the AWS documentation gives no Chainguard URL. cgr.dev is the host
    # that Chainguard publishes its images on.
    "cgr.dev": "chainguard",
}
"""Upstream registries with one fixed host name.

NOTE: URLs are matched exactly, so variants such as ``docker.io``,
``https://quay.io`` or ``Quay.io`` are rejected like any unsupported host.
"""

AZURE_HOST_PATTERN = re.compile(r"[a-z0-9]+\.azurecr\.io")
ECR_HOST_PATTERN = re.compile(
    r"(?P<account>[0-9]{12})\.dkr\.ecr\.(?P<region>[a-z]{2}(-[a-z]+)+-[0-9])"
    r"\.amazonaws\.com"
)

ROLE_ARN_PATTERN = re.compile(
    r"arn:aws(-[a-z]+)*:iam::(?P<account>[0-9]{12}):role/[\w+=,.@/-]+", re.ASCII
)
"""Form accepted for ``customRoleArn``: an IAM role ARN.

NOTE: the model gives no pattern, only that the role must be in the registry's
account. The emulator checks that form and account, not that the role exists.
"""

CREDENTIAL_REQUIRED_UPSTREAMS = frozenset(
    {
        "docker-hub",
        "github-container-registry",
        "gitlab-container-registry",
        "azure-container-registry",
        "chainguard",
    }
)
"""Upstream registries that reject a rule without ``credentialArn``.

NOTE: only Docker Hub has been observed to reject a rule without a credential.
The other registries are assumed to behave the same way.
"""

CREDENTIAL_REQUIRED_MESSAGE = (
    "The specified upstream registry requires authentication. Specify a valid "
    "Secrets Manager ARN that contains the upstream registry credentials and "
    "try again"
)
# NOTE: AWS responses quoted in public reports stop after "Secrets Manager ARN".
# The rest of this sentence is a guess.

CONSTRAINT_ERROR: type[exceptions.PullThroughCacheError] = (
    exceptions.InvalidParameterException
)
"""Error for a length, range, pattern or enum violation.

NOTE: AWS declares both InvalidParameterException and ValidationException for
these operations. The observed message wording is InvalidParameterException's.
"""

TYPE_ERROR: type[exceptions.PullThroughCacheError] = exceptions.SerializationException
"""Error for a body that is not a JSON object or a member of the wrong type.

NOTE: this is the error AWS JSON services return for such bodies. It has not
been observed for ECR in particular.
"""

CROSS_ACCOUNT_ROLE_ERROR: type[exceptions.PullThroughCacheError] = (
    exceptions.InvalidParameterException
)
"""Error for an ECR upstream in another account without ``customRoleArn``.

NOTE: AWS documents that the role is required, but not the error it returns.
"""

FOREIGN_REGISTRY_ERROR: type[exceptions.PullThroughCacheError] = (
    exceptions.InvalidParameterException
)
"""Error for a ``registryId`` other than the caller's account.

NOTE: real AWS behaviour is unknown. Rules can only live in the caller's own
registry, so the emulator rejects other registry ids.
"""

UNKNOWN_REGION_ERROR: type[exceptions.PullThroughCacheError] = (
    exceptions.InvalidSignatureException
)
"""Error for a request signed for a Region that moto does not serve.

NOTE: AWS checks the credential scope before the service runs. Public reports
show InvalidSignatureException from other AWS JSON services for a Region that
does not exist, in one case with HTTP 403. Neither code nor status has been
observed for ECR. The emulator sends HTTP 400, which botocore does not retry.
"""

MISSING_AUTHORIZATION_ERROR: type[exceptions.PullThroughCacheError] = (
    exceptions.MissingAuthenticationTokenException
)
"""Error, with HTTP 403, for a server request without an Authorization header."""

MALFORMED_AUTHORIZATION_ERROR: type[exceptions.PullThroughCacheError] = (
    exceptions.IncompleteSignatureException
)
"""Error for a server request whose Authorization header has no credential scope."""

WRONG_SERVICE_ERROR: type[exceptions.PullThroughCacheError] = (
    exceptions.InvalidSignatureException
)
"""Error for a server request signed for a service other than ``ecr``.

NOTE: the three Authorization errors follow AWS's list of errors common to all
services (MissingAuthenticationToken with HTTP 403, IncompleteSignature with
HTTP 400), in the ``...Exception`` form of JSON services. None has been
observed for ECR.
"""

UPSTREAM_PREFIX_ALLOWED_WITH_ROOT = frozenset({ROOT})
"""``upstreamRepositoryPrefix`` values accepted when the ECR prefix is ROOT.

NOTE: AWS documents that the upstream prefix may be set only when the ECR
prefix is not ROOT. Setting it to its default, ROOT, is accepted as a no-op.
"""

VALID_WITHOUT_CREDENTIAL = (True, None)
"""ValidatePullThroughCacheRule result (isValid, failure) for a rule without a
credential.

NOTE: AWS documents the operation for rules that authenticate with a secret
only. A rule with nothing to check is reported as valid.
"""

DELETED_SECRET_IS_MISSING = True
"""Whether a secret scheduled for deletion counts as not found.

NOTE: unconfirmed. AWS may report UnableToAccessSecretException instead.
"""

UPDATED_AT_ON_CREATE = True
"""Whether DescribePullThroughCacheRules returns ``updatedAt`` (equal to
``createdAt``) for a rule that was never updated.

NOTE: unconfirmed. The model lists updatedAt without saying when it is set.
"""

# NOTE: AWS behaviour is unconfirmed for the following combinations. The
# emulator accepts them as given, because rejecting them could make it stricter
# than AWS. They are a credentialArn on an upstream without authentication, a
# customRoleArn on a non-ECR upstream, and ROOT as the ECR prefix of a non-ECR
# upstream. The same goes for a non-ROOT upstreamRepositoryPrefix on a non-ECR
# upstream, and for maxResults combined with the ecrRepositoryPrefixes filter.


def upstream_registry_for_url(url: str) -> str | None:
    """Map an upstream registry URL to its ``upstreamRegistry`` value.

    Returns None when the URL names no supported registry.
    """
    # NOTE: an explicit upstreamRegistry in a request must equal this value,
    # otherwise the request is rejected. Real AWS behaviour is unconfirmed.
    if url in UPSTREAM_REGISTRY_BY_HOST:
        return UPSTREAM_REGISTRY_BY_HOST[url]

    if AZURE_HOST_PATTERN.fullmatch(url):
        return "azure-container-registry"

    if ECR_HOST_PATTERN.fullmatch(url):
        return "ecr"

    return None


def ecr_upstream_account(url: str) -> str | None:
    """Return the account id of a private ECR upstream URL, or None."""
    match = ECR_HOST_PATTERN.fullmatch(url)
    if match is None:
        return None

    return match.group("account")


def default_upstream_repository_prefix(upstream_registry: str) -> str | None:
    """Return the ``upstreamRepositoryPrefix`` stored when the request omits it.

    ECR upstreams report ROOT, as documented.
    """
    # NOTE: for other upstreams AWS apparently omits the member, so None is
    # returned and the responses leave it out.
    if upstream_registry == "ecr":
        return ROOT

    return None


def rule_key(prefix: str) -> str:
    """Return the key that identifies a rule by its ECR repository prefix."""
    # NOTE: AWS treats every prefix as if it ended in "/", so "team" and "team/"
    # are taken to name the same rule. The prefix is stored as given.
    return prefix.removesuffix("/")
