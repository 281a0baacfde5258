"""Recomputing stored provisional deadlines inside a caller's unit of work.

When the State Council's schedule for a provisional year arrives (an override file imported, or
chinese-calendar upgraded), every stored deadline computed on that year is computed again: the
original due date from the assignment date and its working-day limit, then each extension asked
in working days, in order, from its (possibly moved) old due date; and each running finding's due
date from its order date. Dates typed explicitly stay. Each case or finding that changes gets one
audit event. Nothing here opens the database: every write command's unit of work runs
`recheck_if_calendar_changed` first, `fupin cal recheck` runs `recheck_in`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from fupin_cli.domain import cases as rules
from fupin_cli.domain.audit import AuditAction
from fupin_cli.domain.calendar import WorkCalendar
from fupin_cli.domain.findings import changed, finding_fields, finding_subject
from fupin_cli.services.calendar import CALENDAR_KEY, calendar_fingerprint, calendar_is_current
from fupin_cli.storage import cases as case_repository
from fupin_cli.storage import check_rows, reference
from fupin_cli.storage import checks as finding_repository

if TYPE_CHECKING:
    from fupin_cli.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class DeadlineChange:
    """What the recheck changed in one case (or one finding: no 问题N, title 整改期限)."""

    no: str
    title: str
    """As listings show it (a classified case marked)."""
    original_due_before: date | None
    original_due_after: date | None
    due_before: date | None
    due_after: date | None
    provisional_before: bool
    provisional_after: bool
    extensions_changed: int

    @property
    def dates_changed(self) -> bool:
        """False when only the provisional flag changed: the estimate proved right."""
        return (
            self.original_due_before != self.original_due_after
            or self.due_before != self.due_after
            or self.extensions_changed > 0
        )


def recheck_if_calendar_changed(uow: UnitOfWork, *, calendar: WorkCalendar, today: date) -> None:
    """First in a write command's unit of work: recheck if the calendar changed since the last recheck."""
    if not calendar_is_current(reference.stored_digests(uow.connection()), calendar):
        recheck_in(uow, calendar=calendar, today=today)


def recheck_in(uow: UnitOfWork, *, calendar: WorkCalendar, today: date) -> list[DeadlineChange]:
    """Recompute and audit in the caller's unit of work, and remember which calendar the deadlines
    now agree with."""
    conn = uow.connection()
    reference.remember(uow.session, name=CALENDAR_KEY, digest=calendar_fingerprint(calendar))
    changes: list[DeadlineChange] = []
    for case in list(case_repository.iter_provisional_cases(conn)):
        after = rules.recompute_deadlines(case, calendar=calendar)
        if after == case:
            continue
        case_repository.save_case(conn, case, after)
        old, new = rules.changed_fields(case, after)
        moved = [
            (before, now) for before, now in zip(case.extensions, after.extensions, strict=True) if before != now
        ]
        if moved:
            old["extensions"] = [rules.extension_fields(before) for before, _ in moved]
            new["extensions"] = [rules.extension_fields(now) for _, now in moved]
        uow.record(
            subject=str(case.number),
            action=AuditAction.RECHECK,
            effective_on=today,
            before=old,
            after=new,
            case_id=case.id,
        )
        changes.append(
            DeadlineChange(
                no=str(case.number),
                title=case.display_title,
                original_due_before=case.original_due,
                original_due_after=after.original_due,
                due_before=case.due,
                due_after=after.due,
                provisional_before=case.due_provisional,
                provisional_after=after.due_provisional,
                extensions_changed=sum(1 for b, a in moved if (b.old_due, b.new_due) != (a.old_due, a.new_due)),
            )
        )
    for finding in list(check_rows.iter_provisional_findings(uow)):
        deadline = calendar.deadline(finding.ordered_on, finding.workdays)
        after = replace(finding, due=deadline.due, due_provisional=deadline.provisional)
        if after == finding:
            continue
        finding_repository.save_finding(conn, after)
        old, new = changed(finding_fields(finding), finding_fields(after))
        uow.record(
            subject=finding_subject(finding.id or 0),
            action=AuditAction.RECHECK,
            effective_on=today,
            before=old,
            after=new,
        )
        changes.append(
            DeadlineChange(
                no=f"问题{finding.id}",
                title="整改期限",
                original_due_before=finding.due,
                original_due_after=after.due,
                due_before=finding.due,
                due_after=after.due,
                provisional_before=finding.due_provisional,
                provisional_after=after.due_provisional,
                extensions_changed=0,
            )
        )
    return changes
