"""A function's answer other than 200: its HTTP status and its exact JSON body."""

from __future__ import annotations

from typing import Any

from artbattle_ops.errors import OpsError


class EdgeRefusal(OpsError):
    """Raised by a function to answer `status` with `body`; the call's transaction rolls back."""

    code = "edge_refusal"

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(str(body.get("error", "refused")))
        self.status = status
        self.body = body


def refuse(status: int, error: str, details: Any = None) -> EdgeRefusal:
    """A refusal in the `{"error", "details"?}` shape of invitation and payment."""
    body: dict[str, Any] = {"error": error}
    if details is not None:
        body["details"] = details
    return EdgeRefusal(status, body)


def refuse_unsuccessful(status: int, error: str) -> EdgeRefusal:
    """A refusal in the `{"success": false, "error"}` shape of the payment reminder."""
    return EdgeRefusal(status, {"success": False, "error": error})
