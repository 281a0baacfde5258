"""The light read path: the database driver itself (sqlite3 or psycopg), without SQLAlchemy.

Every read command comes in here; loading SQLAlchemy, SQLModel and pydantic would cost it several
times what the query does. A PlainReader opens an existing database read-only and streams plain
tuples from portable SQL written with `:name` parameters: it is a storage.rows.Rows, as the write
path's SessionRows is, so storage functions are written once for both. It never writes: a missing
or unmigrated database is refused by services.database.reading, which names `fupin init`.
"""

import json
import re
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import date
from typing import Any

from fupin_cli.domain.audit import event_hash
from fupin_cli.domain.errors import DatabaseError
from fupin_cli.storage import driver_errors
from fupin_cli.storage.location import BUSY_TIMEOUT_SECONDS, locate
from fupin_cli.storage.sqlite_types import DETECT_TYPES
from fupin_cli.storage.versions import TABLES

_PARAMETER = re.compile(r"(?<!:):([a-z_][a-z0-9_]*)")
FETCH_ROWS = 2000


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
            _close_quietly(cursor, self.driver_error)

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


def translated(reader: PlainReader, shown: str) -> AbstractContextManager[None]:
    """Driver errors while a command reads (a damaged page, a missing table, a lost connection) as
    the one Chinese line storage.driver_errors says on either path."""
    return driver_errors.translated(shown, reader.driver_error)


def _close_quietly(cursor: Any, driver_error: type[Exception]) -> None:
    """Close a cursor of a stream abandoned part-way (a refusal raised while rows were read): by the
    time the generator is collected the connection may be closed, which must not print anything."""
    try:
        cursor.close()
    except driver_error:
        pass


def expand(name: str, values: Sequence[Any]) -> tuple[str, dict[str, Any]]:
    """`IN (:name_0, :name_1, …)` and its parameters, for a list of values."""
    keys = [f"{name}_{index}" for index in range(len(values))]
    return "(" + ", ".join(f":{key}" for key in keys) + ")", dict(zip(keys, values, strict=True))


def open_reader(db: str) -> PlainReader | None:
    """A reader on --db (read by storage.location.locate, as the write path reads it), or None when
    there is no such SQLite file yet."""
    location = locate(db)
    if location.sqlite_path is not None:
        path = location.sqlite_path
        if not path.is_file():
            return None
        try:
            connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, detect_types=DETECT_TYPES, timeout=BUSY_TIMEOUT_SECONDS)
            connection.execute("PRAGMA query_only = ON")
        except (sqlite3.Error, ValueError):
            return None
        return PlainReader(connection, backend="sqlite", driver_error=sqlite3.Error)
    try:
        import psycopg
    except ImportError:
        raise DatabaseError(driver_errors.PSYCOPG_MISSING) from None
    try:
        connection = psycopg.connect(location.conninfo)
        connection.read_only = True
    except psycopg.Error as failure:
        reason = str(failure).strip().splitlines()[0] if str(failure).strip() else "无法连接"
        raise DatabaseError(f"无法连接 PostgreSQL 数据库：{reason}") from None
    return PlainReader(connection, backend="postgresql", driver_error=psycopg.Error)


def applied_migrations(reader: PlainReader) -> list[str] | None:
    """The schema migrations the database has had, or None when it has no fupin tables at all."""
    if reader.backend == "sqlite":
        sql = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migration'"
    else:
        sql = "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migration'"
    if not next(iter(reader.rows(sql)))[0]:
        return None
    return [str(name) for (name,) in reader.rows("SELECT name FROM schema_migration ORDER BY name")]


def stored_digests(reader: PlainReader) -> dict[str, str]:
    """What each reference source (and the calendar) looked like when last taken into account."""
    return {str(name): str(digest) for name, digest in reader.rows("SELECT name, digest FROM reference_file")}


def decode_units(stored: str | None) -> tuple[str, ...]:
    """The 协办 units as stored (a JSON array of unit names)."""
    return tuple(json.loads(stored)) if stored else ()


_SQLITE_OBJECTS = "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view', 'trigger')"
_POSTGRES_OBJECTS = (
    "SELECT CASE WHEN c.relkind IN ('r', 'p') THEN 'table' ELSE 'view' END, c.relname FROM pg_class c"
    " JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')"
    " UNION ALL SELECT 'trigger', t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
    " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND NOT t.tgisinternal"
    " UNION ALL SELECT 'rule', rulename FROM pg_rules WHERE schemaname = current_schema()"
)
_LAST_EVENTS = (
    "SELECT id, case_id, subject, action, operator, recorded_at, effective_on, before, after, prev_hash, hash"
    " FROM audit_event ORDER BY id DESC LIMIT 2"
)


def quick_problem(reader: PlainReader, *, allowed: Mapping[str, Sequence[str]]) -> str | None:
    """The cheap check a cron report makes before it reports: only fupin's tables and no other view,
    trigger or rule, and the chain head sound (the last event's hash and its link to the one before).
    Reads the catalogue and two rows by key, never the tables; `db check` stays the full check."""
    objects = list(reader.rows(_SQLITE_OBJECTS if reader.backend == "sqlite" else _POSTGRES_OBJECTS))
    for kind, name in objects:
        if kind == "table" and name not in TABLES and not name.startswith("sqlite_"):
            return f"多出一张不属于 fupin 的表 {name}"
        if kind != "table" and name not in allowed.get(kind, ()):
            return f"多出一个不属于 fupin 的{_KIND_LABELS.get(kind, kind)} {name}"
    tables = {name for kind, name in objects if kind == "table"}
    missing = sorted(set(TABLES) - tables)
    if missing:
        return f"缺少 fupin 的表 {missing[0]}"
    names = ["id", "case_id", "subject", "action", "operator", "recorded_at", "effective_on", "before", "after"]
    last = list(reader.rows(_LAST_EVENTS))
    if not last:
        return None
    fields = dict(zip(names, last[0][:9], strict=True))
    if isinstance(fields["effective_on"], date):
        fields["effective_on"] = fields["effective_on"].isoformat()
    prev_hash, digest = last[0][9], last[0][10]
    if event_hash(prev_hash, fields) != digest:
        return f"审计链头（第 {fields['id']} 号记录）的内容与其哈希不符"
    if len(last) > 1 and (last[1][0] != fields["id"] - 1 or last[1][10] != prev_hash):
        return f"审计链头（第 {fields['id']} 号记录）与前一条记录的链接不符"
    if len(last) == 1 and fields["id"] != 1:
        return f"审计链头（第 {fields['id']} 号记录）之前的记录都不见了"
    return None


_KIND_LABELS = {"view": "视图", "trigger": "触发器", "rule": "规则"}
