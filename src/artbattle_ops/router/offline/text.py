"""Words of a question as the offline router compares them: folded, tokenised, stemmed."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

WORD = re.compile(r"[a-z0-9]+")
POSSESSIVE = re.compile(r"['\u2019]s\b")
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "do",
        "does",
        "did",
        "doing",
        "have",
        "has",
        "had",
        "having",
        "i",
        "me",
        "my",
        "we",
        "our",
        "us",
        "you",
        "your",
        "he",
        "she",
        "it",
        "its",
        "they",
        "them",
        "their",
        "this",
        "that",
        "these",
        "those",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "about",
        "as",
        "into",
        "or",
        "and",
        "but",
        "if",
        "then",
        "than",
        "so",
        "too",
        "very",
        "can",
        "could",
        "would",
        "should",
        "will",
        "shall",
        "may",
        "might",
        "must",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "any",
        "some",
        "all",
        "there",
        "here",
        "up",
        "out",
        "just",
        "also",
        "please",
        "tell",
        "show",
        "give",
        "get",
        "let",
        "know",
        "need",
        "want",
        "like",
        "s",
        "t",
        "don",
        "didn",
        "isn",
        "aren",
        "wasn",
        "one",
        "thing",
        "things",
        "much",
        "many",
        "more",
        "most",
        "there's",
        "what's",
        "who's",
        "lot",
    ]
)
SUFFIXES = (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""))


def fold(text: str) -> str:
    """Lower-case with accents removed, so `Montréal` and `montreal` compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def words(text: str) -> list[str]:
    """The folded alphanumeric words of `text`, apostrophes dropped (`Jane's` gives `jane`)."""
    return WORD.findall(POSSESSIVE.sub("", fold(text)))


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A light suffix-stripping stem: enough to match `owed`, `owing` and `owe`."""
    if word.isdigit() or len(word) <= 3:
        return word
    for suffix, replacement in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)] + replacement
            return base[:-1] if len(base) > 3 and base[-1] == base[-2] else base
    return word


def terms(text: str) -> list[str]:
    """The stems of the content words of `text` (stop words removed)."""
    return [stem(word) for word in words(text) if word not in STOPWORDS]


def trigrams(term: str) -> frozenset[str]:
    """Character trigrams of a term padded with spaces, for typo-tolerant matching."""
    padded = f" {term} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def edit_distance(left: str, right: str, limit: int = 2) -> int:
    """Levenshtein distance with adjacent swaps, stopping early above `limit`."""
    if abs(len(left) - len(right)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(right) + 1))
    for i, lchar in enumerate(left, start=1):
        current = [i] + [0] * len(right)
        for j, rchar in enumerate(right, start=1):
            cost = 0 if lchar == rchar else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and lchar == right[j - 2] and left[i - 2] == rchar:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]
