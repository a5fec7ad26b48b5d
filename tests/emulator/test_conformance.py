"""Conformance of the emulated ECR pull-through cache rule operations.

Every test runs twice through the ``transport`` fixture: in process with
``mock_aws()`` and against the emulator server. Negative tests assert the AWS
error code, and the message where AWS's wording is known.
"""

from __future__ import annotations

import base64
import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

# The transport and secret fixtures come from conftest.py beside this file.
Transport = Any
SecretFactory = Callable[..., str]

ACCOUNT_ID = "123456789012"
OTHER_ACCOUNT_ID = "210987654321"
OWN_ECR_URL = f"{ACCOUNT_ID}.dkr.ecr.us-west-2.amazonaws.com"
OTHER_ECR_URL = f"{OTHER_ACCOUNT_ID}.dkr.ecr.us-east-1.amazonaws.com"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT_ID}:role/ecr-pull-through-cache"

PREFIX_ERROR = (
    "Invalid parameter at 'ecrRepositoryPrefix' failed to satisfy constraint: '"
)
UNSUPPORTED_URL_MESSAGE = (
    "The upstream registry URL {url} is invalid. Specify a valid upstream "
    "registry URL and try again"
)
CREDENTIAL_REQUIRED_START = (
    "The specified upstream registry requires authentication. Specify a valid "
    "Secrets Manager ARN"
)
UPDATE_NEEDS_FIELD_MESSAGE = (
    "Invalid input: Please set either credential arn or role arn to update the "
    "credentials"
)

CREATE_KEYS = {
    "ecrRepositoryPrefix",
    "upstreamRegistryUrl",
    "createdAt",
    "registryId",
    "upstreamRegistry",
}


def error_of(caught: pytest.ExceptionInfo[ClientError]) -> dict[str, Any]:
    """Return the ``Error`` member of a ClientError's parsed response."""
    return dict(caught.value.response["Error"])


def status_of(caught: pytest.ExceptionInfo[ClientError]) -> int:
    """Return the HTTP status code of a ClientError's response."""
    return int(caught.value.response["ResponseMetadata"]["HTTPStatusCode"])


def response_keys(response: dict[str, Any]) -> set[str]:
    """Return the members of a boto3 response, without ResponseMetadata."""
    return set(response) - {"ResponseMetadata"}


def replace_body(client: Any, operation: str, body: bytes) -> None:
    """Make ``client`` send ``body`` in place of the serialized request."""

    def swap(request: Any, **_: Any) -> None:
        request.data = body

    client.meta.events.register(f"before-sign.ecr.{operation}", swap)


def create_public_rule(ecr: Any, prefix: str = "ecr-public") -> dict[str, Any]:
    """Create a rule for Amazon ECR Public, which needs no credential."""
    response: dict[str, Any] = ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix=prefix, upstreamRegistryUrl="public.ecr.aws"
    )
    return response


def describe_prefixes(ecr: Any, **arguments: Any) -> list[str]:
    """Return the prefixes of one DescribePullThroughCacheRules page."""
    response = ecr.describe_pull_through_cache_rules(**arguments)
    return [rule["ecrRepositoryPrefix"] for rule in response["pullThroughCacheRules"]]


# CreatePullThroughCacheRule: success


def test_create_returns_create_members_only(ecr: Any) -> None:
    """Create returns the documented members and no updatedAt."""
    response = create_public_rule(ecr)

    assert response_keys(response) == CREATE_KEYS
    assert response["ecrRepositoryPrefix"] == "ecr-public"
    assert response["upstreamRegistryUrl"] == "public.ecr.aws"
    assert response["registryId"] == ACCOUNT_ID
    assert response["upstreamRegistry"] == "ecr-public"


def test_create_returns_aware_created_at(ecr: Any) -> None:
    """createdAt travels as epoch seconds and parses as an aware datetime."""
    before = datetime.datetime.now(datetime.timezone.utc)

    created_at = create_public_rule(ecr)["createdAt"]

    assert isinstance(created_at, datetime.datetime)
    assert created_at.tzinfo is not None
    assert abs((created_at - before).total_seconds()) < 60


@pytest.mark.parametrize(
    ("url", "upstream_registry", "needs_secret"),
    [
        ("public.ecr.aws", "ecr-public", False),
        ("registry.k8s.io", "k8s", False),
        ("quay.io", "quay", False),
        ("registry-1.docker.io", "docker-hub", True),
        ("ghcr.io", "github-container-registry", True),
        ("registry.gitlab.com", "gitlab-container-registry", True),
        ("myregistry.azurecr.io", "azure-container-registry", True),
        ("cgr.dev", "chainguard", True),
        (OWN_ECR_URL, "ecr", False),
    ],
)
def test_create_maps_url_to_upstream_registry(
    ecr: Any, secret_arn: str, url: str, upstream_registry: str, needs_secret: bool
) -> None:
    """Each supported URL yields its upstreamRegistry value."""
    arguments = {"ecrRepositoryPrefix": "cache", "upstreamRegistryUrl": url}
    if needs_secret:
        arguments["credentialArn"] = secret_arn

    response = ecr.create_pull_through_cache_rule(**arguments)

    assert response["upstreamRegistry"] == upstream_registry
    assert response["upstreamRegistryUrl"] == url


def test_create_stores_credential_arn(ecr: Any, secret_arn: str) -> None:
    """A rule created with a secret returns and stores its credentialArn."""
    response = ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="docker",
        upstreamRegistryUrl="registry-1.docker.io",
        credentialArn=secret_arn,
    )

    assert response["credentialArn"] == secret_arn
    described = ecr.describe_pull_through_cache_rules()["pullThroughCacheRules"]
    assert described[0]["credentialArn"] == secret_arn


@pytest.mark.parametrize(
    "prefix", ["ab", "team/app", "a__b", "a--b", "a.b/c_d", "nested/path/", "a" * 30]
)
def test_create_accepts_valid_prefix(ecr: Any, prefix: str) -> None:
    """Prefixes that match the model pattern and length are accepted."""
    response = create_public_rule(ecr, prefix)

    assert response["ecrRepositoryPrefix"] == prefix


