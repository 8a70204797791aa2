"""Markdown to Slack mrkdwn, and long answers split into messages without breaking code blocks.

The model is told to write Slack mrkdwn but often writes Markdown anyway; the conversion is
safe on text that is already mrkdwn (single `*bold*`, `<url|text>` links and mentions pass
through). Markdown tables become preformatted blocks, since Slack renders no tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

FENCE: Final = "```"
# Section blocks hold at most 3,000 characters; one chunk is one section.
MESSAGE_CHUNK_CHARS: Final = 3000

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)[-*+]\s+(?=\S)")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_INLINE_CODE = re.compile(r"(`[^`\n]+`)")
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s)]+|mailto:[^\s)]+)\)")
# Masked values (`j***@example.com`, `***42`) hold three stars: a run of stars never opens or
# closes bold, so two masks on one line are not read as one bold span.
_BOLD = re.compile(r"(?<!\*)(\*\*|__)(?=[^\s*])(.+?)(?<=[^\s*])\1(?!\*)")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
# Slack's own markup that must not be escaped: mentions, channels, special and link tokens.
_SLACK_TOKEN = re.compile(r"<(?:[@#!][^<>\s]+|(?:https?://|mailto:)[^<>\s]+)>")
_ENTITY = re.compile(r"&(?:amp|lt|gt);")


def to_mrkdwn(markdown: str) -> str:
    """Slack mrkdwn for `markdown`: headings, bold, links, bullets and tables converted,
    `&`, `<`, `>` escaped outside Slack's own tokens, code blocks kept verbatim."""
    return "\n".join(_convert_lines(markdown.split("\n")))


def _convert_lines(lines: list[str]) -> Iterator[str]:
    in_code = False
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.lstrip().startswith(FENCE):
            in_code = not in_code
            yield line
            index += 1
            continue
        if in_code:
            yield line
            index += 1
            continue
        table = _table_at(lines, index)
        if table:
            yield from _render_table(lines[index : index + table])
            index += table
            continue
        yield _convert_line(line)
        index += 1


def _table_at(lines: list[str], index: int) -> int:
    """Number of lines of the Markdown table starting at `index` (header, rule, rows), or 0."""
    if index + 1 >= len(lines):
        return 0
    if not _TABLE_ROW.match(lines[index]) or not _TABLE_RULE.match(lines[index + 1]):
        return 0
    end = index + 2
    while end < len(lines) and _TABLE_ROW.match(lines[end]):
        end += 1
    return end - index


def _render_table(lines: list[str]) -> list[str]:
    """A table as an aligned, preformatted block (the rule line redrawn with dashes)."""
    rows = [_cells(line) for i, line in enumerate(lines) if i != 1]
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    sizes = [max(len(row[col]) for row in rows) for col in range(width)]
    rendered = [_table_line(row, sizes) for row in rows]
    rule = "-+-".join("-" * size for size in sizes)
    return [FENCE, rendered[0], rule, *rendered[1:], FENCE]


def _cells(line: str) -> list[str]:
    inner = line.strip().removeprefix("|").removesuffix("|")
    return [_plain_cell(cell) for cell in inner.split("|")]


def _plain_cell(cell: str) -> str:
    text = _BOLD.sub(r"\2", cell.strip())
    return text.replace(FENCE, "'''")


def _table_line(row: list[str], sizes: list[int]) -> str:
    return " | ".join(cell.ljust(size) for cell, size in zip(row, sizes, strict=True)).rstrip()


def _convert_line(line: str) -> str:
    heading = _HEADING.match(line)
    if heading:
        return f"*{_convert_inline(heading.group(1)).strip('*')}*"
    bullet = _BULLET.match(line)
    if bullet:
        return f"{bullet.group(1)}• {_convert_inline(line[bullet.end() :])}"
    return _convert_inline(line)


def _convert_inline(text: str) -> str:
    """Inline conversions outside inline code spans, which stay as written."""
    parts = _INLINE_CODE.split(text)
    return "".join(part if i % 2 else _convert_span(part) for i, part in enumerate(parts))


def _convert_span(text: str) -> str:
    links: list[str] = []

    def keep_link(match: re.Match[str]) -> str:
        links.append(f"<{match.group(2)}|{_escape(match.group(1))}>")
        return f"\x00{len(links) - 1}\x00"

    text = _LINK.sub(keep_link, text)
    text = _escape(text)
    text = _BOLD.sub(r"*\2*", text)
    text = _STRIKE.sub(r"~\1~", text)
    return re.sub(r"\x00(\d+)\x00", lambda m: links[int(m.group(1))], text)


def _escape(text: str) -> str:
    """Escape `&`, `<`, `>` except in Slack tokens and already escaped entities."""
    out: list[str] = []
    position = 0
    for match in _SLACK_TOKEN.finditer(text):
        out.append(_escape_plain(text[position : match.start()]))
        out.append(match.group(0))
        position = match.end()
    out.append(_escape_plain(text[position:]))
    return "".join(out)


def _escape_plain(text: str) -> str:
    pieces = _ENTITY.split(text)
    entities = _ENTITY.findall(text)
    escaped = [p.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") for p in pieces]
    out = escaped[0]
    for entity, piece in zip(entities, escaped[1:], strict=True):
        out += entity + piece
    return out


def split_message(text: str, limit: int = MESSAGE_CHUNK_CHARS) -> list[str]:
    """`text` in order, in chunks of at most `limit` characters.

    Lines are kept whole where they fit. A code block cut by a split is closed at the end of
    one chunk and reopened at the start of the next, so every chunk renders on its own; a
    block left open at the end is closed.
    """
    if limit < 16:
        raise ValueError("limit must leave room for the code fences")
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    in_code = False
    for line in _fitted_lines(text, limit - 2 * (len(FENCE) + 1)):
        reserve = len(FENCE) + 1 if in_code or line.lstrip().startswith(FENCE) else 0
        added = len(line) + (1 if current else 0)
        if current and size + added + reserve > limit:
            chunks.append(_closed("\n".join(current), in_code))
            current, size = ([FENCE], len(FENCE)) if in_code else ([], 0)
            added = len(line) + (1 if current else 0)
        current.append(line)
        size += added
        if line.lstrip().startswith(FENCE):
            in_code = not in_code
    if current:
        chunks.append(_closed("\n".join(current), in_code))
    return [chunk for chunk in chunks if chunk.strip()] or [text[:limit]]


def _closed(chunk: str, in_code: bool) -> str:
    return f"{chunk}\n{FENCE}" if in_code else chunk


def _fitted_lines(text: str, width: int) -> Iterator[str]:
    """The lines of `text`, a line longer than `width` cut into pieces (at a space if any)."""
    for line in text.split("\n"):
        while len(line) > width:
            cut = line.rfind(" ", width // 2, width)
            cut = cut if cut > 0 else width
            yield line[:cut]
            line = line[cut:]
        yield line
