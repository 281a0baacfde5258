"""A fresh database per test, on SQLite and, where a server is there, on PostgreSQL.

`db_url` is what a test passes as --db; `database` is that database opened (created and migrated).
PostgreSQL needs FUPIN_TEST_PG_URL (a role allowed to CREATE DATABASE): each test gets its own
database `fupin_t_<random>`, dropped afterwards. Without the variable those variants are skipped
with the reason shown by `-ra`; .ci/run starts a server and sets it.
"""

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

PG_URL_VARIABLE = "FUPIN_TEST_PG_URL"
PG_SKIP_REASON = f"{PG_URL_VARIABLE} not set: PostgreSQL tests need a server (.ci/run starts one)"

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


def postgres_admin_url() -> str:
    url = os.environ.get(PG_URL_VARIABLE)
    if not url:
        pytest.skip(PG_SKIP_REASON)
    return url


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """Create an empty database on the test server; yield its URL; drop it (even if still in use)."""
    import psycopg
    from sqlalchemy.engine import make_url

    admin_url = postgres_admin_url()
    name = f"fupin_t_{secrets.token_hex(6)}"
    admin = make_url(admin_url)
    conninfo = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(backend: str, tmp_path) -> Iterator[str]:
    """The --db value of a new, empty database: an SQLite file path or a postgresql:// URL."""
    if backend == "sqlite":
        yield str(tmp_path / "fupin.db")
        return
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def database(db_url: str):
    """The database of `db_url`, opened: created and migrated."""
    from fupin_cli.storage.db import open_database

    opened = open_database(db_url)
    yield opened
    opened.dispose()