def test_create_accepts_root_prefix(ecr: Any) -> None:
    """ROOT is the one upper-case prefix, and ECR upstreams report ROOT."""
    response = ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="ROOT", upstreamRegistryUrl=OWN_ECR_URL
    )

    assert response["ecrRepositoryPrefix"] == "ROOT"
    assert response["upstreamRepositoryPrefix"] == "ROOT"


def test_create_defaults_ecr_upstream_prefix_to_root(ecr: Any) -> None:
    """An ECR upstream without upstreamRepositoryPrefix reports ROOT."""
    ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="mirror", upstreamRegistryUrl=OWN_ECR_URL
    )

    rule = ecr.describe_pull_through_cache_rules()["pullThroughCacheRules"][0]

    assert rule["upstreamRepositoryPrefix"] == "ROOT"
    assert rule["upstreamRegistry"] == "ecr"


def test_create_omits_upstream_prefix_for_non_ecr(ecr: Any) -> None:
    """A non-ECR upstream without upstreamRepositoryPrefix leaves it out."""
    response = create_public_rule(ecr)

    rule = ecr.describe_pull_through_cache_rules()["pullThroughCacheRules"][0]

    assert "upstreamRepositoryPrefix" not in response
    assert "upstreamRepositoryPrefix" not in rule


def test_create_keeps_explicit_upstream_prefix(ecr: Any) -> None:
    """An explicit upstreamRepositoryPrefix is returned and stored."""
    response = ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="mirror",
        upstreamRegistryUrl=OWN_ECR_URL,
        upstreamRepositoryPrefix="team/base",
    )

    rule = ecr.describe_pull_through_cache_rules()["pullThroughCacheRules"][0]

    assert response["upstreamRepositoryPrefix"] == "team/base"
    assert rule["upstreamRepositoryPrefix"] == "team/base"


def test_create_accepts_matching_upstream_registry(ecr: Any) -> None:
    """An explicit upstreamRegistry equal to the URL's registry is accepted."""
    response = ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="quay",
        upstreamRegistryUrl="quay.io",
        upstreamRegistry="quay",
    )

    assert response["upstreamRegistry"] == "quay"


def test_create_accepts_same_account_ecr_without_role(ecr: Any) -> None:
    """An ECR upstream in the caller's own account needs no role."""
    response = ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="mirror", upstreamRegistryUrl=OWN_ECR_URL
    )

    assert "customRoleArn" not in response


def test_create_accepts_cross_account_ecr_with_role(ecr: Any) -> None:
    """An ECR upstream in another account works with a role of the caller."""
    response = ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="partner",
        upstreamRegistryUrl=OTHER_ECR_URL,
        customRoleArn=ROLE_ARN,
    )

    assert response["customRoleArn"] == ROLE_ARN
    assert response["upstreamRegistry"] == "ecr"


def test_create_accepts_50_rules(ecr: Any) -> None:
    """The quota allows 50 rules in one registry."""
    for index in range(50):
        create_public_rule(ecr, f"rule-{index:02d}")

    rules = ecr.describe_pull_through_cache_rules()["pullThroughCacheRules"]

    assert len(rules) == 50


# CreatePullThroughCacheRule: errors


def test_create_rejects_51st_rule(ecr: Any) -> None:
    """The 51st rule in a registry exceeds the quota."""
    for index in range(50):
        create_public_rule(ecr, f"rule-{index:02d}")

    with pytest.raises(ClientError) as caught:
        create_public_rule(ecr, "one-too-many")

    assert error_of(caught)["Code"] == "LimitExceededException"
    assert status_of(caught) == 400


def test_create_rejects_duplicate_prefix(ecr: Any) -> None:
    """A second rule with the same prefix fails, whatever its upstream."""
    create_public_rule(ecr, "shared")

    with pytest.raises(ClientError) as caught:
        ecr.create_pull_through_cache_rule(
            ecrRepositoryPrefix="shared", upstreamRegistryUrl="quay.io"
        )

    assert error_of(caught)["Code"] == "PullThroughCacheRuleAlreadyExistsException"
    assert "shared" in error_of(caught)["Message"]


def test_create_treats_trailing_slash_as_same_prefix(ecr: Any) -> None:
    """ "team" and "team/" name the same rule."""
    create_public_rule(ecr, "team")

    with pytest.raises(ClientError) as caught:
        create_public_rule(ecr, "team/")

    assert error_of(caught)["Code"] == "PullThroughCacheRuleAlreadyExistsException"


@pytest.mark.parametrize(
    "url",
    ["harbor.example.com", "docker.io", "https://quay.io", "Quay.io", "quay.io/x"],
)
def test_create_rejects_unsupported_url(ecr: Any, url: str) -> None:
    """A URL that names no supported registry fails with AWS's wording."""
    with pytest.raises(ClientError) as caught:
        ecr.create_pull_through_cache_rule(
            ecrRepositoryPrefix="cache", upstreamRegistryUrl=url
        )

    assert error_of(caught)["Code"] == "UnsupportedUpstreamRegistryException"
    assert error_of(caught)["Message"] == UNSUPPORTED_URL_MESSAGE.format(url=url)


@pytest.mark.parametrize(
    "url",
    [
        "registry-1.docker.io",
        "ghcr.io",
        "registry.gitlab.com",
        "myregistry.azurecr.io",
        "cgr.dev",
    ],
)
def test_create_rejects_auth_upstream_without_credential(ecr: Any, url: str) -> None:
    """Upstreams that need a secret fail without credentialArn."""
    with pytest.raises(ClientError) as caught:
        ecr.create_pull_through_cache_rule(
            ecrRepositoryPrefix="cache", upstreamRegistryUrl=url
        )

    assert error_of(caught)["Code"] == "UnsupportedUpstreamRegistryException"
    assert error_of(caught)["Message"].startswith(CREDENTIAL_REQUIRED_START)


