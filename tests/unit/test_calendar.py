"""The working-day calendar: real cases as a table, properties, the package's data, provisional years."""

from datetime import date, timedelta
from functools import cache

import chinese_calendar
import pytest
from chinese_calendar import constants
from hypothesis import given, settings
from hypothesis import strategies as st

from fupin_cli.domain.calendar import (
    DayKind,
    Deadline,
    WorkCalendar,
    parse_year_month,
    same_day_months_later,
)
from fupin_cli.domain.errors import InvalidInputError
from fupin_cli.services import holiday_files, holiday_sources
from fupin_cli.settings import data_dir

PACKAGE_YEARS = range(min(constants.holidays).year, max(constants.holidays).year + 1)
FAR = PACKAGE_YEARS.stop + 12
"""A year no chinese-calendar release will cover for a long while."""


@cache
def office() -> WorkCalendar:
    """The calendar as fupin ships it: the package's data and the 2005 correction."""
    return holiday_files.build_calendar(holiday_dirs=[data_dir() / "holidays"])


@cache
def without_2026() -> WorkCalendar:
    """As if chinese-calendar did not cover 2026: that year becomes provisional."""
    return holiday_files.build_calendar(holiday_dirs=[], exclude_package_years=[2026])


@cache
def far_reaching() -> WorkCalendar:
    return holiday_files.build_calendar(holiday_dirs=[], last_year=FAR + 1)


D = date.fromisoformat

# start, N, due, what the case exercises
DEADLINES = [
    ("2026-02-10", 10, "2026-03-02", "春节, with make-up Saturdays 2-14 and 2-28"),
    ("2026-09-26", 10, "2026-10-15", "start on a rest day; 中秋 and 国庆 with make-up Saturday 10-10"),
    ("2026-09-30", 1, "2026-10-08", "the day before 国庆"),
    ("2026-10-01", 1, "2026-10-08", "start on a holiday"),
    ("2026-10-09", 1, "2026-10-10", "the next working day is a make-up Saturday"),
    ("2026-02-14", 1, "2026-02-24", "start on a make-up Saturday: it is not counted either"),
    ("2026-03-07", 1, "2026-03-09", "start on a Saturday"),
    ("2026-03-08", 5, "2026-03-13", "start on a Sunday"),
    ("2025-12-31", 1, "2026-01-04", "year end: 元旦 2026-01-01..03, then make-up Sunday 01-04"),
    ("2025-12-31", 2, "2026-01-05", "year end"),
    ("2024-12-31", 1, "2025-01-02", "year end, 元旦 one day"),
    ("2020-09-30", 1, "2020-10-09", "国庆 with 中秋 on 10-01: eight days off"),
    ("2020-09-30", 2, "2020-10-10", "then make-up Saturday 10-10"),
    ("2015-09-02", 1, "2015-09-06", "the 2015 抗战胜利 holiday and its make-up Sunday"),
    ("2005-12-30", 1, "2005-12-31", "2005-12-31 is a working day (国办发明电〔2005〕35号)"),
    ("2005-12-30", 2, "2006-01-04", "then 元旦 2006-01-01..03"),
    ("2026-03-02", 20, "2026-03-30", "plain weeks"),
]


@pytest.mark.parametrize("start,workdays,due,why", DEADLINES, ids=[case[3] for case in DEADLINES])
def test_deadline_cases(start: str, workdays: int, due: str, why: str) -> None:
    result = office().deadline(D(start), workdays)
    assert result == Deadline(D(start), workdays, D(due), False, ())


def test_start_on_a_rest_day_is_not_find_workday() -> None:
    """chinese_calendar.find_workday counts a rest start day: one working day later than the law."""
    start = D("2026-03-07")
    assert chinese_calendar.find_workday(1, start) == D("2026-03-10")
    assert office().deadline(start, 1).due == D("2026-03-09")


BETWEEN = [
    ("2026-09-30", "2026-10-20", 10),
    ("2026-10-20", "2026-09-30", -10),
    ("2026-10-01", "2026-10-07", 0),
    ("2026-10-08", "2026-10-08", 0),
    ("2026-10-07", "2026-10-08", 1),
    ("2026-10-08", "2026-10-07", -1),
    ("2026-02-10", "2026-03-02", 10),
    ("2005-12-30", "2005-12-31", 1),
    ("2004-01-01", "2004-12-31", 252),
]


@pytest.mark.parametrize("start,end,workdays", BETWEEN)
def test_between_cases(start: str, end: str, workdays: int) -> None:
    assert office().between(D(start), D(end)) == workdays


