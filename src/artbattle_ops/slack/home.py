"""The App Home tab and the assistant pane's suggested prompts: what the user's role can ask.

Both read the tool manifest (descriptions, example questions, roles), so the tab never offers a
tool the gateway would refuse the user.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from artbattle_ops.slack.blocks import Block, context, section
from artbattle_ops.tools.manifest import Manifest, ToolSpec

NO_ROLE_TEXT: Final = "No authorized role was found for your user."
NO_TOOLS_TEXT: Final = "Your role currently has no enabled tools."
GREETING_TEXT: Final = (
    "Hi! I answer questions about Art Battle events, artists, payments and campaigns. "
    "Ask in plain language, or start from one of these:"
)
_SECTION_BUDGET: Final = 2800
DOMAIN_TITLES: Final = {
    "data-read": "Events, artists and auctions",
    "profile-integrity": "Artist profiles",
    "payments": "Payments",
    "growth-marketing": "Marketing and campaigns",
    "platform-db-edge": "Platform health",
    "bot-observability": "This assistant",
}


def home_view(role: str | None, manifest: Manifest, command: str) -> dict[str, Any]:
    """The `home` view published for a user with `role` (None: no role)."""
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Art Battle operations"}},
    ]
    tools = manifest.for_role(role) if role else ()
    if role is None:
        blocks.append(section(NO_ROLE_TEXT))
    elif not tools:
        blocks.append(section(NO_TOOLS_TEXT))
    else:
        blocks.append(section(_how_to_ask(role, command)))
        blocks.extend(_domain_blocks(tools))
    return {"type": "home", "blocks": blocks}


def example_questions(role: str | None, manifest: Manifest, limit: int = 4) -> list[str]:
    """One example per read tool the role may use, in manifest order, up to `limit`."""
    if role is None:
        return []
    specs = [spec for spec in manifest.for_role(role) if spec.examples]
    reads = [spec for spec in specs if not spec.is_write]
    return [spec.examples[0] for spec in reads or specs][:limit]


def _how_to_ask(role: str, command: str) -> str:
    return (
        f"Your role: *{role}*. Mention me in a channel, send me a direct message, or use "
        f"`{command} <question>`. Changes always ask for your confirmation first."
    )


def _domain_blocks(tools: Sequence[ToolSpec]) -> list[Block]:
    by_domain: dict[str, list[ToolSpec]] = {}
    for spec in tools:
        by_domain.setdefault(spec.domain, []).append(spec)
    blocks: list[Block] = []
    for domain, specs in by_domain.items():
        blocks.append({"type": "divider"})
        blocks.append(section(_domain_text(domain, specs)))
    blocks.append(context("Examples come from the tool catalogue; ask in your own words."))
    return blocks


def _domain_text(domain: str, specs: Sequence[ToolSpec]) -> str:
    lines = [f"*{DOMAIN_TITLES.get(domain, domain)}*"]
    size = len(lines[0])
    for index, spec in enumerate(specs):
        line = _tool_line(spec)
        if size + len(line) + 1 > _SECTION_BUDGET:
            lines.append(f"…and {len(specs) - index} more")
            break
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines)


def _tool_line(spec: ToolSpec) -> str:
    mark = " (asks for confirmation)" if spec.is_write else ""
    example = f" — _“{spec.examples[0]}”_" if spec.examples else ""
    return f"• {_first_sentence(spec.description)}{mark}{example}"


def _first_sentence(text: str) -> str:
    sentence = text.strip().split(". ")[0].rstrip(".")
    return f"{sentence}."
