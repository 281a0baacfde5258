"""A write command's unit of work: one transaction under the write lock (storage.db) that collects
the command's audit events and appends them to the hash chain in one place, just before it commits.

services.unit_of_work opens it once per write command (with the calendar recheck first) and hands it
to the service; nothing else in services opens the database to write.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from fupin_cli.domain.audit import AuditAction
from fupin_cli.domain.findings import FindingAction
from fupin_cli.domain.workflow import Action
from fupin_cli.storage.events import NewEvent, append_events
from fupin_cli.storage.session_rows import SessionRows

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlmodel import Session

    from fupin_cli.storage.db import Location


class UnitOfWork:
    """One write command's transaction, opened by services.unit_of_work: the session to write
    through and the audit events to append when it commits."""

    def __init__(self, session: Session, *, operator: str, location: Location) -> None:
        self.session = session
        self.operator = operator
        """Who the events are recorded for: the user of the run."""
        self.location = location
        self._events: list[NewEvent] = []
        self._rehearsal = False

    @property
    def backend(self) -> str:
        """"sqlite" or "postgresql"."""
        return self.location.backend

    def connection(self) -> Connection:
        """The transaction's connection, for the storage functions that take one."""
        return self.session.connection()

    def rows(self, sql: str, parameters: Mapping[str, Any] | None = None) -> Iterator[tuple[Any, ...]]:
        """storage.rows.Rows inside the transaction: the reads both paths share see its own writes."""
        return SessionRows(self.connection()).rows(sql, parameters)

    def mappings(self, sql: str, parameters: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        return SessionRows(self.connection()).mappings(sql, parameters)

    def record(
        self,
        *,
        subject: str,
        action: AuditAction | Action | FindingAction,
        effective_on: date | None,
        before: Mapping[str, Any] | None,
        after: Mapping[str, Any] | None,
        case_id: int | None = None,
        operator: str | None = None,
    ) -> None:
        """One audit event of this command (by the user of the run unless `operator` is given):
        chained after the others when the unit of work commits, never if it rolls back."""
        self._events.append(
            NewEvent(
                subject=subject,
                action=action,
                operator=operator if operator is not None else self.operator,
                effective_on=effective_on,
                before=before,
                after=after,
                case_id=case_id,
            )
        )

    def rehearse(self) -> None:
        """Make this a rehearsal (a dry run): everything done in it is rolled back at the end."""
        self._rehearsal = True

    @property
    def rehearsal(self) -> bool:
        """True when the unit of work is to roll back at its end (see `rehearse`)."""
        return self._rehearsal

    def flush_events(self) -> int:
        """Append the events recorded so far to the chain, in order (the commit does it too; a
        service calls this only to read its own events back in the same transaction)."""
        self.session.flush()
        written = append_events(self.connection(), self._events)
        self._events.clear()
        return written
