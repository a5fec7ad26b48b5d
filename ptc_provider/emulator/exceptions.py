# ruff: noqa: N818  (class names are the AWS error codes, which end in Exception)
"""AWS error types returned by the emulated pull-through cache rule operations.

Each class is named after the AWS error code it produces. The request handlers
turn an instance into an HTTP response with the body
``{"__type": code, "message": message}``.
"""

from __future__ import annotations

MAX_ECHOED_LENGTH = 100
"""Maximum number of characters of a request value that an error message repeats."""


def shorten(value: str) -> str:
    """Return ``value`` for use in a message, cut to MAX_ECHOED_LENGTH characters.

    A cut value ends in "..." followed by its full length, so a 1 MB string in a
    request does not come back whole in the error.
    """
    if len(value) <= MAX_ECHOED_LENGTH:
        return value

    return f"{value[:MAX_ECHOED_LENGTH]}... ({len(value)} characters)"


class PullThroughCacheError(Exception):
    """Base class of the emulator's AWS errors.

    Attributes:
        code: the AWS error code, sent as ``__type``.
        message: the text sent as ``message``.
        status: the HTTP status code of the response.
    """

    code = "ServerException"
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class InvalidParameterException(PullThroughCacheError):
    """A parameter is missing or fails a length, range or pattern constraint."""

    code = "InvalidParameterException"


class ValidationException(PullThroughCacheError):
    """A request that AWS rejects with the generic validation error code."""

    code = "ValidationException"


class SerializationException(PullThroughCacheError):
    """The request body is not JSON, or a member has the wrong JSON type."""

    code = "SerializationException"


class PullThroughCacheRuleAlreadyExistsException(PullThroughCacheError):
    """A rule with the same ECR repository prefix exists in the registry."""

    code = "PullThroughCacheRuleAlreadyExistsException"


class PullThroughCacheRuleNotFoundException(PullThroughCacheError):
    """No rule with the requested ECR repository prefix exists in the registry."""

    code = "PullThroughCacheRuleNotFoundException"


class UnsupportedUpstreamRegistryException(PullThroughCacheError):
    """The upstream registry URL is not supported, or it needs a credential."""

    code = "UnsupportedUpstreamRegistryException"


class LimitExceededException(PullThroughCacheError):
    """The registry already contains the maximum number of rules."""

    code = "LimitExceededException"


class SecretNotFoundException(PullThroughCacheError):
    """The Secrets Manager secret named by ``credentialArn`` does not exist."""

    code = "SecretNotFoundException"


class InvalidSignatureException(PullThroughCacheError):
    """The request is signed for a Region or service that cannot serve it."""

    code = "InvalidSignatureException"


class IncompleteSignatureException(PullThroughCacheError):
    """The Authorization header is not a complete AWS Signature Version 4."""

    code = "IncompleteSignatureException"


class MissingAuthenticationTokenException(PullThroughCacheError):
    """The request has no Authorization header."""

    code = "MissingAuthenticationTokenException"
    status = 403


class UnknownOperationException(PullThroughCacheError):
    """X-Amz-Target names no operation of the service."""

    code = "UnknownOperationException"


class ThrottlingException(PullThroughCacheError):
    """The request was throttled (raised only by fault injection)."""

    code = "ThrottlingException"


class ServerException(PullThroughCacheError):
    """An internal server failure, sent with HTTP status 500."""

    code = "ServerException"
    status = 500
