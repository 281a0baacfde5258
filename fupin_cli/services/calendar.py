"""The working-day calendar as the office uses it: loaded for a run, asked by the `fupin cal` commands,
and a year's file imported.

Data, in order, each layer over the one before:
1. chinese-calendar's `holidays` and `workdays` tables (read once per process; services.holiday_sources);
2. the override files shipped with fupin, `data/holidays/YYYY.toml` (the 2005-12-31 correction);
3. the files the office imported with `fupin cal import`, in the user's fupin folder (`holidays/`).
Files are read and the calendar built in services.holiday_files. Years that no layer covers, up to ten
years after the last year with data, are **provisional**: weekends plus the statutory holidays that
全国年节及纪念日放假办法 (2024) fixes for every year (services.holiday_sources).
"""

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from fupin_cli.domain.calendar import CalendarDay, Deadline, WorkCalendar, YearInfo
from fupin_cli.services.holiday_files import YEAR_FILE, build_calendar, validate_override, workdays_in_year
from fupin_cli.services.holiday_sources import package_data
from fupin_cli.settings import Settings, data_dir


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
                if YEAR_FILE.fullmatch(entry.name):
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
        workdays=workdays_in_year(parsed, package_data()),
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


def calendar_is_current(stored_digests: Mapping[str, str], calendar: WorkCalendar) -> bool:
    """True when the stored deadlines were last rechecked on exactly this calendar."""
    return stored_digests.get(CALENDAR_KEY) == calendar_fingerprint(calendar)


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
