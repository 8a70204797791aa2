"""The fixed texts users see (issue 6 item 4): pinned exactly by tests, never reworded."""

from __future__ import annotations

from typing import Final

EMPTY_PROMPT: Final = "Please provide a request after the command or mention."
PROMPT_TOO_LONG: Final = "Request is too long. Limit is {limit} characters."
ACCESS_DENIED: Final = "Access denied for this workspace/channel/user."
RATE_LIMITED: Final = "Rate limit reached. Please wait and retry."
NO_ROLE: Final = "No authorized role was found for your user."
NO_TOOLS: Final = "Your role currently has no enabled tools."

INTERNAL_ERROR: Final = "Something went wrong while answering. Reference: `{error_id}`"
GATEWAY_DOWN: Final = (
    "The tools service is not reachable right now, so I could not look this up. "
    "Please try again in a moment. Reference: `{error_id}`"
)
MODEL_TIMEOUT: Final = (
    "The language model did not answer in time. Please try again. Reference: `{error_id}`"
)
MODEL_UNAVAILABLE: Final = (
    "The language model is not available right now. Please try again. Reference: `{error_id}`"
)
NO_MODEL: Final = "No language model is configured for this assistant. Reference: `{error_id}`"

NOT_REQUESTER: Final = "Only <@{user}> can confirm or cancel this change."
CANCELLED: Final = "Cancelled by <@{user}>. Nothing was changed."
EXPIRED: Final = "This confirmation expired. Nothing was changed; ask again to start over."
WRITE_DONE: Final = "Done: {summary}"
WRITE_REPLAYED: Final = "Already done: {summary} (an identical request was carried out earlier)"
ALREADY_DECIDED: Final = "This change was already confirmed or cancelled."
WRITE_NOT_DONE: Final = "The change was not made: {message}"


def retry_hint(seconds: int) -> str:
    """When a rate-limited user may retry, appended to `RATE_LIMITED`."""
    unit = "second" if seconds == 1 else "seconds"
    return f"{RATE_LIMITED} You can retry in {seconds} {unit}."
