"""The gateway's ordered checks and outcomes, end to end over MCP (tools.md §1.3, §1.4)."""

from __future__ import annotations

import json

import pytest
from mcp.shared.exceptions import MCPError

from artbattle_ops.gateway.client import CallerMeta, gateway_session, list_tools
from tests.integration.gateway_app.conftest import SECRET, TOKEN, Harness, request_id


async def test_ops_lists_both_stand_in_tools(gateway: Harness) -> None:
    async with gateway_session(gateway.url, TOKEN, SECRET) as client:
        tools = await list_tools(client, CallerMeta(slack_user_id="UOPS"))

    assert sorted(t.name for t in tools) == ["lookup_event", "update_artist_name"]


async def test_viewer_is_not_offered_the_write(gateway: Harness) -> None:
    async with gateway_session(gateway.url, TOKEN, SECRET) as client:
        tools = await list_tools(client, CallerMeta(slack_user_id="UVIEW"))

    assert [t.name for t in tools] == ["lookup_event"]


async def test_user_without_role_is_offered_nothing(gateway: Harness) -> None:
    async with gateway_session(gateway.url, TOKEN, SECRET) as client:
        tools = await list_tools(client, CallerMeta(slack_user_id="UNOBODY"))

    assert tools == []


async def test_listed_tools_carry_annotations_from_the_manifest(gateway: Harness) -> None:
    async with gateway_session(gateway.url, TOKEN, SECRET) as client:
        tools = {t.name: t for t in await list_tools(client, CallerMeta(slack_user_id="UOPS"))}

    hints = tools["update_artist_name"].annotations
    assert hints is not None
    assert (hints.read_only_hint, hints.destructive_hint, hints.idempotent_hint) == (
        False,
        True,
        True,
    )


async def test_read_call_returns_the_success_envelope(gateway: Harness) -> None:
    body = await gateway.call("lookup_event", {"eid": "ab-4001"})

    assert body["ok"] is True
    assert body["data"]["events"]["items"] == [{"eid": "AB4001"}]
    assert set(body["meta"]) == {"request_id", "execution_id", "generated_at", "duration_ms"}


async def test_executed_call_is_recorded_with_its_execution_id(gateway: Harness) -> None:
    body = await gateway.call("lookup_event", {"eid": "AB4001"})

    rows = await gateway.wait_rows(
        "SELECT ok, has_error_field, arguments_preview, result_bytes FROM esbmcp_tool_executions "
        "WHERE id = %s",
        (body["meta"]["execution_id"],),
    )
    sent = len(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode())
    assert rows == [(True, False, {"eid": "AB4001"}, sent)]


async def test_business_error_is_a_tool_error_with_reference_id(gateway: Harness) -> None:
    body = await gateway.call("lookup_event", {"eid": "AB9999"})

    assert (body["ok"], body["error"]["code"], body["error"]["argument"]) == (
        False,
        "not_found",
        "eid",
    )
    rows = await gateway.wait_rows(
        "SELECT ok, has_error_field, result_code FROM esbmcp_tool_executions WHERE id = %s",
        (body["error"]["reference_id"],),
    )
    assert rows == [(True, True, "not_found")]


async def test_unknown_tool_is_a_protocol_error(gateway: Harness) -> None:
    with pytest.raises(MCPError) as caught:
        await gateway.call("drop_all_tables", {})

    assert caught.value.code == -32602


async def test_unknown_tool_is_audited(gateway: Harness) -> None:
    with pytest.raises(MCPError):
        await gateway.call("drop_all_tables", {})

    rows = await gateway.wait_rows(
        "SELECT detail->>'requested_tool' FROM esbmcp_audit_log WHERE event_type = 'tool_not_found'"
    )
    assert rows == [("drop_all_tables",)]


