"""The provider's create, read, update and delete paths against the emulator."""

from __future__ import annotations

import logging
import random
from typing import Any

import botocore.exceptions
import pytest

from ptc_provider import (
    AwsOperationError,
    CredentialValidationError,
    ImportMismatchError,
    InvalidArgumentError,
    RuleAlreadyExistsError,
    RuleNotFoundError,
)
from ptc_provider import provider as provider_module
from ptc_provider.provider import PullThroughCacheRuleProvider

from .conftest import EventHook, SecretFactory, raising

ProviderFixture = PullThroughCacheRuleProvider
REGION = "us-east-1"
ROLE = "arn:aws:iam::123456789012:role/ecr-ptc"
ECR_UPSTREAM = "444455556666.dkr.ecr.us-west-2.amazonaws.com"


def public_rule(**overrides: Any) -> dict[str, Any]:
    props: dict[str, Any] = {
        "ecr_repository_prefix": "ecr-public",
        "upstream_registry_url": "public.ecr.aws",
        "region": REGION,
    }
    props.update(overrides)
    return props


def hub_rule(credential_arn: str, **overrides: Any) -> dict[str, Any]:
    """Props of a Docker Hub rule with prefix hub and the given credential."""
    return public_rule(
        ecr_repository_prefix="hub",
        upstream_registry_url="registry-1.docker.io",
        credential_arn=credential_arn,
        **overrides,
    )


def rules_in_aws(ecr: Any) -> dict[str, dict[str, Any]]:
    response = ecr.describe_pull_through_cache_rules()
    return {r["ecrRepositoryPrefix"]: r for r in response["pullThroughCacheRules"]}


def test_create_makes_one_call_and_maps_outputs(
    provider: ProviderFixture, ecr: Any, ecr_calls: list[str]
) -> None:
    result = provider.create(public_rule())

    assert ecr_calls == ["CreatePullThroughCacheRule"]
    assert result.id == "ecr-public"
    outs = result.outs or {}
    assert outs["registry_id"] == "123456789012"
    assert outs["upstream_registry"] == "ecr-public"
    assert outs["region"] == REGION
    assert isinstance(outs["created_at"], str)
    assert outs["image_uri_prefix"] == (
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/ecr-public"
    )
    assert "ecr-public" in rules_in_aws(ecr)


def test_root_rule_has_no_prefix_segment_in_uri(
    provider: ProviderFixture, ecr: Any
) -> None:
    result = provider.create(
        public_rule(
            ecr_repository_prefix="ROOT",
            upstream_registry_url=ECR_UPSTREAM,
            custom_role_arn=ROLE,
        )
    )

    outs = result.outs or {}
    assert outs["image_uri_prefix"] == "123456789012.dkr.ecr.us-east-1.amazonaws.com"
    assert outs["upstream_registry"] == "ecr"
    assert outs["custom_role_arn"] == ROLE


def test_create_with_taken_prefix_explains_import(
    provider: ProviderFixture, ecr: Any
) -> None:
    provider.create(public_rule())

    with pytest.raises(RuleAlreadyExistsError) as raised:
        provider.create(public_rule(upstream_registry_url="quay.io"))

    assert raised.value.code == "PullThroughCacheRuleAlreadyExistsException"
    assert "creating ECR pull-through cache rule (ecr-public)" in str(raised.value)
    assert "import_='ecr-public'" in str(raised.value)
    assert rules_in_aws(ecr)["ecr-public"]["upstreamRegistryUrl"] == "public.ecr.aws"


def test_read_returns_the_rule_as_aws_reports_it(
    provider: ProviderFixture, ecr: Any
) -> None:
    created = provider.create(public_rule()).outs or {}

    result = provider.read("ecr-public", created)

    assert result.id == "ecr-public"
    outs = result.outs or {}
    assert outs["upstream_registry_url"] == "public.ecr.aws"
    assert outs["created_at"] == created["created_at"]


def test_read_drops_a_rule_deleted_out_of_band(
    provider: ProviderFixture, ecr: Any, caplog: pytest.LogCaptureFixture
) -> None:
    created = provider.create(public_rule()).outs or {}
    ecr.delete_pull_through_cache_rule(ecrRepositoryPrefix="ecr-public")

    with caplog.at_level(logging.WARNING, logger="ptc_provider"):
        result = provider.read("ecr-public", created)

    assert result.id == ""
    assert result.outs == {}
    assert "no longer exists; removing it from state" in caplog.text


