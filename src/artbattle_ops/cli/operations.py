"""Operator commands over the observability store: `report`, `cleanup` and `errors resolve`."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import psycopg
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from artbattle_ops.cli.database import connect
from artbattle_ops.config.settings import CommonSettings, load
from artbattle_ops.db.errors import classify, describe
from artbattle_ops.db.target import resolve_target
from artbattle_ops.errors import DatabaseError, OpsError
from artbattle_ops.observability.logging import configure_logging
from artbattle_ops.observability.reports import (
    REPORTS,
    Report,
    cleanup_old_data,
    resolve_error,
    run_report,
)


class UnknownErrorIdError(OpsError):
    """`errors resolve` named an id that is not in `esbmcp_tool_errors`."""

    code = "not_found"


def register(commands: Any) -> None:
    """Add `report`, `cleanup` and `errors` to the command tree."""
    parser = commands.add_parser("report", help="operator reports over the esbmcp_ tables")
    parser.add_argument("name", choices=sorted(REPORTS), help="which report")
    parser.add_argument("--days", type=positive_int, default=7, help="window in days (default 7)")
    parser.add_argument(
        "--limit", type=positive_int, default=20, help="rows for top-users/feedback"
    )
    parser.add_argument("--json", action="store_true", help="print JSON rows for scripts")
    parser.set_defaults(handler=run_report_command)

    parser = commands.add_parser("cleanup", help="delete esbmcp_ rows older than the retention")
    parser.add_argument("--days", type=positive_int, default=90, help="retention (default 90)")
    parser.add_argument("--json", action="store_true", help="print the function's JSON result")
    parser.set_defaults(handler=run_cleanup)

    errors = commands.add_parser("errors", help="tool errors: mark them resolved")
    actions = errors.add_subparsers(dest="action", required=True, metavar="ACTION")
    parser = actions.add_parser("resolve", help="resolve an error and its unresolved siblings")
    parser.add_argument("error_id", type=error_id, metavar="ID", help="esbmcp_tool_errors.id")
    parser.add_argument("--note", required=True, help="what fixed it (change, ticket, data fix)")
    parser.add_argument("--by", default=None, help="who resolved it (default: the OS user)")
    parser.set_defaults(handler=run_resolve)


def positive_int(text: str) -> int:
    """An argparse type: an integer of at least 1."""
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from exc
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return value


def error_id(text: str) -> uuid.UUID:
    """An argparse type: the uuid of an error row."""
    try:
        return uuid.UUID(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an error id (a uuid): {text!r}") from exc


# SQLSTATE 42P01 and 42883: a table, view or function of the migrations is missing.
MISSING_OBJECT_STATES = frozenset({"42P01", "42883"})


@contextmanager
def operator_connection() -> Iterator[psycopg.Connection]:
    """An autocommit connection to the database the settings name (embedded in local mode).

    Raises:
        DatabaseError: a statement failed; the message names the cause and SQLSTATE.
    """
    settings = load(CommonSettings)
    configure_logging("WARNING")
    target = resolve_target(settings)
    try:
        with connect(target.url) as conn:
            yield conn
    except psycopg.Error as exc:
        raise database_error(exc) from exc
    finally:
        target.close()


def database_error(exc: psycopg.Error) -> DatabaseError:
    """One operator-readable error for a failed statement, with a hint for missing migrations."""
    error = classify(exc)
    message = describe(exc)
    if exc.sqlstate in MISSING_OBJECT_STATES:
        message += "; run artbattle-ops migrate"
    return DatabaseError(message, kind=error.kind, sqlstate=exc.sqlstate)


def run_report_command(args: argparse.Namespace) -> int:
    """Print one report as a table, or as JSON with --json."""
    with operator_connection() as conn:
        report = run_report(conn, args.name, args.days, args.limit)
    if args.json:
        write_json(report.rows)
        return 0
    print_report(report, args.days)
    return 0


def run_cleanup(args: argparse.Namespace) -> int:
    """Apply the retention and print what was deleted."""
    with operator_connection() as conn:
        result = cleanup_old_data(conn, args.days)
    if args.json:
        write_json(result)
        return 0
    table = Table("what", "value", title=f"retention cleanup, {args.days} days")
    for key, value in sorted(result.items()):
        table.add_row(key, format_cell(value))
    print_table(table)
    return 0


def run_resolve(args: argparse.Namespace) -> int:
    """Mark an error resolved, with every unresolved error of the same tool and pattern.

    Raises:
        UnknownErrorIdError: no error row has this id.
    """
    by = args.by or operator_name()
    with operator_connection() as conn:
        resolution = resolve_error(conn, args.error_id, by=by, note=args.note)
    if resolution is None:
        raise UnknownErrorIdError(f"no tool error with id {args.error_id}")

    out = Console(file=sys.stdout)
    count = len(resolution.resolved_ids)
    if count == 0:
        out.print(f"already resolved: {resolution.tool_name}: {resolution.error_pattern}")
        return 0
    out.print(
        f"resolved {count} error row(s) of {resolution.tool_name}: {resolution.error_pattern}"
    )
    return 0


def operator_name() -> str:
    """The OS user running the command, for `resolved_by` when --by is not given."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "operator"


UNBOUNDED_WIDTH = 10_000
# What an empty report means, where "no rows" would mislead (these reports filter their rows).
EMPTY_REPORTS = {"errors": "no unresolved tool errors", "feedback": "no negative feedback"}


def print_report(report: Report, days: int) -> None:
    """A rich table of the report, or a line saying it is empty."""
    if not report.rows:
        nothing = EMPTY_REPORTS.get(report.name, "no rows")
        Console(file=sys.stdout).print(f"{report.name}: {nothing} in the last {days} day(s)")
        return
    table = Table(title=f"{report.name}, last {days} day(s)")
    for column in report.columns:
        table.add_column(column, overflow="fold")
    for row in report.rows:
        table.add_row(*(format_cell(row[column]) for column in report.columns))
    print_table(table)


def print_table(table: Table) -> None:
    """Print `table` whole: at its natural width into a file or pipe, and in a terminal
    narrower than that, with long cells folded onto more lines rather than cut short."""
    out = Console(file=sys.stdout)
    if not out.is_terminal:
        unbounded = Console(file=sys.stdout, width=UNBOUNDED_WIDTH)
        natural = Measurement.get(unbounded, unbounded.options, table).maximum
        out = Console(file=sys.stdout, width=natural)
    out.print(table)


def format_cell(value: Any) -> str:
    """One value as table text: empty for NULL, ISO instants to the second."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return str(value)


def write_json(value: Any) -> None:
    """Write `value` as JSON: instants and dates in ISO 8601, numerics as numbers."""
    sys.stdout.write(json.dumps(value, default=json_value, indent=2) + "\n")


def json_value(value: Any) -> Any:
    """`json.dumps` fallback for the types the reports return."""
    converters: dict[type, Callable[[Any], Any]] = {
        datetime: lambda v: v.isoformat(),
        date: lambda v: v.isoformat(),
        Decimal: float,
        uuid.UUID: str,
    }
    for kind, convert in converters.items():
        if isinstance(value, kind):
            return convert(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
