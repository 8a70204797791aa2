"""Block Kit for replies: answer sections with feedback buttons, the confirmation prompt, its
outcome, and the greeting prompts of the assistant pane."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

from artbattle_ops.assistant.contract import PendingConfirmation
from artbattle_ops.slack.formatting import MESSAGE_CHUNK_CHARS

FEEDBACK_POSITIVE: Final = "feedback_positive"
FEEDBACK_NEGATIVE: Final = "feedback_negative"
CONFIRM_ACTION: Final = "confirm_write"
CANCEL_ACTION: Final = "cancel_write"
FEEDBACK_BLOCK_ID: Final = "feedback"
CONFIRMATION_BLOCK_ID: Final = "confirmation"
# Slack caps plain text in a button label and a context element.
_SHORT_TEXT: Final = 2000

Block = dict[str, Any]


def section(text: str) -> Block:
    """A mrkdwn section; `text` is cut to the 3,000-character section limit."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:MESSAGE_CHUNK_CHARS]}}


def context(text: str) -> Block:
    """A small grey line of mrkdwn."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:_SHORT_TEXT]}]}


def answer_blocks(chunk: str, session_id: str | None, *, with_feedback: bool) -> list[Block]:
    """One chunk of an answer; the last chunk carries the 👍/👎 buttons."""
    blocks = [section(chunk)]
    if with_feedback and session_id:
        blocks.append(feedback_actions(session_id))
    return blocks


def feedback_actions(session_id: str) -> Block:
    """The feedback buttons; their value is the session id the feedback belongs to."""
    value = json.dumps({"s": session_id})
    return {
        "type": "actions",
        "block_id": FEEDBACK_BLOCK_ID,
        "elements": [
            _button("👍 Helpful", FEEDBACK_POSITIVE, value),
            _button("👎 Not helpful", FEEDBACK_NEGATIVE, value),
        ],
    }


def confirmation_blocks(confirmation: PendingConfirmation, value: str) -> list[Block]:
    """The prompt: what will change, its effects and warnings, the expiry, Confirm and Cancel."""
    preview = confirmation.preview
    blocks = [section(f":warning: *Confirm this change*\n{_summary(confirmation)}")]
    change = _change_lines(preview.get("before"), preview.get("after"))
    if change:
        blocks.append(section("*Before → after*\n" + change))
    for title, key in (("Effects", "effects"), ("Warnings", "warnings")):
        items = [str(item) for item in preview.get(key) or []]
        if items:
            blocks.append(section(f"*{title}*\n" + "\n".join(f"• {item}" for item in items)))
    blocks.append(context(_expiry_line(confirmation)))
    blocks.append(
        {
            "type": "actions",
            "block_id": CONFIRMATION_BLOCK_ID,
            "elements": [
                _button("Confirm", CONFIRM_ACTION, value, style="primary"),
                _button("Cancel", CANCEL_ACTION, value, style="danger"),
            ],
        }
    )
    return blocks


def decided_blocks(confirmation: PendingConfirmation, outcome: str, by_user: str) -> list[Block]:
    """The prompt once settled: the summary and the outcome, no buttons."""
    return [
        section(f"*{confirmation.tool}*: {_summary(confirmation)}"),
        section(outcome),
        context(f"Settled by <@{by_user}>"),
    ]


def suggested_prompts(examples: list[str]) -> list[dict[str, str]]:
    """Up to four prompts for `assistant.threads.setSuggestedPrompts` (Slack's maximum)."""
    return [{"title": example[:75], "message": example} for example in examples[:4]]


def _summary(confirmation: PendingConfirmation) -> str:
    summary = confirmation.summary or str(confirmation.preview.get("summary") or "")
    return summary or f"Run {confirmation.tool}."


def _change_lines(before: Any, after: Any) -> str:
    if not isinstance(before, Mapping) or not isinstance(after, Mapping):
        return ""
    keys = list(dict.fromkeys([*before, *after]))
    lines = [f"• {key}: {_shown(before.get(key))} → {_shown(after.get(key))}" for key in keys]
    return "\n".join(lines)


def _shown(value: Any) -> str:
    if value is None:
        return "_(none)_"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return f"`{text}`" if text else "_(empty)_"


def _expiry_line(confirmation: PendingConfirmation) -> str:
    when = confirmation.expires_at.get("display") or confirmation.expires_at.get("utc")
    who = f"Only <@{confirmation.requested_by}> can confirm."
    return f"{who} Expires {when}." if when else who


def _button(text: str, action_id: str, value: str, *, style: str | None = None) -> Block:
    button: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": text, "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    if style:
        button["style"] = style
    return button
