"""The SQL phone key of a stored column equals `phone_key` of the same text (tools.md §1.2)."""

from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql
from psycopg.rows import TupleRow

from artbattle_ops.db.migrations import migrate
from artbattle_ops.tools.formats import PHONE_KEY_SQL, phone_key

Connection = psycopg.Connection[TupleRow]

STORED_PHONES = {
    "e164": "+14165550199",
    "nanp-formatted": "(416) 555-0199",
    "nanp-dashes": "416-555-0199",
    "nanp-bare-10-digits": "4165550199",
    "nanp-with-country-code": "1 416 555 0199",
    "nanp-dots-and-plus": "+1.416.555.0199",
    "padded": "  +1 416 555 0199 ",
    "tab-padded-00": "\t0044 20 7946 0958",
    "uk-with-00": "0044 20 7946 0958",
    "uk-with-plus": "+44 20 7946 0958",
    "nanp-with-00": "00 1 416 555 0199",
    "plus-and-10-digits": "+1234567890",
    "00-and-10-digits": "004412345678",
    "00-and-8-digits": "0012345678",
    "plus-then-00": "+0044 20 7946 0958",
    "thailand": "+66 81 234 5678",
    "eight-digits": "12345678",
    "fifteen-digits": "123456789012345",
    "letters-around": "tel: 416 555 0199 (cell)",
}


@pytest.fixture
def connection(database_url: str) -> Iterator[Connection]:
    """A migrated database (for `esbmcp_phone_key`) holding the table `stored(id, phone)`."""
    with psycopg.connect(database_url, autocommit=True) as admin:
        migrate(admin)
    with psycopg.connect(database_url) as conn:
        conn.execute("CREATE TABLE stored (id int PRIMARY KEY, phone varchar(50))")
        yield conn


def _sql_keys(conn: Connection, phones: list[str | None]) -> list[str | None]:
    with conn.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO stored (id, phone) VALUES (%s, %s)", list(enumerate(phones))
        )
    key = sql.SQL(PHONE_KEY_SQL).format(column=sql.Identifier("phone"))
    query = sql.SQL("SELECT {key} FROM stored ORDER BY id").format(key=key)
    return [row[0] for row in conn.execute(query).fetchall()]


def test_sql_key_of_stored_phones_equals_phone_key(connection: Connection) -> None:
    keys = _sql_keys(connection, list(STORED_PHONES.values()))

    assert dict(zip(STORED_PHONES, keys, strict=True)) == {
        name: phone_key(phone) for name, phone in STORED_PHONES.items()
    }


@pytest.mark.parametrize(
    ("stored", "key"),
    [("555-0199", "5550199"), ("", ""), ("n/a", ""), ("+44 20 7946 0958 1234", "4420794609581234")],
    ids=["seven-digits", "empty", "no-digits", "sixteen-digits"],
)
def test_sql_key_of_an_invalid_phone_is_its_digits_for_callers_to_filter(
    connection: Connection, stored: str, key: str
) -> None:
    assert _sql_keys(connection, [stored]) == [key]


def test_sql_key_of_a_null_phone_is_null(connection: Connection) -> None:
    assert _sql_keys(connection, [None]) == [None]


def test_a_bound_key_is_looked_up_through_the_expression_index(connection: Connection) -> None:
    connection.execute("CREATE INDEX stored_key_idx ON stored (public.esbmcp_phone_key(phone))")
    connection.execute("SET enable_seqscan = off")
    key = sql.SQL(PHONE_KEY_SQL).format(column=sql.Identifier("phone"))
    query = sql.SQL("EXPLAIN SELECT id FROM stored WHERE {key} = %s").format(key=key)

    plan = "\n".join(str(row[0]) for row in connection.execute(query, ("14165550199",)))

    assert "stored_key_idx" in plan
