"""The rules of the profile edits the JSON Schema cannot express (tools.md §4.2, §4.3)."""

from __future__ import annotations

import pytest

from artbattle_ops.tools.errors import InvalidArgumentsError
from artbattle_ops.tools.profile_integrity.artist_bio import excerpt, normalize_bio
from artbattle_ops.tools.profile_integrity.artist_name import normalize_name


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("  Jane Roe  ", "Jane Roe"),
        ("Jane   Roe", "Jane Roe"),
        ("Jane\tRoe", "Jane Roe"),
        ("Jane\u00a0Roe", "Jane Roe"),
        ("Zoë O'Brien-Smith", "Zoë O'Brien-Smith"),
        ("2Pac", "2Pac"),
        ("李小龍", "李小龍"),
    ],
    ids=["trimmed", "spaces", "tab", "nbsp", "accents", "digit-and-letters", "cjk"],
)
def test_a_name_is_trimmed_with_whitespace_collapsed(sent: str, stored: str) -> None:
    assert normalize_name(sent) == stored


@pytest.mark.parametrize(
    "sent",
    ["Jane\x00Roe", "Jane\x1bRoe", "Jane\x7fRoe", "12345", "...", "42 - 17!", "$$$ 99"],
    ids=["nul", "escape", "delete", "digits", "dots", "digits-punct", "symbols"],
)
def test_a_name_with_control_characters_or_without_letters_is_refused(sent: str) -> None:
    with pytest.raises(InvalidArgumentsError) as raised:
        normalize_name(sent)

    assert raised.value.argument == "new_name"


def test_a_name_over_200_characters_after_collapsing_is_refused() -> None:
    with pytest.raises(InvalidArgumentsError) as raised:
        normalize_name("a " * 100 + "b")

    assert raised.value.message == "new_name is 201 characters; the limit is 200."


def test_a_name_of_200_characters_after_collapsing_is_accepted() -> None:
    sent = "    ".join(["abcd"] * 39 + ["abcde"])  # 317 characters as sent

    assert len(normalize_name(sent)) == 200


def test_a_bio_has_crlf_as_lf_and_is_trimmed() -> None:
    assert normalize_bio("\r\n  One\r\nTwo\n ") == "One\nTwo"


def test_a_blank_bio_is_empty_meaning_clear() -> None:
    assert normalize_bio(" \r\n\t ") == ""


def test_an_over_long_bio_names_its_length_and_the_limit() -> None:
    with pytest.raises(InvalidArgumentsError) as raised:
        normalize_bio("x" * 2314)

    assert (raised.value.argument, raised.value.message) == (
        "new_bio",
        "new_bio is 2314 characters; the limit is 2000.",
    )


def test_bio_length_counts_code_points_after_normalisation() -> None:
    bio = "🎨" * 1000 + "\r\n" * 500 + "é" * 500

    assert len(normalize_bio(f"  {bio}  ")) == 2000


def test_an_excerpt_is_the_first_200_characters_marked_when_cut() -> None:
    assert excerpt("a" * 201) == "a" * 200 + "…"


def test_an_excerpt_of_a_short_bio_is_the_bio() -> None:
    assert excerpt("short") == "short"
