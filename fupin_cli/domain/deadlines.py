"""A 督查事项's deadline: the working-day calendar it is counted on, the extension cap (民法典 202 and
203), the warning light, the chain recomputed on a new calendar, and which dates rest on a
provisional year (暂定). Pure: standard library only, 'today' a parameter.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

from fupin_cli.domain.calendar import same_day_months_later
from fupin_cli.domain.case_model import Case, Extension
from fupin_cli.domain.workflow import State

DEFAULT_LIMIT_WORKDAYS = 10
"""一般不超过10个工作日 (part 二(二) 五(四))."""
MAX_LIMIT_WORKDAYS = 250
"""A sanity bound on --days / extension --days: about one year of working days."""
WARN_WITHIN_WORKDAYS = 3
"""黄 when this many working days or fewer are left (due today included)."""
EXTENSION_CAP_MONTHS = 1
"""最长不得超过1个月, counted from the original due date."""


class Deadline(Protocol):
    @property
    def due(self) -> date: ...

    @property
    def provisional(self) -> bool: ...


class WorkingDays(Protocol):
    """What the rules need from the working-day calendar (fupin_cli.domain.calendar.WorkCalendar)."""

    def deadline(self, start: date, workdays: int) -> Deadline: ...

    def between(self, a: date, b: date) -> int: ...


# --- dates ---------------------------------------------------------------------------------------


def extension_cap(original_due: date, calendar: WorkingDays | None = None) -> date:
    """The latest date any extension may reach: the original due date plus one calendar month.

    民法典 第二百零二条 gives the day (the same day number next month, or that month's last day:
    2026-01-30 → 2026-02-28); 第二百零三条 moves it to the next working day when it is a rest day
    (2027-01-31, a Sunday → 2027-02-01). Without a calendar, the date by 202 alone.
    """
    by_202 = same_day_months_later(original_due, EXTENSION_CAP_MONTHS)
    return by_202 if calendar is None else last_day_rule(calendar, by_202)[0]


def last_day_rule(calendar: WorkingDays, day: date) -> tuple[date, bool]:
    """民法典 第二百零三条: a period whose last day is a rest day ends on the next working day.
    `day` itself when it is worked; with whether the answer rests on a provisional calendar (a
    typed date in a year whose holidays are not yet published may still move when they are)."""
    found = calendar.deadline(day - timedelta(days=1), 1)
    return found.due, bool(found.provisional)


# --- light ---------------------------------------------------------------------------------------


class Light(StrEnum):
    GREEN = "green"  # 绿: more than 3 working days left
    YELLOW = "yellow"  # 黄: 3 or fewer left, due today included
    RED = "red"  # 红: past due

    @property
    def label(self) -> str:
        return {Light.GREEN: "绿", Light.YELLOW: "黄", Light.RED: "红"}[self]


@dataclass(frozen=True)
class DeadlineStatus:
    light: Light | None
    """None unless the case is open (已交办 or 承办中)."""
    days_left: int | None
    """Working days after today up to and including the due date; None unless open and not past due."""
    overdue_workdays: int
    """Working days after the due date up to and including today; 0 unless open and past due."""
    on_time: bool | None
    """For a completed or archived case: feedback on or before the (extended) due date."""
    on_time_original: bool | None
    """The same against the original due date."""


def deadline_status(
    case: Case, *, today: date, calendar: WorkingDays, warn_within: int = WARN_WITHIN_WORKDAYS
) -> DeadlineStatus:
    """The warning light and the days left or late, for `today`."""
    return status_of(
        state=case.state,
        due=case.due,
        original_due=case.original_due,
        feedback_on=case.feedback_on,
        today=today,
        calendar=calendar,
        warn_within=warn_within,
    )


def status_of(
    *,
    state: State,
    due: date | None,
    original_due: date | None,
    feedback_on: date | None,
    today: date,
    calendar: WorkingDays,
    warn_within: int = WARN_WITHIN_WORKDAYS,
) -> DeadlineStatus:
    """deadline_status from the few fields it reads (listings do not build whole cases)."""
    if due is None:
        return DeadlineStatus(None, None, 0, None, None)
    if state.is_open:
        if today > due:
            return DeadlineStatus(Light.RED, None, calendar.between(due, today), None, None)
        left = calendar.between(today, due)
        return DeadlineStatus(Light.YELLOW if left <= warn_within else Light.GREEN, left, 0, None, None)
    if state in (State.COMPLETED, State.ARCHIVED) and feedback_on is not None:
        return DeadlineStatus(None, None, 0, feedback_on <= due, feedback_on <= (original_due or due))
    return DeadlineStatus(None, None, 0, None, None)


# --- recomputing provisional deadlines ------------------------------------------------------------


def recompute_deadlines(case: Case, *, calendar: WorkingDays) -> Case:
    """The case's deadline chain recomputed on `calendar`: the original due from the assignment date
    and its working-day limit, then each extension asked in working days from its (new) old due date.
    Explicit dates stay as they were.
    """
    if case.assigned_on is None or case.original_due is None:
        return case
    original, provisional = case.original_due, False
    if case.limit_workdays is not None:
        computed = calendar.deadline(case.assigned_on, case.limit_workdays)
        original, provisional = computed.due, bool(computed.provisional)
    current, any_provisional = original, provisional
    extensions: list[Extension] = []
    for extension in case.extensions:
        new_due, link_provisional = extension.new_due, False
        if extension.workdays is not None:
            computed = calendar.deadline(current, extension.workdays)
            new_due, link_provisional = computed.due, bool(computed.provisional)
        extensions.append(replace(extension, old_due=current, new_due=new_due, provisional=link_provisional))
        any_provisional = any_provisional or link_provisional
        current = new_due
    return replace(
        case,
        original_due=original,
        due=current,
        due_provisional=any_provisional,
        extensions=tuple(extensions),
    )


# --- 暂定: which dates rest on a provisional year -------------------------------------------------


@dataclass(frozen=True)
class ProvisionalDates:
    """Which of a case's dates rest on a year whose holidays are not yet published (暂定), each to be
    shown with the mark wherever it is printed."""

    original_due: bool = False
    due: bool = False
    cap: bool = False
    """The extension cap (民法典 203 moves it off a rest day: on a provisional year it may move again)."""
    old_dues: tuple[bool, ...] = ()
    """Per extension, the due date it extended."""
    new_dues: tuple[bool, ...] = ()
    """Per extension, the due date it granted."""

    def marked(self, case: Case, cap: date | None = None) -> frozenset[date]:
        """The provisional dates themselves (the same day is provisional wherever it appears)."""
        found = {case.original_due: self.original_due, case.due: self.due, cap: self.cap}
        for extension, old, new in zip(case.extensions, self.old_dues, self.new_dues, strict=False):
            found[extension.old_due] = found.get(extension.old_due) or old
            found[extension.new_due] = found.get(extension.new_due) or new
        return frozenset(day for day, provisional in found.items() if day is not None and provisional)


def original_due_provisional(
    *, original_due: date | None, due_provisional: bool, extensions: int, calendar: WorkingDays
) -> bool:
    """Whether the original due date rests on a provisional year. Without extensions it is the due
    date and carries its flag; after them the flag may come from an extension alone, and the original
    is provisional when its own day is (a date on or past a provisional year's first day)."""
    if original_due is None or not due_provisional:
        return False
    return extensions == 0 or last_day_rule(calendar, original_due)[1]


def provisional_dates(case: Case, calendar: WorkingDays) -> ProvisionalDates:
    """Every date of `case`'s deadline chain, and its extension cap, flagged 暂定 or not."""
    if case.original_due is None:
        return ProvisionalDates()
    original = original_due_provisional(
        original_due=case.original_due,
        due_provisional=case.due_provisional,
        extensions=len(case.extensions),
        calendar=calendar,
    )
    new = tuple(extension.provisional for extension in case.extensions)
    old = (original, *new[:-1]) if new else ()
    cap = last_day_rule(calendar, same_day_months_later(case.original_due, EXTENSION_CAP_MONTHS))[1]
    return ProvisionalDates(original_due=original, due=case.due_provisional, cap=cap, old_dues=old, new_dues=new)
