"""Appending to and reading the audit trail. There is no function here that updates or deletes."""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlmodel import Session

from fupin_cli.domain.audit import GENESIS, AuditAction, ChainBreak, canonical_json, event_hash, first_break
from fupin_cli.domain.findings import FindingAction
from fupin_cli.domain.workflow import Action
from fupin_cli.storage.tables import AuditEvent


def append_event(
    session: Session,
    *,
    subject: str,
    action: AuditAction | Action | FindingAction,
    operator: str,
    effective_on: date | None,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    case_id: int | None = None,
) -> AuditEvent:
    """Chain a new event after the last one. Call inside Database.write(): the lock orders writers.
    (A command records its events in its unit of work, which appends them with append_events.)"""
    last = session.exec(select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).first()
    prev_id, prev_hash = (last[0], last[1]) if last else (0, GENESIS)
    row = AuditEvent(
        **_chained(
            prev_id + 1,
            prev_hash,
            NewEvent(subject, action, operator, effective_on, before, after, case_id),
        )
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class NewEvent:
    """One event to append, as append_event takes it."""

    subject: str
    action: str
    operator: str
    effective_on: date | None
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None
    case_id: int | None = None


def _chained(event_id: int, prev_hash: str, event: NewEvent) -> dict[str, Any]:
    """The stored row of `event` chained after `prev_hash`: the one place an event's hash is made."""
    fields: dict[str, Any] = {
        "id": event_id,
        "case_id": event.case_id,
        "subject": event.subject,
        "action": event.action,
        "operator": event.operator,
        "recorded_at": datetime.now(UTC).astimezone().isoformat(timespec="seconds"),
        "effective_on": event.effective_on.isoformat() if event.effective_on else None,
        "before": canonical_json(event.before) if event.before is not None else None,
        "after": canonical_json(event.after) if event.after is not None else None,
    }
    return {**fields, "effective_on": event.effective_on, "prev_hash": prev_hash, "hash": event_hash(prev_hash, fields)}


def append_events(conn: Connection, events: Iterable[NewEvent]) -> int:
    """Chain many events after the last one in one statement (an import's history); how many.

    The same rows append_event writes, one after another. Call inside Database.write():
    storage.unit_of_work does, at its commit.
    """
    table = AuditEvent.__table__  # type: ignore[attr-defined]
    last = conn.execute(select(table.c.id, table.c.hash).order_by(table.c.id.desc()).limit(1)).first()
    event_id, prev_hash = (last[0], last[1]) if last else (0, GENESIS)
    rows = []
    for event in events:
        event_id += 1
        row = _chained(event_id, prev_hash, event)
        prev_hash = row["hash"]
        rows.append(row)
    if rows:
        conn.execute(insert(table), rows)
    return len(rows)


def last_hash(conn: Connection) -> str | None:
    """The hash of the newest event: the head of the chain (None when there is no event)."""
    table = AuditEvent.__table__  # type: ignore[attr-defined]
    return conn.execute(select(table.c.hash).order_by(table.c.id.desc()).limit(1)).scalar()


def _as_fields(row: Mapping[str, Any]) -> dict[str, Any]:
    fields = dict(row)
    effective = fields.get("effective_on")
    if isinstance(effective, date):
        fields["effective_on"] = effective.isoformat()
    return fields


def iter_events(conn: Connection) -> Iterator[dict[str, Any]]:
    """Every event in order (the whole trail, streamed: db check). One case's events are
    storage.case_rows.case_events, on either path."""
    query = select(AuditEvent.__table__).order_by(AuditEvent.__table__.c.id)  # type: ignore[attr-defined]
    for row in conn.execute(query).mappings():
        yield _as_fields(row)


def verify_chain(conn: Connection) -> tuple[int, ChainBreak | None]:
    """How many events there are, and the first broken link if any."""
    count = 0

    def counted() -> Iterator[dict[str, Any]]:
        nonlocal count
        for fields in iter_events(conn):
            count += 1
            yield fields

    broken = first_break(counted())
    return count, broken
