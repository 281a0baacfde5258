"""`fupin report` use cases: read-only, one snapshot each, returning plain read models.

The rows come from storage.reports as plain tuples; each open item is judged by the domain's rules
(domain.cases.status_of for the light and the working days late, domain.reports for the step). The
statistics are counted by the query itself, per group, with the working days taken from the
calendar's ordinals; the same rules written as SQL (tests compare both on generated databases).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from fupin_cli.domain import cases as rules
from fupin_cli.domain.calendar import WorkCalendar
from fupin_cli.domain.categories import category_named
from fupin_cli.domain.errors import InvalidInputError
from fupin_cli.domain.numbering import CaseNumber
from fupin_cli.domain.reports import Step, median, rate, suggested_step
from fupin_cli.domain.workflow import State
from fupin_cli.services.case_views import unit_named
from fupin_cli.services.database import reading
from fupin_cli.settings import Settings
from fupin_cli.storage import case_rows
from fupin_cli.storage import reports as queries
from fupin_cli.storage.plain import PlainReader

OPEN_STATES = tuple(state for state in State if state.is_open)
OPEN_STATE_NAMES = frozenset(str(state) for state in OPEN_STATES)
DEFAULT_DUE_SOON_WORKDAYS = rules.WARN_WITHIN_WORKDAYS


# --- read models ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenItem:
    """One open item of the overdue or due-soon report: a 督查事项 (kind "case") or, later, a finding."""

    kind: str
    no: str
    short_no: str
    title: str
    """As listings show it: 「涉密·线下办理」 before a classified case's cover title."""
    classified: bool
    unit: str | None
    unit_short: str | None
    assigned_on: date | None
    due: date
    original_due: date | None
    """Set only when the due date was extended."""
    due_provisional: bool
    extensions: int
    light: rules.Light | None
    days_left: int | None
    overdue_workdays: int
    suggested_step: Step | None
    original_due_provisional: bool = False
    """The original due date (when extended) rests on a provisional year."""

    @property
    def kind_label(self) -> str:
        return {"case": "督查", "finding": "整改"}.get(self.kind, self.kind)


@dataclass(frozen=True)
class OpenItemsReport:
    as_of: date
    items: tuple[OpenItem, ...]
    within: int | None = None
    """For due-soon: the number of working days looked ahead."""


@dataclass(frozen=True)
class StatsGroup:
    key: str
    received: int = 0
    """Assigned in the period and not withdrawn: withdrawn cases count only in `withdrawn`."""
    withdrawn: int = 0
    """Assigned in the period and withdrawn (已撤销) since: in no other count nor rate."""
    completed: int = 0
    on_time: int = 0
    """Completed on or before the (extended) due date."""
    on_time_original: int = 0
    """Completed on or before the original due date."""
    overdue_now: int = 0
    extensions: int = 0
    workdays_to_complete: tuple[int, ...] = ()
    """The working days from assignment to feedback of each completed case, shortest first."""

    @property
    def completion_rate(self) -> float | None:
        return rate(self.completed, self.received)

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.on_time, self.completed)

    @property
    def on_time_original_rate(self) -> float | None:
        return rate(self.on_time_original, self.completed)

    @property
    def median_workdays(self) -> float | None:
        return median(self.workdays_to_complete)


@dataclass(frozen=True)
class StatsReport:
    start: date
    end: date
    by: str
    as_of: date
    groups: tuple[StatsGroup, ...]
    total: StatsGroup


# --- plumbing ------------------------------------------------------------------------------------


def _unit(reader: PlainReader, unit: str | None) -> str | None:
    return None if unit is None else unit_named(reader, unit)


def _calendar(settings: Settings) -> WorkCalendar:
    from fupin_cli.services.calendar import load_calendar

    return load_calendar(settings)


def _open_item(row: tuple[Any, ...], *, as_of: date, calendar: rules.WorkingDays) -> OpenItem:
    year, serial, title, classified, unit, unit_short, assigned_on, original_due, due, provisional, count = (
        row
    )
    status = rules.status_of(
        state=State.ASSIGNED,
        due=due,
        original_due=original_due,
        feedback_on=None,
        today=as_of,
        calendar=calendar,
    )
    number = CaseNumber(year, serial)
    late = status.light is rules.Light.RED
    return OpenItem(
        kind="case",
        no=str(number),
        short_no=number.short,
        title=rules.display_title(title, bool(classified)),
        classified=bool(classified),
        unit=unit,
        unit_short=unit_short or unit,
        assigned_on=assigned_on,
        due=due,
        original_due=original_due if original_due != due else None,
        due_provisional=bool(provisional),
        extensions=int(count),
        light=status.light,
        days_left=status.days_left,
        overdue_workdays=status.overdue_workdays,
        suggested_step=suggested_step(status.overdue_workdays) if late else None,
        original_due_provisional=original_due != due and rules.original_due_provisional(
            original_due=original_due, due_provisional=bool(provisional), extensions=int(count), calendar=calendar
        ),
    )


