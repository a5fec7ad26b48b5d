"""Exceptions raised by ptc-provider.

Every exception derives from :class:`PtcProviderError`, so callers can catch
the package's failures in one place. Each class carries the values it names as
attributes, for programs that handle errors rather than print them.
"""

from __future__ import annotations


class PtcProviderError(Exception):
    """Base class of every error raised by this package."""


class InvalidArgumentError(PtcProviderError, ValueError):
    """An argument has a value that AWS would reject or the package cannot use.

    Attributes:
        argument: the argument's name, as the component spells it.
        value: the rejected value.
        reason: what is wrong and what would be accepted.
    """

    def __init__(self, argument: str, value: object, reason: str) -> None:
        self.argument = argument
        self.value = value
        self.reason = reason
        super().__init__(f"invalid {argument} {value!r}: {reason}")


class UnknownArgumentError(PtcProviderError, TypeError):
    """A keyword argument that the component does not have, such as a misspelling.

    Attributes:
        argument: the unknown name, or several separated by ", ".
        accepted: every name the component accepts.
    """

    def __init__(self, argument: str, accepted: list[str]) -> None:
        self.argument = argument
        self.accepted = accepted
        hint = ", ".join(accepted)
        super().__init__(
            f"PullThroughCacheRule got unexpected arguments: {argument}; "
            f"accepted arguments are: {hint}"
        )


class RuleNotFoundError(PtcProviderError):
    """No pull-through cache rule exists with the given prefix.

    Attributes:
        prefix: the ECR repository prefix that was looked up.
        region: the AWS Region that was searched.
    """

    def __init__(self, prefix: str, region: str | None, detail: str = "") -> None:
        self.prefix = prefix
        self.region = region
        where = f" in region {region}" if region else ""
        message = f"no ECR pull-through cache rule with prefix {prefix!r}{where}"
        super().__init__(f"{message}: {detail}" if detail else message)


class AwsOperationError(PtcProviderError):
    """An AWS call failed.

    Attributes:
        action: what the package was doing, such as "creating".
        prefix: the rule's ECR repository prefix.
        code: the AWS error code, or the exception class name for a failure
            that never reached AWS (a timeout, an unreachable endpoint).
        aws_message: the message AWS returned, or the underlying error text.
    """

    def __init__(self, action: str, prefix: str, code: str, aws_message: str) -> None:
        self.action = action
        self.prefix = prefix
        self.code = code
        self.aws_message = aws_message
        super().__init__(
            f"{action} ECR pull-through cache rule ({prefix}): {code}: {aws_message}"
        )


class RuleAlreadyExistsError(AwsOperationError):
    """Create failed because a rule with the same prefix already exists."""


class ImportMismatchError(PtcProviderError):
    """An existing rule differs from the program in a field that forces replacement.

    Attributes:
        prefix: the rule's ECR repository prefix.
        differences: argument name mapped to (value in AWS, value in the program).
    """

    def __init__(
        self, prefix: str, differences: dict[str, tuple[object, object]]
    ) -> None:
        self.prefix = prefix
        self.differences = differences
        lines = [
            f"  {name}: AWS has {actual!r}, the program has {wanted!r}"
            for name, (actual, wanted) in differences.items()
        ]
        super().__init__(
            f"cannot import ECR pull-through cache rule ({prefix}) because it "
            "differs from the program in fields that AWS cannot change in place:\n"
            + "\n".join(lines)
            + "\nChange the program to match, or delete the rule and let Pulumi "
            "create it."
        )


class CredentialValidationError(PtcProviderError):
    """AWS reported that the rule cannot authenticate to its upstream registry.

    Attributes:
        prefix: the rule's ECR repository prefix.
        failure: AWS's failure text.
    """

    def __init__(self, prefix: str, failure: str) -> None:
        self.prefix = prefix
        self.failure = failure
        super().__init__(
            f"ECR pull-through cache rule ({prefix}) failed credential validation: "
            f"{failure}"
        )
