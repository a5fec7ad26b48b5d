"""Put existing pull-through cache rules into a stack's state by prefix.

Pulumi's engine cannot import resources of Python dynamic providers itself:
its import step calls the provider's Read without the serialized provider, so
the call fails before any provider code runs
(https://github.com/pulumi/pulumi/issues/16175). This command describes the
rules with boto3, writes a Pulumi import file whose entries carry the rules'
full state, which lets the engine skip that Read, and runs
``pulumi import --file``. It then prints the Python code to add to the
program, so the next ``pulumi preview`` shows no changes.

Usage::

    python -m ptc_provider.importer --prefix ecr-public [--stack dev]
    python -m ptc_provider.importer --all [--region eu-west-1]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import keyword
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError
from pulumi.dynamic.dynamic import serialize_provider

from . import aws
from .component import COMPONENT_TYPE
from .errors import PtcProviderError
from .fields import FIELDS, Change
from .provider import PullThroughCacheRuleProvider, to_outputs

RESOURCE_TYPE = "pulumi-python:dynamic/ecr:PullThroughCacheRule"


def resource_name(prefix: str) -> str:
    """Return the Pulumi resource name for a rule: its prefix, made URN-safe."""
    if prefix == "ROOT":
        return "root"
    return prefix.rstrip("/").replace("/", "-")


def variable_name(name: str) -> str:
    identifier = re.sub(r"\W", "_", name)
    if identifier[0].isdigit() or keyword.iskeyword(identifier):
        identifier = f"rule_{identifier}"
    return identifier


def rule_inputs(rule: dict[str, Any], region: str) -> dict[str, Any]:
    """Return the program arguments that match a rule as AWS describes it."""
    outputs = to_outputs(rule, {"region": region})
    inputs: dict[str, Any] = {}
    for field in FIELDS:
        if field.change is Change.SETTING:
            continue
        value = outputs.get(field.name)
        if value is not None and not (
            field.name == "upstream_repository_prefix" and value == field.default
        ):
            inputs[field.name] = value
    return inputs


def import_entries(
    rule: dict[str, Any], region: str, name: str, component_urn: str | None = None
) -> list[dict[str, Any]]:
    """Return the import-file entries for one rule: the component and its child.

    With `component_urn`, the child goes under that existing component, which
    a failed `pulumi up` may have left in the stack without its rule. The
    import file's name table then maps `<name>-component` to that URN.
    """
    prefix = rule["ecrRepositoryPrefix"]
    provider = serialize_provider(PullThroughCacheRuleProvider())
    inputs = {**rule_inputs(rule, region), "__provider": provider}
    outputs = {**to_outputs(rule, {"region": region}), "__provider": provider}
    outputs = {key: value for key, value in outputs.items() if value is not None}
    child = {
        "type": RESOURCE_TYPE,
        "name": f"{name}-rule",
        "logicalName": name,
        "id": prefix,
        "parent": f"{name}-component",
        "inputs": inputs,
        "outputs": outputs,
    }
    if component_urn is not None:
        return [child]
    component = {
        "type": COMPONENT_TYPE,
        "name": f"{name}-component",
        "logicalName": name,
        "component": True,
    }
    return [component, child]


def program_code(planned: Sequence[Planned], region: str) -> str:
    """Return the Python code that declares the imported rules."""
    lines = ["from ptc_provider import PullThroughCacheRule", ""]
    variables: set[str] = set()
    for name, rule, _ in planned:
        variable = base = variable_name(name)
        suffix = 2
        while variable in variables:
            variable, suffix = f"{base}_{suffix}", suffix + 1
        variables.add(variable)
        lines.append(f"{variable} = PullThroughCacheRule(")
        lines.append(f"    {name!r},")
        for key, value in rule_inputs(rule, region).items():
            lines.append(f"    {key}={value!r},")
        lines.append(")")
    return "\n".join(lines) + "\n"


def stack_region(args: argparse.Namespace) -> str | None:
    """Return --region, else the stack's aws:region, else the AWS environment."""
    if args.region:
        return str(args.region)
    command = ["pulumi", "config", "get", "aws:region", *stack_args(args)]
    result = subprocess.run(
        command, cwd=args.cwd, capture_output=True, text=True, check=False
    )
    if result.returncode == 0 and result.stdout.strip():
        return result.stdout.strip()
    return aws.environment_region(args.profile)