def _on_new_calendar(
    reader: PlainReader, rows: Iterable[tuple[Any, ...]], calendar: rules.WorkingDays
) -> list[tuple[Any, ...]]:
    """Open-case rows with each provisional deadline computed on `calendar`, for a read made after the
    calendar changed and before the next write rechecks (nothing is written here)."""
    changed = []
    for row in list(rows):
        if row[9]:
            stored = case_rows.load_case(reader, CaseNumber(row[0], row[1]))
            case = rules.recompute_deadlines(stored, calendar=calendar)
            row = (*row[:7], case.original_due, case.due, case.due_provisional, row[10])
        changed.append(row)
    return changed


def _finding_on_new_calendar(finding: dict[str, Any], calendar: rules.WorkingDays) -> dict[str, Any]:
    if not finding["provisional"]:
        return finding
    deadline = calendar.deadline(finding["ordered_on"], finding["workdays"])
    return {**finding, "due": deadline.due, "provisional": bool(deadline.provisional)}


# --- the reports ---------------------------------------------------------------------------------


def open_cases_as_of(
    conn: PlainReader,
    day: date,
    *,
    due_before: date | None = None,
    due_from: date | None = None,
    unit: str | None = None,
    order_by_unit: bool = True,
) -> list[tuple[Any, ...]]:
    """The rows iter_open_cases would have given at the end of `day`, replayed from the event log by
    the steps' effective dates: the states, units, due dates and extensions in force then."""
    import json
    from itertools import groupby

    from fupin_cli.domain.history import state_as_of

    identities = queries.case_identities(conn)
    names = case_rows.unit_names(conn)
    shorts = {name.name: name.short_name for name in names}
    rank = {name.name: index for index, name in enumerate(names)}
    found: list[tuple[Any, ...]] = []
    for case_id, events in groupby(queries.iter_case_events(conn), key=lambda event: event[0]):
        replayed = state_as_of(
            ((action, on, json.loads(after) if after else {}) for _, action, on, after in events), day
        )
        if replayed is None or replayed["state"] not in OPEN_STATE_NAMES or replayed["due"] is None:
            continue
        due, lead = replayed["due"], replayed["lead_unit"]
        if (due_before is not None and due >= due_before) or (due_from is not None and due < due_from):
            continue
        if unit is not None and lead != unit or case_id not in identities:
            continue
        year, serial, title, classified = identities[case_id]
        found.append((year, serial, title, classified, lead, shorts.get(lead), replayed["assigned_on"],
                      replayed["original_due"], due, replayed["due_provisional"], replayed["extensions"]))  # fmt: skip
    if order_by_unit:
        found.sort(key=lambda row: (rank.get(row[4], queries.UNLISTED), row[4] or "", row[8], row[0], row[1]))
    else:
        found.sort(key=lambda row: (row[8], row[0], row[1]))
    return found


def overdue_report(
    *, settings: Settings, as_of: date | None = None, unit: str | None = None
) -> OpenItemsReport:
    """Every open case whose current due date is before `as_of` (default today), by unit then due."""
    with reading(settings, checked=True) as conn:
        return overdue_in(conn, settings=settings, as_of=as_of, unit=unit)


def overdue_in(
    conn: PlainReader, *, settings: Settings, as_of: date | None = None, unit: str | None = None
) -> OpenItemsReport:
    """`overdue_report` on a reader the caller holds (`report urge` reads its cases on the same one)."""
    day = as_of or settings.today
    calendar = _calendar(settings)
    lead = _unit(conn, unit)
    changed = conn.calendar_changed
    if day < settings.today:  # as recorded then: the replayed history, not recomputed
        rows: Any = open_cases_as_of(conn, day, due_before=day, unit=lead)
    else:
        rows = queries.iter_open_cases(
            conn, states=[str(s) for s in OPEN_STATES], due_before=None if changed else day, unit=lead
        )
        if changed:
            rows = [row for row in _on_new_calendar(conn, rows, calendar) if row[8] < day]
    items = [_open_item(row, as_of=day, calendar=calendar) for row in rows]
    findings = queries.iter_overdue_findings(conn, None if changed else day)
    if changed:
        findings = [f for f in (_finding_on_new_calendar(f, calendar) for f in findings) if f["due"] < day]
    found = [_finding_item(f, as_of=day, calendar=calendar) for f in findings]
    found = [item for item in found if lead is None or item.unit == lead]
    if found or changed:
        # Units in the office's list order, as the cases came; a stable sort keeps cases before
        # findings of the same unit and due date, and each in its own order.
        rank = {name: index for index, (name, _, _) in enumerate(case_rows.unit_names(conn))}
        items = sorted(
            [*items, *found],
            key=lambda item: (rank.get(item.unit or "", queries.UNLISTED), item.unit or "", item.due),
        )
    return OpenItemsReport(day, tuple(items))


