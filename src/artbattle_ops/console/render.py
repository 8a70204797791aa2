"""Slack mrkdwn rendered as HTML for the local console, the way Slack would show it.

Everything is escaped first, then the mrkdwn marks are turned into tags, so text from the model
or a tool can never inject markup. Covered: ``` blocks, `code`, *bold*, _italic_, ~strike~,
<url|label> and <url> links, <@U…> mentions, > quotes, bullet lines and line breaks.
"""

from __future__ import annotations

import html
import re
from typing import Final

FENCE: Final = "```"
_LINK = re.compile(r"&lt;(https?://(?:(?!&gt;)[^|\s])+)(?:\|((?:(?!&gt;).)*?))?&gt;")
_MENTION = re.compile(r"&lt;@([A-Z0-9]+)&gt;")
_CODE = re.compile(r"`([^`\n]+)`")
_BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_([^_\n]+)_(?![\w_])")
_STRIKE = re.compile(r"(?<![\w~])~([^~\n]+)~(?![\w~])")
_BULLET = re.compile(r"^\s*(?:[•\-*]|\d+\.)\s+")


def mrkdwn_to_html(text: str) -> str:
    """The HTML of a Slack message: code blocks kept verbatim, inline marks converted."""
    parts = text.split(FENCE)
    rendered: list[str] = []
    for index, part in enumerate(parts):
        # Odd parts are inside a fence; an unclosed fence leaves its last part as plain text.
        inside = index % 2 == 1 and index < len(parts) - 1
        if inside:
            rendered.append(f"<pre>{html.escape(part.strip(chr(10)))}</pre>")
        elif part:
            rendered.append(_render_lines(part if index % 2 == 0 else FENCE + part))
    return "".join(rendered)


def _render_lines(text: str) -> str:
    lines = html.escape(text, quote=False).split("\n")
    out: list[str] = []
    for line in lines:
        if line.startswith("&gt; "):
            out.append(f"<blockquote>{_inline(line[5:])}</blockquote>")
        elif _BULLET.match(line) and line.strip() not in {"-", "*"}:
            out.append(f'<div class="bullet">• {_inline(_BULLET.sub("", line, count=1))}</div>')
        else:
            out.append(_inline(line) + "<br>")
    return "".join(out)


def _inline(line: str) -> str:
    codes: list[str] = []

    def keep_code(match: re.Match[str]) -> str:
        codes.append(f"<code>{match.group(1)}</code>")
        return f"\x00{len(codes) - 1}\x00"

    line = _CODE.sub(keep_code, line)
    line = _LINK.sub(_link, line)
    line = _MENTION.sub(r'<span class="mention">@\1</span>', line)
    line = _BOLD.sub(r"<b>\1</b>", line)
    line = _ITALIC.sub(r"<i>\1</i>", line)
    line = _STRIKE.sub(r"<s>\1</s>", line)
    return re.sub(r"\x00(\d+)\x00", lambda m: codes[int(m.group(1))], line)


def _link(match: re.Match[str]) -> str:
    url, label = match.group(1), match.group(2)
    href = html.escape(html.unescape(url), quote=True)
    return f'<a href="{href}" rel="noopener noreferrer" target="_blank">{label or url}</a>'
