"""The working-day calendar as the office uses it: where its data comes from, and override files.

Data, in order, each layer over the one before:
1. chinese-calendar's `holidays` and `workdays` tables (read once per process);
2. the override files shipped with fupin, `data/holidays/YYYY.toml` (the 2005-12-31 correction);
3. the files the office imported with `fupin cal import`, in the user's fupin folder (`holidays/`).
A full file replaces a year's data; a `patch = true` file changes only the days it names.
Years that no layer covers, up to ten years after the last year with data, are **provisional**:
weekends plus the statutory holidays that 全国年节及纪念日放假办法 (2024) fixes for every year.
"""

import os
import re
import tempfile
import tomllib
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from pathlib import Path

from fupin_cli.domain.calendar import FIRST_YEAR, CalendarDay, Deadline, WorkCalendar, YearInfo
from fupin_cli.domain.errors import BadFileError
from fupin_cli.services.files import parse_toml, read_bounded
from fupin_cli.settings import Settings, data_dir

PACKAGE = "chinese-calendar"
YEARS_AHEAD = 10
"""How many years after the last year with data the calendar reaches (those years are provisional)."""
LAST_FILE_YEAR = 2090
SANE_WORKDAYS = range(240, 256)
"""Working days a year may have: every year 2004–2026 had 248–252."""
PROVISIONAL_SOURCE = "暂定（按法定节假日推算）"
_YEAR_FILE = re.compile(r"(?P<year>\d{4})\.toml")
_FILE_KEYS = ("year", "source", "patch", "holidays", "workdays")

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


# ---------------------------------------------------------------------------------------------------
# Override files
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverrideFile:
    path: Path
    year: int
    source: str
    patch: bool
    holidays: tuple[date, ...]
    workdays: tuple[date, ...]
    text: str
    """The file as read; `fupin cal import` copies exactly this."""


class _FileProblem:
    """Builds the one-line refusal for a file: name, line, reason."""

    def __init__(self, shown: str, text: str) -> None:
        self.shown = shown
        self.lines = text.splitlines()

    def at(self, line: int | None, reason: str) -> BadFileError:
        where = f"第 {line} 行：" if line else ""
        return BadFileError(f"假日文件 {self.shown} {where}{reason}")

    def line_of(self, key: str, needle: str | None = None) -> int | None:
        """The line where `key = …` starts, or where `needle` first appears from there on."""
        pattern = re.compile(rf"\s*{re.escape(key)}\s*=")
        table = f"[{key}"
        start = next(
            (i for i, line in enumerate(self.lines) if pattern.match(line) or line.strip().startswith(table)),
            None,
        )
        if start is None:
            return None
        if needle is not None:
            for i in range(start, len(self.lines)):
                if needle in self.lines[i].split("#", 1)[0]:
                    return i + 1
        return start + 1