def test_lookup_of_missing_prefix_fails(provider: ProviderFixture, ecr: Any) -> None:
    with pytest.raises(RuleNotFoundError) as raised:
        provider.read("nothing-here", {"region": REGION})

    assert raised.value.prefix == "nothing-here"


def test_read_shows_credential_drift_as_update(
    provider: ProviderFixture,
    ecr: Any,
    make_secret: SecretFactory,
    docker_hub_secret: str,
) -> None:
    props = hub_rule(
        docker_hub_secret,
    )
    created = provider.create(props).outs or {}
    other = make_secret("ecr-pullthroughcache/other", "bob", "token-2")
    ecr.update_pull_through_cache_rule(ecrRepositoryPrefix="hub", credentialArn=other)

    refreshed = provider.read("hub", created).outs or {}
    diff = provider.diff("hub", refreshed, props)

    assert refreshed["credential_arn"] == other
    assert diff.changes is True
    assert diff.replaces == []


def test_diff_without_changes_says_so(provider: ProviderFixture, ecr: Any) -> None:
    props = public_rule()
    created = provider.create(props).outs or {}

    diff = provider.diff("ecr-public", created, props)

    assert diff.changes is False
    assert diff.replaces == []


def test_diff_replaces_url_change_deleting_first(
    provider: ProviderFixture,
    ecr: Any,
    make_secret: SecretFactory,
    docker_hub_secret: str,
) -> None:
    created = provider.create(public_rule(upstream_registry_url="quay.io")).outs or {}
    ghcr_secret = make_secret("ecr-pullthroughcache/ghcr", "alice", "t")

    diff = provider.diff(
        "ecr-public",
        created,
        public_rule(upstream_registry_url="ghcr.io", credential_arn=ghcr_secret),
    )

    assert diff.changes is True
    assert diff.replaces == ["upstream_registry_url"]
    assert diff.delete_before_replace is True


def test_update_sends_only_the_changed_arn(
    provider: ProviderFixture,
    ecr: Any,
    make_secret: SecretFactory,
    ecr_calls: list[str],
    docker_hub_secret: str,
) -> None:
    props = hub_rule(
        docker_hub_secret,
    )
    created = provider.create(props).outs or {}
    other = make_secret("ecr-pullthroughcache/other", "bob", "token-2")
    ecr_calls.clear()

    result = provider.update("hub", created, {**props, "credential_arn": other})

    assert ecr_calls == ["UpdatePullThroughCacheRule"]
    outs = result.outs or {}
    assert outs["credential_arn"] == other
    assert outs["created_at"] == created["created_at"]
    assert outs["upstream_registry_url"] == "registry-1.docker.io"
    assert rules_in_aws(ecr)["hub"]["credentialArn"] == other


def test_update_of_settings_only_calls_nothing(
    provider: ProviderFixture, ecr: Any, ecr_calls: list[str]
) -> None:
    props = public_rule()
    created = provider.create(props).outs or {}
    ecr_calls.clear()

    result = provider.update(
        "ecr-public", created, {**props, "validate_credentials": True}
    )

    assert ecr_calls == []
    assert (result.outs or {})["validate_credentials"] is True


def test_delete_removes_the_rule(provider: ProviderFixture, ecr: Any) -> None:
    created = provider.create(public_rule()).outs or {}

    provider.delete("ecr-public", created)

    assert rules_in_aws(ecr) == {}


def test_delete_of_vanished_rule_succeeds(
    provider: ProviderFixture, ecr: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="ptc_provider"):
        provider.delete("ecr-public", public_rule())

    assert "was already deleted" in caplog.text


def test_check_rejects_docker_hub_without_credential_before_aws(
    provider: ProviderFixture, ecr: Any, ecr_calls: list[str]
) -> None:
    result = provider.check(
        {}, public_rule(upstream_registry_url="registry-1.docker.io")
    )

    assert [f.property for f in result.failures] == ["credential_arn"]
    assert ecr_calls == []
    assert rules_in_aws(ecr) == {}


def test_check_fills_region_from_environment(
    provider: ProviderFixture, ecr: Any
) -> None:
    props = public_rule()
    del props["region"]

    result = provider.check({}, props)

    assert result.failures == []
    assert result.inputs["region"] == REGION


