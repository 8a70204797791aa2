"""Running a plan: lookups feed the next steps, ambiguity is asked back, results are formatted."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from artbattle_ops.router.offline import OfflineRouter, Vocabulary
from artbattle_ops.tools.manifest import load_manifest

MANIFEST = load_manifest()
NOW = datetime(2026, 12, 3, 15, 0, tzinfo=ZoneInfo("America/Toronto"))
ROUTER = OfflineRouter.from_manifest(
    MANIFEST, Vocabulary.of(cities=["Toronto"], artists=["Diego Alvarez"]), clock=lambda: NOW
)


def event(eid: str) -> dict[str, Any]:
    return {"eid": eid, "name": f"{eid} – Toronto", "phase": "past", "start": None}


def block(items: list[Any]) -> dict[str, Any]:
    return {"items": items, "count": len(items), "total": len(items), "truncated": False}


def ok(tool: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"ok": True, "tool": tool, "data": data, "warnings": [], "meta": {}}


class FakeGateway:
    """Answers calls from canned envelopes and records them."""

    def __init__(self, envelopes: dict[str, dict[str, Any]]) -> None:
        self.envelopes = envelopes
        self.calls: list[tuple[str, dict[str, Any]]] = []

    async def __call__(self, tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
        self.calls.append((tool, arguments))
        return self.envelopes.get(tool, ok(tool, {}))


def lookup(*eids: str) -> dict[str, Any]:
    search = {"city": "Toronto", "on_date": None}
    return ok("lookup_event", {"search": search, "upcoming": block([]),
                               "recent_past": block([event(e) for e in eids])})  # fmt: skip


async def test_the_eid_found_by_lookup_event_is_passed_to_the_next_tool() -> None:
    gateway = FakeGateway({"lookup_event": lookup("AB4001")})

    answer = await ROUTER.answer("How did Toronto do last night?", MANIFEST.names, gateway)

    assert gateway.calls[1] == ("get_event_summary", {"eid": "AB4001"})
    assert answer.tools_used == ["lookup_event", "get_event_summary"]


async def test_several_matching_events_are_listed_and_asked_about() -> None:
    gateway = FakeGateway({"lookup_event": lookup("AB4013", "AB4001")})

    answer = await ROUTER.answer("How did Toronto do?", MANIFEST.names, gateway)

    assert [call[0] for call in gateway.calls] == ["lookup_event"]
    assert (
        answer.clarification
        == "Which event do you mean? Give its EID, e.g. AB4001, or a city and date."
    )
    assert ("AB4013" in answer.text, "AB4001" in answer.text) == (True, True)


async def test_the_latest_event_is_chosen_when_the_question_says_last() -> None:
    gateway = FakeGateway({"lookup_event": lookup("AB4013", "AB4001")})

    await ROUTER.answer("How did the last Toronto event do?", MANIFEST.names, gateway)

    assert gateway.calls[1] == ("get_event_summary", {"eid": "AB4013"})


async def test_a_clarification_calls_no_tool() -> None:
    gateway = FakeGateway({})

    answer = await ROUTER.answer("what did the auction make?", MANIFEST.names, gateway)

    assert (gateway.calls, answer.tools_used) == ([], [])
    assert answer.text == answer.clarification


async def test_a_tool_error_is_shown_with_its_safe_message_and_hint() -> None:
    error = {"code": "not_found", "message": "No event found with eid AB9999.",
             "hint": "Use lookup_event with a city name to find the EID."}  # fmt: skip
    gateway = FakeGateway({"get_event_summary": {"ok": False, "tool": "get_event_summary",
                                                 "error": error}})  # fmt: skip

    answer = await ROUTER.answer("how did AB9999 do", MANIFEST.names, gateway)

    assert "No event found with eid AB9999." in answer.text
    assert "Use lookup_event with a city name to find the EID." in answer.text


async def test_a_unique_artist_profile_feeds_its_id_to_the_ledger() -> None:
    profile = {"artist_profile_id": "p-1", "name": "Diego Alvarez", "is_active": True}
    found = ok("lookup_artist_profile", {"profiles": block([profile])})
    gateway = FakeGateway({"lookup_artist_profile": found})

    await ROUTER.answer("payment history for Diego Alvarez", MANIFEST.names, gateway)

    assert gateway.calls[1] == ("get_artist_payment_ledger", {"artist_profile_id": "p-1"})