def validate_override(path: Path, *, for_import: bool = True) -> OverrideFile:
    """Read and check one override year file; raise BadFileError naming the line at fault.

    With `for_import` (the default), also the rules about chinese-calendar's years: a full file may
    not replace a year the package covers (say `patch = true`), and a patch may only name such a
    year. Files already in place are loaded without those two rules, because the package may have
    been upgraded since they were imported.
    """
    raw = _read_text(path)
    # A file being imported is named as the user gave it; one already in place, by its full path.
    problem = _FileProblem(path.name if for_import else str(path), raw)
    try:
        document = parse_toml(raw, name=f"假日文件 {problem.shown}")
    except tomllib.TOMLDecodeError as error:
        detail = str(error)
        found = re.search(r"at line (\d+)", detail)
        line = int(found.group(1)) if found else max(len(problem.lines), 1)
        reason = re.sub(r"\s*\(at [^)]*\)", "", detail)
        raise problem.at(line, f"TOML 格式错误（{reason}）") from None

    for key in document:
        if key not in _FILE_KEYS:
            raise problem.at(problem.line_of(key), f"未知的项「{key}」（可用的项：{'、'.join(_FILE_KEYS)}）")

    year = document.get("year")
    if year is None:
        raise problem.at(None, "缺少 year（例如 year = 2027）")
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_FILE_YEAR:
        raise problem.at(problem.line_of("year"), f"year 应为 {FIRST_YEAR} 到 {LAST_FILE_YEAR} 之间的年份")
    source = document.get("source")
    if source is None:
        raise problem.at(None, "缺少 source：请写明国务院办公厅通知的文号或网址")
    if not isinstance(source, str) or not source.strip():
        raise problem.at(problem.line_of("source"), "source 不能为空：请写明国务院办公厅通知的文号或网址")
    patch = document.get("patch", False)
    if not isinstance(patch, bool):
        raise problem.at(problem.line_of("patch"), "patch 只能写 true 或 false")

    holidays = _dates(document, "holidays", year, problem)
    workdays = _dates(document, "workdays", year, problem)
    for day, needle in workdays:
        if day.weekday() < 5:
            raise problem.at(
                problem.line_of("workdays", needle),
                f"补班日 {day.isoformat()} 是{_WEEKDAYS[day.weekday()]}：调休上班只能安排在星期六或星期日",
            )
    rest_days = {day for day, _ in holidays}
    for day, needle in workdays:
        if day in rest_days:
            raise problem.at(
                problem.line_of("workdays", needle), f"{day.isoformat()} 既列在 holidays 又列在 workdays"
            )

    parsed = OverrideFile(
        path=path,
        year=year,
        source=source.strip(),
        patch=patch,
        holidays=tuple(sorted(rest_days)),
        workdays=tuple(sorted({day for day, _ in workdays})),
        text=raw,
    )
    package = package_data()
    if for_import and not patch and year in package.years:
        raise problem.at(
            problem.line_of("year"),
            f"{package.label} 已收录 {year} 年；只改个别日期时请写 patch = true，并只列出要改的日期",
        )
    if for_import and patch and year not in package.years:
        raise problem.at(
            problem.line_of("patch"),
            f"{package.label} 未收录 {year} 年，不能打补丁：请去掉 patch，列出全年的放假和调休安排",
        )
    count = _workdays_in_year(parsed, package)
    if count not in SANE_WORKDAYS:
        raise problem.at(
            problem.line_of("holidays") or problem.line_of("year"),
            f"{year} 年按此文件共有 {count} 个工作日，不在合理范围 "
            f"{SANE_WORKDAYS.start}–{SANE_WORKDAYS.stop - 1} 内：请核对放假和调休日期",
        )
    return parsed


_WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


MAX_HOLIDAY_FILE_BYTES = 1024 * 1024
"""A year's holiday file is a few hundred bytes; a megabyte is not a holiday file."""


def _read_text(path: Path) -> str:
    raw = read_bounded(path, limit=MAX_HOLIDAY_FILE_BYTES, what="假日文件", folder_word="目录")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise BadFileError(f"假日文件 {path.name} 第 {line} 行：不是 UTF-8 编码的文本") from None


def _dates(
    document: Mapping[str, object], key: str, year: int, problem: _FileProblem
) -> list[tuple[date, str]]:
    """The dates listed under `key`, each with the text to look for when naming its line."""
    entries = document.get(key, [])
    if not isinstance(entries, list):
        raise problem.at(
            problem.line_of(key), f'{key} 应为日期列表，例如 ["{year}-01-01", "{year}-02-05..{year}-02-11"]'
        )
    found: list[tuple[date, str]] = []
    for entry in entries:
        if isinstance(entry, date) and not isinstance(entry, datetime):
            days, needle = [entry], entry.isoformat()
        elif isinstance(entry, str):
            days, needle = _parse_entry(entry, key, problem), entry
        else:
            raise problem.at(problem.line_of(key), f'{key} 中的「{entry}」不是日期：请写成 "{year}-10-01"')
        for day in days:
            if day.year != year:
                raise problem.at(
                    problem.line_of(key, needle), f"{key} 中的 {day.isoformat()} 不在文件的年份 {year} 年内"
                )
        found.extend((day, needle) for day in days)
    return found