def stack_args(args: argparse.Namespace) -> list[str]:
    return ["--stack", args.stack] if args.stack else []


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m ptc_provider.importer",
        description=(
            "Import existing ECR pull-through cache rules into the selected "
            "Pulumi stack and print the code to add to the program."
        ),
    )
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--prefix", help="ECR repository prefix of the rule to import")
    which.add_argument(
        "--all", action="store_true", help="import every rule in the registry"
    )
    parser.add_argument(
        "--name", help="resource name for --prefix (default: the prefix, URN-safe)"
    )
    parser.add_argument("--region", help="AWS Region (default: aws:region config)")
    parser.add_argument("--profile", help="AWS profile (default: the environment)")
    parser.add_argument("--stack", help="stack to import into (default: selected)")
    parser.add_argument(
        "--cwd", default=".", help="directory of the Pulumi project (default: .)"
    )
    parser.add_argument(
        "--print-file",
        action="store_true",
        help="print the import file instead of running pulumi import",
    )
    return parser.parse_args(argv)


def describe(args: argparse.Namespace, region: str) -> list[dict[str, Any]]:
    client = aws.make_client(region, args.profile)
    if args.all:
        return list(aws.list_rules(client))
    return [aws.require_rule(client, args.prefix, region)]


def run_import(args: argparse.Namespace, import_file: dict[str, Any]) -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "import.json"
        path.write_text(json.dumps(import_file, indent=2))
        command = [
            "pulumi", "import", "--file", str(path), "--yes",
            "--generate-code=false", "--protect=false", "--non-interactive",
            *stack_args(args),
        ]  # fmt: skip
        return subprocess.run(command, cwd=args.cwd, check=False).returncode


@dataclasses.dataclass
class StackState:
    """The stack's rules, resource names and components, as importing needs them."""

    managed: dict[tuple[str, str | None], str]
    """URN of each managed rule, by (prefix, Region)."""

    names: set[str]
    """Resource names in use."""

    childless: dict[str, str]
    """URN of each component that has no rule under it, by name."""


def stack_state(args: argparse.Namespace) -> StackState:
    """Read the stack's rules, resource names and childless components."""
    command = ["pulumi", "stack", "export", *stack_args(args)]
    result = subprocess.run(
        command, cwd=args.cwd, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise PtcProviderError(f"reading the stack failed: {result.stderr.strip()}")

    resources = json.loads(result.stdout)["deployment"].get("resources") or []
    rules = [r for r in resources if r["type"] == RESOURCE_TYPE]
    parents = {r.get("parent") for r in rules}
    return StackState(
        managed={
            (r["id"], (r.get("outputs") or {}).get("region")): r["urn"] for r in rules
        },
        names={r["urn"].rsplit("::", 1)[-1] for r in resources},
        childless={
            r["urn"].rsplit("::", 1)[-1]: r["urn"]
            for r in resources
            if r["type"] == COMPONENT_TYPE and r["urn"] not in parents
        },
    )


Planned = tuple[str, dict[str, Any], "str | None"]
"""A rule to import: its resource name, the rule, and an existing component."""


def plan_names(
    rules: Sequence[dict[str, Any]], args: argparse.Namespace, region: str
) -> list[Planned]:
    """Pair each rule the stack does not manage yet with a resource name.

    A component that a failed `pulumi up` left without its rule is reused, so
    the program's own resource and the imported one are the same.
    """
    state = stack_state(args)
    planned: list[Planned] = []
    for rule in rules:
        prefix = rule["ecrRepositoryPrefix"]
        owner = state.managed.get((prefix, region))
        if owner is not None and not args.all:
            raise PtcProviderError(f"the stack already manages {prefix!r} as {owner}")
        if owner is not None:
            print(f"skipping {prefix!r}: already managed", file=sys.stderr)
            continue

        base = args.name or resource_name(prefix)
        component = state.childless.pop(base, None)
        name, suffix = base, 2
        while component is None and name in state.names:
            name, suffix = f"{base}-{suffix}", suffix + 1
        state.names.add(name)
        planned.append((name, rule, component))
    return planned


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit code."""
    args = parse_args(argv)
    try:
        region = stack_region(args)
        if region is None:
            raise PtcProviderError(
                "missing region: pass --region, set aws:region, or set AWS_REGION"
            )
        planned = plan_names(describe(args, region), args, region)
        entries = [
            entry
            for name, rule, component in planned
            for entry in import_entries(rule, region, name, component)
        ]
        name_table = {
            f"{name}-component": component
            for name, _, component in planned
            if component is not None
        }
        import_file = {"nameTable": name_table, "resources": entries}
        if args.print_file:
            print(json.dumps(import_file, indent=2))
            return 0
        if not planned:
            print("no pull-through cache rules to import", file=sys.stderr)
            return 0
        status = run_import(args, import_file)
    except (PtcProviderError, BotoCoreError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except OSError as err:
        print(f"error: running pulumi failed: {err}", file=sys.stderr)
        return 1

    if status != 0:
        print("error: pulumi import failed; the stack is unchanged", file=sys.stderr)
        return status
    print("\nAdd this to the program so the next preview shows no changes:\n")
    print(program_code(planned, region))
    return 0


if __name__ == "__main__":
    sys.exit(main())