def test_create_rejects_missing_prefix(unchecked_ecr: Any) -> None:
    """ecrRepositoryPrefix is required."""
    with pytest.raises(ClientError) as caught:
        unchecked_ecr.create_pull_through_cache_rule(upstreamRegistryUrl="quay.io")

    assert error_of(caught)["Code"] == "InvalidParameterException"
    assert error_of(caught)["Message"] == (PREFIX_ERROR + "Member must not be null'")


def test_create_rejects_missing_url(unchecked_ecr: Any) -> None:
    """upstreamRegistryUrl is required."""
    with pytest.raises(ClientError) as caught:
        unchecked_ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="cache")

    assert error_of(caught)["Code"] == "InvalidParameterException"
    assert "'upstreamRegistryUrl'" in error_of(caught)["Message"]


def test_create_rejects_prefix_under_2_chars(unchecked_ecr: Any) -> None:
    """A one-character prefix fails the minimum length of 2."""
    with pytest.raises(ClientError) as caught:
        create_public_rule(unchecked_ecr, "a")

    assert error_of(caught)["Code"] == "InvalidParameterException"
    assert error_of(caught)["Message"] == (
        PREFIX_ERROR + "must have length greater than or equal to 2'"
    )


def test_create_rejects_prefix_over_30_chars(unchecked_ecr: Any) -> None:
    """A 31-character prefix fails the maximum length of 30."""
    with pytest.raises(ClientError) as caught:
        create_public_rule(unchecked_ecr, "a" * 31)

    assert error_of(caught)["Code"] == "InvalidParameterException"
    assert error_of(caught)["Message"] == (
        PREFIX_ERROR + "must have length less than or equal to 30'"
    )


@pytest.mark.parametrize(
    "prefix",
    ["Team", "Root", "ROOT/x", "-lead", "trail-", "a//b", "/abs", "a b", "a_.b", "a/-"],
)
def test_create_rejects_prefix_outside_pattern(unchecked_ecr: Any, prefix: str) -> None:
    """Prefixes outside the model pattern fail with the pattern in the message."""
    with pytest.raises(ClientError) as caught:
        create_public_rule(unchecked_ecr, prefix)

    assert error_of(caught)["Code"] == "InvalidParameterException"
    assert error_of(caught)["Message"].startswith(
        PREFIX_ERROR + "Member must satisfy regular expression pattern: "
    )


def test_create_rejects_non_string_prefix(unchecked_ecr: Any) -> None:
    """A number where the prefix string goes is a serialization error."""
    with pytest.raises(ClientError) as caught:
        unchecked_ecr.create_pull_through_cache_rule(
            ecrRepositoryPrefix=42, upstreamRegistryUrl="quay.io"
        )

    assert error_of(caught)["Code"] == "SerializationException"
    assert "'ecrRepositoryPrefix'" in error_of(caught)["Message"]


def test_create_rejects_non_json_body(unchecked_ecr: Any) -> None:
    """A body that is not JSON is a serialization error, not a server fault."""
    replace_body(unchecked_ecr, "CreatePullThroughCacheRule", b"not json")

    with pytest.raises(ClientError) as caught:
        create_public_rule(unchecked_ecr)

    assert error_of(caught)["Code"] == "SerializationException"
    assert status_of(caught) == 400


def test_create_rejects_json_array_body(unchecked_ecr: Any) -> None:
    """A JSON body that is not an object is a serialization error."""
    replace_body(unchecked_ecr, "CreatePullThroughCacheRule", b"[1, 2]")

    with pytest.raises(ClientError) as caught:
        create_public_rule(unchecked_ecr)

    assert error_of(caught)["Code"] == "SerializationException"
    assert status_of(caught) == 400


def test_create_rejects_body_that_is_not_utf8(unchecked_ecr: Any) -> None:
    """Bytes that are not UTF-8 get a serialization error, not HTTP 500."""
    replace_body(unchecked_ecr, "CreatePullThroughCacheRule", b"\xff\xfe{}")

    with pytest.raises(ClientError) as caught:
        create_public_rule(unchecked_ecr)

    assert error_of(caught)["Code"] == "SerializationException"
    assert status_of(caught) == 400


def test_create_rejects_upstream_prefix_with_root(ecr: Any) -> None:
    """upstreamRepositoryPrefix may not be set when the ECR prefix is ROOT."""
    with pytest.raises(ClientError) as caught:
        ecr.create_pull_through_cache_rule(
            ecrRepositoryPrefix="ROOT",
            upstreamRegistryUrl=OWN_ECR_URL,
            upstreamRepositoryPrefix="team",
        )

    assert error_of(caught)["Code"] == "InvalidParameterException"
    assert "'upstreamRepositoryPrefix'" in error_of(caught)["Message"]


def test_create_rejects_invalid_upstream_prefix(unchecked_ecr: Any) -> None:
    """upstreamRepositoryPrefix has the same constraints as the ECR prefix."""
    with pytest.raises(ClientError) as caught:
        unchecked_ecr.create_pull_through_cache_rule(
            ecrRepositoryPrefix="mirror",
            upstreamRegistryUrl=OWN_ECR_URL,
            upstreamRepositoryPrefix="Team",
        )

    assert error_of(caught)["Code"] == "InvalidParameterException"
    assert error_of(caught)["Message"].startswith(
        "Invalid parameter at 'upstreamRepositoryPrefix' failed to satisfy "
        "constraint: 'Member must satisfy regular expression pattern: "
    )


def test_create_rejects_credential_arn_outside_pattern(ecr: Any) -> None:
    """A secret whose name lacks ecr-pullthroughcache/ fails the ARN pattern."""
    arn = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT_ID}:secret:dockerhub-creds-AbCdEf"

    with pytest.raises(ClientError) as caught:
        ecr.create_pull_through_cache_rule(
            ecrRepositoryPrefix="docker",
            upstreamRegistryUrl="registry-1.docker.io",
            credentialArn=arn,
        )

    assert error_of(caught)["Code"] == "InvalidParameterException"
    assert error_of(caught)["Message"].startswith(
        "Invalid parameter at 'credentialArn' failed to satisfy constraint: "
        "'Member must satisfy regular expression pattern: "
    )


