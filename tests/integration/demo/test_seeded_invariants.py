"""The loaded demo data keeps the rules of schema.md §8, checked with SQL written for the test.

Each query counts the rows that break a rule, so a passing test means zero offenders.
"""

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import psycopg
import pytest

from tests.conftest import SeededDemo


@pytest.fixture(scope="module")
def conn(seeded_demo: SeededDemo) -> Iterator[psycopg.Connection]:
    with psycopg.connect(seeded_demo.url) as connection:
        yield connection


def scalar(conn: psycopg.Connection, query: str, params: tuple[Any, ...] = ()) -> Any:
    row = conn.execute(query, params).fetchone()
    assert row is not None
    return row[0]


VIOLATIONS = {
    "art code is eid-round-easel": """
        SELECT count(*) FROM art a JOIN events e ON e.id = a.event_id
        WHERE a.art_code <> e.eid || '-' || a.round || '-' || a.easel""",
    "easel numbers fit the round": """
        SELECT count(*) FROM art
        WHERE round NOT BETWEEN 1 AND 3
           OR (round IN (1, 2) AND easel NOT BETWEEN 1 AND 6)
           OR (round = 3 AND easel NOT BETWEEN 1 AND 4)""",
    "finished events have 6, 6 and 4 works": """
        SELECT count(*) FROM (
            SELECT e.id, count(*) FILTER (WHERE a.round = 1) AS r1,
                   count(*) FILTER (WHERE a.round = 2) AS r2,
                   count(*) FILTER (WHERE a.round = 3) AS r3
            FROM events e JOIN art a ON a.event_id = e.id
            WHERE e.event_end_datetime < now() - interval '1 hour'
            GROUP BY e.id
        ) shape WHERE (r1, r2, r3) <> (6, 6, 4)""",
    "contestant art matches its placement": """
        SELECT count(*) FROM round_contestants rc
        JOIN rounds r ON r.id = rc.round_id
        JOIN art a ON a.id = rc.art_id
        WHERE a.event_id <> r.event_id OR a.round <> r.round_number
           OR a.easel <> rc.easel_number""",
    "vote fields repeat the art's": """
        SELECT count(*) FROM votes v JOIN art a ON a.id = v.art_uuid
        JOIN events e ON e.id = a.event_id
        WHERE v.event_id <> a.event_id OR v.round <> a.round OR v.easel <> a.easel
           OR v.eid <> e.eid OR (v.art_id IS NOT NULL AND v.art_id <> a.art_code)""",
    "vote_count equals the votes": """
        SELECT count(*) FROM art a
        WHERE a.vote_count <> (SELECT count(*) FROM votes v WHERE v.art_uuid = a.id)""",
    "one vote per person per round": """
        SELECT count(*) FROM (
            SELECT event_id, round, person_id FROM votes
            GROUP BY 1, 2, 3 HAVING count(*) > 1) dup""",
    "vote factors lie between 1 and 7": """
        SELECT count(*) FROM votes WHERE vote_factor < 1 OR vote_factor > 7""",
    "bid_count and current_bid follow the bids": """
        SELECT count(*) FROM art a
        LEFT JOIN LATERAL (SELECT count(*) AS n, max(amount) AS top
                           FROM bids b WHERE b.art_id = a.id) b ON true
        WHERE a.bid_count <> b.n OR a.current_bid <> COALESCE(b.top, 50)""",
    "each bid beats the previous by 5, the first is at least 55": """
        SELECT count(*) FROM (
            SELECT amount,
                   lag(amount) OVER (PARTITION BY art_id ORDER BY created_at, amount) AS prev
            FROM bids) x
        WHERE (prev IS NULL AND amount < 55) OR (prev IS NOT NULL AND amount < prev + 5)""",
    "sold and paid works went to the top bidder": """
        SELECT count(*) FROM art a
        WHERE a.status IN ('sold', 'paid') AND (a.bid_count = 0 OR a.winner_id IS DISTINCT FROM (
            SELECT b.person_id FROM bids b WHERE b.art_id = a.id
            ORDER BY b.amount DESC, b.created_at DESC LIMIT 1))""",
    "closed works had no bids": """
        SELECT count(*) FROM art
        WHERE status = 'closed'
          AND (bid_count <> 0 OR current_bid <> 50 OR winner_id IS NOT NULL)""",
    "bids come before the work's closing time": """
        SELECT count(*) FROM bids b JOIN art a ON a.id = b.art_id
        WHERE a.closing_time IS NOT NULL AND b.created_at > a.closing_time""",
    "extension count agrees with the extended flag": """
        SELECT count(*) FROM art WHERE (extension_count > 0) <> auction_extended""",
    "payout net is gross minus fees": """
        SELECT count(*) FROM artist_payments
        WHERE net_amount <> gross_amount - platform_fee - stripe_fee""",
    "art-linked payouts point at a paid work of the artist": """
        SELECT count(*) FROM artist_payments p JOIN art a ON a.id = p.art_id
        WHERE a.status <> 'paid' OR a.artist_id IS DISTINCT FROM p.artist_profile_id""",
    "EIDs are AB and four or more digits": """
        SELECT count(*) FROM events WHERE eid !~ '^AB[0-9]{4,}$'""",
    "offer redeemed_count equals the redemptions": """
        SELECT count(*) FROM offers o
        WHERE o.redeemed_count <> (SELECT count(*) FROM offer_redemptions r
                                   WHERE r.offer_id = o.id)""",
    "Eventbrite revenue is net deposit plus fees": """
        SELECT count(*) FROM eventbrite_api_cache
        WHERE ticket_revenue <> net_deposit + total_fees
           OR expires_at <> fetched_at + interval '6 hours'""",
    "vote_weights stays empty": "SELECT count(*) FROM vote_weights",
}


