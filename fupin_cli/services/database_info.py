"""`fupin db info`: where the database is, which backend, which migrations, how many rows — read
on the light path (storage.plain), like every other read."""

from dataclasses import dataclass, field
from pathlib import Path

from fupin_cli.services.database import reading
from fupin_cli.settings import Settings
from fupin_cli.storage import database_rows, versions
from fupin_cli.storage.location import locate


@dataclass(frozen=True)
class DatabaseInfo:
    location: str
    backend: str
    migrations: list[str]
    known_migrations: list[str]
    counts: dict[str, int]
    size_bytes: int | None = None
    journal_mode: str | None = None
    tables: list[str] = field(default_factory=list)
    chain_head: str = "0:-"


def format_head(count: int, last_hash: str | None) -> str:
    """The chain head as printed and as `db check --expect` takes it back: COUNT:HASH (0:- when empty)."""
    return f"{count}:{last_hash or '-'}"


def describe_database(*, settings: Settings) -> DatabaseInfo:
    """Where the database is, which backend, which migrations, how many rows."""
    location = locate(settings.db)
    with reading(settings) as reader:
        applied = database_rows.applied_migrations(reader)
        counts = database_rows.row_counts(reader)
        tables = database_rows.table_names(reader)
        journal = database_rows.journal_mode(reader)
        head = format_head(*database_rows.chain_head(reader))
    path: Path | None = location.sqlite_path
    return DatabaseInfo(
        location=location.shown,
        backend=location.backend,
        migrations=applied,
        known_migrations=list(versions.SCHEMA),
        counts=counts,
        size_bytes=path.stat().st_size if path is not None else None,
        journal_mode=journal,
        tables=tables,
        chain_head=head,
    )
