"""Appending to and reading the audit trail. There is no function here that updates or deletes."""

from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, select
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
    """Chain a new event after the last one. Call inside Database.write(): the lock orders writers."""
    last = session.exec(select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).first()
    prev_id, prev_hash = (last[0], last[1]) if last else (0, GENESIS)
    fields: dict[str, Any] = {
        "id": prev_id + 1,
        "case_id": case_id,
        "subject": subject,
        "action": action,
        "operator": operator,
        "recorded_at": datetime.now(UTC).astimezone().isoformat(timespec="seconds"),
        "effective_on": effective_on.isoformat() if effective_on else None,
        "before": canonical_json(before) if before is not None else None,
        "after": canonical_json(after) if after is not None else None,
    }
    row = AuditEvent(
        **{**fields, "effective_on": effective_on},
        prev_hash=prev_hash,
        hash=event_hash(prev_hash, fields),
    )
    session.add(row)
    session.flush()
    return row


def _as_fields(row: Mapping[str, Any]) -> dict[str, Any]:
    fields = dict(row)
    effective = fields.get("effective_on")
    if isinstance(effective, date):
        fields["effective_on"] = effective.isoformat()
    return fields


def iter_events(conn: Connection, *, case_id: int | None = None) -> Iterator[dict[str, Any]]:
    query = select(AuditEvent.__table__).order_by(AuditEvent.__table__.c.id)  # type: ignore[attr-defined]
    if case_id is not None:
        query = query.where(AuditEvent.__table__.c.case_id == case_id)  # type: ignore[attr-defined]
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
