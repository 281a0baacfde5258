"""The light read path: the database driver itself (sqlite3 or psycopg), without SQLAlchemy.

Reports and cron jobs only read; loading SQLAlchemy, SQLModel and pydantic costs them several
times what the query does. A PlainReader opens an existing, current database read-only and
streams plain tuples from portable SQL written with `:name` parameters. Anything else (a missing
file, pending migrations, reference data to reload) is left to storage.db via the full path.
"""

import json
import re
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from fupin_cli.domain.errors import DatabaseError
from fupin_cli.storage.versions import SCHEMA

_PARAMETER = re.compile(r"(?<!:):([a-z_][a-z0-9_]*)")
FETCH_ROWS = 2000


def _date(raw: bytes) -> date:
    return date.fromisoformat(raw.decode("ascii"))


def _boolean(raw: bytes) -> bool:
    return raw not in (b"0", b"")


# fupin's tables declare DATE and BOOLEAN columns; read them back as date and bool, as PostgreSQL does.
sqlite3.register_converter("DATE", _date)
sqlite3.register_adapter(date, date.isoformat)
sqlite3.register_converter("BOOLEAN", _boolean)


class PlainReader:
    """A read-only connection that yields plain tuples."""

    def __init__(self, connection: Any, *, backend: str, driver_error: type[Exception]) -> None:
        self._connection = connection
        self.backend = backend
        self.driver_error = driver_error
        self.calendar_changed = False
        """Set by the service that opened it: the stored provisional deadlines await a recheck."""

    def rows(self, sql: str, parameters: Mapping[str, Any] | None = None) -> Iterator[tuple[Any, ...]]:
        if self.backend == "postgresql":
            sql = _PARAMETER.sub(r"%(\1)s", sql.replace("%", "%%"))
        cursor = self._connection.cursor()
        try:
            cursor.execute(sql, dict(parameters or {}))
            while batch := cursor.fetchmany(FETCH_ROWS):
                for row in batch:
                    yield tuple(row)
        finally:
            cursor.close()

    def mappings(self, sql: str, parameters: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """All rows as dicts keyed by column name (for the few-row lookups of one case)."""
        if self.backend == "postgresql":
            sql = _PARAMETER.sub(r"%(\1)s", sql.replace("%", "%%"))
        cursor = self._connection.cursor()
        try:
            cursor.execute(sql, dict(parameters or {}))
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        finally:
            cursor.close()

    def close(self) -> None:
        self._connection.close()


def expand(name: str, values: Sequence[Any]) -> tuple[str, dict[str, Any]]:
    """`IN (:name_0, :name_1, …)` and its parameters, for a list of values."""
    keys = [f"{name}_{index}" for index in range(len(values))]
    return "(" + ", ".join(f":{key}" for key in keys) + ")", dict(zip(keys, values, strict=True))


def open_reader(db: str) -> PlainReader | None:
    """A reader on --db, or None when the light path cannot serve it (no such file yet, or not SQLite
    nor PostgreSQL): the caller then takes the full path, which creates, migrates or refuses."""
    if "://" not in db or db.startswith("sqlite:///"):
        path = Path(db.removeprefix("sqlite:///")).expanduser().absolute()
        if not path.is_file():
            return None
        try:
            connection = sqlite3.connect(
                f"{path.as_uri()}?mode=ro", uri=True, detect_types=sqlite3.PARSE_DECLTYPES, timeout=60
            )
            connection.execute("PRAGMA query_only = ON")
        except (sqlite3.Error, ValueError):
            return None
        return PlainReader(connection, backend="sqlite", driver_error=sqlite3.Error)
    if db.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        import psycopg

        try:
            connection = psycopg.connect(db.replace("postgresql+psycopg://", "postgresql://", 1))
            connection.read_only = True
        except psycopg.Error as failure:
            reason = str(failure).strip().splitlines()[0] if str(failure).strip() else "无法连接"
            raise DatabaseError(f"无法连接 PostgreSQL 数据库：{reason}") from None
        return PlainReader(connection, backend="postgresql", driver_error=psycopg.Error)
    return None


def is_current(reader: PlainReader, wanted_digests: Mapping[str, str]) -> bool:
    """Migrated to exactly this fupin's schema, with the reference data and calendar checks up to date."""
    try:
        names = tuple(row[0] for row in reader.rows("SELECT name FROM schema_migration ORDER BY name"))
        digests = dict(reader.rows("SELECT name, digest FROM reference_file"))
    except reader.driver_error:
        return False
    return names == tuple(sorted(SCHEMA)) and all(digests.get(k) == v for k, v in wanted_digests.items())


def stored_digests(reader: PlainReader) -> dict[str, str]:
    """What each reference source (and the calendar) looked like when last taken into account."""
    return {str(name): str(digest) for name, digest in reader.rows("SELECT name, digest FROM reference_file")}


def decode_units(stored: str | None) -> tuple[str, ...]:
    """The 协办 units as stored (a JSON array of unit names)."""
    return tuple(json.loads(stored)) if stored else ()