@pytest.mark.parametrize(
    ("arn", "constraint"),
    [
        ("arn:aws:secretsmanager:us-east-1:1:secret:short", "greater"),
        (
            f"arn:aws:secretsmanager:us-east-1:{ACCOUNT_ID}:secret:"
            f"ecr-pullthroughcache/{'a' * 600}",
            "less",
        ),
    ],
)
def test_create_rejects_credential_arn_length(
    unchecked_ecr: Any, arn: str, constraint: str
) -> None:
    """credentialArn must be 50 to 612 characters long."""
    with pytest.raises(ClientError) as caught:
        unchecked_ecr.create_pull_through_cache_rule(
            ecrRepositoryPrefix="docker",
            upstreamRegistryUrl="registry-1.docker.io",
            credentialArn=arn,
        )

    assert error_of(caught)["Code"] == "InvalidParameterException"
    assert (
        f"must have length {constraint} than or equal to"
        in (error_of(caught)["Message"])
    )


def test_create_rejects_missing_secret(ecr: Any) -> None:
    """A well-formed ARN of a secret that does not exist fails."""
    arn = (
        f"arn:aws:secretsmanager:us-east-1:{ACCOUNT_ID}:secret:"
        "ecr-pullthroughcache/absent-AbCdEf"
    )

    with pytest.raises(ClientError) as caught:
        ecr.create_pull_through_cache_rule(
            ecrRepositoryPrefix="docker",
            upstreamRegistryUrl="registry-1.docker.io",
            credentialArn=arn,
        )

    assert error_of(caught)["Code"] == "SecretNotFoundException"
    assert arn in error_of(caught)["Message"]


def test_create_rejects_secret_in_other_region(
    ecr: Any, make_secret: SecretFactory
) -> None:
    """The secret must be in the rule's Region."""
    arn = make_secret(region="eu-west-1")

    with pytest.raises(ClientError) as caught:
        ecr.create_pull_through_cache_rule(
            ecrRepositoryPrefix="docker",
            upstreamRegistryUrl="registry-1.docker.io",
            credentialArn=arn,
        )

    assert error_of(caught)["Code"] == "SecretNotFoundException"


def test_create_rejects_secret_scheduled_for_deletion(
    ecr: Any, transport: Transport, secret_arn: str
) -> None:
    """A secret scheduled for deletion counts as not found."""
    secrets = transport.client("secretsmanager")
    secrets.delete_secret(SecretId=secret_arn, RecoveryWindowInDays=7)

    with pytest.raises(ClientError) as caught:
        ecr.create_pull_through_cache_rule(
            ecrRepositoryPrefix="docker",
            upstreamRegistryUrl="registry-1.docker.io",
            credentialArn=secret_arn,
        )

    assert error_of(caught)["Code"] == "SecretNotFoundException"


def test_create_rejects_cross_account_ecr_without_role(ecr: Any) -> None:
    """An ECR upstream in another account needs customRoleArn."""
    with pytest.raises(ClientError) as caught:
        ecr.create_pull_through_cache_rule(
            ecrRepositoryPrefix="partner", upstreamRegistryUrl=OTHER_ECR_URL
        )

    assert error_of(caught)["Code"] == "InvalidParameterException"
    assert "'customRoleArn'" in error_of(caught)["Message"]


def test_create_rejects_role_of_other_account(ecr: Any) -> None:
    """customRoleArn must be a role in the registry's own account."""
    with pytest.raises(ClientError) as caught:
        ecr.create_pull_through_cache_rule(
            ecrRepositoryPrefix="partner",
            upstreamRegistryUrl=OTHER_ECR_URL,
            customRoleArn=f"arn:aws:iam::{OTHER_ACCOUNT_ID}:role/reader",
        )

    assert error_of(caught)["Code"] == "InvalidParameterException"
    assert ACCOUNT_ID in error_of(caught)["Message"]


def test_create_rejects_role_arn_over_2048_chars(ecr: Any) -> None:
    """customRoleArn may be at most 2048 characters long."""
    with pytest.raises(ClientError) as caught:
        ecr.create_pull_through_cache_rule(
            ecrRepositoryPrefix="partner",
            upstreamRegistryUrl=OTHER_ECR_URL,
            customRoleArn=ROLE_ARN + "x" * 2048,
        )

    assert error_of(caught)["Code"] == "InvalidParameterException"
    assert error_of(caught)["Message"] == (
        "Invalid parameter at 'customRoleArn' failed to satisfy constraint: "
        "'must have length less than or equal to 2048'"
    )


def test_create_rejects_unknown_upstream_registry(ecr: Any) -> None:
    """upstreamRegistry must be one of the enum values."""
    with pytest.raises(ClientError) as caught:
        ecr.create_pull_through_cache_rule(
            ecrRepositoryPrefix="quay",
            upstreamRegistryUrl="quay.io",
            upstreamRegistry="harbor",
        )

    assert error_of(caught)["Code"] == "InvalidParameterException"
    assert error_of(caught)["Message"].startswith(
        "Invalid parameter at 'upstreamRegistry' failed to satisfy constraint: "
        "'Member must satisfy enum value set: [ecr, ecr-public, quay"
    )


def test_create_rejects_upstream_registry_not_matching_url(ecr: Any) -> None:
    """An explicit upstreamRegistry must match the URL's registry."""
    with pytest.raises(ClientError) as caught:
        ecr.create_pull_through_cache_rule(
            ecrRepositoryPrefix="quay",
            upstreamRegistryUrl="quay.io",
            upstreamRegistry="k8s",
        )

    assert error_of(caught)["Code"] == "InvalidParameterException"
    assert "'upstreamRegistry'" in error_of(caught)["Message"]


