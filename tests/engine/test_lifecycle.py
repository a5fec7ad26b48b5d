"""Lifecycle of a rule through the real Pulumi CLI and the local endpoint.

Each test drives `pulumi` in a temporary project with a local file backend,
then checks the cloud side with its own boto3 client.
"""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest

from .conftest import Stack, decoded_provider_blobs, make_secret, rules_in_aws

pytestmark = pytest.mark.engine


def rule_program(**arguments: Any) -> str:
    """A program with one rule named `cache` that exports its outputs."""
    return f"""
        import pulumi
        from ptc_provider import PullThroughCacheRule

        rule = PullThroughCacheRule("cache", **{arguments!r})
        pulumi.export("registry_id", rule.registry_id)
        pulumi.export("created_at", rule.created_at)
        pulumi.export("image_uri_prefix", rule.image_uri_prefix)
        pulumi.export("upstream_registry", rule.upstream_registry)
    """


PUBLIC = {
    "ecr_repository_prefix": "ecr-public",
    "upstream_registry_url": "public.ecr.aws",
}


def test_up_creates_rule_then_nothing_changes(stack: Stack, ecr: Any) -> None:
    stack.write_program(rule_program(**PUBLIC))

    stack.up()
    created = rules_in_aws(ecr)["ecr-public"]
    stack.preview("--expect-no-changes")
    second = stack.up("--expect-no-changes")

    assert created["upstreamRegistryUrl"] == "public.ecr.aws"
    assert created["upstreamRegistry"] == "ecr-public"
    assert stack.outputs()["registry_id"] == created["registryId"]
    assert stack.outputs()["image_uri_prefix"].endswith(".amazonaws.com/ecr-public")
    assert "3 unchanged" in second.stdout
    assert rules_in_aws(ecr)["ecr-public"] == created


def test_credential_change_updates_in_place(
    stack: Stack, ecr: Any, secrets: Any
) -> None:
    first, second = make_secret(secrets, "one"), make_secret(secrets, "two")
    hub = {
        "ecr_repository_prefix": "hub",
        "upstream_registry_url": "registry-1.docker.io",
    }
    stack.write_program(rule_program(**hub, credential_arn=first))
    stack.up()
    created_at = rules_in_aws(ecr)["hub"]["createdAt"]

    stack.write_program(rule_program(**hub, credential_arn=second))
    result = stack.up()

    rule = rules_in_aws(ecr)["hub"]
    assert rule["credentialArn"] == second
    assert rule["createdAt"] == created_at
    assert "1 updated" in result.stdout
    stack.preview("--expect-no-changes")


def test_url_change_under_same_prefix_replaces(
    stack: Stack, ecr: Any, secrets: Any
) -> None:
    stack.write_program(
        rule_program(ecr_repository_prefix="shared", upstream_registry_url="quay.io")
    )
    stack.up()

    stack.write_program(
        rule_program(
            ecr_repository_prefix="shared",
            upstream_registry_url="ghcr.io",
            credential_arn=make_secret(secrets, "ghcr"),
        )
    )
    result = stack.up()

    assert rules_in_aws(ecr)["shared"]["upstreamRegistryUrl"] == "ghcr.io"
    assert "1 replaced" in result.stdout
    stack.preview("--expect-no-changes")


def test_prefix_change_replaces_and_removes_old(stack: Stack, ecr: Any) -> None:
    stack.write_program(rule_program(**PUBLIC))
    stack.up()

    stack.write_program(rule_program(**{**PUBLIC, "ecr_repository_prefix": "public2"}))
    stack.up()

    assert set(rules_in_aws(ecr)) == {"public2"}


def test_replace_flag_succeeds(stack: Stack, ecr: Any) -> None:
    stack.write_program(rule_program(**PUBLIC))
    stack.up()
    urn = stack.rule_states()[0]["urn"]

    stack.up("--replace", urn)

    assert set(rules_in_aws(ecr)) == {"ecr-public"}


def test_rule_deleted_out_of_band_is_recreated(stack: Stack, ecr: Any) -> None:
    stack.write_program(rule_program(**PUBLIC))
    stack.up()
    ecr.delete_pull_through_cache_rule(ecrRepositoryPrefix="ecr-public")

    stack.refresh()
    dropped = stack.rule_states()
    stack.up()

    assert dropped == []
    assert "ecr-public" in rules_in_aws(ecr)
    stack.preview("--expect-no-changes")


