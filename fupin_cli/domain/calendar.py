"""The working-day calendar: which days are worked, and "N working days from a date". Standard library only.

A `WorkCalendar` is built once from plain data (holidays, make-up working days, where each year's data
came from, which years are provisional) into an ordinal table: one byte per day saying what kind of
day it is, and a running count of working days (a list of ints, one per day). Every question is then
answered from the table: `is_workday` and `between` in O(1), `deadline` and `add_months` with one
bisection, O(log n).
Nothing here knows today's date; callers pass dates in.
"""

import re
from bisect import bisect_left
from calendar import monthrange
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from itertools import accumulate

from fupin_cli.domain.errors import InvalidInputError

FIRST_YEAR = 2004
"""The first year covered: chinese-calendar's data, and the office's records, start here."""
MAX_WORKDAYS = 1000
"""The largest N accepted for "N working days" (about four years); a larger N is a typing mistake."""
MAX_MONTHS = 120
WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


class DayKind(StrEnum):
    WORKDAY = "workday"  # 工作日
    WEEKEND = "weekend"  # 周末休息日
    HOLIDAY = "holiday"  # 节假日（法定假日及调休放假）
    MAKEUP_WORKDAY = "makeup_workday"  # 补班（调休上班的周末）


# One byte per day in the table; the order of this tuple gives the codes.
_KINDS = (DayKind.WORKDAY, DayKind.WEEKEND, DayKind.HOLIDAY, DayKind.MAKEUP_WORKDAY)
_WORKDAY, _WEEKEND, _HOLIDAY, _MAKEUP = range(4)
_IS_WORKING = bytes(1 if code in (_WORKDAY, _MAKEUP) else 0 for code in range(256))


@dataclass(frozen=True)
class Deadline:
    """The N-th working day strictly after `start` (民法典 第二百零一条: the start day is not counted)."""

    start: date
    workdays: int
    due: date
    provisional: bool
    """True when a day after `start` up to `due` lies in a year whose schedule is not yet published."""
    provisional_years: tuple[int, ...]


@dataclass(frozen=True)
class YearInfo:
    year: int
    source: str
    provisional: bool
    workdays: int
    rest_days: int


@dataclass(frozen=True)
class CalendarDay:
    day: date
    kind: DayKind
    name: str | None
    """The holiday's name for a holiday; what the make-up day is for (e.g. 国庆节调休) for a make-up day."""