def test_create_rejects_other_registry_id(ecr: Any) -> None:
    """registryId must be the caller's own account."""
    with pytest.raises(ClientError) as caught:
        ecr.create_pull_through_cache_rule(
            ecrRepositoryPrefix="quay",
            upstreamRegistryUrl="quay.io",
            registryId=OTHER_ACCOUNT_ID,
        )

    assert error_of(caught)["Code"] == "InvalidParameterException"
    assert "'registryId'" in error_of(caught)["Message"]


def test_create_rejects_malformed_registry_id(ecr: Any) -> None:
    """registryId must be 12 digits."""
    with pytest.raises(ClientError) as caught:
        ecr.create_pull_through_cache_rule(
            ecrRepositoryPrefix="quay", upstreamRegistryUrl="quay.io", registryId="abc"
        )

    assert error_of(caught)["Code"] == "InvalidParameterException"
    assert error_of(caught)["Message"] == (
        "Invalid parameter at 'registryId' failed to satisfy constraint: "
        "'Member must satisfy regular expression pattern: [0-9]{12}'"
    )


def test_create_accepts_own_registry_id(ecr: Any) -> None:
    """registryId equal to the caller's account is accepted."""
    response = ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="quay", upstreamRegistryUrl="quay.io", registryId=ACCOUNT_ID
    )

    assert response["registryId"] == ACCOUNT_ID


# DescribePullThroughCacheRules


def test_describe_returns_empty_list_without_rules(ecr: Any) -> None:
    """A registry without rules returns an empty list and no token."""
    response = ecr.describe_pull_through_cache_rules()

    assert response["pullThroughCacheRules"] == []
    assert "nextToken" not in response


def test_describe_lists_all_rules(ecr: Any) -> None:
    """Without a filter every rule of the registry is returned."""
    for prefix in ("charlie", "alpha", "bravo"):
        create_public_rule(ecr, prefix)

    assert sorted(describe_prefixes(ecr)) == ["alpha", "bravo", "charlie"]


def test_describe_returns_all_rule_members(ecr: Any, secret_arn: str) -> None:
    """Each described rule has the members of the PullThroughCacheRule shape."""
    ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="docker",
        upstreamRegistryUrl="registry-1.docker.io",
        credentialArn=secret_arn,
    )

    rule = ecr.describe_pull_through_cache_rules()["pullThroughCacheRules"][0]

    assert set(rule) == {
        "ecrRepositoryPrefix",
        "upstreamRegistryUrl",
        "createdAt",
        "registryId",
        "credentialArn",
        "upstreamRegistry",
        "updatedAt",
    }


def test_describe_sets_updated_at_to_created_at(ecr: Any) -> None:
    """A rule that was never updated reports updatedAt equal to createdAt."""
    create_public_rule(ecr)

    rule = ecr.describe_pull_through_cache_rules()["pullThroughCacheRules"][0]

    assert rule["updatedAt"] == rule["createdAt"]


def test_describe_filters_by_prefixes(ecr: Any) -> None:
    """ecrRepositoryPrefixes returns exactly the named rules."""
    for prefix in ("alpha", "bravo", "charlie"):
        create_public_rule(ecr, prefix)

    prefixes = describe_prefixes(ecr, ecrRepositoryPrefixes=["charlie", "alpha"])

    assert sorted(prefixes) == ["alpha", "charlie"]


def test_describe_rejects_missing_filter_prefix(ecr: Any) -> None:
    """A filter prefix without a rule fails with not found."""
    with pytest.raises(ClientError) as caught:
        ecr.describe_pull_through_cache_rules(ecrRepositoryPrefixes=["absent"])

    assert error_of(caught)["Code"] == "PullThroughCacheRuleNotFoundException"
    assert "absent" in error_of(caught)["Message"]


def test_describe_rejects_mixed_existing_and_missing(ecr: Any) -> None:
    """One missing prefix fails the whole filtered call."""
    create_public_rule(ecr, "alpha")

    with pytest.raises(ClientError) as caught:
        ecr.describe_pull_through_cache_rules(ecrRepositoryPrefixes=["alpha", "gone"])

    assert error_of(caught)["Code"] == "PullThroughCacheRuleNotFoundException"


def test_describe_rejects_empty_filter(unchecked_ecr: Any) -> None:
    """ecrRepositoryPrefixes needs at least one item."""
    with pytest.raises(ClientError) as caught:
        unchecked_ecr.describe_pull_through_cache_rules(ecrRepositoryPrefixes=[])

    assert error_of(caught)["Code"] == "InvalidParameterException"
    assert "'ecrRepositoryPrefixes'" in error_of(caught)["Message"]


def test_describe_rejects_over_100_filter_prefixes(unchecked_ecr: Any) -> None:
    """ecrRepositoryPrefixes has at most 100 items."""
    prefixes = [f"rule-{index:03d}" for index in range(101)]

    with pytest.raises(ClientError) as caught:
        unchecked_ecr.describe_pull_through_cache_rules(ecrRepositoryPrefixes=prefixes)

    assert error_of(caught)["Code"] == "InvalidParameterException"
    assert error_of(caught)["Message"] == (
        "Invalid parameter at 'ecrRepositoryPrefixes' failed to satisfy "
        "constraint: 'must have length less than or equal to 100'"
    )


def test_describe_rejects_invalid_filter_prefix(unchecked_ecr: Any) -> None:
    """Each filter prefix has the prefix constraints."""
    with pytest.raises(ClientError) as caught:
        unchecked_ecr.describe_pull_through_cache_rules(ecrRepositoryPrefixes=["Bad"])

    assert error_of(caught)["Code"] == "InvalidParameterException"


