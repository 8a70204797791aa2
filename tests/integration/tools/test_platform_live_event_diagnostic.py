"""live_event_diagnostic (tools.md §7.5) on the live fixture event AB4003 and others.

The live-event issues are states the generator never produces, so those tests change AB4003's
rows for the test and put them back afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "live_event_diagnostic"
LIVE = "AB4003"


def _run(demo_gateway: DemoGateway, statement: str, params: dict[str, Any]) -> None:
    with psycopg.connect(demo_gateway.demo.url) as conn:
        conn.execute(statement, params)


def _issue(envelope: dict[str, Any], code: str) -> dict[str, Any] | None:
    issues: list[dict[str, Any]] = envelope["data"]["issues"]["items"]
    return next((issue for issue in issues if issue["code"] == code), None)


def _severity_and_details(envelope: dict[str, Any], code: str) -> tuple[str, list[str]] | None:
    issue = _issue(envelope, code)
    return None if issue is None else (issue["severity"], issue["details"])


@pytest.fixture
def overdue_artwork(demo_gateway: DemoGateway) -> Iterator[str]:
    """AB4003-1-1 still active 10 minutes after its closing time."""
    update = "UPDATE art SET closing_time = %(closing)s WHERE art_code = 'AB4003-1-1'"
    _run(demo_gateway, update, {"closing": datetime.now(UTC) - timedelta(minutes=10)})
    yield "AB4003-1-1"
    _run(demo_gateway, update, {"closing": None})


@pytest.fixture
def expired_round_timer(demo_gateway: DemoGateway) -> Iterator[None]:
    """AB4003's unfinished round 2 with a painting timer that ended 5 minutes ago."""
    [(closing,)] = demo_gateway.sql(
        "SELECT r.closing_time FROM rounds r JOIN events e ON e.id = r.event_id"
        " WHERE e.eid = 'AB4003' AND r.round_number = 2"
    )
    update = (
        "UPDATE rounds SET closing_time = %(closing)s FROM events e"
        " WHERE e.id = rounds.event_id AND e.eid = 'AB4003' AND rounds.round_number = 2"
    )
    _run(demo_gateway, update, {"closing": datetime.now(UTC) - timedelta(minutes=5)})
    yield
    _run(demo_gateway, update, {"closing": closing})


@pytest.fixture
def vacated_easel(demo_gateway: DemoGateway) -> Iterator[str]:
    """AB4003-2-4, in a round with contestants, without its artist."""
    [(artist_id,)] = demo_gateway.sql("SELECT artist_id FROM art WHERE art_code = 'AB4003-2-4'")
    update = "UPDATE art SET artist_id = %(artist)s WHERE art_code = 'AB4003-2-4'"
    _run(demo_gateway, update, {"artist": None})
    yield "AB4003-2-4"
    _run(demo_gateway, update, {"artist": artist_id})


@pytest.fixture
def contestant_without_art(demo_gateway: DemoGateway) -> Iterator[None]:
    """A contestant on easel 1 of AB4003's round 3, which has no artworks yet."""
    row_id = str(uuid.uuid4())
    _run(
        demo_gateway,
        "INSERT INTO round_contestants (id, round_id, artist_id, easel_number)"
        " SELECT %(id)s, r.id, (SELECT id FROM artist_profiles ORDER BY entry_id LIMIT 1), 1"
        " FROM rounds r JOIN events e ON e.id = r.event_id"
        " WHERE e.eid = 'AB4003' AND r.round_number = 3",
        {"id": row_id},
    )
    yield
    _run(demo_gateway, "DELETE FROM round_contestants WHERE id = %(id)s", {"id": row_id})


@pytest.fixture
def contestant_linked_by_code(demo_gateway: DemoGateway) -> Iterator[None]:
    """AB4003's round-2 easel-3 contestant without art_id, so only the art code links it."""
    [(contestant_id, art_id)] = demo_gateway.sql(
        "SELECT rc.id, rc.art_id FROM round_contestants rc JOIN rounds r ON r.id = rc.round_id"
        " JOIN events e ON e.id = r.event_id"
        " WHERE e.eid = 'AB4003' AND r.round_number = 2 AND rc.easel_number = 3"
    )
    update = "UPDATE round_contestants SET art_id = %(art)s WHERE id = %(id)s"
    _run(demo_gateway, update, {"art": None, "id": contestant_id})
    yield
    _run(demo_gateway, update, {"art": art_id, "id": contestant_id})


