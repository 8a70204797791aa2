"""Values the router reads from a question: each kind, in the forms employees type them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from artbattle_ops.router.offline.entities import Amount, Entities, extract
from artbattle_ops.router.offline.vocabulary import Vocabulary

TODAY = date(2026, 12, 3)  # a Thursday
VOCABULARY = Vocabulary.of(
    cities=["Toronto", "Montréal", "San Francisco"],
    events={"AB4001": "AB4001 – Toronto"},
    artists=["Maya Chen", "Maya Chen Art", "Diego Alvarez"],
)


def read(question: str) -> Entities:
    return extract(question, VOCABULARY, TODAY)


@pytest.mark.parametrize(
    "question",
    ["How did AB4001 do?", "how did ab4001 do", "numbers for ab-4001", "AB 4001 summary"],
    ids=["upper", "lower", "dash", "space"],
)
def test_an_eid_in_any_case_or_spacing_is_normalised(question: str) -> None:
    assert read(question).eids == ("AB4001",)


def test_an_art_code_is_not_also_read_as_an_eid() -> None:
    entities = read("who won ab4002-2-3?")

    assert (entities.art_codes, entities.eids) == (("AB4002-2-3",), ())


def test_a_uuid_is_lower_cased() -> None:
    entities = read("rename 02EA9B6F-649F-552A-A1E9-F6D6E8A47C4E to Jo")

    assert entities.uuids == ("02ea9b6f-649f-552a-a1e9-f6d6e8a47c4e",)


def test_an_email_is_lower_cased() -> None:
    assert read("is Maya.Chen@Example.com here?").emails == ("maya.chen@example.com",)


@pytest.mark.parametrize(
    ("question", "phone"),
    [
        ("texts from +1 416 555 0199?", "+14165550199"),
        ("who has 416-555-0199", "+14165550199"),
        ("thread with (617) 555-0142", "+16175550142"),
        ("0044 20 7946 0958 called", "+442079460958"),
    ],
    ids=["international", "dashes", "brackets", "double-zero"],
)
def test_a_phone_becomes_its_international_key(question: str, phone: str) -> None:
    assert read(question).phones == (phone,)


@pytest.mark.parametrize(
    ("question", "day"),
    [
        ("sales last night", date(2026, 12, 2)),
        ("yesterday's votes", date(2026, 12, 2)),
        ("tonight in Toronto", date(2026, 12, 3)),
        ("events on 2026-11-26", date(2026, 11, 26)),
        ("the show on friday", date(2026, 11, 27)),
        ("next saturday", date(2026, 12, 5)),
        ("what happened on Nov 26", date(2026, 11, 26)),
    ],
    ids=["last-night", "yesterday", "tonight", "iso", "weekday", "next-weekday", "month-day"],
)
def test_a_date_is_read_in_the_display_calendar(question: str, day: date) -> None:
    assert read(question).dates == (day,)


def test_an_amount_keeps_the_currency_written_next_to_it() -> None:
    entities = read("pay her 75.50 cad")

    assert entities.amounts == (Amount(Decimal("75.50"), "CAD"),)


def test_two_currencies_are_kept_in_the_order_written() -> None:
    assert read("what is 500 CAD in usd").currencies == ("CAD", "USD")


def test_an_artist_number_is_an_entry_id_not_a_phone() -> None:
    entities = read("who is artist number 310245")

    assert (entities.entry_ids, entities.phones) == ((310245,), ())


def test_a_round_number_is_read() -> None:
    assert read("leader of round 2 at AB4001").rounds == (2,)


@pytest.mark.parametrize(
    ("question", "city"),
    [("events in montreal", "Montréal"), ("san francisco shows", "San Francisco"),
     ("sales in torotno", "Toronto")],
    ids=["accent-folded", "two-words", "typo"],
)  # fmt: skip
def test_a_city_that_exists_in_the_data_is_found(question: str, city: str) -> None:
    assert read(question).cities == (city,)


def test_the_longest_known_artist_name_wins() -> None:
    assert read("rename maya chen art please").artists == ("Maya Chen Art",)


def test_a_possessive_artist_name_is_found() -> None:
    assert read("what is Diego Alvarez's balance").artists == ("Diego Alvarez",)


def test_an_unknown_capitalised_name_is_kept_as_a_name() -> None:
    assert read("Find Rosa Lindqvist please").names == ("Rosa Lindqvist",)


def test_quoted_text_is_kept_verbatim() -> None:
    assert read('invite her with the message "See you in Toronto!"').quoted == (
        "See you in Toronto!",
    )


def test_a_look_back_window_is_read_in_hours() -> None:
    assert read("errors in the last 3 days").hours_back == 72


def test_entity_words_are_left_out_of_the_ranking_text() -> None:
    residual = read("revenue at AB4001 in Toronto last night").residual

    assert set(residual.split()).isdisjoint({"toronto", "ab4001"})


def test_next_and_last_pick_an_event_but_last_night_does_not() -> None:
    assert read("the next Toronto event").event_pick == "next"
    assert read("the latest Toronto show").event_pick == "last"
    assert read("Toronto last night").event_pick is None
