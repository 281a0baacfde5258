"""督查事项 use cases: one function per `fupin case` command, one unit of work each.

Every change is made and its audit event appended in the same transaction, under the database's
write lock; a refusal anywhere rolls both back. Functions return plain read models.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

from fupin_cli.domain import cases as rules
from fupin_cli.domain.audit import AuditAction
from fupin_cli.domain.cases import Case, DeadlineStatus, WorkingDays
from fupin_cli.domain.categories import category_named, parse_category
from fupin_cli.domain.errors import InvalidInputError
from fupin_cli.domain.numbering import CaseNumber
from fupin_cli.domain.units import resolve_unit
from fupin_cli.domain.workflow import STATE_LABELS, Action, State
from fupin_cli.services import attachments
from fupin_cli.services.case_views import (
    CaseRow,
    CaseView,
    calendar_source,
    cap_for,
    log_entry,
    parse_number,
    provisional_for,
    status_for,
)
from fupin_cli.services.database import connect, warn_if_calendar_changed
from fupin_cli.settings import Settings
from fupin_cli.storage import cases as repository
from fupin_cli.storage.db import Database
from fupin_cli.storage.events import append_event, iter_events
from fupin_cli.storage.reference import stored_digests

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlmodel import Session


# --- read models ---------------------------------------------------------------------------------


# --- plumbing ------------------------------------------------------------------------------------


@contextmanager
def _opened(settings: Settings) -> Iterator[Database]:
    database = connect(settings)
    try:
        yield database
    finally:
        database.dispose()


def _view(
    conn: Connection, case: Case, *, settings: Settings, calendar: Callable[[], WorkingDays], timeline: bool
) -> CaseView:
    shorts = repository.unit_short_names(conn, [case.lead_unit] if case.lead_unit else [])
    events = tuple(log_entry(fields) for fields in iter_events(conn, case_id=case.id)) if timeline else ()
    return CaseView(
        case=case,
        category=category_named(case.category),
        unit_short=shorts.get(case.lead_unit or "", case.lead_unit),
        status=status_for(case, settings.today, calendar),
        today=settings.today,
        timeline=events,
        cap=cap_for(case, calendar),
        provisional=provisional_for(case, calendar),
    )


def _resolve_unit(conn: Connection, text: str) -> str:
    """A unit as typed (any form domain.units knows, or an alias of data/units.toml) → its full name."""
    from fupin_cli.services.duties import unit_aliases

    return resolve_unit(repository.unit_names(conn), text, unit_aliases())


Change = Callable[["Connection", Case], tuple[Case, dict[str, Any]]]


def _step(settings: Settings, number: str, action: Action, on: date | None, change: Change) -> CaseView:
    """Load the case, apply one step, store it and its audit event, all in one unit of work."""
    wanted = parse_number(settings, number)
    calendar = calendar_source(settings)
    with _opened(settings) as database, database.write() as session:
        conn = session.connection()
        before = repository.load_case(conn, wanted)
        after, extra = change(conn, before)
        saved = repository.save_case(conn, before, after)
        old, new = rules.changed_fields(before, after)
        append_event(
            session,
            subject=str(wanted),
            action=action,
            operator=settings.user,
            effective_on=on or settings.today,
            before=old,
            after={**new, **extra},
            case_id=before.id,
        )
        return _view(conn, saved, settings=settings, calendar=calendar, timeline=False)


# --- the steps -----------------------------------------------------------------------------------


def open_case_within(
    session: Session,
    *,
    settings: Settings,
    title: str,
    category: str,
    on: date,
    source: str | None = None,
    major: bool = False,
    classified: bool = False,
    secret_level: str | None = None,
    paper_location: str | None = None,
) -> Case:
    """拟办 inside a unit of work the caller holds (so that `check handover` opens the case and links
    the finding in one transaction): numbered, stored, its event appended."""
    conn = session.connection()
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
    append_event(
        session,
        subject=str(saved.number),
        action=AuditAction.OPEN,
        operator=settings.user,
        effective_on=on,
        before=None,
        after=rules.recorded_fields(saved),
        case_id=saved.id,
    )
    return saved


def open_case(
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
) -> CaseView:
    """拟办: a new case numbered in the series of its opening year, taken under the write lock."""
    on = on or settings.today
    with _opened(settings) as database, database.write() as session:
        saved = open_case_within(
            session, settings=settings, title=title, category=category, source=source, major=major,
            classified=classified, secret_level=secret_level, paper_location=paper_location, on=on,
        )  # fmt: skip
        conn = session.connection()
        return _view(conn, saved, settings=settings, calendar=calendar_source(settings), timeline=False)


def approve_case(
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

    return _step(settings, number, Action.APPROVE, day, change)


def reject_case(
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

    return _step(settings, number, Action.REJECT, day, change)


def assign_case(
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
        lead = _resolve_unit(conn, unit)
        typed = [
            name for text in assist_units for name in text.replace("，", "、").replace(",", "、").split("、")
        ]
        assist = tuple(_resolve_unit(conn, name) for name in typed if name.strip())
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

    return _step(settings, number, Action.ASSIGN, day, change)


def accept_case(
    *, settings: Settings, number: str, unit_ref: str | None = None, on: date | None = None
) -> CaseView:
    """承办登记 by the unit, with its own reference number."""
    day = on or settings.today
    return _step(
        settings,
        number,
        Action.ACCEPT,
        day,
        lambda _c, case: (rules.accept(case, on=day, today=settings.today, unit_ref=unit_ref), {}),
    )


def extend_case(
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

    return _step(settings, number, Action.EXTEND, day, change)


def feedback_case(
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

    return _step(settings, number, Action.FEEDBACK, day, change)


def return_case(*, settings: Settings, number: str, reason: str, on: date | None = None) -> CaseView:
    """退回重办: feedback not accepted; back to 承办中, the deadline still running."""
    day = on or settings.today

    def change(_conn: Connection, case: Case) -> tuple[Case, dict[str, Any]]:
        returned, why = rules.return_case(case, on=day, today=settings.today, reason=reason)
        return returned, {"reason": why}

    return _step(settings, number, Action.RETURN, day, change)


def archive_case(
    *, settings: Settings, number: str, location: str | None = None, on: date | None = None
) -> CaseView:
    """归档 (final) a completed case with its 办结报告."""
    day = on or settings.today
    return _step(
        settings,
        number,
        Action.ARCHIVE,
        day,
        lambda _c, case: (rules.archive(case, on=day, today=settings.today, location=location), {}),
    )


def withdraw_case(*, settings: Settings, number: str, reason: str, on: date | None = None) -> CaseView:
    """撤销 (final) from any state that is not final; the case keeps its number."""
    day = on or settings.today
    return _step(
        settings,
        number,
        Action.WITHDRAW,
        day,
        lambda _c, case: (rules.withdraw(case, on=day, today=settings.today, reason=reason), {}),
    )


# --- reading -------------------------------------------------------------------------------------


OPEN_WORDS = ("在办", "open")
"""`--state 在办` (or open): 已交办 and 承办中 together, the cases whose deadline runs."""


def parse_states(text: str) -> list[State]:
    """`--state` as typed: Chinese labels or English values, several joined by , or 、."""
    by_word = {label: state for state, label in STATE_LABELS.items()}
    by_word.update({state.value: state for state in State})
    chosen: list[State] = []
    for word in text.replace("、", ",").replace("，", ",").split(","):
        cleaned = word.strip().lower() if word.strip().isascii() else word.strip()
        if not cleaned:
            continue
        if cleaned in OPEN_WORDS:
            chosen += [State.ASSIGNED, State.IN_PROGRESS]
        elif cleaned in by_word:
            chosen.append(by_word[cleaned])
        else:
            choices = "、".join(STATE_LABELS.values())
            raise InvalidInputError(
                f"未知的状态「{cleaned[:20]}」：请写 {choices}、在办（或英文 {', '.join(State)}）"
            )
    if not chosen:
        raise InvalidInputError("--state 不能为空")
    return list(dict.fromkeys(chosen))


def list_cases(
    *,
    settings: Settings,
    state: str | None = None,
    unit: str | None = None,
    year: int | None = None,
    overdue: bool = False,
    due_within: int | None = None,
) -> list[CaseRow]:
    """Cases in number order. The filters narrow together; --overdue and --due-within look at open cases."""
    states: list[State] | None = parse_states(state) if state is not None else None
    if due_within is not None and due_within < 0:
        raise InvalidInputError("--due-within 须是 0 或正整数（工作日数）")
    if overdue or due_within is not None:
        open_states = [State.ASSIGNED, State.IN_PROGRESS]
        states = [s for s in (states or open_states) if s in open_states]
    today = settings.today
    calendar = calendar_source(settings)
    with _opened(settings) as database, database.read() as conn:
        changed = warn_if_calendar_changed(stored_digests(conn), settings)
        lead = _resolve_unit(conn, unit) if unit is not None else None
        rows = repository.list_rows(
            conn,
            states=[str(s) for s in states] if states is not None else None,
            unit=lead,
            year=year,
            due_before=today if overdue and not changed else None,
            due_from=today if due_within is not None and not changed else None,
        )
        if changed:  # answer on the new calendar; the next write stores the recheck
            rows = [_on_new_calendar(conn, row, calendar()) for row in rows]
            rows = [
                row
                for row in rows
                if (not overdue or (row["due"] is not None and row["due"] < today))
                and (due_within is None or (row["due"] is not None and row["due"] >= today))
            ]
    found: list[CaseRow] = []
    for row in rows:
        status = DeadlineStatus(None, None, 0, None, None)
        if row["due"] is not None:
            status = rules.status_of(
                state=State(row["state"]),
                due=row["due"],
                original_due=row["original_due"],
                feedback_on=row["feedback_on"],
                today=today,
                calendar=calendar(),
            )
        if due_within is not None and (status.days_left is None or status.days_left > due_within):
            continue
        original = rules.original_due_provisional(
            original_due=row["original_due"],
            due_provisional=bool(row["due_provisional"]),
            extensions=int(row["extensions"]),
            calendar=calendar(),
        ) if row["due_provisional"] else False  # fmt: skip
        found.append(_row(row, status, original))
    return found


def _on_new_calendar(conn: Connection, row: dict[str, Any], calendar: WorkingDays) -> dict[str, Any]:
    """A listed case with its provisional deadline computed on `calendar` (nothing written)."""
    if not row["due_provisional"]:
        return row
    case = rules.recompute_deadlines(
        repository.load_case(conn, CaseNumber(row["year"], row["serial"])), calendar=calendar
    )
    return {**row, "original_due": case.original_due, "due": case.due, "due_provisional": case.due_provisional}


def _row(row: dict[str, Any], status: DeadlineStatus, original_provisional: bool = False) -> CaseRow:
    number = CaseNumber(row["year"], row["serial"])
    classified = bool(row["classified"])
    return CaseRow(
        no=str(number),
        short_no=number.short,
        title=rules.display_title(row["title"], classified),
        classified=classified,
        state=State(row["state"]),
        category=category_named(row["category"]),
        unit=row["lead_unit"],
        unit_short=row["unit_short"] or row["lead_unit"],
        assigned_on=row["assigned_on"],
        original_due=row["original_due"],
        due=row["due"],
        due_provisional=bool(row["due_provisional"]),
        light=status.light,
        days_left=status.days_left,
        overdue_workdays=status.overdue_workdays,
        on_time=status.on_time,
        extensions=int(row["extensions"]),
        original_due_provisional=original_provisional,
    )