def test_describe_pages_with_max_results(ecr: Any) -> None:
    """maxResults splits the rules into pages linked by nextToken."""
    for index in range(5):
        create_public_rule(ecr, f"rule-{index}")

    first = ecr.describe_pull_through_cache_rules(maxResults=2)
    second = ecr.describe_pull_through_cache_rules(
        maxResults=2, nextToken=first["nextToken"]
    )
    third = ecr.describe_pull_through_cache_rules(
        maxResults=2, nextToken=second["nextToken"]
    )

    pages = [first, second, third]
    assert [len(page["pullThroughCacheRules"]) for page in pages] == [2, 2, 1]
    assert "nextToken" not in third
    seen = [
        rule["ecrRepositoryPrefix"]
        for page in pages
        for rule in page["pullThroughCacheRules"]
    ]
    assert sorted(seen) == [f"rule-{index}" for index in range(5)]


def test_describe_paginator_collects_every_rule(ecr: Any) -> None:
    """boto3's paginator walks all pages."""
    for index in range(7):
        create_public_rule(ecr, f"rule-{index}")

    paginator = ecr.get_paginator("describe_pull_through_cache_rules")
    pages = list(paginator.paginate(PaginationConfig={"PageSize": 3}))

    assert len(pages) == 3
    assert sum(len(page["pullThroughCacheRules"]) for page in pages) == 7


def test_describe_returns_50_rules_in_default_page(ecr: Any) -> None:
    """Without maxResults a page holds up to 100 rules, so 50 fit in one."""
    for index in range(50):
        create_public_rule(ecr, f"rule-{index:02d}")

    response = ecr.describe_pull_through_cache_rules()

    assert len(response["pullThroughCacheRules"]) == 50
    assert "nextToken" not in response


def test_describe_combines_filter_and_max_results(ecr: Any) -> None:
    """maxResults also pages a filtered result."""
    for prefix in ("alpha", "bravo", "charlie"):
        create_public_rule(ecr, prefix)

    first = ecr.describe_pull_through_cache_rules(
        ecrRepositoryPrefixes=["alpha", "charlie"], maxResults=1
    )

    assert len(first["pullThroughCacheRules"]) == 1
    assert "nextToken" in first


@pytest.mark.parametrize(("max_results", "bound"), [(0, "greater"), (1001, "less")])
def test_describe_rejects_max_results_out_of_range(
    unchecked_ecr: Any, max_results: int, bound: str
) -> None:
    """maxResults must be from 1 to 1000."""
    with pytest.raises(ClientError) as caught:
        unchecked_ecr.describe_pull_through_cache_rules(maxResults=max_results)

    assert error_of(caught)["Code"] == "InvalidParameterException"
    assert error_of(caught)["Message"].startswith(
        "Invalid parameter at 'maxResults' failed to satisfy constraint: "
        f"'Member must have value {bound} than or equal to"
    )
    assert error_of(caught)["Message"].endswith("Specify a number from 1 to 1000.")


def test_describe_rejects_non_integer_max_results(unchecked_ecr: Any) -> None:
    """A string where maxResults goes is a serialization error."""
    with pytest.raises(ClientError) as caught:
        unchecked_ecr.describe_pull_through_cache_rules(maxResults="ten")

    assert error_of(caught)["Code"] == "SerializationException"
    assert "'maxResults'" in error_of(caught)["Message"]


@pytest.mark.parametrize("token", ["garbage!", "", "bm90IGpzb24=", "WzEsIDJd"])
def test_describe_rejects_bad_next_token(ecr: Any, token: str) -> None:
    """A nextToken that no earlier call returned fails."""
    with pytest.raises(ClientError) as caught:
        ecr.describe_pull_through_cache_rules(nextToken=token)

    assert error_of(caught)["Code"] == "InvalidParameterException"
    assert "'nextToken'" in error_of(caught)["Message"]


def encode_forged_token(fields: dict[str, Any]) -> str:
    """Encode ``fields`` the way an unsigned token would be encoded."""
    return base64.urlsafe_b64encode(json.dumps(fields).encode()).decode("ascii")


@pytest.mark.parametrize(
    "fields",
    [{"after": "zzz"}, {"after": "rule-0"}, {"after": "rule-0", "filter": None}],
)
def test_describe_rejects_forged_next_token(ecr: Any, fields: dict[str, Any]) -> None:
    """A well-formed token that the emulator did not issue fails."""
    for index in range(3):
        create_public_rule(ecr, f"rule-{index}")

    with pytest.raises(ClientError) as caught:
        ecr.describe_pull_through_cache_rules(nextToken=encode_forged_token(fields))

    assert error_of(caught)["Code"] == "InvalidParameterException"
    assert "'nextToken'" in error_of(caught)["Message"]


def test_describe_rejects_token_from_other_filter(ecr: Any) -> None:
    """A token works only with the ecrRepositoryPrefixes it was issued for."""
    for prefix in ("alpha", "bravo", "charlie"):
        create_public_rule(ecr, prefix)
    first = ecr.describe_pull_through_cache_rules(
        ecrRepositoryPrefixes=["alpha", "charlie"], maxResults=1
    )

    with pytest.raises(ClientError) as caught:
        ecr.describe_pull_through_cache_rules(
            ecrRepositoryPrefixes=["alpha", "bravo"], nextToken=first["nextToken"]
        )

    assert error_of(caught)["Code"] == "InvalidParameterException"
    assert "same ecrRepositoryPrefixes" in error_of(caught)["Message"]


def test_describe_accepts_token_with_reordered_filter(ecr: Any) -> None:
    """The filter binding ignores order and duplicates of the prefixes."""
    for prefix in ("alpha", "bravo", "charlie"):
        create_public_rule(ecr, prefix)
    first = ecr.describe_pull_through_cache_rules(
        ecrRepositoryPrefixes=["alpha", "charlie"], maxResults=1
    )

    second = describe_prefixes(
        ecr,
        ecrRepositoryPrefixes=["charlie", "alpha", "alpha"],
        nextToken=first["nextToken"],
    )

    assert second == ["charlie"]