def _parse_entry(entry: str, key: str, problem: _FileProblem) -> list[date]:
    first, separator, last = entry.strip().partition("..")
    try:
        start = date.fromisoformat(first.strip())
        end = date.fromisoformat(last.strip()) if separator else start
    except ValueError:
        raise problem.at(
            problem.line_of(key, entry),
            f"{key} 中的「{entry}」不是日期：请写成 2027-10-01 或 2027-10-01..2027-10-07",
        ) from None
    if end < start:
        raise problem.at(problem.line_of(key, entry), f"{key} 中的范围「{entry}」起日晚于止日")
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def _workdays_in_year(parsed: OverrideFile, package: PackageData) -> int:
    """Working days the year would have with this file (over the package's data when a patch)."""
    if parsed.patch:
        if parsed.year in package.years:
            rest = dict(package.holidays.get(parsed.year, {}))
            work = dict(package.workdays.get(parsed.year, {}))
        else:
            rest, work = provisional_holidays(parsed.year), {}
        _apply_patch(rest, work, parsed, names={})
    else:
        rest = dict.fromkeys(parsed.holidays, "")
        work = dict.fromkeys(parsed.workdays, "")
    first = date(parsed.year, 1, 1)
    weeks, extra = divmod((date(parsed.year + 1, 1, 1) - first).days, 7)
    weekdays = 5 * weeks + sum(1 for i in range(extra) if (first.weekday() + i) % 7 < 5)
    rest_weekdays = sum(1 for day in rest if day.weekday() < 5 and day not in work)
    makeup = sum(1 for day in work if day.weekday() >= 5)
    return weekdays - rest_weekdays + makeup


def _apply_patch(
    rest: dict[date, str], work: dict[date, str], patch: OverrideFile, names: Mapping[date, str]
) -> None:
    for day in patch.holidays:
        work.pop(day, None)
        rest[day] = names.get(day, "")
    for day in patch.workdays:
        rest.pop(day, None)
        work[day] = ""


def _name_holidays(days: Sequence[date], year: int, known: Mapping[date, str]) -> dict[date, str]:
    """Names for rest days listed in a file: each run of consecutive days is named after the statutory
    holidays inside it (国庆节、中秋), else after a holiday next to it, else 调休放假."""
    statutory: dict[date, list[str]] = {}
    for day, name in statutory_days(year):
        statutory.setdefault(day, []).append(name)
    names: dict[date, str] = {}
    runs: list[list[date]] = []
    for day in sorted(days):
        if runs and day - runs[-1][-1] == timedelta(days=1):
            runs[-1].append(day)
        else:
            runs.append([day])
    for run in runs:
        inside = list(dict.fromkeys(name for day in run for name in statutory.get(day, [])))
        if inside:
            label = "、".join(inside)
        else:
            label = (
                known.get(run[0] - timedelta(days=1)) or known.get(run[-1] + timedelta(days=1)) or "调休放假"
            )
        names.update(dict.fromkeys(run, label))
    return names


def _name_makeup_days(work: dict[date, str], rest: Mapping[date, str]) -> None:
    """Fill in unnamed make-up days with the nearest holiday's name (2005-12-31 → 元旦调休)."""
    ordered = sorted(rest)
    for day, name in work.items():
        if name or not ordered:
            continue
        at = bisect_left(ordered, day)
        nearby = [ordered[i] for i in (at - 1, at) if 0 <= i < len(ordered)]
        nearest = min(nearby, key=lambda other: abs((other - day).days))
        work[day] = f"{rest[nearest].removesuffix('补假')}调休"


def _override_files(directory: Path) -> list[OverrideFile]:
    """The YYYY.toml files of one folder, checked, in year order; other files are ignored."""
    try:
        names = sorted(entry.name for entry in os.scandir(directory) if _YEAR_FILE.fullmatch(entry.name))
    except (FileNotFoundError, NotADirectoryError):
        return []
    files = []
    for name in names:
        parsed = validate_override(directory / name, for_import=False)
        if name != f"{parsed.year}.toml":
            raise BadFileError(
                f"假日文件 {directory / name}：文件名应为 {parsed.year}.toml，与其中的 year 一致"
            )
        files.append(parsed)
    return files