def _finding_item(finding: dict[str, Any], *, as_of: date, calendar: rules.WorkingDays) -> OpenItem:
    """An overdue order to correct (整改) as a line of the overdue report, judged by the same rules."""
    due = finding["due"]
    status = rules.status_of(
        state=State.ASSIGNED, due=due, original_due=due, feedback_on=None, today=as_of, calendar=calendar
    )
    return OpenItem(
        kind="finding",
        no=f"问题{finding['id']}",
        short_no=f"整改{finding['id']}",
        title=str(finding.get("text") or ""),
        classified=False,
        unit=finding.get("unit"),
        unit_short=finding.get("unit_short") or finding.get("unit"),
        assigned_on=finding.get("ordered_on"),
        due=due,
        original_due=None,
        due_provisional=bool(finding.get("provisional")),
        extensions=0,
        light=status.light,
        days_left=status.days_left,
        overdue_workdays=status.overdue_workdays,
        suggested_step=suggested_step(status.overdue_workdays),
    )


def due_soon_report(
    *,
    settings: Settings,
    within: int = DEFAULT_DUE_SOON_WORKDAYS,
    unit: str | None = None,
    as_of: date | None = None,
) -> OpenItemsReport:
    """Open cases not yet overdue with `within` or fewer working days left (due today included), soonest first."""
    if not 0 <= within <= rules.MAX_LIMIT_WORKDAYS:
        raise InvalidInputError(f"--within 须在 0 到 {rules.MAX_LIMIT_WORKDAYS} 之间（工作日数）")
    day = as_of or settings.today
    calendar = _calendar(settings)
    # Every due date with at most `within` working days left lies before the (within+1)-th working day.
    horizon = calendar.deadline(day, within + 1).due
    with reading(settings) as conn:
        lead = _unit(conn, unit)
        changed = conn.calendar_changed
        if day < settings.today:  # as recorded then: the replayed history, not recomputed
            rows: Any = open_cases_as_of(conn, day, due_from=day, due_before=horizon, unit=lead, order_by_unit=False)
        else:
            rows = queries.iter_open_cases(
                conn,
                states=[str(s) for s in OPEN_STATES],
                due_from=None if changed else day,
                due_before=None if changed else horizon,
                unit=lead,
                order_by_unit=False,
            )
            if changed:
                rows = sorted(
                    (row for row in _on_new_calendar(conn, rows, calendar) if day <= row[8] < horizon),
                    key=lambda row: (row[8], row[0], row[1]),
                )
        items = tuple(_open_item(row, as_of=day, calendar=calendar) for row in rows)
    chosen = tuple(item for item in items if item.days_left is not None and item.days_left <= within)
    return OpenItemsReport(day, chosen, within=within)


STATS_GROUPINGS = ("unit", "category", "month")


def stats_report(
    *,
    settings: Settings,
    year: int | None = None,
    start: date | None = None,
    end: date | None = None,
    by: str = "unit",
    as_of: date | None = None,
) -> StatsReport:
    """Per unit, category or month of assignment: received, completed, on-time rates, overdue now, median.
    With `as_of`, as things stood at the end of that day (the range then ends there by default)."""
    if by not in STATS_GROUPINGS:
        raise InvalidInputError(f"--by 只能是 {'、'.join(STATS_GROUPINGS)}")
    if year is not None and (start is not None or end is not None):
        raise InvalidInputError("--year 与 --from/--to 只能选一种")
    if start is None and end is None:
        chosen = year or (as_of or settings.today).year
        start, end = date(chosen, 1, 1), date(chosen, 12, 31)
    start = start or date(1, 1, 1)
    end = end or as_of or settings.today
    if end < start:
        raise InvalidInputError(f"--to {end} 早于 --from {start}")
    if as_of is not None:
        return _stats_as_of(settings, start=start, end=end, by=by, day=as_of)
    today = settings.today
    calendar = _calendar(settings)
    groups: dict[str, dict[str, Any]] = {}
    total = _tally()
    with reading(settings) as conn:
        first = queries.first_assigned(conn, start=start, end=end)
        rows = queries.stats_counts(
            conn, start=start, end=end, today=today, open_states=[str(s) for s in OPEN_STATES],
            withdrawn=str(State.WITHDRAWN), by=by, ordinals=_ordinals(calendar, first),
        )  # fmt: skip
        for key, short, workdays, *counts in rows:
            name = _group_name(by, key, short)
            for target in (groups.setdefault(name, _tally()), total):
                _add(target, counts, workdays)
    if by == "month":
        ordered = sorted(groups.items())
    else:
        ordered = sorted(groups.items(), key=lambda kv: (-kv[1]["received"], kv[0]))
    return StatsReport(
        start=start,
        end=end,
        by=by,
        as_of=today,
        groups=tuple(_group(key, tally) for key, tally in ordered),
        total=_group("合计", total),
    )


