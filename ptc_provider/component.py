"""The component users write in their programs: ``PullThroughCacheRule``."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any, overload

import pulumi

from .aws import environment_region
from .credentials import UpstreamCredentials, create_credential_secret
from .errors import InvalidArgumentError, UnknownArgumentError
from .fields import IMPORT_KEY, OUTPUT_NAMES
from .resource import PullThroughCacheRuleResource
from .validation import check_prefix, check_region

COMPONENT_TYPE = "ptc-provider:ecr:PullThroughCacheRule"


@dataclasses.dataclass
class PullThroughCacheRuleArgs:
    """The arguments of :class:`PullThroughCacheRule`, with Terraform's names."""

    ecr_repository_prefix: pulumi.Input[str]
    """Repository prefix in the cache registry, 2 to 30 characters, or "ROOT"."""

    upstream_registry_url: pulumi.Input[str]
    """Host name of the upstream registry, such as "public.ecr.aws"."""

    upstream_repository_prefix: pulumi.Input[str] | None = None
    """Upstream repository prefix; AWS uses "ROOT" (every repository) if omitted."""

    credential_arn: pulumi.Input[str] | None = None
    """Secrets Manager secret ARN; its name must start with "ecr-pullthroughcache/"."""

    custom_role_arn: pulumi.Input[str] | None = None
    """IAM role ARN that ECR assumes to pull from an ECR registry in another account."""

    region: pulumi.Input[str] | None = None
    """AWS Region; defaults to the stack's aws:region, then the AWS environment."""

    upstream_credentials: UpstreamCredentials | None = None
    """Username and token to store in a new secret, instead of credential_arn."""

    validate_credentials: pulumi.Input[bool] | None = None
    """Check the upstream credential with ValidatePullThroughCacheRule after writes."""


ARGUMENT_NAMES: list[str] = [
    f.name for f in dataclasses.fields(PullThroughCacheRuleArgs)
]