def test_credential_drift_shows_then_is_restored(
    stack: Stack, ecr: Any, secrets: Any
) -> None:
    wanted, other = make_secret(secrets, "wanted"), make_secret(secrets, "other")
    hub = {
        "ecr_repository_prefix": "hub",
        "upstream_registry_url": "registry-1.docker.io",
    }
    stack.write_program(rule_program(**hub, credential_arn=wanted))
    stack.up()
    ecr.update_pull_through_cache_rule(ecrRepositoryPrefix="hub", credentialArn=other)

    stack.refresh()
    drift = stack.preview("--expect-no-changes", check=False)
    stack.up()

    assert drift.returncode != 0
    assert "update" in drift.stdout
    assert rules_in_aws(ecr)["hub"]["credentialArn"] == wanted


def test_prefix_from_unknown_output_previews_and_deploys(
    stack: Stack, ecr: Any
) -> None:
    stack.write_program(
        """
        from ptc_provider import PullThroughCacheRule

        first = PullThroughCacheRule(
            "first", ecr_repository_prefix="ecr-public",
            upstream_registry_url="public.ecr.aws",
        )
        PullThroughCacheRule(
            "second",
            ecr_repository_prefix=first.registry_id.apply(lambda _: "derived"),
            upstream_registry_url="quay.io",
        )
        """
    )

    preview = stack.preview()
    stack.up()

    assert "+ 5 to create" in preview.stdout
    assert set(rules_in_aws(ecr)) == {"ecr-public", "derived"}


def test_invalid_input_fails_preview_and_creates_nothing(
    stack: Stack, ecr: Any
) -> None:
    stack.write_program(
        rule_program(
            ecr_repository_prefix="hub", upstream_registry_url="registry-1.docker.io"
        )
    )

    preview = stack.preview(check=False)
    up = stack.up(check=False)

    assert preview.returncode != 0
    assert "invalid credential_arn None: is required for upstream" in preview.stdout
    assert up.returncode != 0
    assert rules_in_aws(ecr) == {}


def test_destroy_leaves_no_rule(stack: Stack, ecr: Any) -> None:
    stack.write_program(rule_program(**PUBLIC))
    stack.up()

    stack.destroy()

    assert rules_in_aws(ecr) == {}
    assert stack.rule_states() == []


def test_state_holds_no_credentials_or_endpoint(
    stack: Stack, ecr: Any, endpoint: str
) -> None:
    stack.write_program(rule_program(**PUBLIC))
    stack.up()

    exported = stack.export(show_secrets=True)
    text = json.dumps(exported)
    blobs = decoded_provider_blobs(exported)
    port = endpoint.rsplit(":", 1)[1]

    assert blobs, "no serialized provider found in state"
    for forbidden in ("testing", endpoint, "127.0.0.1", "AWS_SECRET_ACCESS_KEY"):
        assert forbidden not in text
        for blob in blobs:
            assert forbidden.encode() not in blob
    for blob in blobs:
        assert port.encode() not in blob


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_endpoint_reaches_provider_only_from_cli_environment(
    stack: Stack, ecr: Any, endpoint: str
) -> None:
    # The CLI points at a closed loopback port; the program points at the
    # live endpoint. The provider runs in the CLI's environment, so it must
    # fail to connect and create nothing.
    stack.env["AWS_ENDPOINT_URL"] = f"http://127.0.0.1:{free_port()}"
    stack.env["AWS_MAX_ATTEMPTS"] = "1"
    stack.write_program(
        f"""
        import os
        os.environ["AWS_ENDPOINT_URL"] = {endpoint!r}
        from ptc_provider import PullThroughCacheRule

        PullThroughCacheRule("cache", **{PUBLIC!r})
        """
    )

    result = stack.up(check=False)

    assert result.returncode != 0
    assert "EndpointConnectionError" in result.stdout + result.stderr
    assert rules_in_aws(ecr) == {}


def test_many_rules_deploy_and_destroy_in_one_run(stack: Stack, ecr: Any) -> None:
    stack.write_program(
        """
        from ptc_provider import PullThroughCacheRule

        for index in range(12):
            PullThroughCacheRule(
                f"cache-{index}",
                ecr_repository_prefix=f"cache-{index}",
                upstream_registry_url="public.ecr.aws",
            )
        """
    )

    stack.up()
    deployed = set(rules_in_aws(ecr))
    stack.destroy()

    assert deployed == {f"cache-{index}" for index in range(12)}
    assert rules_in_aws(ecr) == {}
