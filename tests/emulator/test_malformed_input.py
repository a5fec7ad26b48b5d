"""Malformed and oversized requests to the pull-through cache rule operations.

Each case must get a JSON AWS error, never moto's HTML page with HTTP 500.
Tests with the ``transport`` fixture run in process and against the server.
The others send raw HTTP to the session's server, for input that botocore
cannot produce, or call the server's WSGI application in process.
"""

from __future__ import annotations

import gzip
import http.client
import json
import urllib.parse
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from moto import mock_aws
from werkzeug.test import Client

from ptc_provider.emulator import server as emulator_server
from ptc_provider.emulator import validation

# The transport and unchecked_ecr fixtures come from conftest.py beside this file.
Transport = Any

TARGET_PREFIX = "AmazonEC2ContainerRegistry_V20150921."
SIGNED_FOR_US_EAST_1 = (
    "AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/ecr/aws4_request, "
    "SignedHeaders=host, Signature=0000"
)
MAX_MESSAGE_LENGTH = 400
"""Generous bound on a message that repeats at most 100 characters of a value."""

RULE_CALLS: list[tuple[str, dict[str, Any]]] = [
    (
        "create_pull_through_cache_rule",
        {"ecrRepositoryPrefix": "quay", "upstreamRegistryUrl": "quay.io"},
    ),
    ("describe_pull_through_cache_rules", {}),
    (
        "update_pull_through_cache_rule",
        {"ecrRepositoryPrefix": "quay", "customRoleArn": "arn"},
    ),
    ("delete_pull_through_cache_rule", {"ecrRepositoryPrefix": "quay"}),
    ("validate_pull_through_cache_rule", {"ecrRepositoryPrefix": "quay"}),
]
"""One call of each rule operation, as boto3 method name and arguments."""


def error_of(caught: pytest.ExceptionInfo[ClientError]) -> dict[str, Any]:
    """Return the ``Error`` member of a ClientError's parsed response."""
    return dict(caught.value.response["Error"])


def status_of(caught: pytest.ExceptionInfo[ClientError]) -> int:
    """Return the HTTP status code of a ClientError's response."""
    return int(caught.value.response["ResponseMetadata"]["HTTPStatusCode"])


def change_request(client: Any, operation: str, change: Callable[[Any], None]) -> None:
    """Run ``change`` on each serialized ``operation`` request before signing."""

    def apply(request: Any, **_: Any) -> None:
        change(request)

    client.meta.events.register(f"before-sign.ecr.{operation}", apply)


def send_body(client: Any, operation: str, body: bytes) -> None:
    """Make ``client`` send ``body`` in place of the serialized request."""

    def replace(request: Any) -> None:
        request.data = body

    change_request(client, operation, replace)


def describe(client: Any) -> dict[str, Any]:
    """Call DescribePullThroughCacheRules without arguments."""
    response: dict[str, Any] = client.describe_pull_through_cache_rules()
    return response


# Region of the signature


@pytest.mark.parametrize("region", ["mars", "mars-1"])
def test_unknown_region_gets_invalid_signature(
    transport: Transport, region: str
) -> None:
    """A Region moto does not serve is a 400 that botocore does not retry."""
    retrying = Config(retries={"max_attempts": 3, "mode": "standard"})
    client = transport.client("ecr", region=region, config=retrying)

    with pytest.raises(ClientError) as caught:
        describe(client)

    assert error_of(caught)["Code"] == "InvalidSignatureException"
    assert status_of(caught) == 400
    assert f"Region '{region}'" in error_of(caught)["Message"]
    assert caught.value.response["ResponseMetadata"]["RetryAttempts"] == 0


@pytest.mark.parametrize(("method", "arguments"), RULE_CALLS)
def test_unknown_region_rejected_by_every_operation(
    transport: Transport, method: str, arguments: dict[str, Any]
) -> None:
    """All five operations check the Region of the signature."""
    client = transport.client(
        "ecr", region="mars", config=Config(parameter_validation=False)
    )

    with pytest.raises(ClientError) as caught:
        getattr(client, method)(**arguments)

    assert error_of(caught)["Code"] == "InvalidSignatureException"