def test_day_kinds_and_names() -> None:
    calendar = office()
    assert calendar.day_kind(D("2026-10-01")) is DayKind.HOLIDAY
    assert calendar.holiday_name(D("2026-10-01")) == "国庆节"
    assert calendar.holiday_name(D("2026-09-25")) == "中秋"
    assert calendar.holiday_name(D("2026-02-17")) == "春节"
    assert calendar.day_kind(D("2026-10-10")) is DayKind.MAKEUP_WORKDAY
    assert calendar.makeup_reason(D("2026-10-10")) == "国庆节调休"
    assert calendar.holiday_name(D("2026-10-10")) is None
    assert calendar.day_kind(D("2026-10-17")) is DayKind.WEEKEND
    assert calendar.day_kind(D("2026-10-16")) is DayKind.WORKDAY
    assert calendar.holiday_name(D("2026-10-16")) is None


def test_2005_12_31_is_a_make_up_working_day_from_the_shipped_patch() -> None:
    calendar = office()
    assert calendar.is_workday(D("2005-12-31"))
    assert calendar.day_kind(D("2005-12-31")) is DayKind.MAKEUP_WORKDAY
    assert calendar.makeup_reason(D("2005-12-31")) == "元旦调休"
    assert "补丁 2005.toml" in calendar.source_of(2005)
    assert "国办发明电〔2005〕35号" in calendar.source_of(2005)


def test_every_day_agrees_with_chinese_calendar_except_2005_12_31() -> None:
    """Only the years the installed package covers are compared."""
    calendar = office()
    differ = []
    day, last = date(PACKAGE_YEARS.start, 1, 1), date(PACKAGE_YEARS.stop - 1, 12, 31)
    while day <= last:
        if calendar.is_workday(day) != chinese_calendar.is_workday(day):
            differ.append(day)
        day += timedelta(days=1)
    assert differ == [D("2005-12-31")]


def test_package_years_come_from_the_package_with_its_version() -> None:
    from importlib.metadata import version

    calendar = office()
    label = f"chinese-calendar {version('chinese-calendar')}"
    for year in PACKAGE_YEARS:
        assert not calendar.is_provisional(year)
        assert calendar.source_of(year).startswith(label)


def test_range_reaches_ten_years_past_the_data_and_those_years_are_provisional() -> None:
    calendar = office()
    last_data_year = PACKAGE_YEARS.stop - 1
    assert calendar.first_day == date(2004, 1, 1)
    assert calendar.last_day == date(last_data_year + 10, 12, 31)
    assert calendar.provisional_years == tuple(range(last_data_year + 1, last_data_year + 11))
    assert calendar.source_of(last_data_year + 1) == holiday_files.PROVISIONAL_SOURCE
    info = calendar.year_info(last_data_year + 1)
    assert info.provisional and 240 <= info.workdays <= 255


# -- refusals ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("workdays", [0, -1, 1001, 10**9, True])
def test_absurd_working_day_counts_are_refused(workdays: int) -> None:
    with pytest.raises(InvalidInputError, match="工作日数应为 1 到 1000"):
        office().deadline(D("2026-03-02"), workdays)


def test_dates_before_2004_are_refused() -> None:
    calendar = office()
    for ask in (
        lambda: calendar.is_workday(D("2003-12-31")),
        lambda: calendar.deadline(D("2003-12-31"), 1),
        lambda: calendar.between(D("2003-06-01"), D("2026-01-01")),
        lambda: calendar.day_kind(D("1999-01-01")),
    ):
        with pytest.raises(InvalidInputError, match="早于工作日历的起点 2004-01-01"):
            ask()


def test_dates_past_the_range_are_refused_not_crashed() -> None:
    calendar = office()
    after = calendar.last_day + timedelta(days=1)
    with pytest.raises(InvalidInputError, match="超出工作日历的范围"):
        calendar.is_workday(after)
    with pytest.raises(InvalidInputError, match="超出工作日历的范围"):
        calendar.deadline(calendar.last_day - timedelta(days=3), 10)
    with pytest.raises(InvalidInputError, match="超出工作日历的范围"):
        calendar.add_months(calendar.last_day, 1)
    assert calendar.is_provisional(after.year)


# -- add_months (民法典 202, 203) --------------------------------------------------------------------

ADD_MONTHS = [
    ("2026-01-30", 1, "2026-02-28", "no 30th in February: the last day, a make-up Saturday in 2026"),
    ("2024-01-31", 1, "2024-02-29", "leap year"),
    ("2026-03-31", 1, "2026-04-30", "no 31st in April"),
    ("2026-09-01", 1, "2026-10-08", "lands on 国庆: the next working day (203)"),
    ("2026-02-17", 1, "2026-03-17", "start on a holiday does not matter"),
    ("2026-04-18", 1, "2026-05-18", "2026-05-18 is a Monday"),
    ("2026-03-14", 1, "2026-04-14", "plain"),
    ("2026-10-17", 0, "2026-10-19", "zero months from a Saturday: the next working day"),
]


