"""People and artist profiles: fictional contacts, dirty on purpose, entry numbers in order."""

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from artbattle_ops.demo.dataset import Dataset
from tests.unit.demo.tables import records

E164 = re.compile(r"^\+[1-9]\d{7,14}$")
NORTH_AMERICAN = re.compile(r"^\+1\d{3}555\d{4}$")


def test_every_person_phone_is_unique_e164(demo: Dataset) -> None:
    phones = [p["phone"] for p in records(demo, "people") if p["phone"]]

    assert (len(phones) == len(set(phones)), all(E164.match(p) for p in phones)) == (True, True)


def test_north_american_phones_use_the_555_exchange(demo: Dataset) -> None:
    phones = [p["phone"] for p in records(demo, "people") if (p["phone"] or "").startswith("+1")]

    assert all(NORTH_AMERICAN.match(p) for p in phones)


def test_emails_use_only_reserved_domains(demo: Dataset) -> None:
    domains = {p["email"].split("@")[1].lower() for p in records(demo, "people") if p["email"]}

    assert domains <= {"example.com", "example.net", "example.org"}


Person = dict[str, Any]
TRAITS: dict[str, tuple[Callable[[Person], bool], float, float]] = {
    "phone": (lambda p: bool(p["phone"]), 0.92, 0.98),
    "email": (lambda p: bool(p["email"]), 0.45, 0.65),
    "no_names": (lambda p: p["first_name"] is None and p["last_name"] is None, 0.33, 0.47),
    "auth": (lambda p: p["auth_user_id"] is not None, 0.25, 0.35),
    "blocked": (lambda p: p["message_blocked"] > 0, 0.01, 0.04),
    "merged": (lambda p: p["superseded_by"] is not None, 0.002, 0.01),
}
COUNTRY_FORMS: dict[str, Callable[[str | None], bool]] = {
    "upper": lambda c: c is not None and len(c) == 2 and c.isupper(),
    "lower": lambda c: c is not None and len(c) == 2 and c.islower(),
    "full_name": lambda c: c is not None and len(c) > 2,
    "null": lambda c: c is None,
}


@pytest.mark.parametrize("trait", list(TRAITS))
def test_person_trait_share_is_as_specified(demo: Dataset, trait: str) -> None:
    has, low, high = TRAITS[trait]
    people = records(demo, "people")

    share = sum(1 for p in people if has(p)) / len(people)

    assert low <= share <= high


def test_is_artist_is_true_exactly_for_people_with_a_profile(demo: Dataset) -> None:
    linked = {a["person_id"] for a in records(demo, "artist_profiles") if a["person_id"]}

    flagged = {p["id"] for p in records(demo, "people") if p["is_artist"]}

    assert flagged == linked


def test_every_auth_user_of_a_person_exists(demo: Dataset) -> None:
    users = {u["id"] for u in records(demo, "auth.users")}

    missing = [
        p["id"]
        for p in records(demo, "people")
        if p["auth_user_id"] and p["auth_user_id"] not in users
    ]

    assert missing == []


def test_new_profiles_count_up_from_310000_in_creation_order(demo: Dataset) -> None:
    year_ago = demo.as_of - timedelta(days=365)
    new = sorted(
        (p["created_at"], p["entry_id"])
        for p in records(demo, "artist_profiles")
        if p["created_at"] > year_ago
    )

    numbers = [n for _, n in new]

    assert (numbers == sorted(numbers), numbers[0] >= 310_000) == (True, True)


def test_older_profiles_have_lower_numbers_rising_with_creation(demo: Dataset) -> None:
    year_ago = demo.as_of - timedelta(days=365)
    old = sorted(
        (p["created_at"], p["entry_id"])
        for p in records(demo, "artist_profiles")
        if p["created_at"] <= year_ago
    )

    numbers = [n for _, n in old]

    assert (numbers == sorted(numbers), numbers[-1] < 300_000) == (True, True)


@pytest.mark.parametrize("form", list(COUNTRY_FORMS))
def test_artist_country_appears_in_every_dirty_form(demo: Dataset, form: str) -> None:
    countries = [p["country"] for p in records(demo, "artist_profiles")]

    assert any(COUNTRY_FORMS[form](c) for c in countries)


def test_some_profile_phones_are_formatted_unlike_their_persons(demo: Dataset) -> None:
    phones = {p["id"]: p["phone"] for p in records(demo, "people")}

    differ = [
        a
        for a in records(demo, "artist_profiles")
        if a["person_id"] and a["phone"] and a["phone"] != phones[a["person_id"]]
    ]

    assert len(differ) > 0.05 * len(records(demo, "artist_profiles"))
