"""Weighted votes (tools.md §1.10): SQL fragments over `votes v`."""

from __future__ import annotations

from typing import Final

# Weighted votes (§1.10), over `votes v`: the factor snapshotted at voting, null counting 1.00.
WEIGHTED_VOTES_SQL: Final = "COALESCE(SUM(COALESCE(v.vote_factor, 1.00)), 0)"
VOTES_WITHOUT_FACTOR_SQL: Final = "COUNT(v.id) FILTER (WHERE v.vote_factor IS NULL)"
