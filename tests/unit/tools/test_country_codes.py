"""The bundled ISO 3166-1 list and the hints of update_artist_country (tools.md §4.4)."""

from __future__ import annotations

import pytest

from artbattle_ops.tools.errors import InvalidArgumentsError
from artbattle_ops.tools.profile_integrity.artist_country import check_country
from artbattle_ops.tools.profile_integrity.country_codes import (
    ASSIGNED,
    assigned_country,
    suggest_country,
)


def test_the_list_holds_the_249_officially_assigned_codes() -> None:
    assert len(ASSIGNED) == 249


def test_alpha_2_alpha_3_and_names_are_each_unique() -> None:
    columns = list(zip(*ASSIGNED, strict=True))

    assert [len(set(column)) for column in columns] == [249, 249, 249]


def test_codes_have_two_and_three_capital_letters() -> None:
    assert all(
        len(a2) == 2 and len(a3) == 3 and (a2 + a3).isascii() and (a2 + a3).isupper()
        for a2, a3, _ in ASSIGNED
    )


@pytest.mark.parametrize(
    ("alpha2", "alpha3", "name"),
    [
        ("CA", "CAN", "Canada"),
        ("GB", "GBR", "United Kingdom"),
        ("US", "USA", "United States of America"),
        ("AX", "ALA", "Åland Islands"),
        ("SS", "SSD", "South Sudan"),
        ("BQ", "BES", "Bonaire, Sint Eustatius and Saba"),
        ("KM", "COM", "Comoros"),
        ("ZW", "ZWE", "Zimbabwe"),
    ],
)
def test_spot_checked_entries_are_in_the_list(alpha2: str, alpha3: str, name: str) -> None:
    assert (alpha2, alpha3, name) in ASSIGNED


@pytest.mark.parametrize("code", ["UK", "XK", "EU", "AN", "YU", "ZZ"])
def test_reserved_and_user_assigned_codes_are_not_assigned(code: str) -> None:
    assert assigned_country(code) is None


@pytest.mark.parametrize(
    ("value", "meant"),
    [
        ("UK", "GB"),
        ("uk", "GB"),
        ("CAN", "CA"),
        ("gbr", "GB"),
        ("Canada", "CA"),
        ("  canada ", "CA"),
        ("The Netherlands", "NL"),
        ("Cote d'Ivoire", "CI"),
        ("Republic of Korea", "KR"),
        ("South Korea", "KR"),
        ("United States", "US"),
        ("Bosnia & Herzegovina", "BA"),
    ],
)
def test_a_value_that_is_not_a_code_suggests_the_code_meant(value: str, meant: str) -> None:
    country = suggest_country(value)

    assert country is not None
    assert country.alpha2 == meant


@pytest.mark.parametrize("value", ["Atlantis", "XK", "Korea", ""])
def test_a_value_with_no_clear_meaning_suggests_nothing(value: str) -> None:
    assert suggest_country(value) is None


def test_an_assigned_code_is_accepted_in_any_case() -> None:
    assert check_country(" gb ").alpha2 == "GB"


def test_a_country_name_is_refused_with_a_hint_and_not_converted() -> None:
    with pytest.raises(InvalidArgumentsError) as raised:
        check_country("Canada")

    assert (raised.value.argument, raised.value.hint) == (
        "new_country",
        "Did you mean CA (Canada)? Call again with that code.",
    )


def test_an_unknown_code_is_refused_without_a_hint() -> None:
    with pytest.raises(InvalidArgumentsError) as raised:
        check_country("QQ")

    assert (raised.value.argument, raised.value.hint) == ("new_country", None)