def _stats_as_of(settings: Settings, *, start: date, end: date, by: str, day: date) -> StatsReport:
    """stats_report at the end of `day`, every case replayed from its events by their effective dates
    (domain.history): its state, unit, dates and extensions then, counted as stats_counts counts."""
    import json
    from itertools import groupby

    from fupin_cli.domain.history import state_as_of

    calendar = _calendar(settings)
    groups: dict[str, dict[str, Any]] = {}
    total = _tally()
    with reading(settings) as conn:
        shorts = {name.name: name.short_name for name in case_rows.unit_names(conn)}
        for _, events in groupby(queries.iter_case_events(conn), key=lambda event: event[0]):
            case = state_as_of(((action, on, json.loads(after) if after else {}) for _, action, on, after in events), day)
            if case is None or case["assigned_on"] is None or not start <= case["assigned_on"] <= end:
                continue
            kept = case["state"] != str(State.WITHDRAWN)
            done = kept and case["feedback_on"] is not None
            due = case["due"]
            counts = [
                kept, not kept, done,
                done and due is not None and case["feedback_on"] <= due,
                done and due is not None and case["feedback_on"] <= (case["original_due"] or due),
                case["state"] in OPEN_STATE_NAMES and due is not None and due < day,
                case["extensions"] if kept else 0,
            ]  # fmt: skip
            workdays = calendar.between(case["assigned_on"], case["feedback_on"]) if done else None
            key = {"unit": case["lead_unit"], "category": case["category"],
                   "month": case["assigned_on"].strftime("%Y-%m")}[by]  # fmt: skip
            name = _group_name(by, key, shorts.get(case["lead_unit"]) if by == "unit" else None)
            for target in (groups.setdefault(name, _tally()), total):
                _add(target, counts, workdays)
    ordered = sorted(groups.items()) if by == "month" else sorted(groups.items(), key=lambda kv: (-kv[1]["received"], kv[0]))
    return StatsReport(start=start, end=end, by=by, as_of=day,
                       groups=tuple(_group(key, tally) for key, tally in ordered), total=_group("合计", total))  # fmt: skip


def _ordinals(calendar: WorkCalendar, first: date | None) -> list[tuple[date, int]]:
    """Each day from `first` to the calendar's last with the working days after `first` up to it: the
    table the query subtracts to count the working days from assignment to feedback (calendar.between)."""
    if first is None:
        return []
    return [(first + timedelta(days=offset), calendar.between(first, first + timedelta(days=offset)))
            for offset in range((calendar.last_day - first).days + 1)]  # fmt: skip


def _group_name(by: str, key: Any, short: str | None) -> str:
    if by == "unit":
        return short or key or "（未定）"
    if by == "category":
        return category_named(key).short
    return str(key)


_COUNTED = ("received", "withdrawn", "completed", "on_time", "on_time_original", "overdue_now", "extensions")


def _tally() -> dict[str, Any]:
    return {**dict.fromkeys(_COUNTED, 0), "workdays_to_complete": {}}


def _add(tally: dict[str, Any], counts: list[Any], workdays: int | None) -> None:
    for key, value in zip(_COUNTED, counts, strict=True):
        tally[key] += int(value or 0)
    completed = int(counts[_COUNTED.index("completed")] or 0)
    if workdays is not None and completed:
        spread = tally["workdays_to_complete"]
        spread[int(workdays)] = spread.get(int(workdays), 0) + completed


def _group(key: str, tally: dict[str, Any]) -> StatsGroup:
    spread = tuple(days for days, times in sorted(tally["workdays_to_complete"].items()) for _ in range(times))
    return StatsGroup(key=key, **{**tally, "workdays_to_complete": spread})
