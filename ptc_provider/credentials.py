"""Upstream credentials kept in a Secrets Manager secret that the component owns.

Instead of the ARN of an existing secret, a program may pass the upstream
registry's username and access token. The component then creates the secret
with pulumi-aws, as its child, and gives the rule that secret's ARN. The token
is a Pulumi secret throughout, so state stores it only encrypted.
"""

from __future__ import annotations

import dataclasses
import re

import pulumi

SECRET_NAME_PREFIX = "ecr-pullthroughcache/"


@dataclasses.dataclass
class UpstreamCredentials:
    """Username and access token for an upstream registry that needs them."""

    username: pulumi.Input[str]
    access_token: pulumi.Input[str]
    """The token or password; the component marks it as a Pulumi secret."""

    def __repr__(self) -> str:
        return f"UpstreamCredentials(username={self.username!r}, access_token=***)"


def create_credential_secret(
    name: str,
    credentials: UpstreamCredentials,
    region: pulumi.Input[str] | None,
    parent: pulumi.Resource,
) -> pulumi.Output[str]:
    """Create the secret and its value; return the secret's ARN once both exist."""
    import pulumi_aws as aws  # imported here so that plain programs skip it

    opts = pulumi.ResourceOptions(parent=parent)
    if region is not None:
        # The secret must be in the rule's Region, which may not be the
        # default provider's.
        provider = aws.Provider(f"{name}-aws", region=region, opts=opts)
        opts = pulumi.ResourceOptions(parent=parent, provider=provider)

    secret = aws.secretsmanager.Secret(
        f"{name}-credential",
        name_prefix=f"{SECRET_NAME_PREFIX}{_secret_name_part(name)}-",
        description=f"Upstream registry credentials of pull-through cache rule {name}",
        opts=opts,
    )
    # The token is a secret, so the JSON that contains it is a secret too.
    body = pulumi.Output.json_dumps(
        {
            "username": credentials.username,
            "accessToken": pulumi.Output.secret(credentials.access_token),
        }
    )
    version = aws.secretsmanager.SecretVersion(
        f"{name}-credential",
        secret_id=secret.id,
        secret_string=body,
        opts=opts,
    )
    return pulumi.Output.all(secret.arn, version.version_id).apply(
        lambda values: str(values[0])
    )


def _secret_name_part(name: str) -> str:
    # Secrets Manager names allow letters, digits and /_+=.@-
    return re.sub(r"[^A-Za-z0-9/_+=.@-]", "-", name)