def test_describe_rejects_token_from_other_region(
    ecr: Any, transport: Transport
) -> None:
    """A token from one Region's registry fails in another Region."""
    other_region = transport.client("ecr", region="eu-west-1")
    for index in range(3):
        create_public_rule(ecr, f"rule-{index}")
        create_public_rule(other_region, f"rule-{index}")
    first = ecr.describe_pull_through_cache_rules(maxResults=1)

    with pytest.raises(ClientError) as caught:
        other_region.describe_pull_through_cache_rules(nextToken=first["nextToken"])

    assert error_of(caught)["Code"] == "InvalidParameterException"


def test_describe_rejects_token_after_reset(ecr: Any, transport: Transport) -> None:
    """moto's reset invalidates the tokens issued before it."""
    for index in range(3):
        create_public_rule(ecr, f"rule-{index}")
    first = ecr.describe_pull_through_cache_rules(maxResults=1)

    transport.reset()
    fresh = transport.client("ecr")
    for index in range(3):
        create_public_rule(fresh, f"rule-{index}")

    with pytest.raises(ClientError) as caught:
        fresh.describe_pull_through_cache_rules(nextToken=first["nextToken"])

    assert error_of(caught)["Code"] == "InvalidParameterException"


def test_describe_keeps_rules_per_region(ecr: Any, transport: Transport) -> None:
    """Rules of one Region are not visible in another."""
    create_public_rule(ecr)

    other_region = transport.client("ecr", region="eu-west-1")

    assert describe_prefixes(other_region) == []
    assert describe_prefixes(ecr) == ["ecr-public"]


def test_describe_keeps_rules_per_account(ecr: Any, transport: Transport) -> None:
    """Rules of one account are not visible in another."""
    create_public_rule(ecr)

    other_account = transport.client("ecr", account_id=OTHER_ACCOUNT_ID)
    create_public_rule(other_account, "partner")

    assert describe_prefixes(other_account) == ["partner"]
    assert describe_prefixes(ecr) == ["ecr-public"]
    rule = other_account.describe_pull_through_cache_rules()["pullThroughCacheRules"]
    assert rule[0]["registryId"] == OTHER_ACCOUNT_ID


# UpdatePullThroughCacheRule


def test_update_replaces_credential(
    ecr: Any, make_secret: SecretFactory, secret_arn: str
) -> None:
    """Update stores the new credentialArn and returns the update members."""
    ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="docker",
        upstreamRegistryUrl="registry-1.docker.io",
        credentialArn=secret_arn,
    )
    new_arn = make_secret("ecr-pullthroughcache/rotated")

    response = ecr.update_pull_through_cache_rule(
        ecrRepositoryPrefix="docker", credentialArn=new_arn
    )

    assert response_keys(response) == {
        "ecrRepositoryPrefix",
        "registryId",
        "updatedAt",
        "credentialArn",
    }
    assert response["credentialArn"] == new_arn
    rule = ecr.describe_pull_through_cache_rules()["pullThroughCacheRules"][0]
    assert rule["credentialArn"] == new_arn


def test_update_sets_updated_at_and_keeps_created_at(ecr: Any, secret_arn: str) -> None:
    """Update moves updatedAt and leaves createdAt alone."""
    ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="docker",
        upstreamRegistryUrl="registry-1.docker.io",
        credentialArn=secret_arn,
    )
    before = ecr.describe_pull_through_cache_rules()["pullThroughCacheRules"][0]

    response = ecr.update_pull_through_cache_rule(
        ecrRepositoryPrefix="docker", credentialArn=secret_arn
    )

    after = ecr.describe_pull_through_cache_rules()["pullThroughCacheRules"][0]
    assert after["createdAt"] == before["createdAt"]
    assert after["updatedAt"] == response["updatedAt"]
    assert after["updatedAt"] >= before["createdAt"]


def test_update_sets_custom_role(ecr: Any) -> None:
    """Update can set customRoleArn and keeps upstreamRepositoryPrefix."""
    ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="mirror", upstreamRegistryUrl=OWN_ECR_URL
    )

    response = ecr.update_pull_through_cache_rule(
        ecrRepositoryPrefix="mirror", customRoleArn=ROLE_ARN
    )

    assert response["customRoleArn"] == ROLE_ARN
    assert response["upstreamRepositoryPrefix"] == "ROOT"
    assert "upstreamRegistryUrl" not in response
    assert "createdAt" not in response


def test_update_rejects_request_without_credential_or_role(ecr: Any) -> None:
    """Update with neither credentialArn nor customRoleArn fails."""
    create_public_rule(ecr)

    with pytest.raises(ClientError) as caught:
        ecr.update_pull_through_cache_rule(ecrRepositoryPrefix="ecr-public")

    assert error_of(caught)["Code"] == "InvalidParameterException"
    assert error_of(caught)["Message"] == UPDATE_NEEDS_FIELD_MESSAGE


def test_update_rejects_unknown_prefix(ecr: Any, secret_arn: str) -> None:
    """Updating a rule that does not exist fails with not found."""
    with pytest.raises(ClientError) as caught:
        ecr.update_pull_through_cache_rule(
            ecrRepositoryPrefix="absent", credentialArn=secret_arn
        )

    assert error_of(caught)["Code"] == "PullThroughCacheRuleNotFoundException"


def test_update_rejects_missing_secret(ecr: Any, secret_arn: str) -> None:
    """Update checks that the new secret exists."""
    ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="docker",
        upstreamRegistryUrl="registry-1.docker.io",
        credentialArn=secret_arn,
    )

    with pytest.raises(ClientError) as caught:
        ecr.update_pull_through_cache_rule(
            ecrRepositoryPrefix="docker", credentialArn=secret_arn + "x"
        )

    assert error_of(caught)["Code"] == "SecretNotFoundException"


def test_update_rejects_credential_arn_outside_pattern(ecr: Any) -> None:
    """Update checks the credentialArn pattern."""
    create_public_rule(ecr)

    with pytest.raises(ClientError) as caught:
        ecr.update_pull_through_cache_rule(
            ecrRepositoryPrefix="ecr-public",
            credentialArn="arn:aws:secretsmanager:us-east-1:123456789012:secret:other",
        )

    assert error_of(caught)["Code"] == "InvalidParameterException"
    assert "'credentialArn'" in error_of(caught)["Message"]