@pytest.mark.parametrize("day,months,expected,why", ADD_MONTHS, ids=[case[3] for case in ADD_MONTHS])
def test_add_months(day: str, months: int, expected: str, why: str) -> None:
    assert office().add_months(D(day), months) == D(expected)


def test_same_day_months_later_is_article_202_alone() -> None:
    assert same_day_months_later(D("2026-01-30"), 1) == D("2026-02-28")
    assert same_day_months_later(D("2026-08-31"), 1) == D("2026-09-30")
    assert same_day_months_later(D("2026-12-15"), 2) == D("2027-02-15")
    with pytest.raises(InvalidInputError):
        same_day_months_later(D("2026-01-30"), -1)


# -- properties --------------------------------------------------------------------------------------

SPAN = office().last_day.toordinal() - 1200 - date(2004, 1, 1).toordinal()
starts = st.integers(min_value=0, max_value=SPAN).map(lambda i: date(2004, 1, 1) + timedelta(days=i))
counts = st.integers(min_value=1, max_value=300)


@settings(max_examples=300, deadline=None)
@given(start=starts, workdays=counts)
def test_a_deadline_is_a_working_day_counted_exactly(start: date, workdays: int) -> None:
    calendar = office()
    result = calendar.deadline(start, workdays)
    assert calendar.is_workday(result.due)
    assert result.due > start
    assert calendar.between(start, result.due) == workdays
    assert calendar.between(result.due, start) == -workdays
    assert calendar.between(start, result.due - timedelta(days=1)) == workdays - 1


@settings(max_examples=200, deadline=None)
@given(start=starts, workdays=counts)
def test_deadlines_strictly_increase_with_n(start: date, workdays: int) -> None:
    calendar = office()
    assert calendar.deadline(start, workdays).due < calendar.deadline(start, workdays + 1).due


@settings(max_examples=200, deadline=None)
@given(start=starts, workdays=counts)
def test_deadline_agrees_with_a_day_by_day_count(start: date, workdays: int) -> None:
    calendar = office()
    day, left = start, workdays
    while left:
        day += timedelta(days=1)
        left -= calendar.is_workday(day)
    assert calendar.deadline(start, workdays).due == day


@settings(max_examples=300, deadline=None)
@given(day=starts, months=st.integers(min_value=0, max_value=24))
def test_add_months_never_returns_a_rest_day_nor_goes_backwards(day: date, months: int) -> None:
    calendar = office()
    end = calendar.add_months(day, months)
    assert calendar.is_workday(end)
    assert end >= day
    assert end >= same_day_months_later(day, months)
    assert calendar.add_months(day, months + 1) >= end


# -- provisional years -------------------------------------------------------------------------------


def test_statutory_holidays_of_a_provisional_year() -> None:
    calendar = without_2026()
    assert calendar.is_provisional(2026)
    assert calendar.source_of(2026) == holiday_files.PROVISIONAL_SOURCE
    # 除夕 2026-02-16 (Monday) to 初三 02-19: four days; no make-up Saturdays are guessed.
    for day in ("2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19"):
        assert calendar.holiday_name(D(day)) == "春节"
    assert calendar.is_workday(D("2026-02-20"))
    assert calendar.day_kind(D("2026-02-14")) is DayKind.WEEKEND
    assert calendar.holiday_name(D("2026-01-01")) == "元旦"
    assert calendar.is_workday(D("2026-01-02"))
    assert calendar.holiday_name(D("2026-04-06")) == "清明补假"  # 清明 04-05 is a Sunday
    assert calendar.holiday_name(D("2026-06-19")) == "端午"
    assert calendar.holiday_name(D("2026-09-25")) == "中秋"
    assert [calendar.holiday_name(D(f"2026-10-0{i}")) for i in (1, 2, 3)] == ["国庆节"] * 3
    assert calendar.holiday_name(D("2026-10-05")) == "国庆节补假"  # 10-03 is a Saturday
    assert calendar.is_workday(D("2026-10-06"))
    assert not calendar.is_provisional(2025)


def test_a_deadline_touching_a_provisional_year_says_so() -> None:
    calendar = without_2026()
    result = calendar.deadline(D("2026-02-13"), 1)
    assert result.due == D("2026-02-20")
    assert result.provisional and result.provisional_years == (2026,)
    crossing = calendar.deadline(D("2025-12-30"), 3)
    assert crossing.due == D("2026-01-05")  # 12-31, 01-02, 01-05
    assert crossing.provisional_years == (2026,)
    inside = calendar.deadline(D("2025-12-01"), 5)
    assert not inside.provisional and inside.provisional_years == ()
    assert calendar.touches_provisional(D("2025-12-31"), D("2025-12-31")) == ()
    assert calendar.touches_provisional(D("2025-12-31"), D("2026-01-01")) == (2026,)
    assert calendar.touches_provisional(D("2026-01-01"), D("2025-12-31")) == (2026,)