async def test_role_not_allowed_is_denied_and_audited(gateway: Harness) -> None:
    body = await gateway.call("update_artist_name", {}, user="UVIEW")

    assert body["error"]["code"] == "role_denied"
    assert body["error"]["message"] == "Your role (viewer) cannot use update_artist_name."
    rows = await gateway.wait_rows(
        "SELECT user_role, detail->>'reason' FROM esbmcp_audit_log WHERE event_type = 'role_denied'"
    )
    assert rows == [("viewer", "role_not_allowed")]


async def test_user_without_role_is_denied_as_missing_role(gateway: Harness) -> None:
    body = await gateway.call("lookup_event", {"eid": "AB4001"}, user="UNOBODY")

    assert body["error"]["code"] == "role_denied"
    rows = await gateway.wait_rows(
        "SELECT detail->>'reason' FROM esbmcp_audit_log WHERE event_type = 'missing_role'"
    )
    assert rows == [("no_role",)]


async def test_open_viewer_channel_grants_viewer_there_only(gateway: Harness) -> None:
    inside = await gateway.call(
        "lookup_event", {"eid": "AB4001"}, user="UNOBODY", slack_channel_id="COPEN"
    )
    outside = await gateway.call(
        "lookup_event", {"eid": "AB4001"}, user="UNOBODY", slack_channel_id="COTHER"
    )

    assert (inside["ok"], outside["error"]["code"]) == (True, "role_denied")


async def test_call_without_slack_user_is_refused(gateway: Harness) -> None:
    body = await gateway.call("lookup_event", {"eid": "AB4001"}, user=None)

    assert body["error"]["code"] == "role_denied"


async def test_per_request_cap_refuses_the_fourth_call(gateway: Harness) -> None:
    rid = request_id()

    bodies = [
        await gateway.call("lookup_event", {"eid": "AB4001"}, request_id=rid) for _ in range(4)
    ]

    assert [b["ok"] for b in bodies] == [True, True, True, False]
    assert bodies[3]["error"]["code"] == "call_limit_exceeded"


async def test_invalid_arguments_name_the_argument_and_audit_no_value(gateway: Harness) -> None:
    body = await gateway.call("lookup_event", {"eid": "not-an-eid-XYZ"})

    assert (body["error"]["code"], body["error"]["argument"]) == ("invalid_arguments", "eid")
    rows = await gateway.wait_rows(
        "SELECT detail::text FROM esbmcp_audit_log WHERE event_type = 'invalid_arguments'"
    )
    assert "not-an-eid-XYZ" not in rows[0][0]


async def test_sql_failure_is_internal_error_with_error_row(gateway: Harness) -> None:
    body = await gateway.call("lookup_event", {"eid": "AB6666"})

    assert body["error"]["code"] == "internal_error"
    rows = await gateway.wait_rows(
        "SELECT error_type, error_code, sql_query_preview FROM esbmcp_tool_errors "
        "WHERE execution_id = %s",
        (body["error"]["reference_id"],),
    )
    assert rows == [("sql_error", "42P01", "SELECT * FROM no_such_table_here")]


async def test_failed_call_writes_execution_error_and_audit_rows_together(
    gateway: Harness,
) -> None:
    body = await gateway.call("lookup_event", {"eid": "AB6666"})
    execution_id = body["error"]["reference_id"]

    rows = await gateway.wait_rows(
        "SELECT e.ok, a.detail->>'error_id' = r.id::text FROM esbmcp_tool_executions e "
        "JOIN esbmcp_tool_errors r ON r.execution_id = e.id "
        "JOIN esbmcp_audit_log a ON a.event_type = 'tool_failed' "
        "AND a.detail->>'execution_id' = e.id::text WHERE e.id = %s",
        (execution_id,),
    )
    assert rows == [(False, True)]


async def test_no_stack_trace_or_sql_reaches_the_caller(gateway: Harness) -> None:
    body = await gateway.call("lookup_event", {"eid": "AB6666"})

    text = str(body)
    assert "no_such_table_here" not in text
    assert "Traceback" not in text
