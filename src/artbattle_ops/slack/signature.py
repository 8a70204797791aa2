"""Why a Slack request's signature is refused, for the `signature_denied` audit row.

Bolt verifies every HTTP request itself and answers 401 without saying why; this check runs
first, with the same rule (`v0:<timestamp>:<body>` HMAC-SHA256, five minutes either side), so
the refusal can be audited with its reason (observability.md §2.4.1).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Final

MAX_SKEW_SEC: Final = 300
VERSION: Final = "v0"


def signature_for(secret: str, timestamp: str, body: bytes) -> str:
    """The `X-Slack-Signature` value Slack sends for `body` at `timestamp`."""
    base = f"{VERSION}:{timestamp}:".encode() + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return f"{VERSION}={digest}"


def refusal_reason(secret: str, headers: Mapping[str, str], body: bytes, now: float) -> str | None:
    """None for a valid request, else `missing_slack_headers`, `stale_slack_timestamp` or
    `invalid_slack_signature`. `headers` must be case-insensitive (Starlette's are)."""
    timestamp = headers.get("x-slack-request-timestamp")
    signature = headers.get("x-slack-signature")
    if not timestamp or not signature:
        return "missing_slack_headers"
    try:
        skew = abs(now - int(timestamp))
    except ValueError:
        return "stale_slack_timestamp"
    if skew > MAX_SKEW_SEC:
        return "stale_slack_timestamp"
    if not hmac.compare_digest(signature_for(secret, timestamp, body), signature):
        return "invalid_slack_signature"
    return None
