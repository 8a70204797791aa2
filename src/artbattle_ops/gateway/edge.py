"""The client for Supabase Edge Functions (tools.md §1.9), pointed at `SUPABASE_URL`.

Locally `SUPABASE_URL` is the edge emulator, so the code is the same in every environment. Each
response status maps to one tool error; a timeout after sending leaves the outcome unknown, which
the write ledger records so a retry reconciles first.
"""

from __future__ import annotations

import json
from typing import Any

import httpx2

from artbattle_ops.config.settings import GatewaySettings
from artbattle_ops.tools.errors import (
    ConflictError,
    NotConfiguredError,
    NotFoundError,
    PreconditionFailedError,
    ToolError,
    ToolTimeoutError,
    UpstreamError,
)

# Functions that refuse the bare service-role key and need an admin user token (§1.9).
ADMIN_FUNCTIONS = frozenset({"admin-send-invitation", "admin-send-payment-reminder"})
CREDENTIALS_REFUSED = "The Edge Function rejected the gateway's credentials."
MAX_ERROR_CHARS = 300


class EdgeFailure(ToolError):
    """A tool error that came from an Edge Function, with its name and HTTP status."""

    def __init__(self, base: ToolError, *, function: str, status: int | None) -> None:
        super().__init__(
            base.message,
            argument=base.argument,
            hint=base.hint,
            details=base.details,
            code=base.code,
        )
        self.edge_function = function
        self.http_status = status


class EdgeClient:
    """POSTs JSON to `{SUPABASE_URL}/functions/v1/<name>` with the §1.9 headers."""

    def __init__(self, settings: GatewaySettings, http: httpx2.AsyncClient | None = None) -> None:
        self.settings = settings
        self._http = http or httpx2.AsyncClient(timeout=settings.edge_timeout_ms / 1000)

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._http.aclose()

    async def call(
        self,
        function: str,
        body: dict[str, Any],
        *,
        idempotency_key: str,
        request_id: str,
        acting_user: str,
        check_with: str,
    ) -> dict[str, Any]:
        """Call one function; its JSON answer on success.

        `check_with` names the read tool that shows whether an unknown outcome happened.

        Raises:
            EdgeFailure: every non-success, mapped to its tools.md §1.4 code.
        """
        url, headers = self._target(function)
        headers |= {
            "Content-Type": "application/json",
            "Idempotency-Key": idempotency_key,
            "X-Request-Id": request_id,
            "X-Acting-User": acting_user,
        }
        try:
            response = await self._http.post(url, content=json.dumps(body), headers=headers)
        except httpx2.TimeoutException as exc:
            raise _failure(function, None, _unknown(function, check_with)) from exc
        except httpx2.ConnectError as exc:
            message = f"{function} could not be reached; nothing was sent."
            error = UpstreamError(message, details=[{"outcome": "not_applied"}])
            raise _failure(function, None, error) from exc
        except httpx2.TransportError as exc:
            raise _failure(function, None, _unknown(function, check_with)) from exc
        return _answer(function, response)

    def _target(self, function: str) -> tuple[str, dict[str, str]]:
        settings = self.settings
        if not settings.supabase_url:
            raise _failure(function, None, NotConfiguredError("SUPABASE_URL is not set."))
        key = settings.supabase_service_role_key
        if key is None:
            missing = NotConfiguredError("SUPABASE_SERVICE_ROLE_KEY is not set.")
            raise _failure(function, None, missing)
        token = settings.supabase_edge_admin_token
        if token is None and function in ADMIN_FUNCTIONS:
            message = f"SUPABASE_EDGE_ADMIN_TOKEN is not set; {function} needs an admin token."
            raise _failure(function, None, NotConfiguredError(message))
        bearer = (token or key).get_secret_value()
        url = f"{settings.supabase_url.rstrip('/')}/functions/v1/{function}"
        return url, {"Authorization": f"Bearer {bearer}", "apikey": key.get_secret_value()}


def _answer(function: str, response: httpx2.Response) -> dict[str, Any]:
    status = response.status_code
    payload = _json(response)
    text = _error_text(payload)
    if 200 <= status < 300 and payload.get("success", True) is not False:
        return payload
    if status == 400:
        error: ToolError = PreconditionFailedError(text or f"{function} refused the request.")
    elif status in (401, 403):
        error = UpstreamError(CREDENTIALS_REFUSED)
    elif status == 404 and text:
        error = NotFoundError(text)
    elif status == 404:
        error = NotConfiguredError(f"The Edge Function {function} is not deployed.")
    elif status == 409:
        error = ConflictError(text or f"{function} reported a conflict.")
    else:
        error = UpstreamError(f"{function} failed with HTTP {status}: {text or 'no details'}")
    return _raise(function, status, error)


def _raise(function: str, status: int, error: ToolError) -> dict[str, Any]:
    raise _failure(function, status, error)


def _failure(function: str, status: int | None, error: ToolError) -> EdgeFailure:
    return EdgeFailure(error, function=function, status=status)


def _unknown(function: str, check_with: str) -> ToolError:
    message = (
        f"{function} did not answer in time; the outcome is unknown. "
        f"Check with {check_with} before retrying."
    )
    return ToolTimeoutError(message, details=[{"outcome": "unknown"}])


def _json(response: httpx2.Response) -> dict[str, Any]:
    try:
        payload = response.json()
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}


def _error_text(payload: dict[str, Any]) -> str:
    error = payload.get("error")
    return str(error)[:MAX_ERROR_CHARS] if error else ""