class WorkCalendar:
    """Working days from `first_year`-01-01 to `last_year`-12-31, answered from an ordinal table.

    `holidays` are rest days (weekends inside a holiday period may be listed too; they are then
    shown with the holiday's name); `workdays` are make-up working days. A date may not be in both.
    Every year in the range needs an entry in `sources`.
    """

    def __init__(
        self,
        *,
        holidays: Mapping[date, str],
        workdays: Mapping[date, str],
        sources: Mapping[int, str],
        provisional_years: Iterable[int] = (),
        last_year: int,
        first_year: int = FIRST_YEAR,
    ) -> None:
        if last_year < first_year:
            raise ValueError(f"last_year {last_year} is before first_year {first_year}")
        missing = [year for year in range(first_year, last_year + 1) if year not in sources]
        if missing:
            raise ValueError(f"no source given for years {missing}")
        both = holidays.keys() & workdays.keys()
        if both:
            raise ValueError(f"dates both rest and working: {sorted(both)}")
        self._first = date(first_year, 1, 1)
        self._last = date(last_year, 12, 31)
        self._origin = self._first.toordinal()
        size = self._last.toordinal() - self._origin + 1

        kinds = bytearray(size)
        for weekday in (5, 6):
            offset = (weekday - self._first.weekday()) % 7
            kinds[offset::7] = bytes([_WEEKEND]) * len(range(offset, size, 7))
        for day in holidays:
            kinds[self._checked_offset(day, size)] = _HOLIDAY
        for day in workdays:
            offset = self._checked_offset(day, size)
            if kinds[offset] == _WEEKEND:
                kinds[offset] = _MAKEUP
        self._kinds = bytes(kinds)
        self._working = self._kinds.translate(_IS_WORKING)
        # _count[i]: working days from the first day up to and including day i. A list, not an
        # array('i'): it is built three times faster and bisected a third faster, for ~350 KB.
        self._count = list(accumulate(self._working))
        self._names = {day: name for day, name in holidays.items()}
        self._names.update(
            {day: name for day, name in workdays.items() if kinds[day.toordinal() - self._origin] == _MAKEUP}
        )
        self._provisional = frozenset(year for year in provisional_years if first_year <= year <= last_year)
        self._provisional_sorted = tuple(sorted(self._provisional))
        # Days before this ordinal lie in no provisional year: most deadlines need no more than this test.
        self._provisional_from = (
            date(self._provisional_sorted[0], 1, 1).toordinal()
            if self._provisional
            else self._last.toordinal() + 1
        )
        self._sources = {year: sources[year] for year in range(first_year, last_year + 1)}

    # -- the covered range ------------------------------------------------------------------------

    @property
    def first_day(self) -> date:
        return self._first

    @property
    def last_day(self) -> date:
        return self._last

    @property
    def provisional_years(self) -> tuple[int, ...]:
        return self._provisional_sorted

    @property
    def years(self) -> tuple[YearInfo, ...]:
        """One row per covered year: its source, whether provisional, its working and rest days."""
        return tuple(self.year_info(year) for year in range(self._first.year, self._last.year + 1))

    def year_info(self, year: int) -> YearInfo:
        self._offset(date(year, 1, 1))
        before = self._count_before(date(year, 1, 1))
        workdays = self._count[date(year, 12, 31).toordinal() - self._origin] - before
        length = 366 if monthrange(year, 2)[1] == 29 else 365
        return YearInfo(
            year=year,
            source=self._sources[year],
            provisional=year in self._provisional,
            workdays=workdays,
            rest_days=length - workdays,
        )

    def is_provisional(self, year: int) -> bool:
        """Whether `year`'s working days are estimated (weekends and the statutory holidays only).

        Years after the covered range count as provisional too; years before it do not exist here.
        """
        return year in self._provisional or year > self._last.year

    def source_of(self, year: int) -> str:
        if year in self._sources:
            return self._sources[year]
        return "不在工作日历范围内"

    # -- single days ------------------------------------------------------------------------------

    def is_workday(self, day: date) -> bool:
        return bool(self._working[self._offset(day)])

    def day_kind(self, day: date) -> DayKind:
        return _KINDS[self._kinds[self._offset(day)]]

    def holiday_name(self, day: date) -> str | None:
        """The holiday's name (春节, 国庆节…) for a holiday; None for any other day."""
        if self._kinds[self._offset(day)] != _HOLIDAY:
            return None
        return self._names.get(day)

    def makeup_reason(self, day: date) -> str | None:
        """For a make-up working day (补班), the holiday it makes up for; None for any other day."""
        if self._kinds[self._offset(day)] != _MAKEUP:
            return None
        return self._names.get(day)

    def describe(self, day: date) -> CalendarDay:
        kind = self.day_kind(day)
        name = self._names.get(day) if kind in (DayKind.HOLIDAY, DayKind.MAKEUP_WORKDAY) else None
        return CalendarDay(day=day, kind=kind, name=name)

    def month_days(self, year: int, month: int) -> tuple[CalendarDay, ...]:
        """Every day of one month, described."""
        first = date(year, month, 1)
        self._offset(first)
        return tuple(self.describe(first + timedelta(days=i)) for i in range(monthrange(year, month)[1]))

    def next_workday(self, day: date) -> date:
        """`day` itself when it is a working day, else the first working day after it."""
        offset = self._offset(day)
        if self._working[offset]:
            return day
        found = bisect_left(self._count, self._count[offset] + 1, lo=offset)
        if found >= len(self._count):
            raise self._beyond(f"{day.isoformat()} 之后的第一个工作日")
        return date.fromordinal(self._origin + found)

    # -- periods ----------------------------------------------------------------------------------

    def deadline(self, start: date, workdays: int) -> Deadline:
        """The `workdays`-th working day strictly after `start`, whether `start` is worked or not."""
        if type(workdays) is not int or not 1 <= workdays <= MAX_WORKDAYS:
            raise InvalidInputError(f"工作日数应为 1 到 {MAX_WORKDAYS} 之间的整数，收到「{workdays}」")
        offset = self._offset(start)
        count = self._count
        found = bisect_left(count, count[offset] + workdays, lo=offset + 1)
        if found >= len(count):
            raise self._beyond(f"{start.isoformat()} 起 {workdays} 个工作日")
        due = date.fromordinal(self._origin + found)
        touched = (
            () if self._origin + found < self._provisional_from else self.touches_provisional(start, due)
        )
        return Deadline(
            start=start, workdays=workdays, due=due, provisional=bool(touched), provisional_years=touched
        )

    def between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`.

        When `end` is before `start` the answer is negative: minus the working days after `end` up to
        and including `start`. The same date twice gives 0. So `between(x, deadline(x, n).due) == n`,
        and `between(a, b) == -between(b, a)`.
        """
        return self._count[self._offset(end)] - self._count[self._offset(start)]

    def touches_provisional(self, start: date, end: date) -> tuple[int, ...]:
        """The provisional years holding a day after the earlier date up to and including the later."""
        low, high = (start, end) if start <= end else (end, start)
        self._offset(low)
        self._offset(high)
        if low == high or high.toordinal() < self._provisional_from:
            return ()
        first_year = (low + timedelta(days=1)).year
        return tuple(year for year in self._provisional_sorted if first_year <= year <= high.year)

    def add_months(self, day: date, months: int) -> date:
        """The end of a period of `months` months from `day` (民法典 第二百零二、二百零三条).

        202: the period ends on the day of the final month with the same number as `day`, or on that
        month's last day when there is none (2026-01-30 + 1 month → 2026-02-28). 203: when that day is
        a rest day (a weekend or a holiday), the period ends on the next working day instead. So the
        answer is never a rest day and never earlier than `day`. `same_day_months_later` gives the
        date by 202 alone.
        """
        return self.next_workday(same_day_months_later(day, months))

    # -- internals --------------------------------------------------------------------------------

    def _count_before(self, day: date) -> int:
        offset = day.toordinal() - self._origin
        return self._count[offset - 1] if offset > 0 else 0

    def _checked_offset(self, day: date, size: int) -> int:
        offset = day.toordinal() - self._origin
        if not 0 <= offset < size:
            raise ValueError(f"{day} is outside {self._first}..{self._last}")
        return offset

    def _offset(self, day: date) -> int:
        offset = day.toordinal() - self._origin
        if offset < 0:
            raise InvalidInputError(
                f"{day.isoformat()} 早于工作日历的起点 {self._first.isoformat()}：之前的放假安排没有收录"
            )
        if offset >= len(self._working):
            raise self._beyond(day.isoformat())
        return offset

    def _beyond(self, what: str) -> InvalidInputError:
        return InvalidInputError(
            f"{what} 超出工作日历的范围（{self._first.isoformat()} 至 {self._last.isoformat()}）"
        )


def same_day_months_later(day: date, months: int) -> date:
    """The day with the same number `months` months later, or that month's last day (民法典 第二百零二条)."""
    if type(months) is not int or not 0 <= months <= MAX_MONTHS:
        raise InvalidInputError(f"月数应为 0 到 {MAX_MONTHS} 之间的整数，收到「{months}」")
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


_FULL_WIDTH = str.maketrans("０１２３４５６７８９／－．", "0123456789/-.")
_MONTH_FORMS = (
    re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})"),
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月?"),
    re.compile(r"(?P<m>\d{1,2})月"),
)
_RELATIVE_MONTHS = {"本月": 0, "这个月": 0, "上月": -1, "上个月": -1, "下月": 1, "下个月": 1}


def parse_year_month(text: str, *, today: date) -> tuple[int, int]:
    """A month as typed: 2026-10, 2026/10, 202610, 2026年10月, 10月 (this year), 本月, 下月."""
    cleaned = text.strip().translate(_FULL_WIDTH)
    if cleaned in _RELATIVE_MONTHS:
        year, month = divmod(today.year * 12 + today.month - 1 + _RELATIVE_MONTHS[cleaned], 12)
        return year, month + 1
    for form in _MONTH_FORMS:
        match = form.fullmatch(cleaned)
        if match is None:
            continue
        parts = match.groupdict()
        month = int(parts["m"])
        if 1 <= month <= 12:
            return int(parts.get("y") or today.year), month
        break
    shown = cleaned if len(cleaned) <= 20 else cleaned[:20] + "…"
    raise InvalidInputError(f"无法识别的月份「{shown}」：请写成 2026-10 或 2026年10月")


def weekday_name(day: date) -> str:
    return WEEKDAY_NAMES[day.weekday()]
