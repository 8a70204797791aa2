"""The test server fixture gives each test its own empty database."""

import psycopg


def test_fresh_database_has_no_user_tables(database_url: str) -> None:
    with psycopg.connect(database_url) as conn:
        row = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()

    assert row == (0,)
