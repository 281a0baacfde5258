"""Holiday override files (`YYYY.toml`): read, validated line by line, and laid over chinese-calendar's
tables to build the calendar. A full file replaces a year's data; a `patch = true` file changes only
the days it names.
"""

import os
import re
import tomllib
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from fupin_cli.domain.calendar import FIRST_YEAR, WorkCalendar
from fupin_cli.domain.errors import BadFileError
from fupin_cli.services.files import parse_toml, read_bounded
from fupin_cli.services.holiday_sources import PackageData, package_data, provisional_holidays, statutory_days

YEARS_AHEAD = 10
"""How many years after the last year with data the calendar reaches (those years are provisional)."""
LAST_FILE_YEAR = 2090
SANE_WORKDAYS = range(240, 256)
"""Working days a year may have: every year 2004–2026 had 248–252."""
PROVISIONAL_SOURCE = "暂定（按法定节假日推算）"
YEAR_FILE = re.compile(r"(?P<year>\d{4})\.toml")
_FILE_KEYS = ("year", "source", "patch", "holidays", "workdays")

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
    count = workdays_in_year(parsed, package)
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


def workdays_in_year(parsed: OverrideFile, package: PackageData) -> int:
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
        names = sorted(entry.name for entry in os.scandir(directory) if YEAR_FILE.fullmatch(entry.name))
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