# DeletePullThroughCacheRule


def test_delete_returns_deleted_rule(ecr: Any) -> None:
    """Delete returns the rule without upstreamRegistry or updatedAt."""
    created = create_public_rule(ecr)

    response = ecr.delete_pull_through_cache_rule(ecrRepositoryPrefix="ecr-public")

    assert response_keys(response) == {
        "ecrRepositoryPrefix",
        "upstreamRegistryUrl",
        "createdAt",
        "registryId",
    }
    assert response["createdAt"] == created["createdAt"]
    assert response["upstreamRegistryUrl"] == "public.ecr.aws"


def test_delete_removes_rule(ecr: Any) -> None:
    """A deleted rule is no longer described."""
    create_public_rule(ecr)

    ecr.delete_pull_through_cache_rule(ecrRepositoryPrefix="ecr-public")

    with pytest.raises(ClientError) as caught:
        ecr.describe_pull_through_cache_rules(ecrRepositoryPrefixes=["ecr-public"])
    assert error_of(caught)["Code"] == "PullThroughCacheRuleNotFoundException"
    assert describe_prefixes(ecr) == []


def test_delete_rejects_unknown_prefix(ecr: Any) -> None:
    """Deleting a rule that does not exist fails with not found."""
    with pytest.raises(ClientError) as caught:
        ecr.delete_pull_through_cache_rule(ecrRepositoryPrefix="absent")

    assert error_of(caught)["Code"] == "PullThroughCacheRuleNotFoundException"


def test_delete_rejects_invalid_prefix(unchecked_ecr: Any) -> None:
    """Delete checks the prefix constraints."""
    with pytest.raises(ClientError) as caught:
        unchecked_ecr.delete_pull_through_cache_rule(ecrRepositoryPrefix="x")

    assert error_of(caught)["Code"] == "InvalidParameterException"


# ValidatePullThroughCacheRule


def create_docker_rule(ecr: Any, credential_arn: str) -> None:
    """Create a Docker Hub rule that uses ``credential_arn``."""
    ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="docker",
        upstreamRegistryUrl="registry-1.docker.io",
        credentialArn=credential_arn,
    )


def test_validate_reports_valid_secret(ecr: Any, secret_arn: str) -> None:
    """A secret with a username and an access token is valid."""
    create_docker_rule(ecr, secret_arn)

    response = ecr.validate_pull_through_cache_rule(ecrRepositoryPrefix="docker")

    assert response["isValid"] is True
    assert "failure" not in response
    assert response_keys(response) == {
        "ecrRepositoryPrefix",
        "registryId",
        "upstreamRegistryUrl",
        "credentialArn",
        "isValid",
    }


@pytest.mark.parametrize(
    ("value", "failure_part"),
    [
        (json.dumps({"username": "alice"}), "accessToken"),
        (json.dumps({"accessToken": "t"}), "username"),
        (json.dumps({"username": "", "accessToken": "t"}), "username"),
        ("not json", "not valid JSON"),
        (json.dumps(["alice", "t"]), "not a JSON object"),
    ],
)
def test_validate_reports_unusable_secret_value(
    ecr: Any, make_secret: SecretFactory, value: str, failure_part: str
) -> None:
    """A secret without usable credentials is invalid, with a reason."""
    create_docker_rule(ecr, make_secret(value=value))

    response = ecr.validate_pull_through_cache_rule(ecrRepositoryPrefix="docker")

    assert response["isValid"] is False
    assert failure_part in response["failure"]


def test_validate_reports_deleted_secret(
    ecr: Any, transport: Transport, secret_arn: str
) -> None:
    """A secret deleted after the rule was created makes the rule invalid."""
    create_docker_rule(ecr, secret_arn)
    secrets = transport.client("secretsmanager")
    secrets.delete_secret(SecretId=secret_arn, ForceDeleteWithoutRecovery=True)

    response = ecr.validate_pull_through_cache_rule(ecrRepositoryPrefix="docker")

    assert response["isValid"] is False
    assert "not found" in response["failure"]


def test_validate_reports_secret_scheduled_for_deletion(
    ecr: Any, transport: Transport, secret_arn: str
) -> None:
    """A secret scheduled for deletion makes the rule invalid."""
    create_docker_rule(ecr, secret_arn)
    secrets = transport.client("secretsmanager")
    secrets.delete_secret(SecretId=secret_arn, RecoveryWindowInDays=7)

    response = ecr.validate_pull_through_cache_rule(ecrRepositoryPrefix="docker")

    assert response["isValid"] is False
    assert "scheduled for deletion" in response["failure"]


def test_validate_reports_rule_without_credential_valid(ecr: Any) -> None:
    """A rule without a credential has nothing to check and is valid."""
    create_public_rule(ecr)

    response = ecr.validate_pull_through_cache_rule(ecrRepositoryPrefix="ecr-public")

    assert response["isValid"] is True
    assert response["upstreamRegistryUrl"] == "public.ecr.aws"


def test_validate_rejects_unknown_prefix(ecr: Any) -> None:
    """Validating a rule that does not exist fails with not found."""
    with pytest.raises(ClientError) as caught:
        ecr.validate_pull_through_cache_rule(ecrRepositoryPrefix="absent")

    assert error_of(caught)["Code"] == "PullThroughCacheRuleNotFoundException"


# State


def test_reset_clears_rules(ecr: Any, transport: Transport) -> None:
    """moto's reset removes every rule."""
    create_public_rule(ecr)

    transport.reset()

    fresh = transport.client("ecr")
    assert describe_prefixes(fresh) == []


def test_other_ecr_operations_still_work(ecr: Any) -> None:
    """moto's own ECR operations keep working next to the rules."""
    create_public_rule(ecr)

    ecr.create_repository(repositoryName="app")

    names = [
        repo["repositoryName"] for repo in ecr.describe_repositories()["repositories"]
    ]
    assert names == ["app"]