def test_unknown_region_allowed_by_moto_setting(
    transport: Transport, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MOTO_ALLOW_NONEXISTENT_REGION lets the in-process emulator serve any name."""
    if transport.name != "in-process":
        pytest.skip("the setting is read by the process that serves requests")
    monkeypatch.setenv("MOTO_ALLOW_NONEXISTENT_REGION", "true")

    response = describe(transport.client("ecr", region="mars"))

    assert response["pullThroughCacheRules"] == []


# Body parsing


@pytest.mark.parametrize("sign", ["", "-"])
def test_describe_rejects_5000_digit_max_results(unchecked_ecr: Any, sign: str) -> None:
    """An integer too long for Python's int() fails the range check."""
    body = f'{{"maxResults": {sign}{"9" * 5000}}}'.encode()
    send_body(unchecked_ecr, "DescribePullThroughCacheRules", body)

    with pytest.raises(ClientError) as caught:
        describe(unchecked_ecr)

    assert error_of(caught)["Code"] == "InvalidParameterException"
    assert "'maxResults'" in error_of(caught)["Message"]
    assert "from 1 to 1000" in error_of(caught)["Message"]


def test_long_integer_in_string_member_is_type_error(unchecked_ecr: Any) -> None:
    """A 5000-digit number where a string goes is a serialization error."""
    body = f'{{"ecrRepositoryPrefix": {"9" * 5000}}}'.encode()
    send_body(unchecked_ecr, "DeletePullThroughCacheRule", body)

    with pytest.raises(ClientError) as caught:
        unchecked_ecr.delete_pull_through_cache_rule(ecrRepositoryPrefix="quay")

    assert error_of(caught)["Code"] == "SerializationException"
    assert "'ecrRepositoryPrefix'" in error_of(caught)["Message"]


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        b'{"maxResults": ' + b"[" * 5_000 + b"]" * 5_000 + b"}",
    ],
    ids=["arrays", "objects", "member"],
)
def test_deeply_nested_body_is_serialization_error(
    unchecked_ecr: Any, body: bytes
) -> None:
    """Nesting deeper than the decoder can recurse is a 400, not a crash."""
    send_body(unchecked_ecr, "DescribePullThroughCacheRules", body)

    with pytest.raises(ClientError) as caught:
        describe(unchecked_ecr)

    assert error_of(caught)["Code"] == "SerializationException"
    assert status_of(caught) == 400
    assert "nested too deeply" in error_of(caught)["Message"]


def test_null_body_must_be_json_object(unchecked_ecr: Any) -> None:
    """A JSON null body is named as null, not as a Python type."""
    send_body(unchecked_ecr, "DescribePullThroughCacheRules", b"null")

    with pytest.raises(ClientError) as caught:
        describe(unchecked_ecr)

    message = error_of(caught)["Message"]
    assert error_of(caught)["Code"] == "SerializationException"
    assert "must be a JSON object, but it is null" in message
    assert "NoneType" not in message


def test_null_list_item_is_named_null(unchecked_ecr: Any) -> None:
    """A null inside ecrRepositoryPrefixes is named as null."""
    with pytest.raises(ClientError) as caught:
        unchecked_ecr.describe_pull_through_cache_rules(ecrRepositoryPrefixes=[None])

    message = error_of(caught)["Message"]
    assert error_of(caught)["Code"] == "SerializationException"
    assert "contains null" in message
    assert "NoneType" not in message


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_json_constant_is_serialization_error(
    unchecked_ecr: Any, constant: str
) -> None:
    """NaN and Infinity, which Python's decoder accepts, are not JSON."""
    body = f'{{"maxResults": {constant}}}'.encode()
    send_body(unchecked_ecr, "DescribePullThroughCacheRules", body)

    with pytest.raises(ClientError) as caught:
        describe(unchecked_ecr)

    assert error_of(caught)["Code"] == "SerializationException"
    assert f"{constant} is not a JSON value" in error_of(caught)["Message"]


