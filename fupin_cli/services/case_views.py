"""What `case show`, `case log` and every step report back, and the read-only case commands (show,
log, list), served on the light read path (storage.plain): no SQLAlchemy, SQLModel or pydantic."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from fupin_cli.domain import cases as rules
from fupin_cli.domain.cases import Case, DeadlineStatus, Light, ProvisionalDates, WorkingDays
from fupin_cli.domain.categories import Category, category_named
from fupin_cli.domain.errors import InvalidInputError
from fupin_cli.domain.numbering import CaseNumber, bare_serial, parse_case_number, pick_year
from fupin_cli.domain.units import resolve_unit
from fupin_cli.domain.workflow import STATE_LABELS, State
from fupin_cli.services.database import reading
from fupin_cli.settings import Settings, in_office_zone, office_zone
from fupin_cli.storage import case_rows
from fupin_cli.storage.rows import Rows


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


def unit_named(reader: Rows, text: str) -> str:
    """A unit as typed (any form domain.units knows, or an alias of data/units.toml) → its full name."""
    from fupin_cli.services.duties import unit_aliases

    return resolve_unit(case_rows.unit_names(reader), text, unit_aliases())


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


def case_view(
    rows: Rows, case: Case, *, settings: Settings, calendar: Callable[[], WorkingDays], timeline: bool
) -> CaseView:
    """The case as `case show` and every step's answer present it, read through `rows` (the light
    reader, or a write's unit of work); with `timeline`, its steps too."""
    shorts = case_rows.unit_short_names(rows, [case.lead_unit] if case.lead_unit else [])
    events = tuple(log_entry(fields) for fields in case_rows.case_events(rows, case.id or 0)) if timeline else ()
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


def show_case(*, settings: Settings, number: str) -> CaseView:
    """One case with its deadline status for settings.today and the timeline of its steps."""
    wanted = parse_number(settings, number)
    calendar = calendar_source(settings)
    with reading(settings) as reader:
        case = case_rows.load_case(reader, wanted)
        if reader.calendar_changed and case.due_provisional:
            case = rules.recompute_deadlines(case, calendar=calendar())
        return case_view(reader, case, settings=settings, calendar=calendar, timeline=True)


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
    with reading(settings) as reader:
        changed = reader.calendar_changed
        lead = unit_named(reader, unit) if unit is not None else None
        rows = case_rows.list_rows(
            reader,
            states=[str(s) for s in states] if states is not None else None,
            unit=lead,
            year=year,
            due_before=today if overdue and not changed else None,
            due_from=today if due_within is not None and not changed else None,
        )
        if changed:  # answer on the new calendar; the next write stores the recheck
            rows = [_on_new_calendar(reader, row, calendar()) for row in rows]
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


def _on_new_calendar(reader: Rows, row: dict[str, Any], calendar: WorkingDays) -> dict[str, Any]:
    """A listed case with its provisional deadline computed on `calendar` (nothing written)."""
    if not row["due_provisional"]:
        return row
    case = rules.recompute_deadlines(
        case_rows.load_case(reader, CaseNumber(row["year"], row["serial"])), calendar=calendar
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
