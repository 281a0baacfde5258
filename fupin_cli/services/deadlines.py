"""Recomputing the stored deadlines that were computed on a provisional year.

When the State Council's schedule for a provisional year arrives (an override file imported, or
chinese-calendar upgraded), every stored deadline computed on that year is computed again: the
original due date from the assignment date and its working-day limit, then each extension asked
in working days, in order, from its (possibly moved) old due date. Dates typed explicitly stay.
Each case that changes gets one audit event. Used by `fupin cal recheck` and `fupin cal import`.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fupin_cli.domain import cases as rules
from fupin_cli.domain.calendar import WorkCalendar
from fupin_cli.domain.errors import FupinError
from fupin_cli.services.calendar import CALENDAR_KEY, ImportResult, calendar_fingerprint
from fupin_cli.services.database import connect
from fupin_cli.settings import Settings
from fupin_cli.storage import cases as repository
from fupin_cli.storage import reference
from fupin_cli.storage.db import Database
from fupin_cli.storage.events import append_event


@dataclass(frozen=True)
class DeadlineChange:
    """What the recheck changed in one case."""

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


def recheck(
    *, settings: Settings, operator: str, calendar: WorkCalendar | None = None
) -> list[DeadlineChange]:
    """Recompute every stored provisional deadline on the current calendar; list and audit the changes.

    `calendar` defaults to the calendar `settings` loads (pass one to recheck against another).
    """
    if calendar is None:
        from fupin_cli.services.calendar import load_calendar

        calendar = load_calendar(settings)
    database = connect(settings, recheck_calendar=False)
    try:
        return _recheck_in(database, settings=settings, operator=operator, calendar=calendar)
    finally:
        database.dispose()


def recheck_if_calendar_changed(database: Database, settings: Settings) -> list[DeadlineChange] | None:
    """Run by connect(): the first command after the calendar's data changed (a year imported, or
    chinese-calendar upgraded) rechecks every provisional deadline once. None when nothing changed."""
    from fupin_cli.services.calendar import load_calendar

    calendar = load_calendar(settings)
    with database.read() as conn:
        if reference.stored_digests(conn).get(CALENDAR_KEY) == calendar_fingerprint(calendar):
            return None
    return _recheck_in(database, settings=settings, operator=settings.user, calendar=calendar)


def _recheck_in(
    database: Database, *, settings: Settings, operator: str, calendar: WorkCalendar
) -> list[DeadlineChange]:
    """Recompute and audit in one unit of work, and remember which calendar the deadlines now agree with."""
    changes: list[DeadlineChange] = []
    with database.write() as session:
        conn = session.connection()
        reference.remember(session, name=CALENDAR_KEY, digest=calendar_fingerprint(calendar))
        for case in list(repository.iter_provisional_cases(conn)):
            after = rules.recompute_deadlines(case, calendar=calendar)
            if after == case:
                continue
            repository.save_case(conn, case, after)
            old, new = rules.changed_fields(case, after)
            moved = [
                (before, now)
                for before, now in zip(case.extensions, after.extensions, strict=True)
                if before != now
            ]
            if moved:
                old["extensions"] = [rules.extension_fields(before) for before, _ in moved]
                new["extensions"] = [rules.extension_fields(now) for _, now in moved]
            append_event(
                session,
                subject=str(case.number),
                action="recheck",
                operator=operator,
                effective_on=settings.today,
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
                    extensions_changed=sum(
                        1 for b, a in moved if (b.old_due, b.new_due) != (a.old_due, a.new_due)
                    ),
                )
            )

        from fupin_cli.services.checks import recheck_finding_deadlines

        for finding in recheck_finding_deadlines(session, calendar=calendar, operator=operator, today=settings.today):
            changes.append(
                DeadlineChange(
                    no=f"问题{finding.finding_id}",
                    title="整改期限",
                    original_due_before=finding.due_before,
                    original_due_after=finding.due_after,
                    due_before=finding.due_before,
                    due_after=finding.due_after,
                    provisional_before=finding.provisional_before,
                    provisional_after=finding.provisional_after,
                    extensions_changed=0,
                )
            )
    return changes


def import_calendar_year(*, settings: Settings, path: Path) -> tuple[ImportResult, list[DeadlineChange]]:
    """`fupin cal import`: validate and install a year's schedule, then recheck provisional deadlines."""
    from fupin_cli.services.calendar import import_override, load_calendar

    result = import_override(settings, path)
    try:
        changes = recheck(settings=settings, operator=settings.user, calendar=load_calendar(settings))
    except FupinError as refusal:
        raise FupinError(
            f"已导入 {result.year} 年放假安排，但重算暂定期限失败：{refusal.message}；排除后请运行 fupin cal recheck"
        ) from None
    return result, changes