def test_gzip_body_is_decompressed(unchecked_ecr: Any) -> None:
    """A valid gzip body with Content-Encoding gzip is accepted."""
    body = json.dumps(
        {"ecrRepositoryPrefix": "quay", "upstreamRegistryUrl": "quay.io"}
    ).encode()

    def compress(request: Any) -> None:
        request.data = gzip.compress(body)
        request.headers["Content-Encoding"] = "gzip"

    change_request(unchecked_ecr, "CreatePullThroughCacheRule", compress)

    response = unchecked_ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="quay", upstreamRegistryUrl="quay.io"
    )

    assert response["ecrRepositoryPrefix"] == "quay"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not gzip", "not valid gzip data"),
        (gzip.compress(b"{}")[:-4], "not valid gzip data"),
        (gzip.compress(b"\xff{}"), "not valid UTF-8"),
    ],
    ids=["not-gzip", "truncated", "not-utf8"],
)
def test_bad_gzip_body_is_serialization_error(
    unchecked_ecr: Any, body: bytes, message: str
) -> None:
    """A body that does not decompress to UTF-8 is a 400."""

    def corrupt(request: Any) -> None:
        request.data = body
        request.headers["Content-Encoding"] = "gzip"

    change_request(unchecked_ecr, "DescribePullThroughCacheRules", corrupt)

    with pytest.raises(ClientError) as caught:
        describe(unchecked_ecr)

    assert error_of(caught)["Code"] == "SerializationException"
    assert status_of(caught) == 400
    assert message in error_of(caught)["Message"]


def test_wrongly_cased_operation_is_unknown(unchecked_ecr: Any) -> None:
    """Operation names in X-Amz-Target are case-sensitive."""

    def lower_target(request: Any) -> None:
        request.headers.replace_header(
            "X-Amz-Target", f"{TARGET_PREFIX}describepullthroughcacherules"
        )

    change_request(unchecked_ecr, "DescribePullThroughCacheRules", lower_target)

    with pytest.raises(ClientError) as caught:
        describe(unchecked_ecr)

    assert error_of(caught)["Code"] == "UnknownOperationException"
    assert "use DescribePullThroughCacheRules" in error_of(caught)["Message"]


# Values repeated in messages


def test_huge_url_is_cut_in_message(unchecked_ecr: Any) -> None:
    """A 1 MB upstreamRegistryUrl comes back as 100 characters and its length."""
    url = "x" * 1_000_000

    with pytest.raises(ClientError) as caught:
        unchecked_ecr.create_pull_through_cache_rule(
            ecrRepositoryPrefix="quay", upstreamRegistryUrl=url
        )

    message = error_of(caught)["Message"]
    assert error_of(caught)["Code"] == "UnsupportedUpstreamRegistryException"
    assert "x" * 100 + "... (1000000 characters)" in message
    assert len(message) < MAX_MESSAGE_LENGTH


def test_long_secret_arn_is_cut_in_message(unchecked_ecr: Any) -> None:
    """A missing secret's 612-character ARN is cut in the message."""
    stem = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/"
    arn = stem + "a" * (612 - len(stem))

    with pytest.raises(ClientError) as caught:
        unchecked_ecr.create_pull_through_cache_rule(
            ecrRepositoryPrefix="docker",
            upstreamRegistryUrl="registry-1.docker.io",
            credentialArn=arn,
        )

    message = error_of(caught)["Message"]
    assert error_of(caught)["Code"] == "SecretNotFoundException"
    assert arn[:100] + "... (612 characters)" in message
    assert arn not in message


def test_long_account_id_is_cut_in_message(transport: Transport) -> None:
    """An account id of 5000 characters, set through moto's header, is cut."""
    client = transport.client("ecr", account_id="1" * 5000)

    with pytest.raises(ClientError) as caught:
        client.delete_pull_through_cache_rule(ecrRepositoryPrefix="absent")

    message = error_of(caught)["Message"]
    assert error_of(caught)["Code"] == "PullThroughCacheRuleNotFoundException"
    assert "1" * 100 + "... (5000 characters)" in message
    assert len(message) < MAX_MESSAGE_LENGTH


# Raw HTTP to the server


@pytest.fixture
def server_url(emulator_url: str) -> Iterator[str]:
    """The session server's URL, reset before and after the test."""
    reset(emulator_url)
    yield emulator_url
    reset(emulator_url)


def reset(url: str) -> None:
    """Clear the server's state."""
    status, _, _ = post(url, b"", {}, path="/moto-api/reset")
    assert status == 200