def test_create_survives_injected_throttling(
    provider: ProviderFixture, ecr: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTC_EMULATOR_FAULT_RATE", "0.5")
    random.seed(7)

    for index in range(5):
        provider.create(public_rule(ecr_repository_prefix=f"cache-{index}"))

    monkeypatch.delenv("PTC_EMULATOR_FAULT_RATE")
    assert len(rules_in_aws(ecr)) == 5


def test_create_survives_injected_server_errors(
    provider: ProviderFixture, ecr: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTC_EMULATOR_FAULT_RATE", "0.5")
    monkeypatch.setenv("PTC_EMULATOR_FAULT_KIND", "server-error")
    random.seed(11)

    provider.create(public_rule())

    monkeypatch.delenv("PTC_EMULATOR_FAULT_RATE")
    assert "ecr-public" in rules_in_aws(ecr)


def test_validation_failure_undoes_the_create(
    provider: ProviderFixture, ecr: Any, make_secret: SecretFactory
) -> None:
    broken = make_secret("ecr-pullthroughcache/broken", "alice", None)
    props = hub_rule(
        broken,
        validate_credentials=True,
    )

    with pytest.raises(CredentialValidationError):
        provider.create(props)

    assert rules_in_aws(ecr) == {}


def test_validation_failure_restores_the_old_credential(
    provider: ProviderFixture,
    ecr: Any,
    make_secret: SecretFactory,
    docker_hub_secret: str,
) -> None:
    props = hub_rule(
        docker_hub_secret,
        validate_credentials=True,
    )
    created = provider.create(props).outs or {}
    broken = make_secret("ecr-pullthroughcache/broken", "alice", None)

    with pytest.raises(CredentialValidationError):
        provider.update("hub", created, {**props, "credential_arn": broken})

    assert rules_in_aws(ecr)["hub"]["credentialArn"] == docker_hub_secret


def test_import_adopts_a_matching_rule_unchanged(
    provider: ProviderFixture, ecr: Any, ecr_calls: list[str]
) -> None:
    ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="ecr-public", upstreamRegistryUrl="public.ecr.aws"
    )
    created_at = rules_in_aws(ecr)["ecr-public"]["createdAt"]

    result = provider.create({**public_rule(), "import_existing": True})

    assert ecr_calls == ["DescribePullThroughCacheRules"]
    assert result.id == "ecr-public"
    assert (result.outs or {})["created_at"] == created_at.isoformat()


def test_import_updates_a_differing_credential(
    provider: ProviderFixture,
    ecr: Any,
    make_secret: SecretFactory,
    docker_hub_secret: str,
) -> None:
    other = make_secret("ecr-pullthroughcache/other", "bob", "token-2")
    ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="hub",
        upstreamRegistryUrl="registry-1.docker.io",
        credentialArn=other,
    )
    props = hub_rule(
        docker_hub_secret,
        import_existing=True,
    )

    result = provider.create(props)

    assert (result.outs or {})["credential_arn"] == docker_hub_secret
    assert rules_in_aws(ecr)["hub"]["credentialArn"] == docker_hub_secret


def test_import_of_a_differing_url_fails_untouched(
    provider: ProviderFixture, ecr: Any, ecr_calls: list[str]
) -> None:
    ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="ecr-public", upstreamRegistryUrl="quay.io"
    )

    with pytest.raises(ImportMismatchError) as raised:
        provider.create({**public_rule(), "import_existing": True})

    assert raised.value.differences == {
        "upstream_registry_url": ("quay.io", "public.ecr.aws")
    }
    assert "AWS has 'quay.io', the program has 'public.ecr.aws'" in str(raised.value)
    assert ecr_calls == ["DescribePullThroughCacheRules"]
    assert rules_in_aws(ecr)["ecr-public"]["upstreamRegistryUrl"] == "quay.io"


def test_import_of_missing_prefix_creates_nothing(
    provider: ProviderFixture, ecr: Any
) -> None:
    with pytest.raises(RuleNotFoundError) as raised:
        provider.create({**public_rule(), "import_existing": True})

    assert "nothing was created" in str(raised.value)
    assert rules_in_aws(ecr) == {}