# ---------------------------------------------------------------------------------------------------
# Building and loading the calendar
# ---------------------------------------------------------------------------------------------------


def build_calendar(
    *,
    holiday_dirs: Sequence[Path] = (),
    last_year: int | None = None,
    exclude_package_years: Iterable[int] = (),
) -> WorkCalendar:
    """The calendar from chinese-calendar, then the override files of each folder in order.

    `last_year` defaults to ten years after the last year with data. `exclude_package_years` leaves
    chinese-calendar's data for those years out, as if the package did not cover them (for tests).
    """
    package = package_data()
    excluded = set(exclude_package_years)
    package_years = {year for year in package.years if year not in excluded}
    files: dict[int, list[OverrideFile]] = {}
    for directory in holiday_dirs:
        for parsed in _override_files(Path(directory)):
            files.setdefault(parsed.year, []).append(parsed)
    latest = max(package_years | set(files), default=FIRST_YEAR)
    end = last_year if last_year is not None else latest + YEARS_AHEAD

    holidays: dict[date, str] = {}
    workdays: dict[date, str] = {}
    sources: dict[int, str] = {}
    provisional: list[int] = []
    for year in range(FIRST_YEAR, end + 1):
        if year in package_years:
            rest = dict(package.holidays.get(year, {}))
            work = dict(package.workdays.get(year, {}))
            source, estimated = package.label, False
        else:
            rest, work = provisional_holidays(year), {}
            source, estimated = PROVISIONAL_SOURCE, True
        for parsed in files.get(year, []):
            if parsed.patch:
                _apply_patch(rest, work, parsed, _name_holidays(parsed.holidays, year, rest))
                source = f"{source} + 补丁 {parsed.path.name}（{parsed.source}）"
            else:
                rest = _name_holidays(parsed.holidays, year, {})
                work = dict.fromkeys(parsed.workdays, "")
                source, estimated = f"覆盖文件 {parsed.path.name}（{parsed.source}）", False
        holidays.update(rest)
        workdays.update(work)
        sources[year] = source
        if estimated:
            provisional.append(year)
    _name_makeup_days(workdays, holidays)
    return WorkCalendar(
        holidays=holidays, workdays=workdays, sources=sources, provisional_years=provisional, last_year=end
    )


def holiday_dirs(settings: Settings) -> tuple[Path, Path]:
    """The shipped override files, then the office's imported ones (these win)."""
    return (data_dir() / "holidays", settings.holiday_dir)


def load_calendar(settings: Settings) -> WorkCalendar:
    """The calendar for this run; built once per process and rebuilt when an override file changes."""
    key = tuple((directory, _folder_signature(directory)) for directory in holiday_dirs(settings))
    return _calendar_for(key)


@lru_cache(maxsize=8)
def _calendar_for(key: tuple[tuple[Path, tuple[tuple[str, int, int, int], ...]], ...]) -> WorkCalendar:
    return build_calendar(holiday_dirs=[directory for directory, _ in key])


def _folder_signature(directory: Path) -> tuple[tuple[str, int, int, int], ...]:
    try:
        with os.scandir(directory) as entries:
            found = []
            for entry in entries:
                if _YEAR_FILE.fullmatch(entry.name):
                    stat = entry.stat()
                    found.append((entry.name, stat.st_mtime_ns, stat.st_size, stat.st_ino))
    except (FileNotFoundError, NotADirectoryError):
        return ()
    return tuple(sorted(found))


# ---------------------------------------------------------------------------------------------------
# What the commands ask
# ---------------------------------------------------------------------------------------------------


def deadline(settings: Settings, *, start: date, workdays: int) -> Deadline:
    """The `workdays`-th working day after `start`."""
    return load_calendar(settings).deadline(start, workdays)


@dataclass(frozen=True)
class Span:
    start: date
    end: date
    workdays: int
    provisional_years: tuple[int, ...]

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)


