"""Cache images from registry.k8s.io, quay.io and public.ecr.aws in ECR."""

import pulumi

from ptc_provider import PullThroughCacheRule

# ECR repository prefix -> upstream registry. None of these registries needs a
# login, so no rule has a credential.
UPSTREAMS = {
    "k8s": "registry.k8s.io",
    "quay": "quay.io",
    "ecr-public": "public.ecr.aws",
}

rules = {
    prefix: PullThroughCacheRule(
        prefix,
        ecr_repository_prefix=prefix,
        upstream_registry_url=url,
    )
    for prefix, url in UPSTREAMS.items()
}

# Pull, for example, <image_uri_prefixes["k8s"]>/pause:3.10 instead of
# registry.k8s.io/pause:3.10.
pulumi.export(
    "image_uri_prefixes",
    {prefix: rule.image_uri_prefix for prefix, rule in rules.items()},
)
pulumi.export("registry_id", rules["ecr-public"].registry_id)
