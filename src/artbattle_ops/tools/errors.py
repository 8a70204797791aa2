"""Tool errors: the business failures a handler returns as `{"ok": false, "error": ...}`."""

from __future__ import annotations

from typing import Any


class ToolError(Exception):
    """A failure the caller should see, with a stable code from tools.md §1.4."""

    code = "internal_error"

    def __init__(
        self,
        message: str,
        *,
        argument: str | None = None,
        hint: str | None = None,
        details: list[Any] | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.argument = argument
        self.hint = hint
        self.details = details or []
        if code is not None:
            self.code = code

    def to_error(self) -> dict[str, Any]:
        """The `error` object of the failure envelope (without `reference_id`)."""
        return {
            "code": self.code,
            "message": self.message,
            "argument": self.argument,
            "hint": self.hint,
            "details": list(self.details),
        }


class InvalidArgumentsError(ToolError):
    """Schema, format, bounds or combination errors; `details` has one string per problem."""

    code = "invalid_arguments"


class NotFoundError(ToolError):
    """An identifying argument matches nothing."""

    code = "not_found"


class ConflictError(ToolError):
    """The state changed since the preview, or an identical write is running or done."""

    code = "conflict"


class PreconditionFailedError(ToolError):
    """A business rule forbids the write."""

    code = "precondition_failed"


class NotConfiguredError(ToolError):
    """A required setting is missing; the message names it, never its value."""

    code = "not_configured"


class ToolTimeoutError(ToolError):
    """A statement or Edge Function timed out."""

    code = "timeout"


class UpstreamError(ToolError):
    """The database is unreachable, or an Edge Function failed."""

    code = "upstream_error"
