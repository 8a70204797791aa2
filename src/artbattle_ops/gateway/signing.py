"""Request signing v1 (DESIGN.md §4): the HMAC headers a client sends and the gateway checks.

The signed message is `"<unix seconds>\\n<nonce>\\n<METHOD>\\n<path>\\n"` followed by the raw
body bytes, and the signature is its HMAC-SHA256, in lower-case hex. Clients (the operator CLI,
the Slack service) call `sign_request`; the gateway calls `verify_signature`. Both are pure: the
replay cache, the clock and the audit belong to the caller.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets as random_source
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

TIMESTAMP_HEADER: Final = "x-mcp-timestamp"
NONCE_HEADER: Final = "x-mcp-nonce"
SIGNATURE_HEADER: Final = "x-mcp-signature"
VERSION_HEADER: Final = "x-mcp-signature-version"
SIGNATURE_VERSION: Final = "v1"
NONCE_BYTES: Final = 16

# At least 16 bytes as hex (32+ characters) or unpadded base64url (22+); both alphabets fit here.
_NONCE = re.compile(r"[A-Za-z0-9_-]{22,128}")
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class SignatureCheck:
    """The outcome of `verify_signature`: `reason` is set exactly when `ok` is false.

    On success `timestamp` and `nonce` are the signed values, for the replay cache.
    """

    ok: bool
    reason: str | None = None
    timestamp: int | None = None
    nonce: str | None = None


def signed_message(timestamp: int, nonce: str, method: str, path: str, body: bytes) -> bytes:
    """The exact bytes the v1 signature covers."""
    return f"{timestamp}\n{nonce}\n{method.upper()}\n{path}\n".encode() + body


def compute_signature(
    secret: bytes, timestamp: int, nonce: str, method: str, path: str, body: bytes
) -> str:
    """Lower-case hex HMAC-SHA256 of the signed message."""
    message = signed_message(timestamp, nonce, method, path, body)
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def new_nonce() -> str:
    """A fresh nonce: 16 random bytes in hex."""
    return random_source.token_hex(NONCE_BYTES)


def sign_request(
    secret: bytes,
    method: str,
    path: str,
    body: bytes,
    *,
    timestamp: int | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    """The four v1 signature headers for one request; a new nonce and the current time by default.

    `path` is the request target as sent, with `?query` when there is one.
    """
    signed_at = int(time.time()) if timestamp is None else timestamp
    request_nonce = new_nonce() if nonce is None else nonce
    signature = compute_signature(secret, signed_at, request_nonce, method, path, body)
    return {
        TIMESTAMP_HEADER: str(signed_at),
        NONCE_HEADER: request_nonce,
        SIGNATURE_HEADER: signature,
        VERSION_HEADER: SIGNATURE_VERSION,
    }


def verify_signature(
    headers: Mapping[str, str],
    method: str,
    path: str,
    body: bytes,
    secrets: Sequence[bytes],
    now: int,
    max_age_sec: int,
) -> SignatureCheck:
    """Check the v1 headers against each secret (current first, then previous).

    Header names are matched case-insensitively; empty secrets are ignored. A timestamp more
    than `max_age_sec` away from `now`, in either direction, is `signature_expired`. Signatures
    are compared in constant time.
    """
    values = {name.lower(): value for name, value in headers.items()}
    timestamp_text = values.get(TIMESTAMP_HEADER)
    nonce = values.get(NONCE_HEADER)
    signature = values.get(SIGNATURE_HEADER)
    version = values.get(VERSION_HEADER)
    if timestamp_text is None or nonce is None or signature is None or version is None:
        return _refused("missing_or_invalid_signature_headers")
    if version != SIGNATURE_VERSION:
        return _refused("unsupported_signature_version")
    if not _NONCE.fullmatch(nonce) or not _SIGNATURE.fullmatch(signature):
        return _refused("missing_or_invalid_signature_headers")
    if not _TIMESTAMP.fullmatch(timestamp_text):
        return _refused("invalid_signature_timestamp")

    timestamp = int(timestamp_text)
    if abs(now - timestamp) > max_age_sec:
        return _refused("signature_expired")

    if not _matches_any(signature, secrets, timestamp, nonce, method, path, body):
        return _refused("invalid_signature")
    return SignatureCheck(ok=True, timestamp=timestamp, nonce=nonce)


def _matches_any(
    signature: str,
    secrets: Sequence[bytes],
    timestamp: int,
    nonce: str,
    method: str,
    path: str,
    body: bytes,
) -> bool:
    # Every secret is tried, so the time taken does not tell which one matched. An empty secret
    # would let anyone sign, so it never matches.
    matched = False
    for secret in filter(None, secrets):
        expected = compute_signature(secret, timestamp, nonce, method, path, body)
        matched |= hmac.compare_digest(expected, signature)
    return matched


def _refused(reason: str) -> SignatureCheck:
    return SignatureCheck(ok=False, reason=reason)
