"""Name matching in SQL (tools.md §1.2): every word, folded, must occur in the name."""

from __future__ import annotations

from collections.abc import Sequence


def word_clauses(expression: str, words: Sequence[str], prefix: str) -> tuple[str, dict[str, str]]:
    """Name matching (§1.2): every escaped word must occur in the folded `expression`.

    Returns the SQL condition and its bound parameters (`<prefix>0`, `<prefix>1`, ...). Only
    placeholder names are composed into the SQL; the words themselves are always bound.
    """
    params = {f"{prefix}{i}": word for i, word in enumerate(words)}
    clauses = [
        f"esbmcp_fold({expression}) LIKE '%%' || esbmcp_fold(%({key})s) || '%%'" for key in params
    ]
    return "(" + " AND ".join(clauses or ["TRUE"]) + ")", params
