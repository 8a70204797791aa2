"""Writes: never on the first call; a confirmation executes once, for its requester only."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.integration.gateway_app.conftest import (
    Harness,
    gateway_settings,
    process_env,
    serve,
    serve_process,
)

JANE = "11111111-1111-4111-8111-111111111111"
RENAME = {"artist_profile_id": JANE, "new_name": "Jane Smith"}


def stored_name(gateway: Harness) -> str:
    return str(gateway.rows("SELECT name FROM test_names WHERE id = %s", (JANE,))[0][0])


async def preview(gateway: Harness, user: str = "UOPS") -> dict[str, Any]:
    body = await gateway.call("update_artist_name", RENAME, user=user)
    assert body["error"]["code"] == "confirmation_required"
    return body


async def test_first_call_previews_and_changes_nothing(gateway: Harness) -> None:
    body = await preview(gateway)

    assert body["error"]["preview"]["before"] == {"name": "Jane Roe"}
    assert body["error"]["preview"]["after"] == {"name": "Jane Smith"}
    assert body["error"]["expires_at"]["tz_basis"] == "display"
    assert stored_name(gateway) == "Jane Roe"


async def test_confirmed_call_executes_once(gateway: Harness) -> None:
    confirmation = (await preview(gateway))["error"]["confirmation_id"]

    body = await gateway.call("update_artist_name", RENAME, confirmation_id=confirmation)

    assert (body["ok"], body["data"]["changed"], body["data"]["replayed"]) == (True, True, False)
    assert stored_name(gateway) == "Jane Smith"


async def test_second_use_of_a_confirmation_is_refused(gateway: Harness) -> None:
    confirmation = (await preview(gateway))["error"]["confirmation_id"]
    await gateway.call("update_artist_name", RENAME, confirmation_id=confirmation)

    again = await gateway.call("update_artist_name", RENAME, confirmation_id=confirmation)

    assert again["error"]["code"] == "confirmation_required"
    rows = await gateway.wait_rows(
        "SELECT detail->>'reason' FROM esbmcp_audit_log WHERE event_type = "
        "'confirmation_required' AND detail->>'reason' <> 'confirmation_missing'"
    )
    assert rows == [("confirmation_invalid",)]


async def test_another_users_confirmation_is_refused_and_changes_nothing(
    gateway: Harness,
) -> None:
    confirmation = (await preview(gateway))["error"]["confirmation_id"]

    body = await gateway.call(
        "update_artist_name", RENAME, user="UOPS2", confirmation_id=confirmation
    )

    assert body["error"]["code"] == "confirmation_required"
    assert stored_name(gateway) == "Jane Roe"


async def test_confirmation_for_other_arguments_is_refused(gateway: Harness) -> None:
    confirmation = (await preview(gateway))["error"]["confirmation_id"]
    other = {"artist_profile_id": JANE, "new_name": "Someone Else"}

    body = await gateway.call("update_artist_name", other, confirmation_id=confirmation)

    assert body["error"]["code"] == "confirmation_required"
    assert stored_name(gateway) == "Jane Roe"


async def test_expired_confirmation_is_refused(gateway: Harness) -> None:
    confirmation = (await preview(gateway))["error"]["confirmation_id"]
    gateway.rows(
        "UPDATE esbmcp_confirmations SET created_at = now() - interval '10 minutes', "
        "expires_at = now() - interval '5 minutes' "
        "WHERE id = %s RETURNING id",
        (confirmation,),
    )

    body = await gateway.call("update_artist_name", RENAME, confirmation_id=confirmation)

    assert body["error"]["code"] == "confirmation_required"
    assert stored_name(gateway) == "Jane Roe"


async def test_concurrent_confirmations_execute_once(gateway: Harness) -> None:
    confirmation = (await preview(gateway))["error"]["confirmation_id"]

    bodies = await asyncio.gather(
        *[
            gateway.call("update_artist_name", RENAME, confirmation_id=confirmation)
            for _ in range(8)
        ]
    )

    assert sum(1 for b in bodies if b["ok"]) == 1
    executed = await gateway.wait_rows(
        "SELECT id FROM esbmcp_tool_executions WHERE tool_name = 'update_artist_name' "
        "AND confirmed AND ok AND NOT has_error_field"
    )
    assert len(executed) == 1


async def test_state_changed_since_the_preview_is_a_conflict(gateway: Harness) -> None:
    confirmation = (await preview(gateway))["error"]["confirmation_id"]
    gateway.rows("UPDATE test_names SET name = 'Janet Roe' WHERE id = %s RETURNING id", (JANE,))

    body = await gateway.call("update_artist_name", RENAME, confirmation_id=confirmation)

    assert body["error"]["code"] == "conflict"
    assert stored_name(gateway) == "Janet Roe"


async def test_nothing_to_change_succeeds_without_confirmation(gateway: Harness) -> None:
    same = {"artist_profile_id": JANE, "new_name": "Jane Roe"}

    body = await gateway.call("update_artist_name", same)

    assert (body["ok"], body["data"]["changed"]) == (True, False)


async def test_succeeded_write_is_replayed_from_the_ledger(gateway: Harness) -> None:
    confirmation = (await preview(gateway))["error"]["confirmation_id"]
    await gateway.call("update_artist_name", RENAME, confirmation_id=confirmation)
    gateway.rows("UPDATE test_names SET name = 'Jane Roe' WHERE id = %s RETURNING id", (JANE,))
    second = (await preview(gateway))["error"]["confirmation_id"]

    body = await gateway.call("update_artist_name", RENAME, confirmation_id=second)

    assert (body["ok"], body["data"]["replayed"]) == (True, True)
    assert stored_name(gateway) == "Jane Roe"


async def test_mutating_gate_refuses_every_write_with_the_exact_message(
    migrated_url: str, stand_in_handlers: None
) -> None:
    settings = gateway_settings(migrated_url, ENABLE_MUTATING_TOOLS=False)
    async with serve(settings) as url:
        harness = Harness(url, migrated_url)

        body = await harness.call("update_artist_name", RENAME)
        read = await harness.call("lookup_event", {"eid": "AB4001"})

    assert body["error"] == body["error"] | {
        "code": "mutating_disabled",
        "message": "Mutating tools are disabled by policy",
    }
    assert read["ok"] is True


async def test_a_second_gateway_process_shares_pending_confirmations(
    migrated_url: str, stand_in_handlers: None
) -> None:
    async with (
        serve(gateway_settings(migrated_url)) as first,
        serve_process(process_env(migrated_url)) as second,
    ):
        asked = await Harness(first, migrated_url).call("update_artist_name", RENAME)
        confirmation = asked["error"]["confirmation_id"]

        body = await Harness(second, migrated_url).call(
            "update_artist_name", RENAME, confirmation_id=confirmation
        )

    assert body["ok"] is True
