"""Where the calendar's days come from besides the office's files: chinese-calendar's tables, read once,
and the statutory holidays of 全国年节及纪念日放假办法 (2024) that make a provisional year.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

PACKAGE = "chinese-calendar"

# ---------------------------------------------------------------------------------------------------
# Provisional years: the statutory holidays of 全国年节及纪念日放假办法 (as revised in 2024)
# ---------------------------------------------------------------------------------------------------

# 除夕 (the day before lunar 1/1), 清明 (the solar term), 端午 (lunar 5/5) and 中秋 (lunar 8/15), as
# month-day, for 2004–2100. Computed with lunar_python 1.4.8 (Lunar.fromYmd(y, 1, 1).getSolar() - 1 day,
# Solar.fromYmd(y, 6, 1).getLunar().getJieQiTable()['清明'], Lunar.fromYmd(y, 5, 5) and (y, 8, 15));
# tests/unit/test_calendar.py recomputes every row. Kept as a table because lunar_python spends about
# 8 ms per year (and 40 ms to import), which every fupin command that loads the calendar would pay.
# Years outside the table are computed with lunar_python when asked for.
_LUNAR_TABLE = """
    2004-0121-0404-0622-0928 2005-0208-0405-0611-0918 2006-0128-0405-0531-1006 2007-0217-0405-0619-0925
    2008-0206-0404-0608-0914 2009-0125-0404-0528-1003 2010-0213-0405-0616-0922 2011-0202-0405-0606-0912
    2012-0122-0404-0623-0930 2013-0209-0404-0612-0919 2014-0130-0405-0602-0908 2015-0218-0405-0620-0927
    2016-0207-0404-0609-0915 2017-0127-0404-0530-1004 2018-0215-0405-0618-0924 2019-0204-0405-0607-0913
    2020-0124-0404-0625-1001 2021-0211-0404-0614-0921 2022-0131-0405-0603-0910 2023-0121-0405-0622-0929
    2024-0209-0404-0610-0917 2025-0128-0404-0531-1006 2026-0216-0405-0619-0925 2027-0205-0405-0609-0915
    2028-0125-0404-0528-1003 2029-0212-0404-0616-0922 2030-0202-0405-0605-0912 2031-0122-0405-0624-1001
    2032-0210-0404-0612-0919 2033-0130-0404-0601-0908 2034-0218-0405-0620-0927 2035-0207-0405-0610-0916
    2036-0127-0404-0530-1004 2037-0214-0404-0618-0924 2038-0203-0405-0607-0913 2039-0123-0405-0527-1002
    2040-0211-0404-0614-0920 2041-0131-0404-0603-0910 2042-0121-0404-0622-0928 2043-0209-0405-0611-0917
    2044-0129-0404-0531-1005 2045-0216-0404-0619-0925 2046-0205-0404-0608-0915 2047-0125-0405-0529-1004
    2048-0213-0404-0615-0922 2049-0201-0404-0604-0911 2050-0122-0404-0623-0930 2051-0210-0405-0613-0919
    2052-0131-0404-0601-0907 2053-0218-0404-0620-0926 2054-0207-0404-0610-0916 2055-0127-0405-0530-1005
    2056-0214-0404-0617-0924 2057-0203-0404-0606-0913 2058-0123-0404-0625-1002 2059-0211-0405-0614-0921
    2060-0201-0404-0603-0909 2061-0120-0404-0622-0928 2062-0208-0404-0611-0917 2063-0128-0405-0601-1006
    2064-0216-0404-0619-0925 2065-0204-0404-0608-0915 2066-0125-0404-0528-1003 2067-0213-0405-0616-0923
    2068-0202-0404-0604-0911 2069-0122-0404-0623-0929 2070-0210-0404-0613-0919 2071-0130-0405-0602-0908
    2072-0218-0404-0620-0926 2073-0206-0404-0610-0916 2074-0126-0404-0530-1005 2075-0214-0404-0617-0924
    2076-0204-0404-0606-0912 2077-0123-0404-0624-1001 2078-0211-0404-0614-0920 2079-0201-0404-0604-0910
    2080-0121-0404-0622-0928 2081-0208-0404-0611-0917 2082-0128-0404-0601-1006 2083-0216-0404-0619-0926
    2084-0205-0404-0607-0914 2085-0125-0404-0527-1003 2086-0213-0404-0615-0922 2087-0202-0404-0605-0911
    2088-0123-0404-0623-0929 2089-0209-0404-0613-0918 2090-0129-0404-0602-0908 2091-0217-0404-0621-0927
    2092-0206-0404-0609-0916 2093-0126-0404-0529-1005 2094-0214-0404-0617-0924 2095-0204-0404-0606-0913
    2096-0124-0404-0624-0930 2097-0211-0404-0614-0920 2098-0131-0404-0604-0909 2099-0120-0404-0623-0929
    2100-0208-0405-0612-0918
