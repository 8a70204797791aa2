"""Definitions every tool shares (tools.md §1.5, §1.6, §1.10); one implementation each."""

from artbattle_ops.tools.shared.events import (
    EVENT_END_SQL,
    EVENT_HINT,
    EVENT_SELECT,
    VISIBLE_SQL,
    Event,
    display_time,
    event_money,
    event_phase,
    event_time,
    event_zone,
    is_visible,
    resolve_event,
    warn_once,
)
from artbattle_ops.tools.shared.sales import (
    ARTIST_SHARE_SQL,
    SALE_PRICE_SQL,
    OwedBalance,
    artist_share,
    fetch_owed_balances,
    sale_price,
)
from artbattle_ops.tools.shared.search import word_clauses
from artbattle_ops.tools.shared.votes import VOTES_WITHOUT_FACTOR_SQL, WEIGHTED_VOTES_SQL

__all__ = [
    "ARTIST_SHARE_SQL",
    "EVENT_END_SQL",
    "EVENT_HINT",
    "EVENT_SELECT",
    "SALE_PRICE_SQL",
    "VISIBLE_SQL",
    "VOTES_WITHOUT_FACTOR_SQL",
    "WEIGHTED_VOTES_SQL",
    "Event",
    "OwedBalance",
    "artist_share",
    "display_time",
    "event_money",
    "event_phase",
    "event_time",
    "event_zone",
    "fetch_owed_balances",
    "is_visible",
    "resolve_event",
    "sale_price",
    "warn_once",
    "word_clauses",
]