def between(settings: Settings, *, start: date, end: date) -> Span:
    """Working days after `start` up to and including `end` (negative when `end` is earlier)."""
    calendar = load_calendar(settings)
    return Span(
        start=start,
        end=end,
        workdays=calendar.between(start, end),
        provisional_years=calendar.touches_provisional(start, end),
    )


@dataclass(frozen=True)
class MonthView:
    year: int
    month: int
    days: tuple[CalendarDay, ...]
    provisional: bool
    source: str
    today: date


def month(settings: Settings, *, year: int, month: int) -> MonthView:
    calendar = load_calendar(settings)
    return MonthView(
        year=year,
        month=month,
        days=calendar.month_days(year, month),
        provisional=calendar.is_provisional(year),
        source=calendar.source_of(year),
        today=settings.today,
    )


@dataclass(frozen=True)
class CalendarStatus:
    first_day: date
    last_day: date
    package: str
    package_years: range
    years: tuple[YearInfo, ...]
    files: tuple[Path, ...]
    """The override files in use, shipped ones first."""

    @property
    def provisional_years(self) -> tuple[int, ...]:
        return tuple(info.year for info in self.years if info.provisional)


def calendar_status(settings: Settings) -> CalendarStatus:
    calendar = load_calendar(settings)
    package = package_data()
    files = tuple(
        directory / name for directory in holiday_dirs(settings) for name, *_ in _folder_signature(directory)
    )
    return CalendarStatus(
        first_day=calendar.first_day,
        last_day=calendar.last_day,
        package=package.label,
        package_years=package.years,
        years=calendar.years,
        files=files,
    )


@dataclass(frozen=True)
class ImportResult:
    year: int
    source: str
    patch: bool
    path: Path
    """Where the file now lives."""
    replaced: bool
    """An earlier imported file for the same year was replaced."""
    was_provisional: bool
    workdays: int
    """Working days in that year from now on."""


def import_override(settings: Settings, path: Path) -> ImportResult:
    """Check an override year file and copy it into the user's holiday folder; a bad file changes nothing."""
    parsed = validate_override(Path(path))
    shipped, target_dir = holiday_dirs(settings)
    target = target_dir / f"{parsed.year}.toml"
    replaced = target.exists()
    was_provisional = parsed.year not in package_data().years and not replaced
    was_provisional = was_provisional and not (shipped / target.name).exists()
    _write_atomically(target, parsed.text)
    return ImportResult(
        year=parsed.year,
        source=parsed.source,
        patch=parsed.patch,
        path=target,
        replaced=replaced,
        was_provisional=was_provisional,
        workdays=_workdays_in_year(parsed, package_data()),
    )


def _write_atomically(target: Path, text: str) -> None:
    """Write to a temporary file beside `target`, then rename it over `target` in one step."""
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


CALENDAR_KEY = "calendar"
"""The reference_file row holding the fingerprint of the calendar the stored deadlines were checked on."""


def calendar_fingerprint(calendar: WorkCalendar) -> str:
    """Which source decides each year: changes when a year is imported or chinese-calendar upgraded."""
    import hashlib

    described = "\n".join(f"{info.year}:{info.provisional}:{info.source}" for info in calendar.years)
    return hashlib.sha256(described.encode("utf-8")).hexdigest()


def rest_day_remark(settings: Settings, day: date) -> str | None:
    """One warning line when a step is dated on a rest day (the step is still recorded), else None."""
    from fupin_cli.domain.calendar import DayKind, weekday_name

    calendar = load_calendar(settings)
    if not calendar.first_day <= day <= calendar.last_day:
        return None
    described = calendar.describe(day)
    if described.kind is DayKind.HOLIDAY:
        what = f"节假日（{described.name}）" if described.name else "节假日"
    elif described.kind is DayKind.WEEKEND:
        what = f"休息日（{weekday_name(day)}）"
    else:
        return None
    return f"注意：{day} 是{what}，已照常登记；如日期有误，请核对后更正"
