"""The dynamic resource that carries the provider and declares its outputs."""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.dynamic import Resource

from .fields import INPUT_NAMES, OUTPUT_NAMES
from .provider import PullThroughCacheRuleProvider


class PullThroughCacheRuleResource(Resource, module="ecr", name="PullThroughCacheRule"):
    """One ECR pull-through cache rule, as a resource of the engine.

    Its type is ``pulumi-python:dynamic/ecr:PullThroughCacheRule``. Programs
    normally use the :class:`~ptc_provider.PullThroughCacheRule` component,
    which creates this resource as its child.
    """

    ecr_repository_prefix: pulumi.Output[str]
    upstream_registry_url: pulumi.Output[str]
    upstream_repository_prefix: pulumi.Output[str | None]
    credential_arn: pulumi.Output[str | None]
    custom_role_arn: pulumi.Output[str | None]
    region: pulumi.Output[str]
    validate_credentials: pulumi.Output[bool | None]
    registry_id: pulumi.Output[str]
    upstream_registry: pulumi.Output[str]
    created_at: pulumi.Output[str]
    updated_at: pulumi.Output[str | None]
    image_uri_prefix: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        props: dict[str, Any],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        # Only keys present in the props become attributes, so every output
        # is declared here; None values are not sent to the engine.
        declared: dict[str, Any] = dict.fromkeys((*INPUT_NAMES, *OUTPUT_NAMES))
        declared.update(props)
        super().__init__(PullThroughCacheRuleProvider(), name, declared, opts)