"""


@dataclass(frozen=True)
class LunarFestivals:
    new_years_eve: date  # 除夕
    qingming: date  # 清明
    dragon_boat: date  # 端午
    mid_autumn: date  # 中秋


@cache
def _lunar_table() -> dict[int, LunarFestivals]:
    table = {}
    for token in _LUNAR_TABLE.split():
        year_text, *days = token.split("-")
        year = int(year_text)
        eve, qingming, dragon_boat, mid_autumn = (date(year, int(md[:2]), int(md[2:])) for md in days)
        table[year] = LunarFestivals(eve, qingming, dragon_boat, mid_autumn)
    return table


def lunar_festivals(year: int) -> LunarFestivals:
    """除夕, 清明, 端午 and 中秋 of `year`: from the table above, or computed with lunar_python."""
    known = _lunar_table().get(year)
    return known if known is not None else compute_lunar_festivals(year)


@cache
def compute_lunar_festivals(year: int) -> LunarFestivals:
    """The same four dates computed with lunar_python (about 30 ms for a year; imported only here)."""
    from lunar_python import Lunar, Solar

    def solar_of(month: int, day: int) -> date:
        solar = Lunar.fromYmd(year, month, day).getSolar()
        return date(solar.getYear(), solar.getMonth(), solar.getDay())

    term = Solar.fromYmd(year, 6, 1).getLunar().getJieQiTable()["清明"]
    return LunarFestivals(
        new_years_eve=solar_of(1, 1) - timedelta(days=1),
        qingming=date(term.getYear(), term.getMonth(), term.getDay()),
        dragon_boat=solar_of(5, 5),
        mid_autumn=solar_of(8, 15),
    )


def statutory_days(year: int) -> list[tuple[date, str]]:
    """The days off the law fixes for every year, one entry per day of holiday (13 in all).

    元旦 1 (1月1日), 春节 4 (除夕至初三), 清明 1, 劳动节 2 (5月1日、2日), 端午 1, 中秋 1, 国庆节 3 (10月1日至3日).
    Names as chinese-calendar spells them. Two holidays may fall on the same date (中秋 on 10月1日).
    """
    lunar = lunar_festivals(year)
    days = [(date(year, 1, 1), "元旦")]
    days += [(lunar.new_years_eve + timedelta(days=i), "春节") for i in range(4)]
    days += [(lunar.qingming, "清明"), (date(year, 5, 1), "劳动节"), (date(year, 5, 2), "劳动节")]
    days += [(lunar.dragon_boat, "端午"), (lunar.mid_autumn, "中秋")]
    days += [(date(year, 10, i), "国庆节") for i in (1, 2, 3)]
    return days


@cache
def _provisional_holidays(year: int) -> tuple[tuple[date, str], ...]:
    rest: dict[date, str] = {}
    owed: list[tuple[date, str]] = []
    for day, name in sorted(statutory_days(year)):
        if day in rest:
            owed.append((day, name))
            continue
        rest[day] = name
        if day.weekday() >= 5:
            owed.append((day, name))
    for day, name in owed:
        substitute = day + timedelta(days=1)
        while substitute.weekday() >= 5 or substitute in rest:
            substitute += timedelta(days=1)
        rest[substitute] = f"{name}补假"
    return tuple(sorted(rest.items()))


def provisional_holidays(year: int) -> dict[date, str]:
    """A year's rest days (besides weekends) when its State Council notice is not yet known.

    The statutory holidays, plus 补假: the law (第六条) says a holiday that falls on a Saturday or
    Sunday, or on another holiday, is made up on a working day. Which working day is the State
    Council's choice; fupin takes the first working days after the holiday. No make-up working days
    (调休上班) are guessed.
    """
    return dict(_provisional_holidays(year))


# ---------------------------------------------------------------------------------------------------
# chinese-calendar's tables
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PackageData:
    version: str
    years: range
    holidays: Mapping[int, Mapping[date, str]]
    """Per year: rest days and their Chinese holiday names."""
    workdays: Mapping[int, Mapping[date, str]]
    """Per year: make-up working days and the holiday they make up for (国庆节调休)."""

    @property
    def label(self) -> str:
        return f"{PACKAGE} {self.version}"


@cache
def package_data() -> PackageData:
    """chinese-calendar's holidays and workdays, read once, with Chinese names."""
    from chinese_calendar import constants

    chinese = {holiday.value: holiday.chinese for holiday in constants.Holiday}
    holidays: dict[int, dict[date, str]] = {}
    workdays: dict[int, dict[date, str]] = {}
    for day, english in constants.holidays.items():
        holidays.setdefault(day.year, {})[day] = chinese.get(english, english)
    for day, english in constants.workdays.items():
        workdays.setdefault(day.year, {})[day] = f"{chinese.get(english, english)}调休"
    years = range(min(holidays), max(holidays) + 1) if holidays else range(0)
    return PackageData(version=_package_version(), years=years, holidays=holidays, workdays=workdays)


def _package_version() -> str:
    """The installed chinese-calendar's version.

    Its own `__version__` first: importing importlib.metadata costs about 30 ms, which every command
    that loads the calendar would pay. The distribution's metadata is asked only when that is missing.
    """
    import chinese_calendar

    version = getattr(chinese_calendar, "__version__", None)
    if isinstance(version, str) and version:
        return version
    from importlib import metadata

    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return "?"
