"""The manifest agrees with spec/tools.md: §2 matrix, §1.1 hints, §1.7, §1.8 and the arguments."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from artbattle_ops.tools.manifest import Manifest, load_manifest

ROOT = Path(__file__).resolve().parents[3]
# The §2 matrix as committed, and the spec it was copied from, found beside the project (or
# beside one of its parent folders) when the shared material is there.
MATRIX_COPY = ROOT / "tests" / "data" / "spec_role_matrix.md"
SPEC = next(
    (
        p / "shared" / "spec" / "tools.md"
        for p in ROOT.parents
        if (p / "shared/spec/tools.md").is_file()
    ),
    None,
)
ROLE_COLUMNS = ("ops", "event-producer", "finance", "marketing", "viewer")
ROLE_TOTALS = {"ops": 49, "event-producer": 32, "finance": 22, "marketing": 15, "viewer": 17}

# §1.1: the writes that overwrite a stored value, and the two whose keys hold for one UTC day.
DESTRUCTIVE = {"update_artist_name", "update_artist_bio", "update_artist_country"}
NOT_IDEMPOTENT = {"process_artist_payment", "send_payment_reminder"}

# The argument names of each tool section, §3-§8.
ARGUMENTS: dict[str, set[str]] = {
    "lookup_event": {"eid", "city", "on_date", "past_days", "limit"},
    "lookup_person": {"query", "search_by", "limit"},
    "lookup_artist_profile": {"query", "search_by", "limit"},
    "lookup_artwork_bids": {"eid", "artist_profile_id", "round"},
    "get_vote_data": {"eid", "round"},
    "debug_event_visibility": {"eid"},
    "get_event_config": {"eid"},
    "run_event_health_check": {"eid"},
    "get_event_summary": {"eid"},
    "get_bid_history": {"eid", "art_id", "limit"},
    "get_auction_timing": {"eid"},
    "get_auction_revenue": {"eid", "group_by"},
    "get_eventbrite_data": {"eid"},
    "get_eventbrite_mapping": {"eid", "days_ahead", "only_missing"},
    "get_eventbrite_fees": {"eid"},
    "find_duplicate_profiles": {
        "artist_profile_id",
        "query",
        "match_on",
        "include_superseded",
        "limit",
    },
    "update_artist_name": {"artist_profile_id", "new_name"},
    "update_artist_bio": {"artist_profile_id", "new_bio"},
    "update_artist_country": {"artist_profile_id", "new_country"},
    "get_artist_invitations": {"eid", "artist_profile_id", "status", "limit"},
    "send_artist_invitation": {"eid", "artist_profile_id", "message_from_producer"},
    "get_event_readiness": {"eid"},
    "get_vote_weights": {"eid", "round", "person_id"},
    "refresh_vote_weights": {"reason"},
    "get_qr_scan_status": {"eid", "person_id", "valid_only", "limit"},
    "get_artist_stripe_status": {"artist_profile_id", "eid"},
    "process_artist_payment": {"eid", "artist_profile_id", "amount", "currency", "description"},
    "get_exchange_rates": {"base_currency", "target_currency", "amount"},
    "get_manual_payment_requests": {"eid", "artist_profile_id", "status", "limit"},
    "get_artist_payment_ledger": {"artist_profile_id", "eid", "status", "currency", "limit"},
    "get_artists_owed": {"eid", "artist_profile_id", "currency"},
    "get_payment_status_health": {"eid"},
    "get_payment_invitations": {"eid", "artist_profile_id", "limit"},
    "send_payment_reminder": {"art_id", "admin_note"},
    "get_meta_ads_data": {"eid"},
    "get_sms_campaigns": {"eid", "status", "limit"},
    "get_sms_audience_count": {"eid", "audience_filter"},
    "get_sms_conversation": {"phone", "limit"},
    "get_notification_status": {"eid", "hours_back"},
    "get_active_offers": {"eid", "city", "include_expired", "limit"},
    "get_sponsorship_summary": {"eid"},
    "get_slack_queue_health": {"hours_back"},
    "get_email_queue_stats": {"hours_back"},
    "get_email_log": {"recipient", "eid", "status", "hours_back", "limit"},
    "check_rls_policies": {"table_name", "schema_name"},
    "live_event_diagnostic": {"eid"},
    "get_bot_errors": {"hours_back", "tool_name", "unresolved_only", "limit"},
    "get_bot_sessions": {"hours_back", "status", "user_id", "limit"},
    "get_bot_tool_stats": {"hours_back", "limit"},
}

# §1.7: the arguments logs and audit keep only as a keyed hash.
PII_ARGUMENTS = {
    "lookup_person": {"query"},
    "lookup_artist_profile": {"query"},
    "find_duplicate_profiles": {"query"},
    "get_sms_conversation": {"phone"},
    "get_email_log": {"recipient"},
    "send_artist_invitation": {"message_from_producer"},
    "send_payment_reminder": {"admin_note"},
}

# §1.8: 8000 ms for reads, 10000 ms for writes, these otherwise; conditional 20000 ms cases.
TIMEOUTS = {"refresh_vote_weights": 120000, "get_sms_conversation": 20000}
SLOW_TIMEOUTS = {"find_duplicate_profiles", "get_artists_owed", "get_sms_audience_count"}

# The "at least one of" rules of the tool sections.
EITHER_OR = {
    "lookup_event": (("eid", "city", "on_date"),),
    "get_artist_invitations": (("eid", "artist_profile_id"),),
    "get_qr_scan_status": (("eid", "person_id"),),
    "get_artist_stripe_status": (("artist_profile_id", "eid"),),
    "get_artist_payment_ledger": (("artist_profile_id", "eid"),),
    "get_payment_invitations": (("eid", "artist_profile_id"),),
}


@dataclass(frozen=True)
class MatrixRow:
    """One row of the §2 roles matrix."""

    domain: str
    risk: str
    roles: frozenset[str]
    max_calls_per_request: int


@cache
def spec_matrix() -> dict[str, MatrixRow]:
    return parse_matrix(MATRIX_COPY.read_text(encoding="utf-8"))


def parse_matrix(text: str) -> dict[str, MatrixRow]:
    """The rows of the §2 table found in `text`."""
    rows: dict[str, MatrixRow] = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 10 or not cells[0].isdigit():
            continue
        roles = frozenset(
            role for role, mark in zip(ROLE_COLUMNS, cells[4:9], strict=True) if mark == "✓"
        )
        rows[cells[1].strip("`")] = MatrixRow(cells[2], cells[3], roles, int(cells[9]))
    return rows


def manifest() -> Manifest:
    return load_manifest()


TOOLS = sorted(ARGUMENTS)


def test_the_spec_matrix_lists_the_49_tools_of_the_argument_table() -> None:
    assert sorted(spec_matrix()) == TOOLS


@pytest.mark.skipif(SPEC is None, reason="shared/spec/tools.md is not beside the project")
def test_the_committed_matrix_is_the_one_in_the_spec() -> None:
    assert SPEC is not None
    text = SPEC.read_text(encoding="utf-8")

    section = text[text.index("\n## 2. ") : text.index("\n## 3. ")]

    assert parse_matrix(section) == spec_matrix()


def test_the_manifest_has_exactly_the_tools_of_the_spec_matrix() -> None:
    assert sorted(manifest().names) == sorted(spec_matrix())


@pytest.mark.parametrize("name", TOOLS)
def test_allowed_roles_match_the_spec_matrix(name: str) -> None:
    assert manifest()[name].allowed_roles == spec_matrix()[name].roles


@pytest.mark.parametrize("name", TOOLS)
def test_risk_matches_the_spec_matrix(name: str) -> None:
    assert manifest()[name].risk == spec_matrix()[name].risk


@pytest.mark.parametrize("name", TOOLS)
def test_domain_matches_the_spec_matrix(name: str) -> None:
    assert manifest()[name].domain == spec_matrix()[name].domain


@pytest.mark.parametrize("name", TOOLS)
def test_call_cap_matches_the_spec_matrix(name: str) -> None:
    assert manifest()[name].max_calls_per_request == spec_matrix()[name].max_calls_per_request


@pytest.mark.parametrize(("role", "total"), ROLE_TOTALS.items())
def test_each_role_has_the_number_of_tools_the_spec_states(role: str, total: int) -> None:
    assert len(manifest().for_role(role)) == total


@pytest.mark.parametrize(("role", "total"), ROLE_TOTALS.items())
def test_the_spec_matrix_agrees_with_its_own_role_totals(role: str, total: int) -> None:
    assert sum(1 for row in spec_matrix().values() if role in row.roles) == total


@pytest.mark.parametrize("name", TOOLS)
def test_exactly_the_writes_require_confirmation(name: str) -> None:
    assert manifest()[name].requires_confirmation is (spec_matrix()[name].risk == "write")


@pytest.mark.parametrize("name", TOOLS)
def test_annotations_follow_section_1_1(name: str) -> None:
    is_read = spec_matrix()[name].risk == "read"
    expected = {
        "read_only_hint": is_read,
        "destructive_hint": name in DESTRUCTIVE,
        "idempotent_hint": name not in NOT_IDEMPOTENT,
    }

    assert manifest()[name].annotations() == expected


@pytest.mark.parametrize("name", TOOLS)
def test_the_schema_has_exactly_the_arguments_of_the_tool_section(name: str) -> None:
    assert set(manifest()[name].parameters["properties"]) == ARGUMENTS[name]


@pytest.mark.parametrize("name", TOOLS)
def test_the_schema_is_valid_draft_2020_12(name: str) -> None:
    Draft202012Validator.check_schema(manifest()[name].parameters)


@pytest.mark.parametrize("name", TOOLS)
def test_the_schema_refuses_unknown_arguments(name: str) -> None:
    assert manifest()[name].parameters["additionalProperties"] is False


@pytest.mark.parametrize("name", TOOLS)
def test_pii_arguments_are_those_of_section_1_7(name: str) -> None:
    assert manifest()[name].pii_arguments == PII_ARGUMENTS.get(name, set())


@pytest.mark.parametrize("name", TOOLS)
def test_statement_timeout_follows_section_1_8(name: str) -> None:
    default = 10000 if spec_matrix()[name].risk == "write" else 8000

    assert manifest()[name].statement_timeout_ms == TIMEOUTS.get(name, default)


@pytest.mark.parametrize("name", TOOLS)
def test_only_the_conditional_cases_of_section_1_8_have_a_slow_timeout(name: str) -> None:
    expected = 20000 if name in SLOW_TIMEOUTS else None

    assert manifest()[name].slow_statement_timeout_ms == expected


@pytest.mark.parametrize("name", TOOLS)
def test_either_or_rules_are_those_of_the_tool_section(name: str) -> None:
    assert manifest()[name].requires_one_of == EITHER_OR.get(name, ())


@pytest.mark.parametrize("name", TOOLS)
def test_every_id_argument_names_the_tool_that_supplies_it(name: str) -> None:
    properties = manifest()[name].parameters["properties"]
    ids = [p for p in properties.values() if p.get("format") in {"uuid", "art_ref"}]

    assert all("x-lookup-tool" in prop for prop in ids)
