"""The fixture events, people and artists of schema.md §8.16, identical at every scale."""

from __future__ import annotations

from typing import NamedTuple


class FixtureEvent(NamedTuple):
    """One reserved EID, where and when it happens, and the role tests look it up by."""

    eid: str
    city: str
    day_offset: int
    role: str


LIVE_OFFSET = 0
# The DST fixtures are placed around the latest transition; this nominal age (days) is what
# as_of-independent decisions (payout timing, cache windows) use for them.
DST_NOMINAL_OFFSET = -150

FIXTURE_EVENTS = (
    FixtureEvent("AB4001", "Toronto", -7, "healthy_event"),
    FixtureEvent("AB4002", "Montréal", -45, "sold_without_payout_event"),
    FixtureEvent("AB4003", "Boston", LIVE_OFFSET, "live_event"),
    FixtureEvent("AB4004", "Sydney", -20, "full_portion_event"),
    FixtureEvent("AB4005", "Seattle", -30, "charity_event"),
    FixtureEvent("AB4006", "Ottawa", 10, "hidden_event"),
    FixtureEvent("AB4007", "Philadelphia", 14, "missing_venue_event"),
    FixtureEvent("AB4008", "Auckland", 21, "missing_currency_event"),
    FixtureEvent("AB4009", "Pittsburgh", 5, "stale_eventbrite_event"),
    FixtureEvent("AB4010", "Bangkok", 25, "thb_no_eventbrite_event"),
    FixtureEvent("AB4011", "Minneapolis", 30, "draft_event"),
    FixtureEvent("AB4012", "Amsterdam", 40, "eur_no_eventbrite_event"),
    FixtureEvent("AB4013", "Toronto", -3, "currency_mismatch_event"),
    FixtureEvent("AB4014", "San Francisco", -60, "never_ran_event"),
    FixtureEvent("AB4015", "Edmonton", 2, "ready_event"),
    FixtureEvent("AB4016", "Omaha", 45, "missing_city_event"),
    FixtureEvent("AB4017", "Oakland", 7, "eventbrite_error_event"),
    FixtureEvent("AB4018", "Toronto", DST_NOMINAL_OFFSET, "dst_before_event"),
    FixtureEvent("AB4019", "Toronto", DST_NOMINAL_OFFSET + 8, "dst_after_event"),
    FixtureEvent("AB4020", "Melbourne", DST_NOMINAL_OFFSET + 30, "southern_dst_event"),
    FixtureEvent("AB2750", "Toronto", -913, "legacy_event"),
)
DST_EIDS = frozenset({"AB4018", "AB4019", "AB4020"})
LIVE_EID = "AB4003"
HEALTHY_EID = "AB4001"
NEVER_RAN_EID = "AB4014"
LEGACY_FIXTURE_EID = "AB2750"
HIDDEN_EID = "AB4006"
NO_EVENTBRITE_EIDS = frozenset({"AB4010", "AB4011", "AB4012"})
ORPHAN_INVITATION_EID = "AB9999"
UNPAID_BUYER_ART = "AB4002-2-3"


class FixturePerson(NamedTuple):
    """A named person the fixtures need, with the contact details tests look for."""

    key: str
    first_name: str
    last_name: str | None
    city: str
    phone: str | None
    email: str | None


FIXTURE_PEOPLE = (
    FixturePerson("maya_chen", "Maya", "Chen", "Toronto", "+14165550134", "maya.chen@example.com"),
    FixturePerson("lucas_moreau_a", "Lucas", "Moreau", "Montréal", "+15145550187", None),
    FixturePerson("lucas_moreau_b", "Lucas", "Moreau", "Montréal", "+14385550112", None),
    FixturePerson("ava_thompson", "Ava", "Thompson", "Toronto", None, "ava.thompson@example.org"),
    FixturePerson("priya_nair", "Priya", "Nair", "Montréal", None, "priya.nair@example.com"),
    FixturePerson("tom_becker", "Tom", "Becker", "Sydney", None, "tom.becker@example.net"),
    FixturePerson("sofia_rossi", "Sofia", "Rossi", "Toronto", None, "sofia.rossi@example.com"),
    FixturePerson(
        "diego_alvarez", "Diego", "Alvarez", "Toronto", None, "diego.alvarez@example.org"
    ),
    FixturePerson("chris_walker", "Chris", "Walker", "Montréal", "+15145550163", None),
    FixturePerson("sms_thread", "Rosa", "Delgado", "Boston", "+16175550142", None),
    FixturePerson("jordan", "Jordan", None, "Toronto", None, "jordan.k@example.net"),
    FixturePerson("super_fan", "Rosa", "Lindqvist", "Toronto", "+16475550177", None),
)


class FixtureArtist(NamedTuple):
    """A named artist profile; `person` names the FixturePerson it belongs to, if any."""

    key: str
    name: str
    person: str | None
    entry_id: int | None
    phone: str | None


FIXTURE_ARTISTS = (
    FixtureArtist("maya_chen", "Maya Chen", "maya_chen", 310001, "+14165550134"),
    FixtureArtist("maya_chen_art", "Maya Chen Art", "maya_chen", 310145, "+14165550134"),
    FixtureArtist("lucas_moreau_a", "Lucas Moreau", "lucas_moreau_a", None, "+15145550187"),
    FixtureArtist("lucas_moreau_b", "Lucas Moreau", "lucas_moreau_b", None, "(514) 555-0187"),
    FixtureArtist("ava_thompson_old", "Ava Thompson", "ava_thompson", None, None),
    FixtureArtist("ava_thompson", "Ava Thompson", "ava_thompson", None, None),
    FixtureArtist("priya_nair", "Priya Nair", "priya_nair", None, None),
    FixtureArtist("tom_becker", "Tom Becker", "tom_becker", None, None),
    FixtureArtist("sofia_rossi", "Sofia Rossi", "sofia_rossi", None, None),
    FixtureArtist("diego_alvarez", "Diego Alvarez", "diego_alvarez", None, None),
)

# Where fixture artists paint: (artist key, EID, round, easel). Their works are forced to
# 'paid' and given too little of the vote to reach the final.
FIXTURE_PLACEMENTS = (
    ("priya_nair", "AB4002", 1, 2),
    ("sofia_rossi", "AB4001", 1, 4),
    ("diego_alvarez", "AB4001", 2, 5),
    ("diego_alvarez", "AB4004", 1, 3),
    ("tom_becker", "AB4004", 2, 2),
)
# Fixture artists who simply paint somewhere, so that duplicate groups have art to rank by.
FIXTURE_GUESTS = (
    ("maya_chen", "AB4001", 2, 1),
    ("maya_chen_art", "AB4013", 1, 2),
    ("lucas_moreau_a", "AB4002", 2, 4),
    ("lucas_moreau_b", "AB4002", 1, 5),
    ("ava_thompson", "AB4013", 2, 3),
    ("ava_thompson_old", "AB2750", 1, 1),
)
# A second AB4002 work that is paid with no payout; its painter is a background artist.
SECOND_UNPAID_WORK = ("AB4002", 2, 5)
# Works whose outcome a fixture pins: art code -> status.
FORCED_STATUSES = {
    "AB4002-1-2": "paid",
    "AB4002-2-5": "paid",
    UNPAID_BUYER_ART: "sold",
    "AB4001-1-4": "paid",
    "AB4001-2-5": "paid",
    "AB4001-2-6": "closed",
    "AB4001-1-6": "sold",
    "AB4004-1-3": "paid",
    "AB4004-2-2": "paid",
    "AB4005-1-1": "paid",
}
