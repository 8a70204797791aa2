"""The generic formatter and the value renderers: money, time, blocks and errors."""

from __future__ import annotations

from typing import Any

from artbattle_ops.router.offline.formatters import render
from artbattle_ops.router.offline.money import money_text, scalar_text

TIME = {"utc": "2026-11-27T00:00:00Z", "local": "2026-11-26T19:00:00-05:00",
        "tz": "America/Toronto", "tz_abbr": "EST", "display": "Thu 26 Nov 2026, 7:00 PM EST",
        "tz_basis": "event"}  # fmt: skip


def envelope(tool: str, data: dict[str, Any], warnings: list[Any] | None = None) -> dict[str, Any]:
    return {"ok": True, "tool": tool, "data": data, "warnings": warnings or [], "meta": {}}


def test_money_is_shown_with_symbol_separators_and_currency() -> None:
    assert money_text({"amount": 1190.0, "currency": "CAD"}) == "$1,190.00 CAD"


def test_money_without_a_currency_is_shown_without_one() -> None:
    assert money_text({"amount": 5, "currency": None}) == "5.00"


def test_a_time_object_is_shown_as_its_local_display() -> None:
    assert scalar_text(TIME) == "Thu 26 Nov 2026, 7:00 PM EST"


def test_a_long_list_is_capped_with_and_n_more() -> None:
    items = [{"name": f"Campaign {n}"} for n in range(12)]
    data = {"campaigns": {"items": items, "count": 12, "total": 30, "truncated": True}}

    text = render(envelope("get_sms_campaigns", data))

    assert ("Campaign 9" in text, "Campaign 10" in text) == (True, False)
    assert "…and 20 more" in text


def test_the_generic_title_comes_from_the_tool_name() -> None:
    text = render(envelope("get_meta_ads_data", {"analysis": None}))

    assert text.splitlines()[0] == "*Meta ads data*"


def test_warnings_are_shown_after_the_data() -> None:
    warning = {"code": "stale_data", "message": "The snapshot is 3 days old."}

    text = render(envelope("get_eventbrite_data", {"linked": True}, [warning]))

    assert text.endswith("_:information_source: The snapshot is 3 days old._")


def test_an_error_shows_its_message_and_never_its_details() -> None:
    error = {"code": "upstream_error", "message": "The database is unreachable.", "hint": None,
             "details": ["psycopg.OperationalError at 10.0.0.4"]}  # fmt: skip

    text = render({"ok": False, "tool": "get_vote_data", "error": error})

    assert ("The database is unreachable." in text, "10.0.0.4" in text) == (True, False)


def test_a_confirmation_request_says_it_waits_for_the_user() -> None:
    error = {"code": "confirmation_required", "message": "Confirm the change."}

    text = render({"ok": False, "tool": "update_artist_name", "error": error})

    assert "needs your confirmation" in text


def test_a_nested_record_is_shown_by_its_name_then_its_other_fields() -> None:
    data = {
        "artist": {"artist_profile_id": "0b7e…", "name": "Priya Nair", "entry_id": 310153},
        "event": {"eid": "AB4002", "name": "Art Battle Toronto"},
        "payout": {"status": "ready", "attempts": 2},
        "counts": {"sent": 3, "failed": 0},
    }

    text = render(envelope("process_artist_payment", data))

    assert text.splitlines()[1:] == [
        "*Artist*: Priya Nair",
        "*Event*: Art Battle Toronto (AB4002)",
        "*Payout*: ready (Attempts 2)",
        "*Counts*: Sent 3, Failed 0",
    ]


def test_every_owed_artist_the_tool_returns_is_listed() -> None:
    rows = [
        {"artist": {"name": f"Artist {n}"}, "balance_owed": {"amount": 100 - n, "currency": "USD"},
         "payout_ready": True}
        for n in range(20)
    ]  # fmt: skip
    data = {
        "summary_mode": True,
        "artists": {"items": rows, "count": 20, "total": 31, "truncated": True},
        "totals_by_currency": {"items": [{"amount": 2000.0, "currency": "USD", "count": 31}]},
    }

    lines = render(envelope("get_artists_owed", data)).splitlines()

    assert lines[0] == "*Artists still owed* (31)"
    assert [line.split(" — ")[0] for line in lines[1:21]] == [f"• *Artist {n}*" for n in range(20)]
    assert lines[21:] == ["…and 11 more", "Totals: $2,000.00 USD (31 artists)"]
