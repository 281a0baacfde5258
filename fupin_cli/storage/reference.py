"""Keeping the database's copy of the shipped reference data (units, duty items) current."""

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select
from sqlmodel import Session, SQLModel

from fupin_cli.storage.tables import DutyItem, ReferenceFile, Unit

TABLES: dict[str, type[SQLModel]] = {"units": Unit, "duties": DutyItem}


def stored_digests(conn: Connection) -> dict[str, str]:
    table = ReferenceFile.__table__  # type: ignore[attr-defined]
    return {name: digest for name, digest in conn.execute(select(table.c.name, table.c.digest))}


def replace(session: Session, *, name: str, digest: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """Replace one reference table whole with `rows` and remember the file's digest: never duplicates."""
    table = TABLES[name].__table__  # type: ignore[attr-defined]
    session.execute(delete(table))
    if rows:
        session.execute(insert(table), [dict(row) for row in rows])
    remember(session, name=name, digest=digest)


def remember(session: Session, *, name: str, digest: str) -> None:
    """Record what a reference source looked like when it was last taken into account."""
    ledger = ReferenceFile.__table__  # type: ignore[attr-defined]
    session.execute(delete(ledger).where(ledger.c.name == name))
    session.execute(insert(ledger).values(name=name, digest=digest))


def counts(conn: Connection) -> dict[str, int]:
    """How many rows each reference table holds."""
    return {
        name: int(conn.execute(select(func.count()).select_from(model.__table__)).scalar_one())  # type: ignore[attr-defined]
        for name, model in TABLES.items()
    }