class PullThroughCacheRule(pulumi.ComponentResource):
    """An ECR pull-through cache rule, with the arguments of Terraform's
    ``aws_ecr_pull_through_cache_rule``.

    Pass the arguments as keywords or as a :class:`PullThroughCacheRuleArgs`.
    Every argument accepts a Pulumi ``Input``. Changing the prefixes, the
    upstream URL or the region replaces the rule (deleting the old one first);
    changing ``credential_arn`` or ``custom_role_arn`` updates it in place.

    To bring an existing rule under management, pass
    ``opts=pulumi.ResourceOptions(import_=<ecr_repository_prefix>)``.
    """

    ecr_repository_prefix: pulumi.Output[str]
    upstream_registry_url: pulumi.Output[str]
    upstream_repository_prefix: pulumi.Output[str | None]
    credential_arn: pulumi.Output[str | None]
    custom_role_arn: pulumi.Output[str | None]
    region: pulumi.Output[str]
    registry_id: pulumi.Output[str]
    """AWS account id of the registry that contains the rule."""
    upstream_registry: pulumi.Output[str]
    """Kind of upstream registry as AWS reports it, such as "docker-hub"."""
    created_at: pulumi.Output[str]
    """ISO-8601 time the rule was created."""
    updated_at: pulumi.Output[str | None]
    """ISO-8601 time of the last update, if AWS reports one."""
    image_uri_prefix: pulumi.Output[str]
    """Image URI prefix to pull through, such as
    "111122223333.dkr.ecr.us-east-1.amazonaws.com/ecr-public"."""

    rule: PullThroughCacheRuleResource
    """The child resource that stores the rule's state."""

    @overload
    def __init__(
        self,
        resource_name: str,
        args: PullThroughCacheRuleArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        *,
        ecr_repository_prefix: pulumi.Input[str],
        upstream_registry_url: pulumi.Input[str],
        upstream_repository_prefix: pulumi.Input[str] | None = None,
        credential_arn: pulumi.Input[str] | None = None,
        custom_role_arn: pulumi.Input[str] | None = None,
        region: pulumi.Input[str] | None = None,
        validate_credentials: pulumi.Input[bool] | None = None,
        upstream_credentials: UpstreamCredentials | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    def __init__(
        self,
        resource_name: str,
        args: PullThroughCacheRuleArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        props = _props_from(args, kwargs)
        opts = opts or pulumi.ResourceOptions()
        super().__init__(COMPONENT_TYPE, resource_name, None, _without_import(opts))
        self._build(resource_name, props, opts)

    def _build(
        self,
        resource_name: str,
        props: dict[str, Any],
        opts: pulumi.ResourceOptions,
        lookup_id: str | None = None,
    ) -> None:
        credentials = props.pop("upstream_credentials", None)
        explicit_region = props.get("region")
        props["region"] = explicit_region or default_region()
        if credentials is not None:
            props["credential_arn"] = self._credential_arn(
                resource_name, props, credentials, explicit_region
            )
        child_opts = pulumi.ResourceOptions(
            parent=self,
            delete_before_replace=True,
            id=lookup_id,
            retain_on_delete=opts.retain_on_delete,
            ignore_changes=opts.ignore_changes,
            custom_timeouts=opts.custom_timeouts,
        )
        if opts.import_ is not None:
            _check_import_id(opts.import_, props.get("ecr_repository_prefix"))
            props[IMPORT_KEY] = opts.import_

        self.rule = PullThroughCacheRuleResource(resource_name, props, child_opts)
        outputs = {name: getattr(self.rule, name) for name in _EXPORTED}
        for name, value in outputs.items():
            setattr(self, name, value)
        self.register_outputs(outputs)

    def _credential_arn(
        self,
        resource_name: str,
        props: dict[str, Any],
        credentials: UpstreamCredentials,
        region: pulumi.Input[str] | None,
    ) -> pulumi.Output[str]:
        # Check the type first: repr of anything but UpstreamCredentials could
        # print the token.
        if not isinstance(credentials, UpstreamCredentials):
            raise InvalidArgumentError(
                "upstream_credentials",
                type(credentials).__name__,
                "must be an UpstreamCredentials(username=..., access_token=...)",
            )
        if props.get("credential_arn") is not None:
            raise InvalidArgumentError(
                "upstream_credentials",
                credentials,
                "pass either credential_arn or upstream_credentials, not both",
            )
        return create_credential_secret(resource_name, credentials, region, self)

    @classmethod
    def get(
        cls,
        resource_name: str,
        ecr_repository_prefix: str,
        region: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> PullThroughCacheRule:
        """Look up an existing rule by its prefix without managing it.

        Every output is filled from AWS. Destroying the stack leaves the rule
        in place. A prefix with no rule fails the deployment.
        """
        prefix_reason = check_prefix(ecr_repository_prefix)
        if prefix_reason is not None:
            raise InvalidArgumentError(
                "ecr_repository_prefix", ecr_repository_prefix, prefix_reason
            )
        region_reason = None if region is None else check_region(region)
        if region_reason is not None:
            raise InvalidArgumentError("region", region, region_reason)

        component = cls.__new__(cls)
        pulumi.ComponentResource.__init__(
            component, COMPONENT_TYPE, resource_name, None, opts
        )
        props = {"ecr_repository_prefix": ecr_repository_prefix, "region": region}
        component._build(
            resource_name,
            props,
            pulumi.ResourceOptions(),
            lookup_id=ecr_repository_prefix,
        )
        return component


# Every argument but the package-only ones is also an output.
_EXPORTED = (
    *(
        n
        for n in ARGUMENT_NAMES
        if n not in ("validate_credentials", "upstream_credentials")
    ),
    *OUTPUT_NAMES,
)


def _props_from(
    args: PullThroughCacheRuleArgs | None, kwargs: dict[str, Any]
) -> dict[str, Any]:
    unknown = sorted(set(kwargs) - set(ARGUMENT_NAMES))
    if unknown:
        raise UnknownArgumentError(", ".join(unknown), [*ARGUMENT_NAMES, "opts"])
    if args is not None and kwargs:
        raise TypeError(
            "PullThroughCacheRule takes either a PullThroughCacheRuleArgs or "
            f"keyword arguments, not both (got args and {sorted(kwargs)})"
        )
    if args is not None and not isinstance(args, PullThroughCacheRuleArgs):
        raise TypeError(
            "PullThroughCacheRule's second argument must be a "
            f"PullThroughCacheRuleArgs, not {type(args).__name__}"
        )
    if args is not None:
        values = {f.name: getattr(args, f.name) for f in dataclasses.fields(args)}
    else:
        values = dict(kwargs)
    return {name: value for name, value in values.items() if value is not None}


def _without_import(opts: pulumi.ResourceOptions) -> pulumi.ResourceOptions:
    # A component has no state to import; the child adopts the rule instead.
    own = copy.copy(opts)
    own.import_ = None
    return own


def _check_import_id(import_id: Any, prefix: Any) -> None:
    if isinstance(prefix, str) and import_id != prefix:
        raise InvalidArgumentError(
            "opts.import_",
            import_id,
            "a rule's id is its prefix, so import_ must equal "
            f"ecr_repository_prefix ({prefix!r})",
        )


def default_region() -> str | None:
    """Return the Region from aws:region config, else from the AWS environment."""
    aws_config = pulumi.Config("aws")
    return aws_config.get("region") or environment_region(aws_config.get("profile"))
