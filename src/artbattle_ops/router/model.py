"""The seam between the tool loop and whatever answers it: a model endpoint or an offline router.

The loop (`router.llm`) sends a conversation and the tools on offer to a `Responder` and gets back
one `ModelTurn`: text, tool calls, or both. `router.openai_model.OpenAIResponder` answers with
any OpenAI-compatible endpoint; the offline router of the local stack plugs in the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

# A conversation message in the Chat Completions shape ({"role": ..., "content": ...}, tool calls
# and tool results included); the loop owns the list, responders only read it.
Message = dict[str, Any]
# An OpenAI function tool: {"type": "function", "function": {"name", "description", "parameters"}}.
ToolSpec = dict[str, Any]


@dataclass(frozen=True)
class ToolCallRequest:
    """One call the model asked for; `arguments` is the raw JSON text it produced."""

    id: str
    name: str
    arguments: str


@dataclass(frozen=True)
class ModelTurn:
    """One answer of the responder, with what it cost."""

    text: str | None
    tool_calls: tuple[ToolCallRequest, ...] = ()
    model: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    duration_ms: int = 0
    offline: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


class ModelError(Exception):
    """The responder could not answer; `reason` is `timeout`, `rate_limited`, `upstream` or
    `bad_request`, and the message is safe to log (never shown to users)."""

    def __init__(self, reason: str, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.status = status


class Responder(Protocol):
    """Answers one round of the tool loop."""

    @property
    def name(self) -> str:
        """The model id configured (the id a turn reports may be more specific)."""
        ...

    async def respond(
        self, messages: Sequence[Message], tools: Sequence[ToolSpec], *, allow_tools: bool
    ) -> ModelTurn:
        """The next turn; with `allow_tools` False the responder must answer in text.

        Raises:
            ModelError: the model could not be reached or refused the request.
        """
        ...
