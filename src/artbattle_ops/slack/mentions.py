"""The bot's own mention, stripped from a request; every other mention is kept."""

from __future__ import annotations

import re


def strip_bot_mention(text: str, bot_user_id: str | None) -> str:
    """`text` without `<@BOT>` or `<@BOT|name>` mentions of the bot, whitespace tidied.

    Other users' mentions stay: "ask <@U2> about AB4023" must reach the model unchanged.
    """
    if not bot_user_id:
        return text.strip()
    pattern = re.compile(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>")
    stripped = pattern.sub(" ", text)
    return re.sub(r"[ \t]{2,}", " ", stripped).strip()


def mentions_user(text: str, user_id: str | None) -> bool:
    """True when `text` mentions `user_id`."""
    if not user_id:
        return False
    return re.search(rf"<@{re.escape(user_id)}(?:\|[^>]*)?>", text) is not None
