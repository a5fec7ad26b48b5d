"""Checks that run before moto parses a pull-through cache rule request.

moto decodes the body and reads the Region and account before it calls an
operation's handler, and it fails with HTTP 500 on some inputs. ``wrap_dispatch``
wraps ECRResponse's ``_dispatch`` so that those inputs get AWS errors instead.
The server also runs ``AuthorizationCheck`` in front of moto's router, which
picks the service from the Authorization header.
"""

from __future__ import annotations

import gzip
import logging
import zlib
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from ptc_provider.emulator import policies
from ptc_provider.emulator.exceptions import (
    PullThroughCacheError,
    ServerException,
    UnknownOperationException,
    shorten,
)
from ptc_provider.emulator.responses import error_response

RawResponse = tuple[int, dict[str, Any], str]
StartResponse = Callable[..., Any]

OPERATION_NAMES = frozenset(
    {
        "CreatePullThroughCacheRule",
        "DescribePullThroughCacheRules",
        "UpdatePullThroughCacheRule",
        "DeletePullThroughCacheRule",
        "ValidatePullThroughCacheRule",
    }
)
_OPERATION_BY_LOWER_NAME = {name.lower(): name for name in OPERATION_NAMES}

SIGNING_SERVICE = "ecr"
"""Service name that ECR requests carry in their SigV4 credential scope."""

WRAPPED_MARKER = "ptc_provider_checks_encoding"
"""Attribute set on the dispatch function that ``wrap_dispatch`` returns."""

logger = logging.getLogger(__name__)


def find_operation(target: str) -> str | None:
    """Return the rule operation that an X-Amz-Target value names, or None.

    The operation name after the last "." is matched in any letter case, so
    that a wrongly cased name gets an AWS error rather than moto's HTTP 500.
    """
    name = target.rpartition(".")[2]
    return _OPERATION_BY_LOWER_NAME.get(name.lower())


def raw_error_response(error: PullThroughCacheError) -> RawResponse:
    """Build the (status, headers, body) response of an emulator error."""
    body, headers = error_response(error)
    return int(headers.pop("status")), headers, body


def check_operation_name(target: str, operation: str) -> None:
    """Raise UnknownOperationException unless the target spells ``operation``."""
    name = target.rpartition(".")[2]
    if name != operation:
        raise UnknownOperationException(
            f"The operation {shorten(name)} does not exist. Operation names are "
            f"case-sensitive: use {operation}."
        )


def check_body(request: Any, response: Any) -> None:
    """Raise the serialization error for a body that moto cannot decode.

    A gzip body is decompressed here, as moto would do it, and the
    decompression of ``response``, the ECRResponse instance, is turned off.
    """
    if request.content_encoding == "gzip":
        request.stream = gzip.GzipFile(fileobj=request.stream)
        response.allow_request_decompression = False

    try:
        data = request.get_data()
    except (OSError, EOFError, zlib.error) as err:
        raise policies.TYPE_ERROR(
            f"The request body is not valid gzip data ({err}), but "
            "Content-Encoding is gzip. Compress the body with gzip, or leave out "
            "the header."
        ) from err

    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise policies.TYPE_ERROR(
            "The request body is not valid UTF-8. Send a JSON object in UTF-8."
        ) from err


def wrap_dispatch(original: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap ECRResponse's ``_dispatch`` so that rule requests are checked first.

    In the server, any other exception that a rule request raises is logged
    and becomes a JSON ServerException with HTTP 500, because moto's server
    would return an HTML page. In process the exception propagates.
    """

    def dispatch(
        self: Any, request: Any, full_url: str | None = None, headers: Any = None
    ) -> Any:
        target = str(request.headers.get("X-Amz-Target", ""))
        operation = find_operation(target)
        if operation is None:
            return original(self, request, full_url, headers)

        try:
            check_operation_name(target, operation)
            check_body(request, self)
            return original(self, request, full_url, headers)
        except PullThroughCacheError as error:
            logger.info("%s rejected before parsing: %s", operation, error)
            return raw_error_response(error)
        except Exception as err:
            if not getattr(request, "from_wsgi_server", False):
                raise

            logger.exception("%s failed with an unexpected error", operation)
            failure = ServerException(
                f"The emulator failed to handle {operation}: "
                f"{type(err).__name__}: {shorten(str(err))}. The server log has "
                "the traceback."
            )
            return raw_error_response(failure)

    setattr(dispatch, WRAPPED_MARKER, True)
    return dispatch


def check_authorization(header: str | None) -> None:
    """Raise unless ``header`` is a SigV4 Authorization header scoped to ECR.

    Only the form of the credential scope is checked, never the signature.
    """
    if not header:
        raise policies.MISSING_AUTHORIZATION_ERROR(
            "The request has no Authorization header. Sign it with AWS Signature "
            "Version 4 (any AWS SDK does), using any credentials."
        )

    fields = header.split(",")[0].split()
    credential = fields[1] if len(fields) > 1 else ""
    scope = credential.removeprefix("Credential=").split("/")
    if not credential.startswith("Credential=") or len(scope) != 5:
        raise policies.MALFORMED_AUTHORIZATION_ERROR(
            "The Authorization header has no credential scope of the form "
            "Credential=<access key>/<date>/<Region>/ecr/aws4_request. Sign the "
            "request with AWS Signature Version 4."
        )

    if not scope[2]:
        raise policies.MALFORMED_AUTHORIZATION_ERROR(
            "The credential scope of the Authorization header names no Region. "
            "Sign the request for the Region of the registry, such as us-east-1."
        )

    service = scope[3]
    if service != SIGNING_SERVICE:
        raise policies.WRONG_SERVICE_ERROR(
            f"The request is signed for the service '{shorten(service)}'. Sign "
            f"it for the service '{SIGNING_SERVICE}'."
        )


class AuthorizationCheck:
    """WSGI middleware that rejects rule requests moto's router cannot route.

    moto's server picks the service from the Authorization header. Without a
    credential scope it sends a rule request to S3, or fails with HTTP 500, so
    such requests get an AWS error here instead. Other requests pass through.
    """

    def __init__(self, application: Callable[..., Iterable[bytes]]) -> None:
        self.application = application

    def __call__(
        self, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        """Serve one WSGI request."""
        operation = find_operation(str(environ.get("HTTP_X_AMZ_TARGET", "")))
        if operation is None:
            return self.application(environ, start_response)

        try:
            check_authorization(environ.get("HTTP_AUTHORIZATION"))
        except PullThroughCacheError as error:
            logger.info("%s rejected before routing: %s", operation, error)
            status, headers, body = raw_error_response(error)
            content = body.encode("utf-8")
            headers["Content-Length"] = str(len(content))
            start_response(
                f"{status} {HTTPStatus(status).phrase}",
                [(name, str(value)) for name, value in headers.items()],
            )
            return [content]

        return self.application(environ, start_response)
