"""The SQL behind `fupin db`: integrity checks, counts, and SQLite's online backup.

Copies use SQLite's backup API (`sqlite3.Connection.backup`) in one step: it reads one consistent
snapshot of the source while other processes keep writing (WAL readers do not block writers), and
writes into the destination under the destination's own locks.
"""

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, select
from sqlalchemy.pool import NullPool

from fupin_cli.domain.errors import DatabaseError
from fupin_cli.storage import migrations, tables, versions
from fupin_cli.storage.location import BUSY_TIMEOUT_SECONDS
from fupin_cli.storage.sqlite_types import DETECT_TYPES
from fupin_cli.storage.tables import AuditEvent, CaseRecord


def holds_records(conn: Connection) -> bool:
    """Whether any 督查事项 or audit event is stored: such a database is never overwritten."""
    for column in (CaseRecord.id, AuditEvent.id):
        if conn.execute(select(column).limit(1)).first():
            return True
    return False


def case_states(conn: Connection) -> Iterator[tuple[int, int, int, str, str | None]]:
    """(id, year, serial, state, due as YYYY-MM-DD) of every case, in id order."""
    table = CaseRecord.__table__  # type: ignore[attr-defined]
    query = select(table.c.id, table.c.year, table.c.serial, table.c.state, table.c.due).order_by(table.c.id)
    for case_id, year, serial, state, due in conn.execute(query):
        yield case_id, year, serial, state, None if due is None else str(due)


def sqlite_problems(conn: Connection) -> list[str]:
    """SQLite's own verdict on the file: `PRAGMA integrity_check` and `PRAGMA foreign_key_check`."""
    problems = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check") if row[0] != "ok"]
    for table, rowid, parent, _ in conn.exec_driver_sql("PRAGMA foreign_key_check"):
        problems.append(f"{table} 第 {rowid} 行引用的 {parent} 记录不存在")
    return problems


@contextmanager
def _sqlite(path: Path, *, read_only: bool) -> Iterator[sqlite3.Connection]:
    target = f"file:{path.as_posix()}?mode=ro" if read_only else f"file:{path.as_posix()}?mode=rw"
    try:
        connection = sqlite3.connect(target, uri=True, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    except sqlite3.Error as failure:
        raise DatabaseError(f"无法打开 SQLite 文件 {path}：{failure}") from None
    with closing(connection):
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
        yield connection


@contextmanager
def read_sqlite_file(path: Path) -> Iterator[Connection]:
    """A read-only SQLAlchemy connection to an SQLite file that is not --db (a backup, say)."""

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(
            f"file:{path.as_posix()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_SECONDS, detect_types=DETECT_TYPES
        )

    # DATE and BOOLEAN read as on every other path (storage.sqlite_types)
    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool, native_datetime=True)
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def copy_sqlite(source: Path, destination: Path, *, self_contained: bool) -> None:
    """Copy the database `source` into the existing SQLite file `destination` with the backup API.

    `self_contained` leaves the copy in rollback-journal mode: one file, nothing beside it, fit to
    carry away. Otherwise the destination keeps its own journal mode (fupin's live files use WAL).
    """
    try:
        with _sqlite(source, read_only=True) as reader, _sqlite(destination, read_only=False) as writer:
            reader.backup(writer)
            if self_contained:
                writer.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as failure:
        raise DatabaseError(f"复制数据库失败（{source} → {destination}）：{failure}") from None


