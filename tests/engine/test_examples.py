"""The programs under examples/ deployed through the real Pulumi CLI.

Each test copies an example's __main__.py into a temporary project, sets the
config the example documents, and runs `pulumi up`, `pulumi preview
--expect-no-changes` and `pulumi destroy` against the local endpoint. The
docker-hub example creates a Secrets Manager secret with pulumi-aws, whose
provider plugin the engine tier lacks, so it runs under Pulumi's mocks in
tests/mocks instead.
"""

from __future__ import annotations

import ast
from typing import Any

import pytest
import yaml

from .conftest import REGION, ROOT, Stack, rules_in_aws

pytestmark = pytest.mark.engine

EXAMPLES = ROOT / "examples"

ACCOUNT_ID = "123456789012"
"""Account id that moto gives any credentials, so the id of the rules' registry."""

UPSTREAM_ACCOUNT_ID = "444455556666"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT_ID}:role/ecr-pull-through-cache"
REGISTRY_HOST = f"{ACCOUNT_ID}.dkr.ecr.{REGION}.amazonaws.com"


def use_example(stack: Stack, name: str, **config: str) -> None:
    """Make the stack run examples/<name>/__main__.py with `config` set."""
    stack.write_program((EXAMPLES / name / "__main__.py").read_text())
    for key, value in config.items():
        stack.run("config", "set", key, value)


def cross_account_config(**extra: str) -> dict[str, str]:
    return {
        "aws:region": REGION,
        "upstreamAccountId": UPSTREAM_ACCOUNT_ID,
        "customRoleArn": ROLE_ARN,
        **extra,
    }


def example_names() -> list[str]:
    return sorted(path.name for path in EXAMPLES.iterdir() if path.is_dir())


@pytest.mark.parametrize("name", example_names())
def test_example_folder_is_a_python_project(name: str) -> None:
    folder = EXAMPLES / name

    project = yaml.safe_load((folder / "Pulumi.yaml").read_text())
    lines = (folder / "requirements.txt").read_text().splitlines()
    requirements = [line for line in lines if line and not line.startswith("#")]
    program = ast.parse((folder / "__main__.py").read_text())
    docstring = ast.get_docstring(program)

    assert project["name"] == f"ptc-{name}"
    assert project["description"]
    assert project["runtime"]["name"] == "python"
    assert project["runtime"]["options"]["virtualenv"] == "venv"
    assert requirements == ["ptc-provider>=0.1"]
    assert docstring is not None
    assert "\n" not in docstring


def test_basic_example_deploys_and_destroys(stack: Stack, ecr: Any) -> None:
    use_example(stack, "basic")

    stack.up()
    deployed = rules_in_aws(ecr)
    outputs = stack.outputs()
    stack.preview("--expect-no-changes")
    stack.destroy()

    assert set(deployed) == {"ecr-public"}
    assert deployed["ecr-public"]["upstreamRegistryUrl"] == "public.ecr.aws"
    assert outputs["registry_id"] == ACCOUNT_ID
    assert outputs["upstream_registry"] == "ecr-public"
    assert outputs["image_uri_prefix"] == f"{REGISTRY_HOST}/ecr-public"
    assert rules_in_aws(ecr) == {}
    assert stack.rule_states() == []


def test_public_upstreams_example_deploys_and_destroys(stack: Stack, ecr: Any) -> None:
    use_example(stack, "public-upstreams")

    stack.up()
    deployed = rules_in_aws(ecr)
    outputs = stack.outputs()
    stack.preview("--expect-no-changes")
    stack.destroy()

    urls = {prefix: rule["upstreamRegistryUrl"] for prefix, rule in deployed.items()}
    assert urls == {
        "k8s": "registry.k8s.io",
        "quay": "quay.io",
        "ecr-public": "public.ecr.aws",
    }
    for rule in deployed.values():
        assert "credentialArn" not in rule
    assert outputs["image_uri_prefixes"] == {
        "k8s": f"{REGISTRY_HOST}/k8s",
        "quay": f"{REGISTRY_HOST}/quay",
        "ecr-public": f"{REGISTRY_HOST}/ecr-public",
    }
    assert outputs["registry_id"] == ACCOUNT_ID
    assert rules_in_aws(ecr) == {}
    assert stack.rule_states() == []


