"""The leaders' digest (`fupin report digest`): the overdue and due-soon reports, stats by unit and by
month, and the inspections' coverage, all as of one day, from the same services as the reports."""

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from fupin_cli.domain.errors import FupinError
from fupin_cli.domain.reports import Step
from fupin_cli.services.calendar import load_calendar
from fupin_cli.services.database import reading
from fupin_cli.services.reports import (
    OPEN_STATES,
    OpenItemsReport,
    StatsReport,
    due_soon_report,
    overdue_report,
    stats_report,
)
from fupin_cli.settings import Settings
from fupin_cli.storage import reports as queries


@dataclass(frozen=True)
class Digest:
    """The leaders' page: the overdue and due-soon reports, stats by unit and by month, coverage."""

    as_of: date
    year: int
    office: str
    backend: str
    open_count: int
    overdue: OpenItemsReport
    due_soon: OpenItemsReport
    by_unit: StatsReport
    by_month: StatsReport
    coverage: Any
    """services.checks.CoverageReport, or None when the year is outside the inspections' range."""
    coverage_note: str
    provisional_years: tuple[int, ...]

    @property
    def urge_count(self) -> int:
        return sum(1 for item in self.overdue.items if item.suggested_step is Step.URGE)

    @property
    def notify_count(self) -> int:
        return sum(1 for item in self.overdue.items if item.suggested_step is Step.NOTIFY)


def _office() -> str:
    from fupin_cli.services.office import office_name

    try:
        return office_name()
    except FupinError:
        return ""


def digest_report(*, settings: Settings, as_of: date | None = None, year: int | None = None) -> Digest:
    """Everything the digest shows, as of one day: the same services as `report overdue/due-soon/stats`."""
    from fupin_cli.services.check_coverage import coverage

    day = as_of or settings.today
    chosen = year or day.year
    dated = replace(settings, today=day)
    overdue = overdue_report(settings=dated, as_of=day)
    due_soon = due_soon_report(settings=dated, as_of=day)
    by_unit = stats_report(settings=dated, year=chosen, by="unit")
    months = day.year * 12 + day.month - 1 - 11  # the twelve months ending with as_of's
    first_month = date(months // 12, months % 12 + 1, 1)
    by_month = stats_report(settings=dated, start=first_month, end=day, by="month")
    with reading(dated) as conn:
        open_count = sum(1 for _ in queries.iter_open_cases(conn, states=[str(s) for s in OPEN_STATES]))
    try:
        covered, note = coverage(settings=dated, year=chosen), ""
    except FupinError as refusal:
        covered, note = None, str(refusal)
    calendar = load_calendar(dated)
    provisional = tuple(calendar.touches_provisional(date(chosen, 1, 1), max(day, date(chosen, 12, 31))))
    backend = "PostgreSQL" if settings.db.startswith("postgresql") else "SQLite"
    return Digest(
        as_of=day, year=chosen, office=_office(), backend=backend, open_count=open_count, overdue=overdue,
        due_soon=due_soon, by_unit=by_unit, by_month=by_month, coverage=covered, coverage_note=note,
        provisional_years=provisional,
    )  # fmt: skip
