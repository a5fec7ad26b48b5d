"""Bring the existing ECR pull-through cache rule ecr-public under this stack."""

# The arguments must match the rule as it exists in AWS, because AWS cannot
# change a rule's prefixes, upstream URL or Region in place. If one of them
# differs, the import fails and leaves the rule untouched. credential_arn and
# custom_role_arn are the exception: when they differ, the import updates the
# rule to the program's values. To see the existing rule's arguments, run
#
#   aws ecr describe-pull-through-cache-rules --ecr-repository-prefixes ecr-public
#
# Instead of the import_ option, `python -m ptc_provider.importer --prefix
# ecr-public` imports the rule and prints the code to add to the program.

import pulumi

from ptc_provider import PullThroughCacheRule

rule = PullThroughCacheRule(
    "ecr-public",
    ecr_repository_prefix="ecr-public",
    upstream_registry_url="public.ecr.aws",
    # Remove this option after the first `pulumi up`, which puts the rule in
    # the stack's state. While the option is set, a `pulumi up` that has to
    # recreate the rule, because someone deleted it outside Pulumi, fails:
    # there is nothing to import. `pulumi destroy` deletes the rule either way.
    opts=pulumi.ResourceOptions(import_="ecr-public"),
)

pulumi.export("created_at", rule.created_at)
pulumi.export("image_uri_prefix", rule.image_uri_prefix)
pulumi.export("registry_id", rule.registry_id)
