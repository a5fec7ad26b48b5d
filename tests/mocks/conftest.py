"""Shared fixtures of the mocks tier: Pulumi's mocks in place of an engine."""

from __future__ import annotations

from typing import Any

import pulumi

SECRET_TYPE = "aws:secretsmanager/secret:Secret"
VERSION_TYPE = "aws:secretsmanager/secretVersion:SecretVersion"
SECRET_SUFFIX = "AbCdEf"
"""Random suffix that Secrets Manager appends to a secret's name, as mocked."""


class RecordingMocks(pulumi.runtime.Mocks):
    """Mocks that record every resource the program registers."""

    def __init__(self) -> None:
        self.resources: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(
        self, args: pulumi.runtime.MockResourceArgs
    ) -> tuple[str, dict[str, Any]]:
        self.resources.append(args)
        outputs = dict(args.inputs)
        if args.typ == SECRET_TYPE:
            outputs["arn"] = (
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:"
                f"{args.inputs['namePrefix']}{SECRET_SUFFIX}"
            )
        if args.typ == VERSION_TYPE:
            outputs["versionId"] = "v1"
        return f"{args.name}-id", outputs

    def call(
        self, args: pulumi.runtime.MockCallArgs
    ) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None

    def of_type(self, typ: str) -> list[pulumi.runtime.MockResourceArgs]:
        return [r for r in self.resources if r.typ == typ]
