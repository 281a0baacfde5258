"""What `case show`, `case log` and every step report back, and the two read-only case commands,
served on the light read path (storage.plain): no SQLAlchemy, SQLModel or pydantic for a look-up."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from fupin_cli.domain import cases as rules
from fupin_cli.domain.cases import Case, DeadlineStatus, Light, ProvisionalDates, WorkingDays
from fupin_cli.domain.categories import Category, category_named
from fupin_cli.domain.numbering import CaseNumber, bare_serial, parse_case_number, pick_year
from fupin_cli.domain.workflow import State
from fupin_cli.services.database import reading
from fupin_cli.settings import Settings, in_office_zone, office_zone
from fupin_cli.storage import case_rows


@dataclass(frozen=True)
class LogEntry:
    """One audit event of a case: who typed what, when, effective which day, before → after."""

    id: int
    action: str
    operator: str
    recorded_at: str
    effective_on: date | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class CaseView:
    """One case as `case show` presents it, and as every step reports back."""

    case: Case
    category: Category
    unit_short: str | None
    status: DeadlineStatus
    today: date
    timeline: tuple[LogEntry, ...] = ()
    cap: date | None = None  # the extension cap by 民法典 202 and 203
    provisional: ProvisionalDates = ProvisionalDates()
    """Which of its dates rest on a provisional year (暂定), each shown with the mark."""

    @property
    def no(self) -> str:
        return str(self.case.number)


@dataclass(frozen=True)
class CaseRow:
    """One line of `case list`."""

    no: str
    short_no: str
    title: str
    """As listings show it: a classified case is marked 「涉密·线下办理」 before its cover title."""
    classified: bool
    state: State
    category: Category
    unit: str | None
    unit_short: str | None
    assigned_on: date | None
    original_due: date | None
    due: date | None
    due_provisional: bool
    light: Light | None
    days_left: int | None
    overdue_workdays: int
    on_time: bool | None
    extensions: int
    original_due_provisional: bool = False


def calendar_source(settings: Settings) -> Callable[[], WorkingDays]:
    """The working-day calendar, loaded on first need (steps before 交办 never need it)."""

    @cache
    def load() -> WorkingDays:
        from fupin_cli.services.calendar import load_calendar

        return load_calendar(settings)

    return load


def parse_number(settings: Settings, text: str) -> CaseNumber:
    return parse_case_number(text, current_year=settings.today.year)


def resolve_number(settings: Settings, text: str) -> tuple[str, str | None]:
    """A number as typed, with a bare serial (`10`) resolved across years: the number to use
    (short form) and the one line saying so when it is not this year's."""
    serial = bare_serial(text)
    if serial is None:
        return text, None
    with reading(settings) as reader:
        years = case_rows.serial_years(reader, serial)
    chosen, note = pick_year(serial, current_year=settings.today.year, years=years)
    return chosen.short, note


def cap_for(case: Case, calendar: Callable[[], WorkingDays]) -> date | None:
    return rules.extension_cap(case.original_due, calendar()) if case.original_due else None


def provisional_for(case: Case, calendar: Callable[[], WorkingDays]) -> ProvisionalDates:
    if case.original_due is None:
        return ProvisionalDates()
    return rules.provisional_dates(case, calendar())


def status_for(case: Case, today: date, calendar: Callable[[], WorkingDays]) -> DeadlineStatus:
    if case.due is None:
        return DeadlineStatus(None, None, 0, None, None)
    return rules.deadline_status(case, today=today, calendar=calendar())


def log_entry(fields: dict[str, Any]) -> LogEntry:
    effective = fields.get("effective_on")
    return LogEntry(
        id=int(fields["id"]),
        action=fields["action"],
        operator=fields["operator"],
        recorded_at=in_office_zone(str(fields["recorded_at"])),
        effective_on=date.fromisoformat(effective) if effective else None,
        before=json.loads(fields["before"]) if fields.get("before") else None,
        after=json.loads(fields["after"]) if fields.get("after") else None,
    )


def show_case(*, settings: Settings, number: str) -> CaseView:
    """One case with its deadline status for settings.today and the timeline of its steps."""
    wanted = parse_number(settings, number)
    calendar = calendar_source(settings)
    with reading(settings) as reader:
        case = case_rows.load_case(reader, wanted)
        if reader.calendar_changed and case.due_provisional:
            case = rules.recompute_deadlines(case, calendar=calendar())
        events = tuple(log_entry(fields) for fields in case_rows.case_events(reader, case.id or 0))
        unit_short = case_rows.unit_short_name(reader, case.lead_unit)
    return CaseView(
        case=case,
        category=category_named(case.category),
        unit_short=unit_short,
        status=status_for(case, settings.today, calendar),
        today=settings.today,
        timeline=events,
        cap=cap_for(case, calendar),
        provisional=provisional_for(case, calendar),
    )


@dataclass(frozen=True)
class CaseLog:
    no: str
    entries: tuple[LogEntry, ...]
    zone: str = ""  # the office's zone, in which every time shown is given


def case_log(*, settings: Settings, number: str) -> CaseLog:
    """The audit trail of one case, oldest first."""
    wanted = parse_number(settings, number)
    with reading(settings) as reader:
        case = case_rows.load_case(reader, wanted)
        entries = tuple(log_entry(fields) for fields in case_rows.case_events(reader, case.id or 0))
    return CaseLog(str(wanted), entries, str(office_zone()))


