"""`fupin cal recheck` and `fupin cal import`: recompute the stored deadlines that were computed on a
provisional year, on purpose (every write command's unit of work does it first when the calendar
changed, see services.recheck)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from fupin_cli.domain.calendar import WorkCalendar
from fupin_cli.domain.errors import FupinError
from fupin_cli.services.calendar import ImportResult, import_override, load_calendar
from fupin_cli.services.recheck import DeadlineChange, recheck_in
from fupin_cli.settings import Settings

if TYPE_CHECKING:
    from fupin_cli.storage.unit_of_work import UnitOfWork


def recheck(
    uow: UnitOfWork, *, settings: Settings, calendar: WorkCalendar | None = None
) -> list[DeadlineChange]:
    """Recompute every stored provisional deadline on the current calendar; list and audit the changes.

    `calendar` defaults to the calendar `settings` loads (pass one to recheck against another).
    """
    if calendar is None:
        calendar = load_calendar(settings)
    return recheck_in(uow, calendar=calendar, today=settings.today)


def import_calendar_year(uow: UnitOfWork, *, settings: Settings, path: Path) -> tuple[ImportResult, list[DeadlineChange]]:
    """`fupin cal import`: validate and install a year's schedule, then recheck provisional deadlines."""
    result = import_override(settings, path)
    try:
        changes = recheck(uow, settings=settings, calendar=load_calendar(settings))
    except FupinError as refusal:
        raise FupinError(
            f"已导入 {result.year} 年放假安排，但重算暂定期限失败：{refusal.message}；排除后请运行 fupin cal recheck"
        ) from None
    return result, changes
