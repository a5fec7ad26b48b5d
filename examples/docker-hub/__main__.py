"""Cache Docker Hub images in this account's ECR under the prefix docker-hub."""

# Docker Hub requires a login. Set it before the first deployment:
#
#   pulumi config set dockerHubUsername <user name>
#   pulumi config set --secret dockerHubToken <personal access token>
#
# The component stores both in a new Secrets Manager secret whose name starts
# with "ecr-pullthroughcache/", as ECR requires, and gives the rule its ARN.
# The token stays a Pulumi secret, so the stack's state stores it only in
# encrypted form.

import pulumi

from ptc_provider import PullThroughCacheRule, UpstreamCredentials

config = pulumi.Config()

rule = PullThroughCacheRule(
    "docker-hub",
    ecr_repository_prefix="docker-hub",
    upstream_registry_url="registry-1.docker.io",
    upstream_credentials=UpstreamCredentials(
        username=config.require("dockerHubUsername"),
        access_token=config.require_secret("dockerHubToken"),
    ),
)

# Official images live under "library": pull <image_uri_prefix>/library/nginx
# instead of nginx.
pulumi.export("image_uri_prefix", rule.image_uri_prefix)
pulumi.export("credential_arn", rule.credential_arn)
pulumi.export("registry_id", rule.registry_id)