@pytest.fixture
def hidden_live_event(demo_gateway: DemoGateway) -> Iterator[None]:
    """AB4003 taken out of the app while it runs."""
    update = "UPDATE events SET show_in_app = %(shown)s WHERE eid = 'AB4003'"
    _run(demo_gateway, update, {"shown": False})
    yield
    _run(demo_gateway, update, {"shown": True})


def test_the_summary_counts_rounds_contestants_and_artworks(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": LIVE})

    [expected] = demo_gateway.sql(
        "SELECT (SELECT count(*) FROM rounds WHERE event_id = e.id),"
        " (SELECT count(*) FROM rounds WHERE event_id = e.id AND is_finished),"
        " (SELECT count(*) FROM round_contestants rc JOIN rounds r ON r.id = rc.round_id"
        "   WHERE r.event_id = e.id),"
        " (SELECT count(*) FROM art WHERE event_id = e.id)"
        " FROM events e WHERE e.eid = 'AB4003'"
    )
    summary = envelope["data"]["summary"]
    assert (
        summary["round_count"],
        summary["finished_rounds"],
        summary["contestant_count"],
        summary["artwork_count"],
    ) == expected


def test_bids_and_votes_are_totalled_through_the_events_artworks(
    demo_gateway: DemoGateway,
) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": LIVE})

    [(bids, votes, weighted)] = demo_gateway.sql(
        "SELECT (SELECT count(*) FROM bids b JOIN art a ON a.id = b.art_id"
        "   WHERE a.event_id = e.id),"
        " (SELECT count(*) FROM votes v JOIN art a ON a.id = v.art_uuid WHERE a.event_id = e.id),"
        " (SELECT sum(COALESCE(v.vote_factor, 1)) FROM votes v JOIN art a ON a.id = v.art_uuid"
        "   WHERE a.event_id = e.id)"
        " FROM events e WHERE e.eid = 'AB4003'"
    )
    summary = envelope["data"]["summary"]
    assert (summary["total_bids"], summary["total_votes"], summary["weighted_votes"]) == (
        bids,
        votes,
        float(weighted),
    )


def test_the_live_event_is_in_progress_and_visible(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "ab-4003"})

    event = envelope["data"]["event"]
    assert (event["eid"], event["phase"], event["visible_in_app"], event["start"]["tz_basis"]) == (
        LIVE,
        "in_progress",
        True,
        "event",
    )


def test_an_alternate_without_an_easel_is_never_a_contestant_without_art(
    demo_gateway: DemoGateway,
) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": LIVE})

    alternates = [c for c in envelope["data"]["contestants"]["items"] if c["easel_number"] is None]
    assert (
        len(alternates),
        alternates[0]["art_code"],
        _issue(envelope, "contestant_without_art"),
    ) == (
        1,
        None,
        None,
    )


