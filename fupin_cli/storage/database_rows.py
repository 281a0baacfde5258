"""What `db info` and the maintenance commands say about a database as a whole (rows counted, the
chain head, the tables, SQLite's journal mode), read through storage.rows.Rows on either path.
No SQLAlchemy here."""

from fupin_cli.storage.rows import Rows

COUNTED = {
    "cases": "cases",
    "audit_events": "audit_event",
    "extensions": "case_extension",
    "units": "unit",
    "duty_items": "duty_item",
}
"""The tables a person cares about, by the English key `db info --format json` gives them."""

_SQLITE_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
_POSTGRES_TABLES = (
    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')"
)


def row_counts(reader: Rows) -> dict[str, int]:
    """Rows in the tables a person cares about, by an English key."""
    return {key: int(next(iter(reader.rows(f'SELECT count(*) FROM "{table}"')))[0]) for key, table in COUNTED.items()}


def chain_head(reader: Rows) -> tuple[int, str | None]:
    """(id, hash) of the last audit event, read through the key alone; (0, None) when there is none."""
    last = list(reader.rows("SELECT id, hash FROM audit_event ORDER BY id DESC LIMIT 1"))
    return (int(last[0][0]), str(last[0][1])) if last else (0, None)


def table_names(reader: Rows) -> list[str]:
    return sorted(str(name) for (name,) in reader.rows(_SQLITE_TABLES if reader.backend == "sqlite" else _POSTGRES_TABLES))


def journal_mode(reader: Rows) -> str | None:
    """SQLite's journal mode (wal when fupin opened it); None on PostgreSQL."""
    if reader.backend != "sqlite":
        return None
    return str(next(iter(reader.rows("PRAGMA journal_mode")))[0])


def applied_migrations(reader: Rows) -> list[str]:
    return [str(name) for (name,) in reader.rows("SELECT name FROM schema_migration ORDER BY name")]
