"""Request signing v1: the signed message, the headers, and every refusal reason."""

import hashlib
import hmac

import pytest

from artbattle_ops.gateway.signing import SignatureCheck, sign_request, verify_signature

SECRET = b"current-signing-secret-0123456789abcdef"
PREVIOUS = b"previous-signing-secret-0123456789abcdef"
NOW = 1_700_000_000
NONCE = "0123456789abcdef0123456789abcdef"
BODY = b'{"jsonrpc":"2.0","id":1,"method":"tools/list"}'
MAX_AGE_SEC = 300


def signed_headers(secret: bytes = SECRET, timestamp: int = NOW) -> dict[str, str]:
    return sign_request(secret, "POST", "/mcp", BODY, timestamp=timestamp, nonce=NONCE)


def verify(
    headers: dict[str, str],
    *,
    method: str = "POST",
    path: str = "/mcp",
    body: bytes = BODY,
    secrets: tuple[bytes, ...] = (SECRET,),
    now: int = NOW,
) -> SignatureCheck:
    return verify_signature(headers, method, path, body, secrets, now, MAX_AGE_SEC)


def test_signature_is_hmac_sha256_over_timestamp_nonce_method_path_and_body() -> None:
    message = b"1700000000\n0123456789abcdef0123456789abcdef\nPOST\n/mcp\n" + BODY
    expected = hmac.new(SECRET, message, hashlib.sha256).hexdigest()

    headers = signed_headers()

    assert headers == {
        "x-mcp-timestamp": "1700000000",
        "x-mcp-nonce": NONCE,
        "x-mcp-signature": expected,
        "x-mcp-signature-version": "v1",
    }


def test_the_method_is_signed_in_upper_case() -> None:
    lower = sign_request(SECRET, "post", "/mcp", BODY, timestamp=NOW, nonce=NONCE)

    assert lower == signed_headers()


def test_default_nonce_is_sixteen_random_bytes_in_hex() -> None:
    first = sign_request(SECRET, "POST", "/mcp", BODY)["x-mcp-nonce"]
    second = sign_request(SECRET, "POST", "/mcp", BODY)["x-mcp-nonce"]

    assert len(bytes.fromhex(first)) == 16
    assert first != second


def test_a_correctly_signed_request_is_accepted_with_its_timestamp_and_nonce() -> None:
    check = verify(signed_headers())

    assert check == SignatureCheck(ok=True, reason=None, timestamp=NOW, nonce=NONCE)


def test_header_names_are_matched_case_insensitively() -> None:
    headers = {name.upper(): value for name, value in signed_headers().items()}

    assert verify(headers).ok


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/mcp", BODY + b" "),
        ("POST", "/mcp/", BODY),
        ("PUT", "/mcp", BODY),
    ],
    ids=["tampered-body", "tampered-path", "tampered-method"],
)
def test_a_tampered_request_is_an_invalid_signature(method: str, path: str, body: bytes) -> None:
    check = verify(signed_headers(), method=method, path=path, body=body)

    assert check.reason == "invalid_signature"


@pytest.mark.parametrize(
    ("header", "value"),
    [("x-mcp-timestamp", str(NOW + 1)), ("x-mcp-nonce", "f" * 32)],
    ids=["tampered-timestamp", "tampered-nonce"],
)
def test_a_tampered_signed_header_is_an_invalid_signature(header: str, value: str) -> None:
    headers = signed_headers() | {header: value}

    assert verify(headers).reason == "invalid_signature"


def test_a_signature_made_with_another_secret_is_invalid() -> None:
    check = verify(signed_headers(secret=b"someone-else"))

    assert check.reason == "invalid_signature"


@pytest.mark.parametrize(
    "signed_at",
    [NOW - MAX_AGE_SEC, NOW + MAX_AGE_SEC],
    ids=["oldest-accepted", "furthest-future-accepted"],
)
def test_timestamps_at_the_edge_of_the_window_are_accepted(signed_at: int) -> None:
    assert verify(signed_headers(timestamp=signed_at)).ok


@pytest.mark.parametrize(
    "signed_at",
    [NOW - MAX_AGE_SEC - 1, NOW + MAX_AGE_SEC + 1],
    ids=["stale", "future"],
)
def test_timestamps_outside_the_window_are_expired(signed_at: int) -> None:
    check = verify(signed_headers(timestamp=signed_at))

    assert check.reason == "signature_expired"


@pytest.mark.parametrize("signer", [SECRET, PREVIOUS], ids=["current-secret", "previous-secret"])
def test_during_a_rotation_both_secrets_are_accepted(signer: bytes) -> None:
    check = verify(signed_headers(secret=signer), secrets=(SECRET, PREVIOUS))

    assert check.ok


def test_an_empty_secret_never_matches() -> None:
    check = verify(signed_headers(secret=b""), secrets=(SECRET, b""))

    assert check.reason == "invalid_signature"


@pytest.mark.parametrize(
    ("header", "value", "reason"),
    [
        ("x-mcp-signature-version", "v2", "unsupported_signature_version"),
        ("x-mcp-timestamp", "1700000000.5", "invalid_signature_timestamp"),
        ("x-mcp-timestamp", "-1700000000", "invalid_signature_timestamp"),
        ("x-mcp-timestamp", "", "invalid_signature_timestamp"),
        ("x-mcp-nonce", "abc123", "missing_or_invalid_signature_headers"),
        ("x-mcp-nonce", "a" * 129, "missing_or_invalid_signature_headers"),
        ("x-mcp-nonce", "not a nonce, has spaces!", "missing_or_invalid_signature_headers"),
        ("x-mcp-signature", "A" * 64, "missing_or_invalid_signature_headers"),
        ("x-mcp-signature", "ab", "missing_or_invalid_signature_headers"),
    ],
    ids=[
        "unknown-version",
        "fractional-timestamp",
        "negative-timestamp",
        "empty-timestamp",
        "short-nonce",
        "long-nonce",
        "nonce-outside-alphabet",
        "upper-case-signature",
        "short-signature",
    ],
)
def test_malformed_headers_are_refused_with_their_reason(
    header: str, value: str, reason: str
) -> None:
    headers = signed_headers() | {header: value}

    assert verify(headers).reason == reason


@pytest.mark.parametrize(
    "missing",
    ["x-mcp-timestamp", "x-mcp-nonce", "x-mcp-signature", "x-mcp-signature-version"],
)
def test_a_missing_header_is_refused(missing: str) -> None:
    headers = {k: v for k, v in signed_headers().items() if k != missing}

    assert verify(headers).reason == "missing_or_invalid_signature_headers"


def test_a_base64url_nonce_is_accepted() -> None:
    nonce = "q83vASNFZ4mrze8BI0VniQ"
    headers = sign_request(SECRET, "POST", "/mcp", BODY, timestamp=NOW, nonce=nonce)

    assert verify(headers).nonce == nonce