def test_a_start_in_a_provisional_year_does_not_make_the_deadline_provisional() -> None:
    """Only days after the start count, so only they can make a deadline provisional."""
    calendar = without_2026()
    assert calendar.deadline(D("2025-12-31"), 1).provisional
    assert calendar.touches_provisional(D("2026-12-31"), D("2027-01-04")) == tuple(
        year for year in calendar.provisional_years if year == 2027
    )


def test_a_far_year_gets_spring_festival_and_substitute_days() -> None:
    calendar = far_reaching()
    assert calendar.is_provisional(FAR)
    eve = holiday_sources.lunar_festivals(FAR).new_years_eve
    assert [calendar.holiday_name(eve + timedelta(days=i)) for i in range(4)] == ["春节"] * 4
    result = calendar.deadline(date(FAR, 9, 28), 5)
    assert result.provisional and result.provisional_years == (FAR,)
    for day in (date(FAR, 10, i) for i in (1, 2, 3)):
        assert not calendar.is_workday(day)


def test_substitute_days_follow_the_holiday() -> None:
    """2040: 除夕 is Saturday 02-11, so 初二 and 初三 (Mon, Tue) are followed by two days of 补假."""
    holidays = holiday_sources.provisional_holidays(2040)
    assert [holidays.get(D(f"2040-02-{d}")) for d in range(11, 18)] == [
        "春节",
        "春节",
        "春节",
        "春节",
        "春节补假",
        "春节补假",
        None,
    ]


def test_a_holiday_on_another_holiday_is_made_up() -> None:
    """2031: 中秋 falls on 10-01, so the three 国庆 days and 中秋 give four weekdays off."""
    holidays = holiday_sources.provisional_holidays(2031)
    weekdays_off = [day for day in holidays if day.month == 10 and day.weekday() < 5]
    assert len(weekdays_off) == 4


def test_thirteen_statutory_days_each_year() -> None:
    for year in (2027, 2033, 2034, 2040, 2100):
        days = holiday_sources.statutory_days(year)
        assert len(days) == 13
        assert all(day.year == year for day, _ in days)


def test_the_lunar_table_matches_lunar_python() -> None:
    table = holiday_sources._lunar_table()
    assert set(table) == set(range(2004, 2101))
    wrong = [year for year, row in table.items() if holiday_sources.compute_lunar_festivals(year) != row]
    assert wrong == []


def test_lunar_dates_beyond_the_table_come_from_lunar_python() -> None:
    assert 2101 not in holiday_sources._lunar_table()
    festivals = holiday_sources.lunar_festivals(2101)
    assert festivals.new_years_eve.year == 2101 and festivals.qingming.month == 4


def test_lunar_table_agrees_with_the_package_on_spring_festival() -> None:
    """Where chinese-calendar names 春节 days, 除夕 + 1 (初一) is one of them."""
    for year in PACKAGE_YEARS:
        first_day = holiday_sources.lunar_festivals(year).new_years_eve + timedelta(days=1)
        assert constants.holidays.get(first_day) == "Spring Festival", year


# -- parsing a month ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2026-10", (2026, 10)),
        ("2026/1", (2026, 1)),
        ("202610", (2026, 10)),
        ("2026年10月", (2026, 10)),
        ("２０２６年２月", (2026, 2)),
        ("3月", (2026, 3)),
        ("本月", (2026, 11)),
        ("下月", (2026, 12)),
        ("上个月", (2026, 10)),
    ],
)
def test_parse_year_month(text: str, expected: tuple[int, int]) -> None:
    assert parse_year_month(text, today=D("2026-11-27")) == expected


@pytest.mark.parametrize("text", ["2026-13", "十月", "2026", ""])
def test_parse_year_month_refuses(text: str) -> None:
    with pytest.raises(InvalidInputError, match="无法识别的月份"):
        parse_year_month(text, today=D("2026-11-27"))


def test_month_days_describe_every_day() -> None:
    days = office().month_days(2026, 10)
    assert len(days) == 31
    assert days[0].kind is DayKind.HOLIDAY and days[0].name == "国庆节"
    assert days[9].kind is DayKind.MAKEUP_WORKDAY and days[9].name == "国庆节调休"


def test_the_calendar_refuses_inconsistent_data() -> None:
    with pytest.raises(ValueError):
        WorkCalendar(
            holidays={D("2004-01-01"): "元旦"},
            workdays={D("2004-01-01"): "x"},
            sources={2004: "s"},
            last_year=2004,
        )
    with pytest.raises(ValueError):
        WorkCalendar(holidays={}, workdays={}, sources={}, last_year=2004)
