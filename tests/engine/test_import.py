"""Bringing existing rules under management through the real Pulumi CLI."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from .conftest import Stack, aws_client, make_secret, rules_in_aws

pytestmark = pytest.mark.engine

IMPORT_OPTS = "opts=pulumi.ResourceOptions(import_={prefix!r})"


def program(prefix: str, url: str, import_: bool = False, **extra: Any) -> str:
    arguments = {"ecr_repository_prefix": prefix, "upstream_registry_url": url, **extra}
    opts = IMPORT_OPTS.format(prefix=prefix) if import_ else "opts=None"
    return f"""
        import pulumi
        from ptc_provider import PullThroughCacheRule

        rule = PullThroughCacheRule("imported", **{arguments!r}, {opts})
        pulumi.export("created_at", rule.created_at)
    """


def test_import_option_adopts_matching_rule(stack: Stack, ecr: Any) -> None:
    ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="ecr-public", upstreamRegistryUrl="public.ecr.aws"
    )
    before = rules_in_aws(ecr)["ecr-public"]

    stack.write_program(program("ecr-public", "public.ecr.aws", import_=True))
    stack.up()

    assert rules_in_aws(ecr)["ecr-public"]["createdAt"] == before["createdAt"]
    assert stack.outputs()["created_at"] == before["createdAt"].isoformat()
    stack.preview("--expect-no-changes")
    stack.write_program(program("ecr-public", "public.ecr.aws"))
    stack.preview("--expect-no-changes")


def test_import_option_updates_credential_in_place(
    stack: Stack, ecr: Any, secrets: Any
) -> None:
    old, new = make_secret(secrets, "old"), make_secret(secrets, "new")
    ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="hub",
        upstreamRegistryUrl="registry-1.docker.io",
        credentialArn=old,
    )
    created_at = rules_in_aws(ecr)["hub"]["createdAt"]

    stack.write_program(
        program("hub", "registry-1.docker.io", import_=True, credential_arn=new)
    )
    stack.up()

    rule = rules_in_aws(ecr)["hub"]
    assert rule["credentialArn"] == new
    assert rule["createdAt"] == created_at
    stack.preview("--expect-no-changes")


def test_import_option_of_root_rule(stack: Stack, ecr: Any) -> None:
    upstream = "444455556666.dkr.ecr.us-west-2.amazonaws.com"
    role = "arn:aws:iam::123456789012:role/ecr-ptc"
    ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="ROOT", upstreamRegistryUrl=upstream, customRoleArn=role
    )

    stack.write_program(program("ROOT", upstream, import_=True, custom_role_arn=role))
    stack.up()

    assert set(rules_in_aws(ecr)) == {"ROOT"}
    stack.preview("--expect-no-changes")


def test_import_option_with_differing_url_fails_untouched(
    stack: Stack, ecr: Any
) -> None:
    ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="ecr-public", upstreamRegistryUrl="quay.io"
    )
    before = rules_in_aws(ecr)

    stack.write_program(program("ecr-public", "public.ecr.aws", import_=True))
    result = stack.up(check=False)

    assert result.returncode != 0
    assert "AWS has 'quay.io', the program has 'public.ecr.aws'" in result.stdout
    assert rules_in_aws(ecr) == before
    assert stack.rule_states() == []


def test_import_option_of_missing_prefix_creates_nothing(
    stack: Stack, ecr: Any
) -> None:
    stack.write_program(program("ecr-public", "public.ecr.aws", import_=True))

    result = stack.up(check=False)

    assert result.returncode != 0
    assert "no ECR pull-through cache rule with prefix 'ecr-public'" in result.stdout
    assert rules_in_aws(ecr) == {}


def test_existing_rule_is_not_taken_over_without_import(stack: Stack, ecr: Any) -> None:
    ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="ecr-public", upstreamRegistryUrl="public.ecr.aws"
    )

    stack.write_program(program("ecr-public", "public.ecr.aws"))
    result = stack.up(check=False)

    assert result.returncode != 0
    assert "PullThroughCacheRuleAlreadyExistsException" in result.stdout
    assert "import_='ecr-public'" in result.stdout
    assert stack.rule_states() == []


def test_imported_rule_is_deleted_by_destroy(stack: Stack, ecr: Any) -> None:
    ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="ecr-public", upstreamRegistryUrl="public.ecr.aws"
    )
    stack.write_program(program("ecr-public", "public.ecr.aws", import_=True))
    stack.up()

    stack.destroy()

    assert rules_in_aws(ecr) == {}


def test_get_fills_outputs_and_destroy_keeps_rule(stack: Stack, ecr: Any) -> None:
    ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="ecr-public", upstreamRegistryUrl="public.ecr.aws"
    )
    stack.write_program(
        """
        import pulumi
        from ptc_provider import PullThroughCacheRule

        found = PullThroughCacheRule.get("found", "ecr-public")
        pulumi.export("url", found.upstream_registry_url)
        pulumi.export("registry_id", found.registry_id)
        pulumi.export("image_uri_prefix", found.image_uri_prefix)
        """
    )

    stack.up()
    outputs = stack.outputs()
    stack.destroy()

    assert outputs["url"] == "public.ecr.aws"
    assert outputs["registry_id"] == "123456789012"
    assert outputs["image_uri_prefix"].endswith("/ecr-public")
    assert "ecr-public" in rules_in_aws(ecr)


def test_get_of_missing_prefix_fails(stack: Stack, ecr: Any) -> None:
    stack.write_program(
        """
        from ptc_provider import PullThroughCacheRule

        PullThroughCacheRule.get("found", "nothing-here")
        """
    )

    result = stack.up(check=False)

    assert result.returncode != 0
    assert "no ECR pull-through cache rule with prefix 'nothing-here'" in result.stdout


def run_importer(stack: Stack, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ptc_provider.importer", *args],
        cwd=stack.workdir,
        env=stack.env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_importer_command_imports_prefix_with_code(
    stack: Stack, ecr: Any, secrets: Any
) -> None:
    secret = make_secret(secrets, "hub")
    ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="hub",
        upstreamRegistryUrl="registry-1.docker.io",
        credentialArn=secret,
    )
    stack.write_program("")

    result = run_importer(stack, "--prefix", "hub")

    assert result.returncode == 0, result.stderr + result.stdout
    code = result.stdout.split("Add this to the program")[1].split(":\n", 1)[1]
    assert f"credential_arn={secret!r}" in code
    assert [r["id"] for r in stack.rule_states()] == ["hub"]
    stack.write_program(code)
    stack.preview("--expect-no-changes")
    stack.destroy()
    assert rules_in_aws(ecr) == {}


def test_importer_command_imports_every_rule(stack: Stack, ecr: Any) -> None:
    for prefix, url in [("ecr-public", "public.ecr.aws"), ("k8s", "registry.k8s.io")]:
        ecr.create_pull_through_cache_rule(
            ecrRepositoryPrefix=prefix, upstreamRegistryUrl=url
        )
    stack.write_program("")

    result = run_importer(stack, "--all")

    assert result.returncode == 0, result.stderr + result.stdout
    assert sorted(r["id"] for r in stack.rule_states()) == ["ecr-public", "k8s"]
    code = result.stdout.split("Add this to the program")[1].split(":\n", 1)[1]
    stack.write_program(code)
    stack.preview("--expect-no-changes")


def test_importer_command_of_missing_prefix_fails(stack: Stack, ecr: Any) -> None:
    stack.write_program("")

    result = run_importer(stack, "--prefix", "nothing-here")

    assert result.returncode == 1
    assert "no ECR pull-through cache rule with prefix 'nothing-here'" in result.stderr
    assert stack.rule_states() == []


def test_import_option_left_in_program_blocks_replacement(
    stack: Stack, ecr: Any
) -> None:
    ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="ecr-public", upstreamRegistryUrl="public.ecr.aws"
    )
    stack.write_program(program("ecr-public", "public.ecr.aws", import_=True))
    stack.up()

    stack.write_program(program("ecr-public", "registry.k8s.io", import_=True))
    blocked = stack.up(check=False)
    kept = rules_in_aws(ecr)["ecr-public"]["upstreamRegistryUrl"]
    stack.write_program(program("ecr-public", "registry.k8s.io"))
    stack.up()

    assert blocked.returncode != 0
    assert "the import_ option is still set" in blocked.stdout
    assert kept == "public.ecr.aws"
    assert rules_in_aws(ecr)["ecr-public"]["upstreamRegistryUrl"] == "registry.k8s.io"


def test_importer_all_skips_rules_the_stack_manages(stack: Stack, ecr: Any) -> None:
    stack.write_program(
        """
        from ptc_provider import PullThroughCacheRule

        PullThroughCacheRule(
            "my-team-cache",
            ecr_repository_prefix="team/cache",
            upstream_registry_url="quay.io",
        )
        """
    )
    stack.up()
    ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="k8s", upstreamRegistryUrl="registry.k8s.io"
    )

    result = run_importer(stack, "--all")

    assert result.returncode == 0, result.stderr + result.stdout
    assert "skipping 'team/cache': already managed" in result.stderr
    assert sorted(r["id"] for r in stack.rule_states()) == ["k8s", "team/cache"]
    assert "team/cache" not in result.stdout.split("Add this to the program")[1]


def test_importer_prefix_already_managed_fails(stack: Stack, ecr: Any) -> None:
    stack.write_program(program("ecr-public", "public.ecr.aws"))
    stack.up()

    result = run_importer(stack, "--prefix", "ecr-public")

    assert result.returncode == 1
    assert "the stack already manages 'ecr-public'" in result.stderr
    assert len(stack.rule_states()) == 1


def test_importer_gives_colliding_prefixes_distinct_names(
    stack: Stack, ecr: Any
) -> None:
    for prefix in ("x/y", "x-y"):
        ecr.create_pull_through_cache_rule(
            ecrRepositoryPrefix=prefix, upstreamRegistryUrl="quay.io"
        )
    stack.write_program("")

    result = run_importer(stack, "--all")

    assert result.returncode == 0, result.stderr + result.stdout
    names = sorted(r["urn"].rsplit("::", 1)[-1] for r in stack.rule_states())
    assert names == ["x-y", "x-y-2"]
    code = result.stdout.split("Add this to the program")[1].split(":\n", 1)[1]
    stack.write_program(code)
    stack.preview("--expect-no-changes")


def test_importer_takes_region_from_aws_region(stack: Stack, ecr: Any) -> None:
    ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="ecr-public", upstreamRegistryUrl="public.ecr.aws"
    )
    stack.env.pop("AWS_DEFAULT_REGION")
    stack.write_program("")

    result = run_importer(stack, "--prefix", "ecr-public", "--name", "chosen")

    assert result.returncode == 0, result.stderr + result.stdout
    assert stack.rule_states()[0]["urn"].endswith("::chosen")
    assert stack.rule_states()[0]["outputs"]["region"] == "us-east-1"


def test_importer_reuses_component_of_failed_create(stack: Stack, ecr: Any) -> None:
    ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="ecr-public", upstreamRegistryUrl="public.ecr.aws"
    )
    stack.write_program(
        """
        from ptc_provider import PullThroughCacheRule

        PullThroughCacheRule(
            "ecr-public",
            ecr_repository_prefix="ecr-public",
            upstream_registry_url="public.ecr.aws",
        )
        """
    )
    failed = stack.up(check=False)

    result = run_importer(stack, "--prefix", "ecr-public")

    assert failed.returncode != 0
    assert result.returncode == 0, result.stderr + result.stdout
    assert [r["urn"].rsplit("::", 1)[-1] for r in stack.rule_states()] == ["ecr-public"]
    stack.preview("--expect-no-changes")
    stack.destroy()
    assert rules_in_aws(ecr) == {}


def test_importer_tells_regions_apart(stack: Stack, ecr: Any, endpoint: str) -> None:
    stack.write_program(program("shared", "quay.io"))
    stack.up()
    west = aws_client("ecr", endpoint, region="us-west-2")
    west.create_pull_through_cache_rule(
        ecrRepositoryPrefix="shared", upstreamRegistryUrl="quay.io"
    )

    result = run_importer(stack, "--prefix", "shared", "--region", "us-west-2")

    assert result.returncode == 0, result.stderr + result.stdout
    regions = sorted(r["outputs"]["region"] for r in stack.rule_states())
    assert regions == ["us-east-1", "us-west-2"]


def test_importer_code_has_distinct_variables(stack: Stack, ecr: Any) -> None:
    for prefix in ("a--b", "a__b"):
        ecr.create_pull_through_cache_rule(
            ecrRepositoryPrefix=prefix, upstreamRegistryUrl="quay.io"
        )
    stack.write_program("")

    result = run_importer(stack, "--all")

    assert result.returncode == 0, result.stderr + result.stdout
    code = result.stdout.split("Add this to the program")[1].split(":\n", 1)[1]
    assert "a__b = PullThroughCacheRule(" in code
    assert "a__b_2 = PullThroughCacheRule(" in code
