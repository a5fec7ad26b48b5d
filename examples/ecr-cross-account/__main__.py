"""Cache one repository prefix of a private ECR registry in another AWS account."""

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
upstream_prefix = config.get("upstreamRepositoryPrefix") or "shared"

# Pulling <image_uri_prefix>/app pulls <upstream_prefix>/app from the upstream
# registry and caches it here as partner-shared/app.
rule = PullThroughCacheRule(
    "partner-shared",
    ecr_repository_prefix="partner-shared",
    upstream_registry_url=(
        f"{upstream_account_id}.dkr.ecr.{upstream_region}.amazonaws.com"
    ),
    upstream_repository_prefix=upstream_prefix,
    custom_role_arn=config.require("customRoleArn"),
    region=region,
)

pulumi.export("image_uri_prefix", rule.image_uri_prefix)
pulumi.export("upstream_registry_url", rule.upstream_registry_url)
pulumi.export("upstream_repository_prefix", rule.upstream_repository_prefix)
pulumi.export("registry_id", rule.registry_id)
