"""Columns of the five `esbmcp_` record tables the writers insert into (observability.md §2)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RecordTable:
    """A table's name, its columns in DDL order, and which of them are jsonb."""

    name: str
    columns: tuple[str, ...]
    jsonb_columns: frozenset[str] = frozenset()


CHAT_SESSIONS = RecordTable(
    "esbmcp_chat_sessions",
    (
        "id",
        "request_id",
        "slack_event_id",
        "slack_team_id",
        "slack_channel_id",
        "slack_thread_ts",
        "reply_ts",
        "slack_user_id",
        "slack_username",
        "user_role",
        "interaction_type",
        "user_prompt",
        "ai_model",
        "ai_system_prompt_hash",
        "ai_response",
        "tools_called",
        "tool_call_count",
        "status",
        "error_message",
        "error_id",
        "total_duration_ms",
        "ai_first_call_ms",
        "ai_followup_ms",
        "prompt_tokens",
        "completion_tokens",
        "total_tokens",
        "api_rounds",
        "estimated_cost_usd",
        "redaction_rules_applied",
        "service_version",
        "gateway_version",
        "created_at",
    ),
    frozenset({"tools_called", "redaction_rules_applied"}),
)

TOOL_EXECUTIONS = RecordTable(
    "esbmcp_tool_executions",
    (
        "id",
        "session_id",
        "request_id",
        "slack_user_id",
        "slack_team_id",
        "slack_channel_id",
        "user_role",
        "tool_name",
        "domain",
        "risk_level",
        "arguments_hash",
        "arguments_keys",
        "arguments_preview",
        "confirmed",
        "ok",
        "has_error_field",
        "result_code",
        "result_keys",
        "result_row_count",
        "result_bytes",
        "result_truncated",
        "edge_function",
        "queued_at",
        "started_at",
        "completed_at",
        "duration_ms",
        "error_type",
        "error_code",
        "error_message",
        "error_stack",
        "service_version",
        "created_at",
    ),
    frozenset({"arguments_keys", "arguments_preview", "result_keys"}),
)

TOOL_ERRORS = RecordTable(
    "esbmcp_tool_errors",
    (
        "id",
        "execution_id",
        "session_id",
        "request_id",
        "slack_user_id",
        "user_role",
        "tool_name",
        "domain",
        "arguments_hash",
        "arguments_preview",
        "error_type",
        "error_code",
        "error_message",
        "error_pattern",
        "error_detail",
        "error_hint",
        "error_position",
        "error_stack",
        "sql_query_preview",
        "resolved",
        "resolved_at",
        "resolved_by",
        "resolution_note",
        "service_version",
        "created_at",
    ),
    frozenset({"arguments_preview"}),
)

AUDIT_LOG = RecordTable(
    "esbmcp_audit_log",
    (
        "id",
        "session_id",
        "request_id",
        "source",
        "event_type",
        "decision",
        "slack_user_id",
        "slack_team_id",
        "slack_channel_id",
        "slack_username",
        "user_role",
        "ip_address",
        "tool_name",
        "target_entity",
        "detail",
        "service_version",
        "created_at",
    ),
    frozenset({"detail"}),
)

FEEDBACK = RecordTable(
    "esbmcp_feedback",
    (
        "id",
        "session_id",
        "slack_user_id",
        "rating",
        "source",
        "reaction",
        "comment",
        "slack_message_ts",
        "created_at",
    ),
)

# Insert order within one flush: a feedback row's session is inserted before it (its foreign key).
RECORD_TABLES: tuple[RecordTable, ...] = (
    CHAT_SESSIONS,
    TOOL_EXECUTIONS,
    TOOL_ERRORS,
    AUDIT_LOG,
    FEEDBACK,
)
TABLES_BY_NAME = {table.name: table for table in RECORD_TABLES}
