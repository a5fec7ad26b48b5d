"""Cache public.ecr.aws images in this account's ECR under the prefix ecr-public."""

import pulumi

from ptc_provider import PullThroughCacheRule

rule = PullThroughCacheRule(
    "ecr-public",
    ecr_repository_prefix="ecr-public",
    upstream_registry_url="public.ecr.aws",
)

pulumi.export("ecr_repository_prefix", rule.ecr_repository_prefix)
pulumi.export("registry_id", rule.registry_id)
pulumi.export("upstream_registry", rule.upstream_registry)
pulumi.export("image_uri_prefix", rule.image_uri_prefix)
