"""Plans: the tools chosen, their arguments, the lookups put first, and what is asked back."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from artbattle_ops.router.offline import OfflineRouter, Plan, Vocabulary
from artbattle_ops.tools.manifest import load_manifest

MANIFEST = load_manifest()
ALL_TOOLS = MANIFEST.names
NOW = datetime(2026, 12, 3, 15, 0, tzinfo=ZoneInfo("America/Toronto"))
ROUTER = OfflineRouter.from_manifest(
    MANIFEST,
    Vocabulary.of(cities=["Toronto", "Boston", "Montréal"], artists=["Maya Chen", "Diego Alvarez"]),
    clock=lambda: NOW,
)
PROFILE = "02ea9b6f-649f-552a-a1e9-f6d6e8a47c4e"
ROLES = ("ops", "event-producer", "finance", "marketing", "viewer")


def plan(question: str, tools: tuple[str, ...] = ALL_TOOLS) -> Plan:
    return ROUTER.plan(question, tools)


def calls(result: Plan) -> list[tuple[str, dict[str, object]]]:
    return [(step.tool, dict(step.arguments)) for step in result.steps]


def test_an_eid_question_calls_the_tool_with_the_normalised_eid() -> None:
    result = plan("who still needs to be paid for ab4001?")

    assert calls(result) == [("get_artists_owed", {"eid": "AB4001"})]


def test_a_typo_in_the_tool_word_still_finds_the_tool() -> None:
    assert plan("revnue per artsit at AB4002").chosen[0] == "get_auction_revenue"


def test_group_by_is_read_from_per_artist() -> None:
    assert calls(plan("auction revenue per artist at AB4002")) == [
        ("get_auction_revenue", {"eid": "AB4002", "group_by": "artist"})
    ]


def test_a_city_and_date_put_lookup_event_first_and_bind_its_eid() -> None:
    result = plan("How did Toronto do last night?")

    assert calls(result)[0] == ("lookup_event", {"city": "Toronto", "on_date": "2026-12-02"})
    assert dict(result.steps[1].bind) == {"eid": "event"}


def test_a_question_with_two_asks_plans_both_after_one_lookup() -> None:
    result = plan("How much did we make in Toronto last night, and who still needs to be paid?")

    assert result.chosen == ("lookup_event", "get_auction_revenue", "get_artists_owed")


def test_a_plan_never_has_more_than_three_steps() -> None:
    result = plan("ticket sales in Boston tonight, and the ads, and the sms campaigns, and votes")

    assert len(result.steps) <= 3


def test_a_missing_required_eid_is_asked_for_instead_of_guessed() -> None:
    result = plan("what did the auction make?")

    assert result.steps == ()
    assert result.clarification == (
        "Which event do you mean? Give its EID, e.g. AB4001, or a city and date."
    )


def test_a_tool_the_role_cannot_use_is_never_planned() -> None:
    viewer_tools = tuple(t for t in ALL_TOOLS if "viewer" in MANIFEST[t].allowed_roles)

    result = plan("who still needs to be paid for AB4001?", viewer_tools)

    assert "get_artists_owed" not in result.chosen


def test_an_art_code_supplies_the_eid_of_its_event() -> None:
    assert calls(plan("who bid on ab4002-2-3?")) == [
        ("get_bid_history", {"eid": "AB4002", "art_id": "AB4002-2-3"})
    ]


def test_a_phone_question_calls_the_conversation_with_the_phone_key() -> None:
    assert calls(plan("show the texts with 617-555-0142")) == [
        ("get_sms_conversation", {"phone": "+16175550142"})
    ]


def test_an_exchange_question_reads_both_currencies_and_the_amount() -> None:
    assert calls(plan("how much is 500 cad in usd")) == [
        ("get_exchange_rates", {"base_currency": "CAD", "target_currency": "USD", "amount": 500.0})
    ]


def test_an_artist_name_is_looked_up_before_the_tool_that_needs_its_id() -> None:
    result = plan("payment history for Diego Alvarez")

    assert calls(result)[0] == ("lookup_artist_profile", {"query": "Diego Alvarez"})
    assert dict(result.steps[1].bind) == {"artist_profile_id": "artist"}


def test_an_artist_number_is_looked_up_by_entry_id() -> None:
    assert calls(plan("who is artist number 310245")) == [
        ("lookup_artist_profile", {"query": "310245", "search_by": "entry_id"})
    ]


def test_a_fully_specified_write_is_planned_for_the_gateway_to_confirm() -> None:
    result = plan(f"rename artist {PROFILE} to Diego Álvarez")

    assert calls(result) == [
        ("update_artist_name", {"artist_profile_id": PROFILE, "new_name": "Diego Álvarez"})
    ]


@pytest.mark.parametrize(
    "question",
    [
        "pay Diego Alvarez 65 CAD for AB4001",
        "pay artist 02ea9b6f-649f-552a-a1e9-f6d6e8a47c4e for AB4001",
        "rename Maya Chen to Maya C",
        "remind the buyer to pay",
        "invite Diego Alvarez to AB4015",
        "set the country of Maya Chen to Canada",
        f"update the bio of {PROFILE}",
    ],
    ids=["name-not-id", "no-amount", "rename-by-name", "no-art", "no-message", "by-name", "no-bio"],
)
def test_a_write_missing_an_argument_is_never_planned(question: str) -> None:
    result = plan(question)

    assert not any(MANIFEST[step.tool].is_write for step in result.steps)
    assert result.clarification is not None


def test_a_question_about_nothing_known_asks_what_is_needed() -> None:
    result = plan("hello there")

    assert (result.steps, result.clarification is not None) == ((), True)


WORDS = st.sampled_from(
    [
        "pay",
        "rename",
        "invite",
        "remind",
        "set",
        "country",
        "bio",
        "to",
        "for",
        "artist",
        "AB4001",
        "ab4002-2-3",
        "Maya",
        "Chen",
        "75",
        "CAD",
        "Toronto",
        "tonight",
        "message",
        "'hi'",
        "refresh",
        "weights",
        "02ea9b6f-649f-552a-a1e9-f6d6e8a47c4e",
        "buyer",
        "the",
        "please",
        "send",
        "update",
        "name",
        "change",
    ]
)


@settings(max_examples=50, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=12))
def test_every_planned_write_has_all_its_required_arguments_from_the_question(
    words: list[str],
) -> None:
    result = plan(" ".join(words))

    for step in result.steps:
        spec = MANIFEST[step.tool]
        if spec.is_write:
            assert not step.bind
            assert set(spec.parameters.get("required", ())) <= set(step.arguments)


def tools_of(role: str) -> tuple[str, ...]:
    return tuple(name for name, spec in MANIFEST.items() if role in spec.allowed_roles)


@pytest.mark.parametrize(
    ("question", "role", "tool"),
    [
        ("Who still needs to be paid for AB4001?", "viewer", "get_artists_owed"),
        ("set the country of artist Maya Chen to NZ", "viewer", "update_artist_country"),
        ("pay Diego Alvarez 40 CAD for AB4001", "marketing", "process_artist_payment"),
    ],
    ids=["viewer-owed", "viewer-write", "marketing-payment"],
)
def test_a_question_only_another_role_can_answer_names_the_tool_and_its_roles(
    question: str, role: str, tool: str
) -> None:
    result = plan(question, tools_of(role))

    roles = ", ".join(r for r in ROLES if r in MANIFEST[tool].allowed_roles)
    assert (result.steps, result.clarification) == (
        (),
        f"That needs `{tool}`, which your role cannot use (it is for: {roles}). Ask someone "
        "with one of those roles, or ask about something your role covers.",
    )


def test_a_nearby_tool_the_role_has_still_answers() -> None:
    result = plan("show me the bid history for AB4001", tools_of("viewer"))

    assert (result.chosen[0], result.clarification) == ("lookup_artwork_bids", None)


def test_look_up_artist_and_a_name_finds_the_artist_profile() -> None:
    assert plan("Look up artist Maya Chen").chosen == ("lookup_artist_profile",)