def test_winners_are_contestants_with_a_positive_is_winner(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": LIVE})

    rows = demo_gateway.sql(
        "SELECT r.round_number, rc.easel_number FROM round_contestants rc"
        " JOIN rounds r ON r.id = rc.round_id JOIN events e ON e.id = r.event_id"
        " WHERE e.eid = 'AB4003' AND rc.is_winner > 0 ORDER BY 1, 2"
    )
    winners = [
        (c["round_number"], c["easel_number"])
        for c in envelope["data"]["contestants"]["items"]
        if c["is_winner"] is True
    ]
    assert winners == rows


@pytest.mark.usefixtures("contestant_linked_by_code")
def test_a_contestant_without_art_id_is_matched_by_art_code(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": LIVE})

    [contestant] = [
        c
        for c in envelope["data"]["contestants"]["items"]
        if (c["round_number"], c["easel_number"]) == (2, 3)
    ]
    assert (contestant["art_code"], contestant["art_status"]) == ("AB4003-2-3", "active")


@pytest.mark.usefixtures("contestant_without_art")
def test_a_contestant_on_an_easel_without_artwork_is_reported(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": LIVE})

    assert _severity_and_details(envelope, "contestant_without_art") == (
        "warning",
        ["round 3 easel 1"],
    )


def test_an_active_artwork_past_its_closing_time_is_an_overdue_auction(
    demo_gateway: DemoGateway, overdue_artwork: str
) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": LIVE})

    assert _severity_and_details(envelope, "auction_overdue") == ("error", [overdue_artwork])


@pytest.mark.usefixtures("expired_round_timer")
def test_an_unfinished_round_past_its_timer_is_reported(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": LIVE})

    assert _severity_and_details(envelope, "round_timer_expired") == ("warning", ["round 2"])


def test_an_artwork_whose_easel_was_vacated_is_reported(
    demo_gateway: DemoGateway, vacated_easel: str
) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": LIVE})

    assert _severity_and_details(envelope, "artwork_without_artist") == ("info", [vacated_easel])


def test_activity_counts_bids_and_votes_of_the_last_10_minutes(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": LIVE})

    [expected] = demo_gateway.sql(
        "SELECT (SELECT count(*) FROM bids b JOIN art a ON a.id = b.art_id"
        "   WHERE a.event_id = e.id AND b.created_at >= %s::timestamptz - interval '10 min'),"
        " (SELECT count(*) FROM votes v JOIN art a ON a.id = v.art_uuid"
        "   WHERE a.event_id = e.id AND v.created_at >= %s::timestamptz - interval '10 min')"
        " FROM events e WHERE e.eid = 'AB4003'",
        (envelope["meta"]["generated_at"],) * 2,
    )
    summary = envelope["data"]["summary"]
    assert (summary["bids_last_10_min"], summary["votes_last_10_min"]) == expected


@pytest.mark.usefixtures("hidden_live_event")
def test_a_live_event_hidden_from_the_app_is_an_error(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": LIVE})

    assert _severity_and_details(envelope, "event_not_visible") == ("error", [])


def test_an_event_updated_after_its_cache_shows_cache_lag(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB4006"})

    assert _severity_and_details(envelope, "cache_lag") == ("warning", [])


def test_an_event_that_is_not_live_is_reported_with_its_phase(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB4006"})

    issue = _issue(envelope, "event_not_live") or {}
    assert "phase: upcoming" in issue.get("message", "")


def test_the_cache_lists_the_events_paths_newest_first(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": LIVE})

    rows = demo_gateway.sql(
        "SELECT endpoint_path FROM endpoint_cache_versions WHERE event_eid = 'AB4003'"
        " ORDER BY last_updated DESC, endpoint_path"
    )
    paths = envelope["data"]["cache"]["paths"]["items"]
    assert [p["endpoint_path"] for p in paths] == [row[0] for row in rows]


def test_current_bids_are_money_in_the_events_currency(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": LIVE})

    [(currency,)] = demo_gateway.sql("SELECT currency FROM events WHERE eid = 'AB4003'")
    currencies = {a["current_bid"]["currency"] for a in envelope["data"]["artworks"]["items"]}
    assert currencies == {currency}


def test_viewers_may_run_the_diagnostic(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": LIVE}, role="viewer")

    assert envelope["ok"] is True


def test_an_unknown_event_is_not_found(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB9999"})

    assert (envelope["error"]["code"], envelope["error"]["argument"]) == ("not_found", "eid")


@pytest.mark.parametrize(
    "arguments",
    [{}, {"eid": "Toronto"}, {"eid": 4003}, {"eid": LIVE, "round": 2}],
    ids=["missing-eid", "city-name", "number", "unknown-key"],
)
def test_bad_arguments_are_invalid_arguments(
    demo_gateway: DemoGateway, arguments: dict[str, Any]
) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


def test_finance_is_denied(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": LIVE}, role="finance")

    assert envelope["error"]["code"] == "role_denied"
