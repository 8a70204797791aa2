"""The seven write tools through the gateway: the preview call and the confirmed call.

A write is two requests (tools.md §1.9): the first runs the gate, the pre-read and the business
rules and answers `confirmation_required`; the second, with the confirmation id, re-reads the
state and applies the change once (through the Edge emulator for the three Edge-backed writes).
Each confirmed call needs arguments that still change something, so every tool gets a list of
argument sets, each applied once after its own preview, drawn from the bench data.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from typing import Any

import psycopg

from artbattle_ops.demo.edge.tokens import demo_admin_token, service_token

JWT_SECRET = "bench-edge-jwt-secret-4f9a2c7e1b3d-long-enough-for-hs256"
TOKEN_TTL_SEC = 3600
RUNS = 30
# A refresh recalculates every person's weights; a few runs show its cost.
REFRESH_RUNS = 3

# Active profiles with an email on file and no invitation or confirmation for the event.
INVITEES_SQL = """
SELECT ap.id::text
FROM artist_profiles ap
LEFT JOIN people pe ON pe.id = ap.person_id
WHERE ap.superseded_by IS NULL AND ap.entry_id IS NOT NULL AND ap.name IS NOT NULL
  AND COALESCE(NULLIF(btrim(ap.email), ''), NULLIF(btrim(pe.email), '')) IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM artist_invitations i WHERE i.event_eid = %(eid)s
                  AND (i.artist_profile_id = ap.id OR i.artist_number = ap.entry_id::text))
  AND NOT EXISTS (SELECT 1 FROM artist_confirmations c WHERE c.event_eid = %(eid)s
                  AND (c.artist_profile_id = ap.id OR c.artist_number = ap.entry_id::text))
ORDER BY ap.entry_id
LIMIT %(limit)s
"""
# The upcoming event furthest away, so that none starts during the run.
UPCOMING_SQL = """
SELECT eid FROM events
WHERE event_start_datetime > now() + interval '1 day' AND eid LIKE 'AB%%'
ORDER BY event_start_datetime DESC, eid
LIMIT 1
"""
# Sold works whose winner has a phone: each can be reminded once today.
SOLD_SQL = """
SELECT a.id::text
FROM art a JOIN people w ON w.id = a.winner_id
WHERE a.status = 'sold' AND NULLIF(btrim(w.phone), '') IS NOT NULL
ORDER BY a.art_code
LIMIT %(limit)s
"""
EVENT_CURRENCY_SQL = "SELECT currency FROM events WHERE eid = %(eid)s"


@dataclass(frozen=True)
class WriteCase:
    """A write tool and the argument sets of its confirmed runs, in order."""

    tool: str
    runs: list[dict[str, Any]]


def write_cases(db_url: str, fixtures: dict[str, Any]) -> list[WriteCase]:
    """Argument sets on the bench data that each change something when applied in order."""
    payee = fixtures["owed_unpaid_artist"]
    artist = str(payee["artist_profile_id"])
    with psycopg.connect(db_url) as conn:
        upcoming = _scalar(conn, UPCOMING_SQL, {})
        invitees = _column(conn, INVITEES_SQL, {"eid": upcoming, "limit": RUNS})
        sold = _column(conn, SOLD_SQL, {"limit": RUNS})
        currency = _scalar(conn, EVENT_CURRENCY_SQL, {"eid": payee["eid"]})
    alternate = range(RUNS)
    return [
        WriteCase(
            "update_artist_name",
            [
                {"artist_profile_id": artist, "new_name": f"Bench Name {'AB'[i % 2]}"}
                for i in alternate
            ],
        ),
        WriteCase(
            "update_artist_bio",
            [
                {"artist_profile_id": artist, "new_bio": f"Bench biography {i % 2}."}
                for i in alternate
            ],
        ),
        WriteCase(
            "update_artist_country",
            [{"artist_profile_id": artist, "new_country": ("NZ", "CA")[i % 2]} for i in alternate],
        ),
        WriteCase(
            "send_artist_invitation",
            [
                {"eid": upcoming, "artist_profile_id": invitee, "message_from_producer": "Join us!"}
                for invitee in invitees
            ],
        ),
        WriteCase("refresh_vote_weights", [{"reason": "bench"}] * REFRESH_RUNS),
        WriteCase(
            "process_artist_payment",
            [
                {
                    "eid": payee["eid"],
                    "artist_profile_id": artist,
                    "amount": round(0.01 * (i + 1), 2),
                    "currency": currency,
                }
                for i in alternate
            ],
        ),
        WriteCase("send_payment_reminder", [{"art_id": art} for art in sold]),
    ]


def _scalar(conn: psycopg.Connection[Any], query: str, params: dict[str, Any]) -> Any:
    row = conn.execute(query, params).fetchone()
    if row is None:
        raise RuntimeError(f"the bench data has no row for {query.split()[1]}")
    return row[0]


def _column(conn: psycopg.Connection[Any], query: str, params: dict[str, Any]) -> list[Any]:
    return [row[0] for row in conn.execute(query, params)]


def start_edge(db_url: str, port: int) -> tuple[subprocess.Popen[bytes], dict[str, str]]:
    """The Edge emulator on the bench database, and the gateway settings that reach it."""
    env = {
        **os.environ,
        "APP_ENV": "test",
        "SUPABASE_DB_URL": db_url,
        "SUPABASE_JWT_SECRET": JWT_SECRET,
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "artbattle_ops", "edge", "--port", str(port)]
    process = subprocess.Popen(command, env=env)
    _wait_healthy(process, f"http://127.0.0.1:{port}/healthz")
    return process, {
        "ENABLE_MUTATING_TOOLS": "true",
        "SUPABASE_URL": f"http://127.0.0.1:{port}",
        "SUPABASE_SERVICE_ROLE_KEY": service_token(JWT_SECRET, ttl_sec=TOKEN_TTL_SEC),
        "SUPABASE_EDGE_ADMIN_TOKEN": demo_admin_token(db_url, JWT_SECRET, ttl_sec=TOKEN_TTL_SEC),
    }


def _wait_healthy(process: subprocess.Popen[bytes], url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{url} did not answer")
