"""The caller's toolset as the model sees it: MCP tools as OpenAI function tools.

Pre-selection: a request offers every tool of the caller's role while the toolset is within
`MAX_OFFERED_TOOLS` (all 49 fit); past that, the tools whose names and descriptions share the
most words with the question are kept, so a larger catalogue never exceeds what a model accepts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Final

import mcp_types as types

from artbattle_ops.router.model import ToolSpec

MAX_OFFERED_TOOLS: Final = 64
_WORD = re.compile(r"[a-z0-9]+")
EMPTY_SCHEMA: Final = {"type": "object", "properties": {}}


def openai_tool(tool: types.Tool) -> ToolSpec:
    """One MCP tool as a function tool; its input schema is the parameters as is."""
    schema: dict[str, Any] = dict(tool.input_schema or EMPTY_SCHEMA)
    return {
        "type": "function",
        "function": {
            "name": tool.name,
            "description": tool.description or "",
            "parameters": schema,
        },
    }


def preselect(
    tools: Sequence[types.Tool], question: str, limit: int = MAX_OFFERED_TOOLS
) -> list[types.Tool]:
    """The tools to offer for `question`, in catalogue order."""
    if len(tools) <= limit:
        return list(tools)
    words = set(_WORD.findall(question.lower()))
    scored = sorted(range(len(tools)), key=lambda i: (-_overlap(tools[i], words), i))
    keep = set(scored[:limit])
    return [tool for i, tool in enumerate(tools) if i in keep]


def _overlap(tool: types.Tool, words: set[str]) -> int:
    text = f"{tool.name.replace('_', ' ')} {tool.description or ''}".lower()
    return len(words & set(_WORD.findall(text)))
