"""Recognises empty and placeholder secrets, which are refused outside local and test modes."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_PLACEHOLDER = re.compile(
    r"(changeme|change[-_]me|replace[-_]?me|placeholder|your[-_]|example|dummy|<[^>]*>"
    r"|^x+$|^\*+$|^secret$|^password$|^todo$|^test$|^local[-_])",
    re.IGNORECASE,
)


def placeholder_reason(name: str, value: str | None) -> str | None:
    """Why `value` is not a usable secret, or None when it looks real.

    Database URLs are judged by their password: a URL without one is fine (trust or peer auth,
    or a password in a service file).
    """
    if value is None:
        return None  # optional and unset; required secrets are passed as ""
    if not value.strip():
        return None if name.endswith("_URL") else "is empty"
    if name.endswith("_URL"):
        return _url_reason(value)
    if _PLACEHOLDER.search(value.strip()):
        return "holds a placeholder value"
    return None


def _url_reason(url: str) -> str | None:
    try:
        password = urlsplit(url).password
    except ValueError:
        return "is not a valid URL"
    if password is not None and _PLACEHOLDER.search(password):
        return "holds a placeholder password"
    return None