def require_fupin_sqlite_file(path: Path) -> list[str]:
    """The migrations a (backup) file records, after checking it is a sound fupin SQLite database.

    Refuses a file that is not SQLite, fails `quick_check`, has no migrations ledger (not fupin's),
    or records a migration this fupin does not know (made by a newer fupin).
    """
    try:
        with _sqlite(path, read_only=True) as reader:
            verdict = [row[0] for row in reader.execute("PRAGMA quick_check")]
            if verdict != ["ok"]:
                raise DatabaseError(f"文件 {path} 已损坏（SQLite quick_check：{verdict[0]}）")
            has_ledger = reader.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migration'"
            ).fetchone()
            if not has_ledger:
                raise DatabaseError(f"文件 {path} 不是 fupin 的数据库（没有 schema_migration 表）")
            names = [row[0] for row in reader.execute("SELECT name FROM schema_migration ORDER BY name")]
    except sqlite3.DatabaseError as failure:
        raise DatabaseError(f"文件 {path} 不是 fupin 能读的 SQLite 数据库：{failure}") from None
    migrations.refuse_if_newer(names)
    return names


# --- what `db check` compares with the events ----------------------------------------------------

OWNED = {
    "cases": tables.CaseRecord,
    "case_extension": tables.CaseExtension,
    "finding": tables.Finding,
    "inspection": tables.Inspection,
    "inspection_visit": tables.InspectionVisit,
    "village": tables.Village,
    "inspection_plan": tables.InspectionPlan,
    "indicator": tables.Indicator,
    "case_counter": tables.CaseCounter,
    "attachment": tables.Attachment,
    "unit": tables.Unit,
    "duty_item": tables.DutyItem,
}


def owned_rows(conn: Connection, name: str) -> Iterator[dict[str, Any]]:
    """Every row of one of fupin's tables, in key order, as a dict."""
    table = OWNED[name].__table__  # type: ignore[attr-defined]
    query = select(table).order_by(*table.primary_key.columns)
    for row in conn.execute(query).mappings():
        yield dict(row)


def event_hash_at(conn: Connection, event_id: int) -> str | None:
    table = AuditEvent.__table__  # type: ignore[attr-defined]
    return conn.execute(select(table.c.hash).where(table.c.id == event_id)).scalar()


def schema_objects(conn: Connection) -> dict[str, Any]:
    """What the database holds besides rows: {"tables": {name: [columns]}, "views", "triggers", "rules"}."""
    if conn.dialect.name == "sqlite":
        found = list(conn.exec_driver_sql("SELECT type, name FROM sqlite_master"))
        tables_found = [name for kind, name in found if kind == "table" and not name.startswith("sqlite_")]
        return {
            "tables": {
                name: [row[1] for row in conn.exec_driver_sql(f"PRAGMA table_info(\"{name}\")")]
                for name in tables_found
            },
            "views": sorted(name for kind, name in found if kind == "view"),
            "triggers": sorted(name for kind, name in found if kind == "trigger"),
            "rules": [],
        }
    columns: dict[str, list[str]] = {}
    for table, column in conn.exec_driver_sql(
        "SELECT c.table_name, c.column_name FROM information_schema.columns c"
        " JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name"
        " WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'"
        " ORDER BY c.table_name, c.ordinal_position"
    ):
        columns.setdefault(table, []).append(column)
    views = [
        row[0]
        for row in conn.exec_driver_sql(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = current_schema() AND c.relkind IN ('v', 'm', 'f', 'p')"
        )
    ]
    triggers = [
        row[0]
        for row in conn.exec_driver_sql(
            "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = current_schema() AND NOT t.tgisinternal"
        )
    ]
    triggers += [f"event:{row[0]}" for row in conn.exec_driver_sql("SELECT evtname FROM pg_event_trigger")]
    rules = [
        row[0]
        for row in conn.exec_driver_sql(
            "SELECT rulename FROM pg_rules WHERE schemaname = current_schema()"
        )
    ]
    return {"tables": columns, "views": sorted(views), "triggers": sorted(triggers), "rules": sorted(rules)}


FUPIN_OBJECTS: dict[str, tuple[str, ...]] = {"views": (), "triggers": versions.TRIGGERS, "rules": ()}
"""The views, triggers and rules fupin itself makes: anything else in the schema is not fupin's."""


def checkpoint(path: Path) -> None:
    """Fold an SQLite file's write-ahead log into the file itself, so the file alone holds everything."""
    with closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
