"""Table tests of the checks made before any AWS call."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown

from ptc_provider.validation import Failure, check_prefix, check_rule, upstream_for

SECRET = (
    "arn:aws:secretsmanager:us-east-1:111122223333:secret:"
    "ecr-pullthroughcache/hub-AbCdEf"
)
ROLE = "arn:aws:iam::111122223333:role/ecr-ptc"
ECR_HOST = "444455556666.dkr.ecr.us-west-2.amazonaws.com"


def rule(**overrides: Any) -> dict[str, Any]:
    inputs: dict[str, Any] = {
        "ecr_repository_prefix": "ecr-public",
        "upstream_registry_url": "public.ecr.aws",
        "region": "us-east-1",
    }
    inputs.update(overrides)
    return {k: v for k, v in inputs.items() if v is not None}


def failed_arguments(failures: list[Failure]) -> list[str]:
    return [failure.argument for failure in failures]


@pytest.mark.parametrize(
    "prefix",
    [
        "ab",
        "ecr-public",
        "thirdparty/registry.k8s.io",
        "a" * 30,
        "team/",
        "a__b",
        "a---b",
        "ROOT",
    ],
)
def test_check_prefix_accepts(prefix: str) -> None:
    assert check_prefix(prefix) is None


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("a", "2 to 30 characters"),
        ("a" * 31, "2 to 30 characters"),
        ("Ecr", "lower-case"),
        ("-ab", "lower-case"),
        ("ab-", "lower-case"),
        ("a//b", "lower-case"),
        ("a b", "lower-case"),
        ("/ab", "lower-case"),
    ],
)
def test_check_prefix_rejects(prefix: str, expected: str | None) -> None:
    reason = check_prefix(prefix)

    if expected is None:
        assert reason is None
    else:
        assert reason is not None
        assert expected in reason


def test_check_prefix_rejects_non_string() -> None:
    assert check_prefix(12) == "must be a string, not int"


def test_26_char_prefix_with_slash_is_valid() -> None:
    inputs = rule(
        ecr_repository_prefix="thirdparty/registry.k8s.io",
        upstream_registry_url="registry.k8s.io",
    )

    assert len(inputs["ecr_repository_prefix"]) == 26
    assert check_rule(inputs) == []


def test_root_prefix_with_private_ecr_and_role_is_valid() -> None:
    inputs = rule(
        ecr_repository_prefix="ROOT",
        upstream_registry_url=ECR_HOST,
        custom_role_arn=ROLE,
    )

    assert check_rule(inputs) == []


def test_docker_hub_without_credential_fails_naming_credential_arn() -> None:
    failures = check_rule(rule(upstream_registry_url="registry-1.docker.io"))

    assert failed_arguments(failures) == ["credential_arn"]
    assert "is required for upstream registry-1.docker.io" in failures[0].message


def test_unsupported_upstream_lists_supported_registries() -> None:
    failures = check_rule(rule(upstream_registry_url="harbor.example.com"))

    assert failed_arguments(failures) == ["upstream_registry_url"]
    assert "supported: public.ecr.aws, registry.k8s.io" in failures[0].message
    assert "'harbor.example.com'" in failures[0].message


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://quay.io", "without a scheme, such as 'quay.io'"),
        ("quay.io/prometheus", "without a path, such as 'quay.io'"),
        ("Quay.io", "lower case"),
        ("docker.io", "use 'registry-1.docker.io'"),
        ("gitlab.com", "use 'registry.gitlab.com'"),
    ],
)
def test_upstream_url_mistakes_get_a_hint(url: str, expected: str) -> None:
    failures = check_rule(rule(upstream_registry_url=url))

    assert failed_arguments(failures) == ["upstream_registry_url"]
    assert expected in failures[0].message


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("public.ecr.aws", "ecr-public"),
        ("registry.k8s.io", "k8s"),
        ("quay.io", "quay"),
        ("registry-1.docker.io", "docker-hub"),
        ("ghcr.io", "github-container-registry"),
        ("registry.gitlab.com", "gitlab-container-registry"),
        ("myregistry.azurecr.io", "azure-container-registry"),
        (ECR_HOST, "ecr"),
        ("cgr.dev", "chainguard"),
    ],
)
def test_upstream_for_maps_host_to_kind(url: str, kind: str) -> None:
    upstream = upstream_for(url)

    assert upstream is not None
    assert upstream.kind == kind


@pytest.mark.parametrize(
    ("arn", "expected"),
    [
        (
            "arn:aws:secretsmanager:us-east-1:111122223333:secret:dockerhub-AbCdEf",
            "starts with 'ecr-pullthroughcache/'",
        ),
        (
            "arn:aws:secretsmanager:us-east-1:1111:secret:ecr-pullthroughcache/x-Ab",
            "12-digit account",
        ),
        (
            "arn:aws:secretsmanager:eu-west-1:111122223333:secret:ecr-pullthroughcache/h",
            "the secret must be in the rule's region us-east-1",
        ),
        (
            "arn:aws:secretsmanager:us-east-1:111122223333:secret:ecr-pullthroughcache/",
            "starts with",
        ),
    ],
)
def test_credential_arn_rejected(arn: str, expected: str) -> None:
    failures = check_rule(
        rule(upstream_registry_url="registry-1.docker.io", credential_arn=arn)
    )

    assert failed_arguments(failures) == ["credential_arn"]
    assert expected in failures[0].message


def test_credential_arn_over_612_chars_rejected() -> None:
    arn = SECRET + "x" * (613 - len(SECRET))

    failures = check_rule(
        rule(upstream_registry_url="registry-1.docker.io", credential_arn=arn)
    )

    assert failed_arguments(failures) == ["credential_arn"]
    assert "50 to 612 characters long (got 613)" in failures[0].message


def test_credential_arn_with_ecr_upstream_rejected() -> None:
    failures = check_rule(rule(upstream_registry_url=ECR_HOST, credential_arn=SECRET))

    assert failed_arguments(failures) == ["credential_arn"]
    assert "custom_role_arn" in failures[0].message


def test_custom_role_arn_must_be_a_role() -> None:
    failures = check_rule(
        rule(
            upstream_registry_url=ECR_HOST,
            custom_role_arn="arn:aws:iam::111122223333:user/alice",
        )
    )

    assert failed_arguments(failures) == ["custom_role_arn"]
    assert "must be an IAM role ARN" in failures[0].message


def test_custom_role_arn_with_public_upstream_rejected() -> None:
    failures = check_rule(rule(custom_role_arn=ROLE))

    assert failed_arguments(failures) == ["custom_role_arn"]
    assert "applies only to a private ECR upstream" in failures[0].message


def test_upstream_prefix_with_root_ecr_prefix_rejected() -> None:
    failures = check_rule(
        rule(
            ecr_repository_prefix="ROOT",
            upstream_registry_url=ECR_HOST,
            upstream_repository_prefix="team",
        )
    )

    assert failed_arguments(failures) == ["upstream_repository_prefix"]
    assert "only when ecr_repository_prefix is not ROOT" in failures[0].message


def test_missing_required_arguments_reported_together() -> None:
    failures = check_rule({"region": "us-east-1"})

    assert failed_arguments(failures) == [
        "ecr_repository_prefix",
        "upstream_registry_url",
    ]


def test_every_failure_is_returned_at_once() -> None:
    failures = check_rule(
        rule(
            ecr_repository_prefix="A",
            upstream_registry_url="docker.io",
            region="mars-1",
            custom_role_arn="role",
        )
    )

    assert failed_arguments(failures) == [
        "ecr_repository_prefix",
        "upstream_registry_url",
        "region",
        "custom_role_arn",
    ]


@pytest.mark.parametrize("region", ["cn-north-1", "us-gov-west-1"])
def test_regions_without_pull_through_cache_rejected(region: str) -> None:
    failures = check_rule(rule(region=region))

    assert failed_arguments(failures) == ["region"]
    assert "not available in China or GovCloud" in failures[0].message


def test_unknown_values_are_skipped_during_preview() -> None:
    inputs = rule(
        ecr_repository_prefix=Unknown(),
        upstream_registry_url="registry-1.docker.io",
        credential_arn=Unknown(),
    )

    assert check_rule(inputs) == []


def test_failure_message_names_argument_value_and_form() -> None:
    failures = check_rule(rule(ecr_repository_prefix="x"))

    assert failures[0].message == (
        "invalid ecr_repository_prefix 'x': must be 2 to 30 characters long "
        "(got 1), or ROOT"
    )


@pytest.mark.parametrize(
    ("argument", "value"),
    [
        ("ecr_repository_prefix", "newline\n"),
        ("upstream_registry_url", "123456789012.dkr.ecr.us-east-1.amazonaws.com\n"),
        ("upstream_registry_url", "myregistry.azurecr.io\n"),
        ("upstream_repository_prefix", "abc\n"),
        ("region", "us-east-1\n"),
        ("custom_role_arn", "arn:aws:iam::111122223333:role/ecr-ptc\n"),
    ],
)
def test_trailing_newline_is_rejected(argument: str, value: str) -> None:
    inputs = rule(**{argument: value})
    if argument == "custom_role_arn":
        inputs["upstream_registry_url"] = ECR_HOST

    failures = check_rule(inputs)

    assert argument in failed_arguments(failures)


def test_credential_arn_with_trailing_newline_rejected() -> None:
    failures = check_rule(
        rule(upstream_registry_url="registry-1.docker.io", credential_arn=SECRET + "\n")
    )

    assert failed_arguments(failures) == ["credential_arn"]


@pytest.mark.parametrize("value", ["no", "false", 0, 1])
def test_validate_credentials_must_be_bool(value: Any) -> None:
    failures = check_rule(rule(validate_credentials=value))

    assert failed_arguments(failures) == ["validate_credentials"]
    assert "must be True or False" in failures[0].message


def test_import_id_must_match_prefix() -> None:
    failures = check_rule(rule(import_existing="other"))

    assert failed_arguments(failures) == ["import_existing"]
    assert "must equal ecr_repository_prefix ('ecr-public')" in failures[0].message


def test_scheme_hint_suggests_accepted_host() -> None:
    failures = check_rule(rule(upstream_registry_url="https://docker.io/library"))

    assert "such as 'registry-1.docker.io'" in failures[0].message
