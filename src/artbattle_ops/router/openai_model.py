"""A `Responder` over any OpenAI-compatible Chat Completions endpoint (the official SDK).

Retries with exponential backoff on 429, 5xx, timeouts and connection errors are the SDK's own
(`max_retries`, which also honours `Retry-After`). The output cap is sent as
`max_completion_tokens`; an endpoint that answers 400 naming that parameter (older servers,
some OpenAI-compatible ones) gets `max_tokens` instead, on that call and every later one.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any, Final

import openai
from openai import AsyncOpenAI

from artbattle_ops.router.model import Message, ModelError, ModelTurn, ToolCallRequest, ToolSpec

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL: Final = "https://api.openai.com/v1"
# OpenAI-compatible servers without authentication (Ollama, vLLM) still need a non-empty key.
NO_KEY: Final = "no-key"
NEW_TOKENS_PARAMETER: Final = "max_completion_tokens"


class OpenAIResponder:
    """Chat Completions with tool calling; one instance per process, shared by requests."""

    def __init__(
        self,
        *,
        model: str,
        api_key: str | None,
        base_url: str | None,
        timeout_sec: float,
        max_retries: int,
        max_output_tokens: int,
    ) -> None:
        self._model = model
        self._max_output_tokens = max_output_tokens
        self._tokens_parameter = NEW_TOKENS_PARAMETER
        self._client = AsyncOpenAI(
            api_key=api_key or NO_KEY,
            base_url=base_url or DEFAULT_BASE_URL,
            timeout=timeout_sec,
            max_retries=max_retries,
        )

    def __repr__(self) -> str:
        return f"OpenAIResponder(model={self._model!r})"

    @property
    def name(self) -> str:
        """The configured model id."""
        return self._model

    async def respond(
        self, messages: Sequence[Message], tools: Sequence[ToolSpec], *, allow_tools: bool
    ) -> ModelTurn:
        """One chat completion; see `Responder.respond`.

        Raises:
            ModelError: timeout, rate limit or server error after the retries, or a refusal.
        """
        started = time.perf_counter()
        try:
            response = await self._create(messages, tools, allow_tools)
        except openai.BadRequestError as exc:
            if not self._refuses_new_parameter(exc):
                raise _model_error(exc) from exc
            logger.warning("model_parameter_fallback", extra={"parameter": "max_tokens"})
            self._tokens_parameter = "max_tokens"
            response = await self._create_or_raise(messages, tools, allow_tools)
        except openai.OpenAIError as exc:
            raise _model_error(exc) from exc
        return _turn(response, int((time.perf_counter() - started) * 1000))

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        await self._client.close()

    async def _create_or_raise(
        self, messages: Sequence[Message], tools: Sequence[ToolSpec], allow_tools: bool
    ) -> Any:
        try:
            return await self._create(messages, tools, allow_tools)
        except openai.OpenAIError as exc:
            raise _model_error(exc) from exc

    async def _create(
        self, messages: Sequence[Message], tools: Sequence[ToolSpec], allow_tools: bool
    ) -> Any:
        arguments: dict[str, Any] = {
            "model": self._model,
            "messages": list(messages),
            self._tokens_parameter: self._max_output_tokens,
        }
        if tools:
            # Tools stay described on a text-only round so the conversation's earlier calls
            # keep their meaning; "none" forbids new ones.
            arguments["tools"] = list(tools)
            arguments["tool_choice"] = "auto" if allow_tools else "none"
            if allow_tools:
                arguments["parallel_tool_calls"] = True
        return await self._client.chat.completions.create(**arguments)

    def _refuses_new_parameter(self, exc: openai.BadRequestError) -> bool:
        return self._tokens_parameter == NEW_TOKENS_PARAMETER and NEW_TOKENS_PARAMETER in str(
            exc.message
        )


def _turn(response: Any, duration_ms: int) -> ModelTurn:
    choices = getattr(response, "choices", None) or []
    if not choices:
        raise ModelError("upstream", "the model answered without a choice")
    message = choices[0].message
    calls = tuple(
        ToolCallRequest(call.id, call.function.name, call.function.arguments or "")
        for call in (message.tool_calls or [])
        if getattr(call, "function", None) is not None
    )
    usage = response.usage
    return ModelTurn(
        text=message.content,
        tool_calls=calls,
        model=response.model or None,
        prompt_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
        completion_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
        duration_ms=duration_ms,
    )


def _model_error(exc: openai.OpenAIError) -> ModelError:
    if isinstance(exc, openai.APITimeoutError):
        return ModelError("timeout", "the model did not answer in time")
    if isinstance(exc, openai.RateLimitError):
        return ModelError(
            "rate_limited", "the model endpoint kept refusing: rate limited", status=429
        )
    if isinstance(exc, openai.APIStatusError):
        reason = "bad_request" if 400 <= exc.status_code < 500 else "upstream"
        return ModelError(
            reason, f"the model endpoint answered {exc.status_code}", status=exc.status_code
        )
    if isinstance(exc, openai.APIConnectionError):
        return ModelError("upstream", "the model endpoint could not be reached")
    return ModelError("upstream", type(exc).__name__)
