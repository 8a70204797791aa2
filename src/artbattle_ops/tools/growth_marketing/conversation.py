"""get_sms_conversation (tools.md §6.4): the SMS thread with one phone number, both directions."""

from __future__ import annotations

from typing import Any, Final

from artbattle_ops.tools.formats import PHONE_KEY_SQL
from artbattle_ops.tools.growth_marketing.passthrough import cut_text
from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block
from artbattle_ops.tools.shared import display_time

MAX_BODY_CHARS: Final = 500
MAX_PEOPLE: Final = 3

# Stored numbers are compared by phone key only (§1.2). Each predicate is the key expression of
# the bare column against one bound value: immutable and sargable, so an expression index on the
# key would serve it. No such index exists on production tables, hence the 20 s timeout.
INBOUND_KEY: Final = PHONE_KEY_SQL.format(column="i.from_phone")
OUTBOUND_KEY: Final = PHONE_KEY_SQL.format(column="o.to_phone")
PERSON_KEY: Final = PHONE_KEY_SQL.format(column="p.phone")

MESSAGES_SQL: Final = (
    """
SELECT 'inbound' AS direction, i.id, i.created_at AS at, i.message_body AS body,
       NULL::text AS status, NULL::text AS campaign_name, i.is_stop_request,
       NULL::text AS error_message
FROM sms_inbound i
WHERE """
    + INBOUND_KEY
    + """ = %(key)s
UNION ALL
SELECT 'outbound', o.id, COALESCE(o.sent_at, o.created_at), o.message_body, o.status, c.name,
       false, o.error_message
FROM sms_outbound o
LEFT JOIN sms_marketing_campaigns c ON c.id = o.campaign_id
WHERE """
    + OUTBOUND_KEY
    + """ = %(key)s
ORDER BY at DESC NULLS LAST, id DESC
LIMIT %(limit)s
"""
)

TOTALS_SQL: Final = (
    """
SELECT inbound.total AS inbound_total, inbound.last_stop_at, inbound.last_other_at,
       (SELECT count(*) FROM sms_outbound o WHERE """
    + OUTBOUND_KEY
    + """ = %(key)s) AS outbound_total
FROM (
    SELECT count(*) AS total,
           max(i.created_at) FILTER (WHERE i.is_stop_request IS TRUE) AS last_stop_at,
           max(i.created_at) FILTER (WHERE i.is_stop_request IS NOT TRUE) AS last_other_at
    FROM sms_inbound i
    WHERE """
    + INBOUND_KEY
    + """ = %(key)s
) inbound
"""
)

PEOPLE_SQL: Final = (
    """
SELECT p.id,
       COALESCE(NULLIF(btrim(p.name), ''),
                NULLIF(btrim(concat_ws(' ', p.first_name, p.last_name)), '')) AS name,
       count(*) OVER () AS total
FROM people p
WHERE """
    + PERSON_KEY
    + """ = %(key)s
ORDER BY p.created_at NULLS LAST, p.id
LIMIT %(limit)s
"""
)


@read_tool("get_sms_conversation")
async def get_sms_conversation(call: ToolCall) -> dict[str, Any]:
    """Messages to and from a phone key, newest first, with totals and the opt-out state."""
    key = call.arguments["phone"]
    messages = await call.db.fetch_all(MESSAGES_SQL, {"key": key, "limit": call.arguments["limit"]})
    [totals] = await call.db.fetch_all(TOTALS_SQL, {"key": key})
    people = await call.db.fetch_all(PEOPLE_SQL, {"key": key, "limit": MAX_PEOPLE})

    inbound_total, outbound_total = totals["inbound_total"], totals["outbound_total"]
    last_stop, last_other = totals["last_stop_at"], totals["last_other_at"]
    matched = [{"person_id": str(row["id"]), "name": row["name"]} for row in people]
    return {
        "phone": f"+{key}",
        "people_matched": block(matched, int(people[0]["total"]) if people else 0),
        "messages": block([message(call, row) for row in messages], inbound_total + outbound_total),
        "inbound_total": inbound_total,
        "outbound_total": outbound_total,
        "opted_out": last_stop is not None and (last_other is None or last_stop > last_other),
        "last_stop_at": display_time(call, last_stop),
    }


def message(call: ToolCall, row: dict[str, Any]) -> dict[str, Any]:
    """One message of the thread, its body cut to 500 characters."""
    return {
        "direction": row["direction"],
        "at": display_time(call, row["at"]),
        "body": cut_text(row["body"], MAX_BODY_CHARS),
        "status": row["status"],
        "campaign_name": row["campaign_name"],
        "is_stop_request": row["is_stop_request"] is True,
        "error_message": row["error_message"],
    }