@pytest.mark.parametrize("rule", list(VIOLATIONS))
def test_no_row_breaks_the_rule(conn: psycopg.Connection, rule: str) -> None:
    assert scalar(conn, VIOLATIONS[rule]) == 0


def test_event_currency_is_the_country_currency_except_the_mismatch_fixture(
    conn: psycopg.Connection,
) -> None:
    rows = conn.execute(
        """
        SELECT e.eid FROM events e
        JOIN cities ci ON ci.id = e.city_id JOIN countries co ON co.id = ci.country_id
        WHERE e.currency IS DISTINCT FROM co.currency_code AND e.currency IS NOT NULL
        """
    ).fetchall()

    assert [r[0] for r in rows] == ["AB4013"]


def test_demo_has_exactly_one_super_fan_vote(conn: psycopg.Connection) -> None:
    assert scalar(conn, "SELECT count(*) FROM votes WHERE vote_factor = 7.00") == 1


OWED = """
WITH credits AS (
    SELECT a.artist_id, e.currency,
           sum(COALESCE(a.final_price, a.current_bid) * e.artist_auction_portion) AS amount
    FROM art a JOIN events e ON e.id = a.event_id
    WHERE a.status = 'paid' AND a.artist_id IS NOT NULL AND e.currency IS NOT NULL
    GROUP BY 1, 2
), debits AS (
    SELECT artist_profile_id AS artist_id, currency, sum(gross_amount) AS amount
    FROM artist_payments
    WHERE status IN ('paid', 'verified', 'processing', 'pending')
    GROUP BY 1, 2
)
SELECT c.artist_id, c.currency,
       round(greatest(c.amount - COALESCE(d.amount, 0), 0), 2) AS balance
FROM credits c LEFT JOIN debits d USING (artist_id, currency)
WHERE c.amount - COALESCE(d.amount, 0) > 0.01
"""


def test_demo_owes_between_8_and_15_artists(conn: psycopg.Connection) -> None:
    owed = conn.execute(OWED).fetchall()

    assert 8 <= len({artist for artist, _, _ in owed}) <= 15


def test_charity_event_owes_nothing(conn: psycopg.Connection) -> None:
    credited = scalar(
        conn,
        """
        SELECT COALESCE(sum(COALESCE(a.final_price, a.current_bid) * e.artist_auction_portion), 0)
        FROM art a JOIN events e ON e.id = a.event_id
        WHERE e.eid = 'AB4005' AND a.status = 'paid'
        """,
    )

    assert credited == Decimal("0")


def test_owed_unpaid_fixture_artist_is_owed(
    conn: psycopg.Connection, seeded_demo: SeededDemo
) -> None:
    owed_ids = {str(artist) for artist, _, _ in conn.execute(OWED).fetchall()}
    fixture = seeded_demo.fixtures["owed_unpaid_artist"]
    artist_id = fixture.get("artist_profile_id") or fixture.get("artist_id")

    assert str(artist_id) in owed_ids


def test_row_counts_in_the_database_match_the_generator(
    conn: psycopg.Connection, seeded_demo: SeededDemo
) -> None:
    counted = {
        table: scalar(conn, f"SELECT count(*) FROM {table}")  # names come from the generator
        for table in seeded_demo.row_counts
    }

    assert counted == seeded_demo.row_counts


def test_demo_meta_records_the_run(conn: psycopg.Connection, seeded_demo: SeededDemo) -> None:
    meta: dict[str, Any] = dict(conn.execute("SELECT key, value FROM demo_meta").fetchall())

    assert (meta["marker"], meta["scale"], meta["seed"]) == (True, "demo", 1)
