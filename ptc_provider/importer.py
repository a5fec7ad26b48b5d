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
    rule: dict[str, Any], region: str, name: str
) -> list[dict[str, Any]]:
    """Return the import-file entries for one rule: the component and its child."""
    prefix = rule["ecrRepositoryPrefix"]
    provider = serialize_provider(PullThroughCacheRuleProvider())
    inputs = {**rule_inputs(rule, region), "__provider": provider}
    outputs = {**to_outputs(rule, {"region": region}), "__provider": provider}
    outputs = {key: value for key, value in outputs.items() if value is not None}
    return [
        {
            "type": COMPONENT_TYPE,
            "name": f"{name}-component",
            "logicalName": name,
            "component": True,
        },
        {
            "type": RESOURCE_TYPE,
            "name": f"{name}-rule",
            "logicalName": name,
            "id": prefix,
            "parent": f"{name}-component",
            "inputs": inputs,
            "outputs": outputs,
        },
    ]


def program_code(planned: Sequence[tuple[str, dict[str, Any]]], region: str) -> str:
    """Return the Python code that declares the imported rules."""
    lines = ["from ptc_provider import PullThroughCacheRule", ""]
    for name, rule in planned:
        lines.append(f"{variable_name(name)} = PullThroughCacheRule(")
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


def run_import(args: argparse.Namespace, entries: list[dict[str, Any]]) -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "import.json"
        path.write_text(json.dumps({"resources": entries}, indent=2))
        command = [
            "pulumi", "import", "--file", str(path), "--yes",
            "--generate-code=false", "--protect=false", "--non-interactive",
            *stack_args(args),
        ]  # fmt: skip
        return subprocess.run(command, cwd=args.cwd, check=False).returncode


def stack_state(args: argparse.Namespace) -> tuple[dict[str, str], set[str]]:
    """Return the prefixes the stack manages (mapped to their URN) and the
    resource names it uses."""
    command = ["pulumi", "stack", "export", *stack_args(args)]
    result = subprocess.run(
        command, cwd=args.cwd, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise PtcProviderError(f"reading the stack failed: {result.stderr.strip()}")

    resources = json.loads(result.stdout)["deployment"].get("resources") or []
    managed = {r["id"]: r["urn"] for r in resources if r["type"] == RESOURCE_TYPE}
    names = {r["urn"].rsplit("::", 1)[-1] for r in resources}
    return managed, names


def plan_names(
    rules: Sequence[dict[str, Any]], args: argparse.Namespace
) -> list[tuple[str, dict[str, Any]]]:
    """Pair each rule the stack does not manage yet with a free resource name."""
    managed, used = stack_state(args)
    planned: list[tuple[str, dict[str, Any]]] = []
    for rule in rules:
        prefix = rule["ecrRepositoryPrefix"]
        if prefix in managed:
            if not args.all:
                raise PtcProviderError(
                    f"the stack already manages {prefix!r} as {managed[prefix]}"
                )
            print(f"skipping {prefix!r}: already managed", file=sys.stderr)
            continue

        base = args.name or resource_name(prefix)
        name, suffix = base, 2
        while name in used:
            name, suffix = f"{base}-{suffix}", suffix + 1
        used.add(name)
        planned.append((name, rule))
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
        planned = plan_names(describe(args, region), args)
        entries = [
            e for name, rule in planned for e in import_entries(rule, region, name)
        ]
        if args.print_file:
            print(json.dumps({"resources": entries}, indent=2))
            return 0
        if not planned:
            print("no pull-through cache rules to import", file=sys.stderr)
            return 0
        status = run_import(args, entries)
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
