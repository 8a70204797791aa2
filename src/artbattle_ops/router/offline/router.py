"""The offline router: answers a question with the gateway's tools and no language model.

`OfflineRouter.from_manifest` builds the index once. `plan` is pure; `answer` runs a plan through
the caller's MCP call function, feeding what a lookup found (an EID, an artist_profile_id, a
person_id) into the steps that need it, and formats the results as Slack mrkdwn.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from artbattle_ops.router.offline.arguments import Source
from artbattle_ops.router.offline.formatters import event_line, render
from artbattle_ops.router.offline.plan import Plan, Planner, Step
from artbattle_ops.router.offline.resolve import resolve
from artbattle_ops.router.offline.vocabulary import Vocabulary
from artbattle_ops.tools.manifest import Manifest, load_manifest

logger = logging.getLogger(__name__)

CallTool = Callable[[str, dict[str, Any]], Awaitable[dict[str, Any]]]
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class OfflineAnswer:
    """The reply text, the tools called in order, and the question asked back, if any."""

    text: str
    tools_used: list[str] = field(default_factory=list)
    clarification: str | None = None


class OfflineRouter:
    """Plans and answers questions from the manifest's tools, deterministically."""

    def __init__(
        self,
        manifest: Mapping[str, Any],
        vocabulary: Vocabulary,
        timezone: str = "America/Toronto",
        clock: Clock | None = None,
    ) -> None:
        self._planner = Planner(manifest, vocabulary)
        self._zone = ZoneInfo(timezone)
        self._clock = clock or (lambda: datetime.now(self._zone))

    @classmethod
    def from_manifest(
        cls,
        manifest: Manifest | None = None,
        vocabulary: Vocabulary | None = None,
        timezone: str = "America/Toronto",
        clock: Clock | None = None,
    ) -> OfflineRouter:
        """A router over `manifest` (default: the repository's), with what exists in the data."""
        return cls(manifest or load_manifest(), vocabulary or Vocabulary(), timezone, clock)

    def today(self) -> date:
        """Today in the display time zone (relative dates are read against it)."""
        return self._clock().astimezone(self._zone).date()

    def plan(self, question: str, available_tools: Iterable[str]) -> Plan:
        """The tool calls for `question`, using only `available_tools` (already role-filtered)."""
        return self._planner.plan(question, available_tools, self.today())

    async def answer(
        self, question: str, available_tools: Iterable[str], call_tool: CallTool
    ) -> OfflineAnswer:
        """Run the plan with `call_tool` (name, arguments -> envelope); format the results."""
        plan = self.plan(question, available_tools)
        sections: list[str] = []
        used: list[str] = []
        found: dict[Source, str] = {}
        for step in plan.steps:
            arguments = {
                **step.arguments,
                **{a: found[s] for a, s in step.bind.items() if s in found},
            }
            if any(source not in found for source in step.bind.values()):
                break
            envelope = await call_tool(step.tool, arguments)
            used.append(step.tool)
            if step.provides is None:
                sections.append(render(envelope))
                continue
            outcome = resolve(step.provides, envelope, plan.entities)
            if outcome.value is None or _is_last_lookup(step, plan):
                sections.append(render(envelope))
                if outcome.value is None and outcome.question:
                    return _answer(sections, used, outcome.question)
                continue
            found[step.provides] = outcome.value
            sections.append(_using(step, envelope, outcome.value))
        logger.info("offline_router_answered", extra={"tools": used, "steps": len(plan.steps)})
        return _answer(sections, used, plan.clarification)


def _is_last_lookup(step: Step, plan: Plan) -> bool:
    return not any(step.provides in later.bind.values() for later in plan.steps)


def _using(step: Step, envelope: Mapping[str, Any], value: str) -> str:
    if step.provides == "event":
        events = _events(envelope)
        chosen = next((event for event in events if event.get("eid") == value), {"eid": value})
        return f"Using {event_line(chosen)}"
    return f"Using {step.provides} `{value}`"


def _events(envelope: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    data = envelope.get("data") or {}
    if isinstance(data.get("event"), Mapping):
        return [data["event"]]
    return [
        *(data.get("upcoming") or {}).get("items", []),
        *(data.get("recent_past") or {}).get("items", []),
    ]


def _answer(sections: list[str], used: list[str], clarification: str | None) -> OfflineAnswer:
    text = "\n\n".join([*sections, *([clarification] if clarification else [])])
    return OfflineAnswer(text=text, tools_used=used, clarification=clarification)
