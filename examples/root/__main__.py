"""Cache any repository of a private ECR registry in another account, under its name."""

# A rule with the prefix ROOT applies to every repository of this registry that
# no other rule covers: pulling <image_uri_prefix>/my-app/image pulls
# my-app/image from the upstream registry. AWS documents ROOT in its guide to
# ECR to ECR pull-through cache, and a ROOT rule takes no
# upstream_repository_prefix.
#
# Before the first deployment, set the upstream account, the role and the
# Region:
#
#   pulumi config set upstreamAccountId 444455556666
#   pulumi config set customRoleArn arn:aws:iam::<this account>:role/<name>
#   pulumi config set aws:region us-east-1
#
# The role must be in this account, trust pullthroughcache.ecr.amazonaws.com,
# and be allowed to pull from the upstream registry, whose registry policy must
# also allow this account. AWS lists the policies in "Setting up permissions for
# cross-account ECR to ECR PTC":
# https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-private.html

import pulumi

from ptc_provider import PullThroughCacheRule

config = pulumi.Config()
region = pulumi.Config("aws").require("region")
upstream_account_id = config.require("upstreamAccountId")
upstream_region = config.get("upstreamRegion") or region

rule = PullThroughCacheRule(
    "root",
    ecr_repository_prefix="ROOT",
    upstream_registry_url=(
        f"{upstream_account_id}.dkr.ecr.{upstream_region}.amazonaws.com"
    ),
    custom_role_arn=config.require("customRoleArn"),
    region=region,
)

# For ROOT this is the registry's host name, with no repository path.
pulumi.export("image_uri_prefix", rule.image_uri_prefix)
pulumi.export("upstream_registry_url", rule.upstream_registry_url)
pulumi.export("registry_id", rule.registry_id)