@pytest.mark.parametrize(
    ("extra_config", "upstream_region", "upstream_prefix"),
    [
        ({}, REGION, "shared"),
        (
            {"upstreamRegion": "eu-west-1", "upstreamRepositoryPrefix": "team-a"},
            "eu-west-1",
            "team-a",
        ),
    ],
    ids=["defaults", "upstream-region-and-prefix-from-config"],
)
def test_ecr_cross_account_example_deploys_and_destroys(
    stack: Stack,
    ecr: Any,
    extra_config: dict[str, str],
    upstream_region: str,
    upstream_prefix: str,
) -> None:
    use_example(stack, "ecr-cross-account", **cross_account_config(**extra_config))
    upstream_url = f"{UPSTREAM_ACCOUNT_ID}.dkr.ecr.{upstream_region}.amazonaws.com"

    stack.up()
    deployed = rules_in_aws(ecr)
    outputs = stack.outputs()
    stack.preview("--expect-no-changes")
    stack.destroy()

    assert set(deployed) == {"partner-shared"}
    rule = deployed["partner-shared"]
    assert rule["upstreamRegistryUrl"] == upstream_url
    assert rule["upstreamRepositoryPrefix"] == upstream_prefix
    assert rule["customRoleArn"] == ROLE_ARN
    assert rule["upstreamRegistry"] == "ecr"
    assert outputs["image_uri_prefix"] == f"{REGISTRY_HOST}/partner-shared"
    assert outputs["upstream_repository_prefix"] == upstream_prefix
    assert outputs["registry_id"] == ACCOUNT_ID
    assert rules_in_aws(ecr) == {}
    assert stack.rule_states() == []


def test_root_example_deploys_and_destroys(stack: Stack, ecr: Any) -> None:
    use_example(stack, "root", **cross_account_config(upstreamRegion="us-west-2"))
    upstream_url = f"{UPSTREAM_ACCOUNT_ID}.dkr.ecr.us-west-2.amazonaws.com"

    stack.up()
    deployed = rules_in_aws(ecr)
    outputs = stack.outputs()
    stack.preview("--expect-no-changes")
    stack.destroy()

    assert set(deployed) == {"ROOT"}
    rule = deployed["ROOT"]
    assert rule["upstreamRegistryUrl"] == upstream_url
    assert rule["customRoleArn"] == ROLE_ARN
    assert rule.get("upstreamRepositoryPrefix", "ROOT") == "ROOT"
    assert outputs["image_uri_prefix"] == REGISTRY_HOST
    assert outputs["upstream_registry_url"] == upstream_url
    assert rules_in_aws(ecr) == {}
    assert stack.rule_states() == []


def test_import_existing_example_adopts_then_destroy_deletes(
    stack: Stack, ecr: Any
) -> None:
    ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="ecr-public", upstreamRegistryUrl="public.ecr.aws"
    )
    existing = rules_in_aws(ecr)["ecr-public"]
    use_example(stack, "import-existing")

    stack.up()
    adopted = rules_in_aws(ecr)
    outputs = stack.outputs()
    stack.preview("--expect-no-changes")
    stack.destroy()

    assert set(adopted) == {"ecr-public"}
    assert adopted["ecr-public"]["createdAt"] == existing["createdAt"]
    assert outputs["created_at"] == existing["createdAt"].isoformat()
    assert outputs["image_uri_prefix"] == f"{REGISTRY_HOST}/ecr-public"
    assert rules_in_aws(ecr) == {}
    assert stack.rule_states() == []


def test_import_existing_example_fails_to_recreate_deleted_rule(
    stack: Stack, ecr: Any
) -> None:
    ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="ecr-public", upstreamRegistryUrl="public.ecr.aws"
    )
    use_example(stack, "import-existing")
    stack.up()
    ecr.delete_pull_through_cache_rule(ecrRepositoryPrefix="ecr-public")
    stack.refresh()

    result = stack.up(check=False)

    assert result.returncode != 0
    assert "nothing to import" in result.stdout
    assert rules_in_aws(ecr) == {}
