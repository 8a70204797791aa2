"""The statements of `live_event_diagnostic` (tools.md §7.5), one per part of the event."""

from __future__ import annotations

from typing import Final

from artbattle_ops.tools.shared import WEIGHTED_VOTES_SQL

ROUNDS_SQL: Final = """
SELECT id, round_number, is_finished, closing_time
  FROM public.rounds
 WHERE event_id = %(event_id)s
 ORDER BY round_number, id
"""

# A contestant's artwork is round_contestants.art_id when set, else the art whose code is
# <EID>-<round>-<easel>; alternates (easel null or 0) have none by design.
CONTESTANTS_SQL: Final = """
SELECT rc.id, r.round_number, rc.easel_number, rc.is_winner, ap.name AS artist_name,
       COALESCE(linked.art_code, coded.art_code) AS art_code,
       COALESCE(linked.status, coded.status)::text AS art_status
  FROM public.round_contestants rc
  JOIN public.rounds r ON r.id = rc.round_id
  LEFT JOIN public.artist_profiles ap ON ap.id = rc.artist_id
  LEFT JOIN public.art linked ON linked.id = rc.art_id
  LEFT JOIN public.art coded
         ON rc.art_id IS NULL
        AND coded.art_code = %(eid)s || '-' || r.round_number || '-' || rc.easel_number
 WHERE r.event_id = %(event_id)s
 ORDER BY r.round_number, rc.easel_number NULLS LAST, rc.id
"""

# Bids and votes per artwork (votes through art_uuid), each aggregated in its own subquery.
ARTWORKS_SQL: Final = (
    """
SELECT a.id, a.art_code, a.round, a.easel, a.status::text AS status, a.current_bid,
       a.closing_time, a.artist_id,
       b.bid_count, b.recent_bids, b.last_bid_at,
       vt.vote_count, vt.recent_votes, vt.weighted_votes, vt.last_vote_at
  FROM public.art a
  LEFT JOIN LATERAL (
       SELECT count(*) AS bid_count,
              count(*) FILTER (WHERE created_at >= %(recent)s) AS recent_bids,
              max(created_at) AS last_bid_at
         FROM public.bids
        WHERE art_id = a.id) b ON true
  LEFT JOIN LATERAL (
       SELECT count(v.id) AS vote_count,
              count(v.id) FILTER (WHERE v.created_at >= %(recent)s) AS recent_votes,
              """
    + WEIGHTED_VOTES_SQL
    + """ AS weighted_votes,
              max(v.created_at) AS last_vote_at
         FROM public.votes v
        WHERE v.art_uuid = a.id) vt ON true
 WHERE a.event_id = %(event_id)s
 ORDER BY a.round, a.easel, a.id
"""
)

CACHE_SQL: Final = """
SELECT endpoint_path, last_updated
  FROM public.endpoint_cache_versions
 WHERE event_eid = %(eid)s
 ORDER BY last_updated DESC, endpoint_path
"""