def test_create_without_any_region_names_region(
    provider: ProviderFixture, ecr: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    props = public_rule()
    del props["region"]

    with pytest.raises(InvalidArgumentError) as raised:
        provider.create(provider.check({}, props).inputs)

    assert raised.value.argument == "region"
    assert "aws:region" in str(raised.value)
    assert rules_in_aws(ecr) == {}


def test_diff_rejects_replacement_while_import_is_set(
    provider: ProviderFixture,
) -> None:
    olds = {**public_rule(), "registry_id": "123456789012"}
    news = {**public_rule(upstream_registry_url="quay.io"), "import_existing": "x"}

    with pytest.raises(InvalidArgumentError) as raised:
        provider.diff("ecr-public", olds, news)

    assert raised.value.argument == "opts.import_"
    assert "upstream_registry_url changed" in str(raised.value)
    assert "remove import_" in str(raised.value)


def test_diff_allows_update_while_import_is_set(provider: ProviderFixture) -> None:
    olds = public_rule()
    news = {**public_rule(validate_credentials=True), "import_existing": "x"}

    diff = provider.diff("ecr-public", olds, news)

    assert diff.changes is True
    assert diff.replaces == []


TIMEOUT = botocore.exceptions.ReadTimeoutError(endpoint_url="http://127.0.0.1:1")


def test_timed_out_create_that_succeeded_is_kept(
    provider: ProviderFixture, ecr: Any, ecr_events: EventHook
) -> None:
    # The create reaches AWS, then the client sees a timeout.
    ecr_events("after-call.ecr.CreatePullThroughCacheRule", raising(TIMEOUT))

    result = provider.create(public_rule())

    assert result.id == "ecr-public"
    assert (result.outs or {})["upstream_registry_url"] == "public.ecr.aws"
    assert "ecr-public" in rules_in_aws(ecr)


def test_timed_out_create_of_other_rule_is_not_taken(
    provider: ProviderFixture,
    ecr: Any,
    ecr_events: EventHook,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="ecr-public", upstreamRegistryUrl="quay.io"
    )
    ecr_events("before-call.ecr.CreatePullThroughCacheRule", raising(TIMEOUT))
    monkeypatch.setattr(provider_module, "OWN_RULE_LOOKUP_INTERVAL", 0.0)

    with pytest.raises(AwsOperationError) as raised:
        provider.create(public_rule())

    assert raised.value.code == "ReadTimeoutError"
    assert rules_in_aws(ecr)["ecr-public"]["upstreamRegistryUrl"] == "quay.io"


def test_failed_validation_call_undoes_the_create(
    provider: ProviderFixture,
    ecr: Any,
    ecr_events: EventHook,
    docker_hub_secret: str,
) -> None:
    connect_timeout = botocore.exceptions.ConnectTimeoutError(endpoint_url="x")
    ecr_events("after-call.ecr.ValidatePullThroughCacheRule", raising(connect_timeout))
    props = hub_rule(
        docker_hub_secret,
        validate_credentials=True,
    )

    with pytest.raises(AwsOperationError):
        provider.create(props)

    assert rules_in_aws(ecr) == {}


def test_unknown_profile_is_named(
    provider: ProviderFixture, ecr: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_PROFILE", "no-such-profile")

    with pytest.raises(InvalidArgumentError) as raised:
        provider.create(public_rule())

    assert raised.value.argument == "aws:profile"
    assert raised.value.value == "no-such-profile"


def test_throttled_create_of_existing_rule_is_not_adopted(
    provider: ProviderFixture, ecr: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="ecr-public", upstreamRegistryUrl="public.ecr.aws"
    )
    monkeypatch.setenv("PTC_EMULATOR_FAULT_RATE", "0.5")
    random.seed(1)

    with pytest.raises(RuleAlreadyExistsError):
        provider.create(public_rule())


def test_failed_validation_call_restores_old_arn(
    provider: ProviderFixture,
    ecr: Any,
    ecr_events: EventHook,
    make_secret: SecretFactory,
    docker_hub_secret: str,
) -> None:
    props = hub_rule(
        docker_hub_secret,
        validate_credentials=True,
    )
    created = provider.create(props).outs or {}
    other = make_secret("ecr-pullthroughcache/other", "bob", "token-2")
    connect_timeout = botocore.exceptions.ConnectTimeoutError(endpoint_url="x")
    ecr_events("after-call.ecr.ValidatePullThroughCacheRule", raising(connect_timeout))

    with pytest.raises(AwsOperationError):
        provider.update("hub", created, {**props, "credential_arn": other})

    assert rules_in_aws(ecr)["hub"]["credentialArn"] == docker_hub_secret


def test_import_validates_a_changed_credential(
    provider: ProviderFixture,
    ecr: Any,
    make_secret: SecretFactory,
    docker_hub_secret: str,
) -> None:
    ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="hub",
        upstreamRegistryUrl="registry-1.docker.io",
        credentialArn=docker_hub_secret,
    )
    broken = make_secret("ecr-pullthroughcache/broken", "alice", None)
    props = hub_rule(
        broken,
        validate_credentials=True,
        import_existing="hub",
    )

    with pytest.raises(CredentialValidationError):
        provider.create(props)

    assert rules_in_aws(ecr)["hub"]["credentialArn"] == docker_hub_secret
