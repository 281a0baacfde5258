"""`fupin cal recheck` and `fupin cal import`: recompute the stored deadlines that were computed on a
provisional year, on purpose (the first write of any command does it too, see services.recheck)."""

from pathlib import Path

from fupin_cli.domain.calendar import WorkCalendar
from fupin_cli.domain.errors import FupinError
from fupin_cli.services.calendar import ImportResult, import_override, load_calendar
from fupin_cli.services.database import connect
from fupin_cli.services.recheck import DeadlineChange, recheck_in
from fupin_cli.settings import Settings


def recheck(
    *, settings: Settings, operator: str, calendar: WorkCalendar | None = None
) -> list[DeadlineChange]:
    """Recompute every stored provisional deadline on the current calendar; list and audit the changes.

    `calendar` defaults to the calendar `settings` loads (pass one to recheck against another).
    """
    if calendar is None:
        calendar = load_calendar(settings)
    database = connect(settings, recheck_calendar=False)
    try:
        with database.write() as session:
            return recheck_in(session, calendar=calendar, operator=operator, today=settings.today)
    finally:
        database.dispose()


def import_calendar_year(*, settings: Settings, path: Path) -> tuple[ImportResult, list[DeadlineChange]]:
    """`fupin cal import`: validate and install a year's schedule, then recheck provisional deadlines."""
    result = import_override(settings, path)
    try:
        changes = recheck(settings=settings, operator=settings.user, calendar=load_calendar(settings))
    except FupinError as refusal:
        raise FupinError(
            f"已导入 {result.year} 年放假安排，但重算暂定期限失败：{refusal.message}；排除后请运行 fupin cal recheck"
        ) from None
    return result, changes
