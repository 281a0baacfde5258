"""The steps of a 督查事项: one function per writing `fupin case` command.

Each receives the command's unit of work (services.unit_of_work): the change is stored and its audit
event recorded in that one transaction, under the database's write lock; a refusal anywhere rolls
both back. Functions return plain read models.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from fupin_cli.domain import cases as rules
from fupin_cli.domain.audit import AuditAction
from fupin_cli.domain.cases import Case
from fupin_cli.domain.categories import parse_category
from fupin_cli.domain.errors import InvalidInputError
from fupin_cli.domain.workflow import Action
from fupin_cli.services import attachments
from fupin_cli.services.case_views import (
    CaseView,
    calendar_source,
    case_view,
    parse_number,
    unit_named,
)
from fupin_cli.settings import Settings
from fupin_cli.storage import case_rows
from fupin_cli.storage import cases as repository

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from fupin_cli.storage.unit_of_work import UnitOfWork


# --- plumbing ------------------------------------------------------------------------------------


Change = Callable[["Connection", Case], tuple[Case, dict[str, Any]]]


def _step(
    uow: UnitOfWork, settings: Settings, number: str, action: Action, on: date | None, change: Change
) -> CaseView:
    """Load the case, apply one step, store it and record its audit event in the unit of work."""
    wanted = parse_number(settings, number)
    calendar = calendar_source(settings)
    conn = uow.connection()
    before = case_rows.load_case(uow, wanted)
    after, extra = change(conn, before)
    saved = repository.save_case(conn, before, after)
    old, new = rules.changed_fields(before, after)
    uow.record(
        subject=str(wanted),
        action=action,
        effective_on=on or settings.today,
        before=old,
        after={**new, **extra},
        case_id=before.id,
    )
    return case_view(uow, saved, settings=settings, calendar=calendar, timeline=False)


# --- the steps -----------------------------------------------------------------------------------


def new_case(
    uow: UnitOfWork,
    *,
    settings: Settings,
    title: str,
    category: str,
    source: str | None = None,
    major: bool = False,
    classified: bool = False,
    secret_level: str | None = None,
    paper_location: str | None = None,
    on: date | None = None,
) -> Case:
    """拟办: a new case numbered in the series of its opening year (taken under the write lock),
    stored, its event recorded (`check handover` opens one so, linking its finding in the same unit
    of work)."""
    on = on or settings.today
    conn = uow.connection()
    serial = repository.next_serial(conn, on.year)
    case = rules.open_case(
        year=on.year,
        serial=serial,
        title=title,
        category=parse_category(category).name,
        on=on,
        today=settings.today,
        source=source,
        major=major,
        classified=classified,
        secret_level=secret_level,
        paper_location=paper_location,
    )
    saved = repository.insert_case(conn, case)
    uow.record(
        subject=str(saved.number),
        action=AuditAction.OPEN,
        effective_on=on,
        before=None,
        after=rules.recorded_fields(saved),
        case_id=saved.id,
    )
    return saved


def open_case(uow: UnitOfWork, *, settings: Settings, **opening: Any) -> CaseView:
    """`case open`: `new_case`, shown as the case just opened."""
    saved = new_case(uow, settings=settings, **opening)
    return case_view(uow, saved, settings=settings, calendar=calendar_source(settings), timeline=False)


def approve_case(
    uow: UnitOfWork,
    *,
    settings: Settings,
    number: str,
    approver: str | None = None,
    meeting_ref: str | None = None,
    opinion: str | None = None,
    on: date | None = None,
) -> CaseView:
    """立项, by the 主管领导 or (for a 重大 item, necessarily) the 主任办公会."""
    day = on or settings.today

    def change(_conn: Connection, case: Case) -> tuple[Case, dict[str, Any]]:
        approved = rules.approve(
            case, on=day, today=settings.today, approver=approver, meeting_ref=meeting_ref, opinion=opinion
        )
        return approved, {}

    return _step(uow, settings, number, Action.APPROVE, day, change)


def reject_case(
    uow: UnitOfWork,
    *,
    settings: Settings,
    number: str,
    reason: str,
    approver: str | None = None,
    meeting_ref: str | None = None,
    on: date | None = None,
) -> CaseView:
    """不予立项 (final), by the 主管领导 or the 主任办公会; the case keeps its number."""
    day = on or settings.today

    def change(_conn: Connection, case: Case) -> tuple[Case, dict[str, Any]]:
        refused = rules.reject(
            case, on=day, today=settings.today, reason=reason, approver=approver, meeting_ref=meeting_ref
        )
        return refused, {}

    return _step(uow, settings, number, Action.REJECT, day, change)


def assign_case(
    uow: UnitOfWork,
    *,
    settings: Settings,
    number: str,
    unit: str,
    assist_units: tuple[str, ...] = (),
    workdays: int | None = None,
    due: date | None = None,
    basis: str | None = None,
    on: date | None = None,
) -> CaseView:
    """交办 to a lead unit (and 协办 units); due = `on` + 10 working days unless set otherwise."""
    day = on or settings.today
    calendar = calendar_source(settings)

    def change(conn: Connection, case: Case) -> tuple[Case, dict[str, Any]]:
        rules.begin_step(case, Action.ASSIGN, on=day, today=settings.today)  # before looking units up
        lead = unit_named(uow, unit)
        typed = [
            name for text in assist_units for name in text.replace("，", "、").replace(",", "、").split("、")
        ]
        assist = tuple(unit_named(uow, name) for name in typed if name.strip())
        assigned = rules.assign(
            case,
            on=day,
            today=settings.today,
            lead_unit=lead,
            assist_units=assist,
            workdays=workdays,
            due=due,
            basis=basis,
            calendar=calendar(),
        )
        moved = {"due_asked": due.isoformat()} if due is not None and assigned.due != due else {}
        return assigned, moved

    return _step(uow, settings, number, Action.ASSIGN, day, change)


def accept_case(
    uow: UnitOfWork,
    *, settings: Settings, number: str, unit_ref: str | None = None, on: date | None = None
) -> CaseView:
    """承办登记 by the unit, with its own reference number."""
    day = on or settings.today
    return _step(
        uow,
        settings,
        number,
        Action.ACCEPT,
        day,
        lambda _c, case: (rules.accept(case, on=day, today=settings.today, unit_ref=unit_ref), {}),
    )


def extend_case(
    uow: UnitOfWork,
    *,
    settings: Settings,
    number: str,
    reason: str,
    approver: str,
    workdays: int | None = None,
    to: date | None = None,
    on: date | None = None,
) -> CaseView:
    """延期, asked before the due date passes, within the original due date plus one month."""
    day = on or settings.today
    calendar = calendar_source(settings)

    def change(_conn: Connection, case: Case) -> tuple[Case, dict[str, Any]]:
        extended = rules.extend(
            case,
            on=day,
            today=settings.today,
            reason=reason,
            approver=approver,
            workdays=workdays,
            to=to,
            calendar=calendar(),
        )
        moved = {"due_asked": to.isoformat()} if to is not None and extended.due != to else {}
        return extended, {"extension": rules.extension_fields(extended.extensions[-1]), **moved}

    return _step(uow, settings, number, Action.EXTEND, day, change)


def feedback_case(
    uow: UnitOfWork,
    *,
    settings: Settings,
    number: str,
    report: str | None = None,
    report_file: str | None = None,
    location: str | None = None,
    on: date | None = None,
) -> CaseView:
    """反馈办结 with the 办结报告 (text, or a file kept in the database as an attachment); for a
    classified case only the date and paper file."""
    day = on or settings.today
    if report is not None and report_file is not None:
        raise InvalidInputError("--report 与 --report-file 只能给一个")

    def change(conn: Connection, case: Case) -> tuple[Case, dict[str, Any]]:
        rules.refuse_classified_content(case, report=report, report_file=report_file)
        if report_file is None:
            done = rules.feedback(case, on=day, today=settings.today, report_text=report, paper_location=location)
            return done, {}
        rules.begin_step(case, Action.FEEDBACK, on=day, today=settings.today)  # before reading the file
        kept = attachments.keep(conn, case, report_file, on=day, operator=settings.user)
        done = rules.feedback(
            case, on=day, today=settings.today, report_text=kept.text, report_file=kept.name, paper_location=location
        )
        return done, {"attachment": kept.recorded}

    return _step(uow, settings, number, Action.FEEDBACK, day, change)


def return_case(uow: UnitOfWork, *, settings: Settings, number: str, reason: str, on: date | None = None) -> CaseView:
    """退回重办: feedback not accepted; back to 承办中, the deadline still running."""
    day = on or settings.today

    def change(_conn: Connection, case: Case) -> tuple[Case, dict[str, Any]]:
        returned, why = rules.return_case(case, on=day, today=settings.today, reason=reason)
        return returned, {"reason": why}

    return _step(uow, settings, number, Action.RETURN, day, change)


def archive_case(
    uow: UnitOfWork,
    *, settings: Settings, number: str, location: str | None = None, on: date | None = None
) -> CaseView:
    """归档 (final) a completed case with its 办结报告."""
    day = on or settings.today
    return _step(
        uow,
        settings,
        number,
        Action.ARCHIVE,
        day,
        lambda _c, case: (rules.archive(case, on=day, today=settings.today, location=location), {}),
    )


def withdraw_case(uow: UnitOfWork, *, settings: Settings, number: str, reason: str, on: date | None = None) -> CaseView:
    """撤销 (final) from any state that is not final; the case keeps its number."""
    day = on or settings.today
    return _step(
        uow,
        settings,
        number,
        Action.WITHDRAW,
        day,
        lambda _c, case: (rules.withdraw(case, on=day, today=settings.today, reason=reason), {}),
    )
