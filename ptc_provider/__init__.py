"""Pulumi component and dynamic provider for AWS ECR pull-through cache rules.

Use :class:`PullThroughCacheRule` in a Pulumi Python program::

    from ptc_provider import PullThroughCacheRule

    rule = PullThroughCacheRule(
        "ecr-public",
        ecr_repository_prefix="ecr-public",
        upstream_registry_url="public.ecr.aws",
    )
"""

from .component import PullThroughCacheRule, PullThroughCacheRuleArgs
from .credentials import UpstreamCredentials
from .errors import (
    AwsOperationError,
    CredentialValidationError,
    ImportMismatchError,
    InvalidArgumentError,
    PtcProviderError,
    RuleAlreadyExistsError,
    RuleNotFoundError,
    UnknownArgumentError,
)
from .provider import PullThroughCacheRuleProvider
from .resource import PullThroughCacheRuleResource

__version__ = "0.1.0"

__all__ = [
    "AwsOperationError",
    "CredentialValidationError",
    "ImportMismatchError",
    "InvalidArgumentError",
    "PtcProviderError",
    "PullThroughCacheRule",
    "PullThroughCacheRuleArgs",
    "PullThroughCacheRuleProvider",
    "PullThroughCacheRuleResource",
    "RuleAlreadyExistsError",
    "RuleNotFoundError",
    "UnknownArgumentError",
    "UpstreamCredentials",
]
