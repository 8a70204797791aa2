"""The local web console: ask as a demo user, see the answer as Slack would show it, confirm or
cancel writes, leave feedback. It is only a front end: every request goes through the same
`Assistant` pipeline, policies and session logging as Slack (interaction type `console`).

The API accepts JSON bodies only, so a cross-site form on another page cannot post to it (a
browser sends `application/json` cross-site only after a CORS preflight, which is refused).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import asdict
from importlib import resources
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from artbattle_ops.assistant.contract import (
    Assistant,
    ContextMessage,
    Decision,
    Inbound,
    PendingConfirmation,
    Reply,
)
from artbattle_ops.console.render import mrkdwn_to_html

CONSOLE_TEAM: Final = "TLOCALCONSOLE"
CONSOLE_CHANNEL: Final = "CLOCALCONSOLE"
MAX_CONTEXT_MESSAGES: Final = 10
MAX_BODY_BYTES: Final = 64 * 1024


class ConsoleInputError(ValueError):
    """A console request that cannot be used; the message says what is wrong."""


def console_routes(assistant: Assistant, users: Mapping[str, str]) -> list[Route]:
    """The console page and its JSON API, for the demo `users` (Slack id → role)."""
    console = _Console(assistant, dict(users))
    return [
        Route("/", console.page, methods=["GET"]),
        Route("/console/users", console.users, methods=["GET"]),
        Route("/console/ask", console.ask, methods=["POST"]),
        Route("/console/confirm", console.confirm, methods=["POST"]),
        Route("/console/cancel", console.cancel, methods=["POST"]),
        Route("/console/feedback", console.feedback, methods=["POST"]),
    ]


class _Console:
    def __init__(self, assistant: Assistant, users: dict[str, str]) -> None:
        self.assistant = assistant
        self.known_users = users
        self.sequence = 0

    async def page(self, request: Request) -> Response:
        text = resources.files("artbattle_ops.console").joinpath("page.html").read_text("utf-8")
        return HTMLResponse(text, headers={"Cache-Control": "no-store"})

    async def users(self, request: Request) -> Response:
        listed = [{"user": user, "role": role} for user, role in self.known_users.items()]
        return JSONResponse({"users": listed, "channel": CONSOLE_CHANNEL})

    async def ask(self, request: Request) -> Response:
        try:
            body = await _json_body(request)
            user = self._user(body)
            text = _text(body, "text")
            context = _context(body.get("context"))
            channel = _optional_text(body, "channel") or CONSOLE_CHANNEL
        except ConsoleInputError as exc:
            return _problem(str(exc))
        inbound = Inbound(
            text=text,
            slack_user_id=user,
            interaction_type="console",
            slack_team_id=CONSOLE_TEAM,
            slack_channel_id=channel,
            slack_username=f"{self.known_users.get(user, 'demo')} demo user",
            context=context,
        )
        reply = await self.assistant.handle(inbound)
        reply_ts = self._next_ts()
        await self.assistant.complete(reply, reply_ts=reply_ts, slack_thread_ts=None)
        return JSONResponse(_reply_json(reply, reply_ts))

    async def confirm(self, request: Request) -> Response:
        return await self._decide(request, confirm=True)

    async def cancel(self, request: Request) -> Response:
        return await self._decide(request, confirm=False)

    async def _decide(self, request: Request, *, confirm: bool) -> Response:
        try:
            body = await _json_body(request)
            user = self._user(body)
            pending = _pending(body.get("confirmation"))
        except ConsoleInputError as exc:
            return _problem(str(exc))
        if confirm:
            decision = await self.assistant.confirm(pending, user, team_id=CONSOLE_TEAM)
        else:
            decision = await self.assistant.cancel(pending, user)
        return JSONResponse(_decision_json(decision))

    async def feedback(self, request: Request) -> Response:
        try:
            body = await _json_body(request)
            user = self._user(body)
            session_id = _text(body, "session_id")
            rating = body.get("rating")
            if rating not in ("positive", "negative"):
                raise ConsoleInputError("rating must be 'positive' or 'negative'.")
            comment = _optional_text(body, "comment")
        except ConsoleInputError as exc:
            return _problem(str(exc))
        stored = await self.assistant.record_feedback(
            slack_user_id=user,
            rating=rating,
            source="console",
            session_id=session_id,
            slack_channel_id=CONSOLE_CHANNEL,
            comment=comment,
        )
        return JSONResponse({"recorded": stored})

    def _user(self, body: Mapping[str, Any]) -> str:
        user = _text(body, "user")
        if user not in self.known_users:
            known = ", ".join(sorted(self.known_users)) or "none"
            raise ConsoleInputError(f"user {user!r} is not a demo user (known: {known}).")
        return user

    def _next_ts(self) -> str:
        """A Slack-like message ts, unique in this process, for the reply's session row."""
        self.sequence = (self.sequence + 1) % 1_000_000
        return f"{int(time.time())}.{self.sequence:06d}"


async def _json_body(request: Request) -> dict[str, Any]:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise ConsoleInputError("send the request as application/json.")
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise ConsoleInputError(f"the request is larger than {MAX_BODY_BYTES} bytes.")
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise ConsoleInputError("the request body is not valid JSON.") from exc
    if not isinstance(body, dict):
        raise ConsoleInputError("the request body must be a JSON object.")
    return body


def _text(body: Mapping[str, Any], name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str):
        raise ConsoleInputError(f"{name} is required and must be a string.")
    return value


def _optional_text(body: Mapping[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ConsoleInputError(f"{name} must be a string.")
    return value


def _context(raw: Any) -> tuple[ContextMessage, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ConsoleInputError("context must be a list of {author, text} objects.")
    messages: list[ContextMessage] = []
    for item in raw[-MAX_CONTEXT_MESSAGES:]:
        if not isinstance(item, dict) or item.get("author") not in ("user", "assistant"):
            raise ConsoleInputError("each context entry needs author 'user' or 'assistant'.")
        text = item.get("text")
        if not isinstance(text, str):
            raise ConsoleInputError("each context entry needs a text string.")
        messages.append(ContextMessage(author=item["author"], text=text))
    return tuple(messages)


def _pending(raw: Any) -> PendingConfirmation:
    if not isinstance(raw, dict):
        raise ConsoleInputError("confirmation is required (the object the ask reply gave).")
    try:
        return PendingConfirmation(
            confirmation_id=str(raw["confirmation_id"]),
            tool=str(raw["tool"]),
            arguments=dict(raw["arguments"]),
            preview=dict(raw.get("preview") or {}),
            expires_at=dict(raw.get("expires_at") or {}),
            requested_by=str(raw["requested_by"]),
            session_id=str(raw["session_id"]),
            summary=str(raw.get("summary") or ""),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ConsoleInputError(f"confirmation is incomplete: {exc} is missing.") from exc


def _reply_json(reply: Reply, reply_ts: str) -> dict[str, Any]:
    return {
        "text": reply.text,
        "html": mrkdwn_to_html(reply.text),
        "session_id": reply.session_id,
        "status": reply.status,
        "tools_used": reply.tools_used,
        "error_id": reply.error_id,
        "retry_after_seconds": reply.retry_after_seconds,
        "confirmation": asdict(reply.confirmation) if reply.confirmation else None,
        "model": reply.model,
        "offline": reply.offline,
        "reply_ts": reply_ts,
    }


def _decision_json(decision: Decision) -> dict[str, Any]:
    return {
        "text": decision.text,
        "html": mrkdwn_to_html(decision.text),
        "session_id": decision.session_id,
        "accepted": decision.accepted,
        "final": decision.final,
    }


def _problem(message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=400)