def post(
    url: str, body: bytes, headers: dict[str, str], path: str = "/"
) -> tuple[int, dict[str, str], bytes]:
    """POST ``body`` with exactly ``headers`` and return status, headers, body."""
    address = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(
        address.hostname or "", address.port, timeout=30
    )
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def rule_headers(
    operation: str = "DescribePullThroughCacheRules", **extra: str
) -> dict[str, str]:
    """Headers of a signed JSON 1.1 rule request, with ``extra`` replacing any."""
    headers = {
        "X-Amz-Target": f"{TARGET_PREFIX}{operation}",
        "Content-Type": "application/x-amz-json-1.1",
        "Authorization": SIGNED_FOR_US_EAST_1,
    }
    headers.update(extra)
    return headers


def json_error(status: int, headers: dict[str, str], body: bytes) -> dict[str, Any]:
    """Return the decoded JSON error body, asserting a JSON content type."""
    assert "json" in headers.get("Content-Type", ""), (status, body[:200])
    error: dict[str, Any] = json.loads(body)
    return error


def test_raw_signed_request_succeeds(server_url: str) -> None:
    """The raw requests of these tests reach the handler when well-formed."""
    status, headers, body = post(server_url, b"{}", rule_headers())

    assert status == 200
    assert headers["Content-Type"] == "application/x-amz-json-1.1"
    assert json.loads(body) == {"pullThroughCacheRules": []}


@pytest.mark.parametrize(
    ("authorization", "status", "code"),
    [
        (None, 403, "MissingAuthenticationTokenException"),
        ("AWS4", 400, "IncompleteSignatureException"),
        ("AWS4-HMAC-SHA256 garbage", 400, "IncompleteSignatureException"),
        ("AWS4-HMAC-SHA256 Credential=a/b", 400, "IncompleteSignatureException"),
        ("Basic dXNlcjpwYXNz", 400, "IncompleteSignatureException"),
        (
            "AWS4-HMAC-SHA256 Credential=a/20240101/us-east-1/s3/aws4_request",
            400,
            "InvalidSignatureException",
        ),
        (
            "AWS4-HMAC-SHA256 Credential=a/20240101//ecr/aws4_request",
            400,
            "IncompleteSignatureException",
        ),
    ],
    ids=[
        "missing",
        "aws4",
        "garbage",
        "short-scope",
        "basic",
        "other-service",
        "empty-region",
    ],
)
def test_bad_authorization_is_json_error(
    server_url: str, authorization: str | None, status: int, code: str
) -> None:
    """Authorization headers moto cannot route get a JSON AWS error."""
    headers = rule_headers()
    del headers["Authorization"]
    if authorization is not None:
        headers["Authorization"] = authorization

    response_status, response_headers, body = post(server_url, b"{}", headers)

    assert response_status == status
    assert json_error(response_status, response_headers, body)["__type"] == code


def test_region_from_user_agent_is_checked(server_url: str) -> None:
    """moto also reads the Region from User-Agent; an unknown one is a 400."""
    headers = rule_headers(**{"User-Agent": "tool/1.0 region/zz-mars-1"})

    status, response_headers, body = post(server_url, b"{}", headers)

    error = json_error(status, response_headers, body)
    assert status == 400
    assert error["__type"] == "InvalidSignatureException"
    assert "'zz-mars-1'" in error["message"]


def test_long_region_is_cut_in_message(server_url: str) -> None:
    """A 5000-character Region in the credential scope is cut in the message."""
    region = "r" * 5000
    authorization = f"AWS4-HMAC-SHA256 Credential=a/20240101/{region}/ecr/aws4_request"

    status, headers, body = post(
        server_url, b"{}", rule_headers(Authorization=authorization)
    )

    error = json_error(status, headers, body)
    assert status == 400
    assert error["__type"] == "InvalidSignatureException"
    assert "r" * 100 + "... (5000 characters)" in error["message"]
    assert len(error["message"]) < MAX_MESSAGE_LENGTH


def test_unexpected_error_is_json_server_exception(
    aws_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An exception the handler does not expect becomes a JSON 500."""

    def fail(body: Any) -> dict[str, Any]:
        raise RuntimeError("parser exploded")

    monkeypatch.setattr(validation, "parse_body", fail)

    with mock_aws():
        client = Client(emulator_server.build_application())
        response = client.post("/", data=b"{}", headers=rule_headers())

    error = json.loads(response.data)
    assert response.status_code == 500
    assert "json" in response.headers["Content-Type"]
    assert error["__type"] == "ServerException"
    assert "RuntimeError: parser exploded" in error["message"]
