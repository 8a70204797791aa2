"""`get_bot_sessions` (tools.md §8.2): recent assistant sessions, stats per status, token costs."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

from artbattle_ops.tools.bot_observability.errors import where_clause
from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block
from artbattle_ops.tools.shared import display_time

PROMPT_CHARS = 120
PER_MILLION = Decimal(1_000_000)
COST_PLACES = Decimal("0.000001")

# USD per million (input, output) tokens. A deployment may supply its own table as the settings
# attribute `model_prices_usd` ({model: [input, output]}); a model missing from it has no cost.
DEFAULT_MODEL_PRICES_USD: Final[Mapping[str, tuple[str, str]]] = {
    "gpt-4o": ("2.50", "10.00"),
    "gpt-4o-mini": ("0.15", "0.60"),
    "gpt-4.1": ("2.00", "8.00"),
    "gpt-4.1-mini": ("0.40", "1.60"),
    "gpt-4.1-nano": ("0.10", "0.40"),
    "o4-mini": ("1.10", "4.40"),
}

# The filters apply equally to the list, the stats and the token totals (§8.2).
FILTERS = {
    "since": "created_at >= %(since)s",
    "status": "status = %(status)s",
    "user_id": "slack_user_id = %(user_id)s",
}

SESSIONS_SQL = """
SELECT id, slack_user_id, slack_username, user_role, interaction_type, status,
       CASE WHEN length(user_prompt) > %(prompt_chars)s
            THEN left(user_prompt, %(prompt_chars)s - 1) || '…'
            ELSE user_prompt END AS prompt_preview,
       tool_call_count, tools_called, total_duration_ms, error_id, error_message, ai_model,
       total_tokens, created_at, count(*) OVER () AS total
  FROM public.esbmcp_chat_sessions
 WHERE {where}
 ORDER BY created_at DESC, id
 LIMIT %(limit)s
"""

STATS_SQL = """
SELECT status, count(*) AS sessions, round(avg(total_duration_ms))::int AS avg_duration_ms,
       round(avg(tool_call_count), 1) AS avg_tool_calls
  FROM public.esbmcp_chat_sessions
 WHERE {where}
 GROUP BY status
 ORDER BY count(*) DESC, status
"""

TOKENS_SQL = """
SELECT ai_model AS model, sum(prompt_tokens) AS prompt_tokens,
       sum(completion_tokens) AS completion_tokens
  FROM public.esbmcp_chat_sessions
 WHERE {where} AND ai_model IS NOT NULL
 GROUP BY ai_model
 ORDER BY ai_model
"""


@read_tool("get_bot_sessions")
async def get_bot_sessions(call: ToolCall) -> dict[str, Any]:
    """The newest sessions, stats per status and token use with estimated cost per model."""
    args = call.arguments
    hours = int(args["hours_back"])
    params: dict[str, Any] = {
        "since": call.now - timedelta(hours=hours),
        "status": args.get("status"),
        "user_id": args.get("user_id"),
        "limit": args["limit"],
        "prompt_chars": PROMPT_CHARS,
    }
    chosen = ["since", *(name for name in ("status", "user_id") if args.get(name))]
    where = where_clause(FILTERS, chosen)

    rows = await call.db.fetch_all(SESSIONS_SQL.format(where=where), params)
    stats = await call.db.fetch_all(STATS_SQL.format(where=where), params)
    tokens = await call.db.fetch_all(TOKENS_SQL.format(where=where), params)

    return {
        "period_hours": hours,
        "sessions": block(
            [_session(call, row) for row in rows], total=int(rows[0]["total"]) if rows else 0
        ),
        "stats": block([_stat(row) for row in stats]),
        "tokens": token_costs(tokens, model_prices(call.settings)),
    }


def model_prices(settings: Any) -> Mapping[str, tuple[Decimal, Decimal]]:
    """The price table: the settings' `model_prices_usd` when present, else the default."""
    table = getattr(settings, "model_prices_usd", None) or DEFAULT_MODEL_PRICES_USD
    return {model: (Decimal(str(p[0])), Decimal(str(p[1]))) for model, p in table.items()}


def token_costs(
    rows: list[dict[str, Any]], prices: Mapping[str, tuple[Decimal, Decimal]]
) -> dict[str, Any]:
    """Tokens and cost per model; USD throughout, so priced models add up."""
    by_model, unpriced, total = [], [], Decimal(0)
    for row in rows:
        cost = model_cost(row["prompt_tokens"], row["completion_tokens"], prices.get(row["model"]))
        if cost is None:
            unpriced.append(row["model"])
        else:
            total += cost
        by_model.append(
            {
                "model": row["model"],
                "prompt_tokens": int(row["prompt_tokens"]),
                "completion_tokens": int(row["completion_tokens"]),
                "estimated_cost_usd": None if cost is None else float(cost),
            }
        )
    return {
        "by_model": block(by_model),
        "total_estimated_cost_usd": float(total),
        "unpriced_models": unpriced,
    }


def model_cost(
    prompt_tokens: int, completion_tokens: int, price: tuple[Decimal, Decimal] | None
) -> Decimal | None:
    """USD for the tokens at (input, output) prices per million, to 6 places; None if unpriced."""
    if price is None:
        return None
    cost = (Decimal(prompt_tokens) * price[0] + Decimal(completion_tokens) * price[1]) / PER_MILLION
    return cost.quantize(COST_PLACES, rounding=ROUND_HALF_UP)


def tool_names(tools_called: Any) -> list[str]:
    """The distinct tool names of a session's `tools_called` entries, in call order."""
    if not isinstance(tools_called, list):
        return []
    names = (entry.get("tool_name") for entry in tools_called if isinstance(entry, dict))
    return list(dict.fromkeys(name for name in names if isinstance(name, str)))


def _stat(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "status": row["status"],
        "sessions": int(row["sessions"]),
        "avg_duration_ms": row["avg_duration_ms"],
        "avg_tool_calls": float(row["avg_tool_calls"]),
    }


def _session(call: ToolCall, row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "slack_user_id": row["slack_user_id"],
        "slack_username": row["slack_username"],
        "user_role": row["user_role"],
        "interaction_type": row["interaction_type"],
        "status": row["status"],
        "prompt_preview": row["prompt_preview"],
        "tool_call_count": row["tool_call_count"],
        "tools": tool_names(row["tools_called"]),
        "total_duration_ms": row["total_duration_ms"],
        "error_id": row["error_id"],
        "error_message": row["error_message"],
        "ai_model": row["ai_model"],
        "total_tokens": row["total_tokens"],
        "created_at": display_time(call, row["created_at"]),
    }
