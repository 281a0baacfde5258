"""The fictional demo: its own SQLite file (demo.db beside the default database), built all or nothing.

Every title starts with 演示 and the villages are marked 虚构 in their file: nothing here is real.
The story is the plan of fupin_cli.domain.demo, dated in working days back from today, so it loads
on every day of the year. The file is built under a temporary name in the same folder and moved into
place only when complete; a failure leaves nothing behind. Loading twice adds nothing.
"""

import os
import secrets
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from fupin_cli.domain.errors import RuleViolationError
from fupin_cli.settings import Settings, database_files

if TYPE_CHECKING:
    from fupin_cli.storage.unit_of_work import UnitOfWork

DEMO_KEY = "demo"
DEMO_DB_NAME = "demo.db"
ALREADY = "演示数据早已载入，未重复添加"


def demo_path(home: Path) -> Path:
    """The demo's own database file: demo.db beside the default fupin.db."""
    return home / DEMO_DB_NAME


def ensure(settings: Settings) -> str | None:
    """Build the demo database that `settings.db` names when it does not exist yet; the summary, or None."""
    path = database_files(settings.db)[0]
    if path.exists():
        return None
    return "\n".join(build(settings))


def load_into(settings: Settings) -> list[str]:
    """`init --demo`: the demo into the database settings.db names, if it holds no records yet.

    An SQLite file is built beside itself and moved into place; a PostgreSQL database receives a
    finished demo file by `db copy`, in one transaction: either way all or nothing.
    """
    files = database_files(settings.db)
    if not files or (files[0].exists() and files[0].stat().st_size > 0):
        from fupin_cli.services.unit_of_work import opened
        from fupin_cli.storage import maintenance, reference

        with opened(settings) as database, database.read() as conn:
            if DEMO_KEY in reference.stored_digests(conn):
                return [f"数据库：{database.location.shown}", ALREADY]
            if maintenance.holds_records(conn):
                raise RuleViolationError(
                    f"{database.location.shown} 已有督查事项记录，不能载入演示数据：请另给一个新文件，或不带 --db 使用 demo.db"
                )
    return build(settings) if files else _build_and_copy(settings)


def _build_and_copy(settings: Settings) -> list[str]:
    """Into a PostgreSQL database: built in a temporary SQLite file, then copied in one transaction."""
    from fupin_cli.services.copying import copy_database

    temporary = settings.home / f".demo.{os.getpid()}.{secrets.token_hex(4)}.db"
    building = replace(settings, db=str(temporary))
    try:
        lines = build(building)[1:]
        report = copy_database(settings=building, target=settings.db)
    finally:
        for leftover in database_files(str(temporary)):
            leftover.unlink(missing_ok=True)
    return [f"演示数据已载入：{report.destination}", *lines]


def build(settings: Settings) -> list[str]:
    """Build the whole demo in a temporary file beside settings.db, then move it into place."""
    from fupin_cli.services.unit_of_work import unit_of_work
    from fupin_cli.storage import maintenance

    target = database_files(settings.db)[0]
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    building = replace(settings, db=str(temporary))
    try:
        with unit_of_work(building) as uow:  # the whole demo in one transaction
            lines = _load(uow, building)
        maintenance.checkpoint(temporary)
        os.replace(temporary, target)
    finally:
        for leftover in database_files(str(temporary)):
            leftover.unlink(missing_ok=True)
    return [f"演示数据库已建立：{target}", *lines]


def _load(uow: "UnitOfWork", settings: Settings) -> list[str]:
    from fupin_cli.domain import demo as story
    from fupin_cli.services import case_steps as cases
    from fupin_cli.services.calendar import load_calendar
    from fupin_cli.storage import reference

    lines = _demo_villages(uow, settings)
    numbers = []
    for item in story.plan(load_calendar(settings), settings.today):
        no = cases.open_case(
            uow,
            settings=settings,
            title=item.title,
            category=item.category,
            source=item.source,
            major=item.major,
            classified=item.classified,
            paper_location=item.paper_location,
            on=item.opened,
        ).no
        numbers.append(no)
        if item.approved:
            cases.approve_case(uow, settings=settings, number=no, approver="演示·王主任", on=item.approved)
        if item.assigned and item.unit:
            cases.assign_case(uow, settings=settings, number=no, unit=item.unit, on=item.assigned)
        if item.accepted:
            cases.accept_case(uow, settings=settings, number=no, unit_ref=item.unit_ref, on=item.accepted)
        if item.extended:
            cases.extend_case(
                uow,
                settings=settings,
                number=no,
                workdays=story.DEMO_EXTENSION_WORKDAYS,
                reason="演示：涉及多个村，需补充核查",
                approver="演示·王主任",
                on=item.extended,
            )
        if item.feedback:
            cases.feedback_case(uow, settings=settings, number=no, report="演示：已核实，整改完毕", on=item.feedback)
        if item.archived:
            cases.archive_case(uow, settings=settings, number=no, location="演示·档案室 A-1", on=item.archived)
    reference.remember(uow.session, name=DEMO_KEY, digest=settings.today.isoformat())
    return [*lines, f"演示督查事项：{len(numbers)} 件（{numbers[0]} 至 {numbers[-1]}），标题均以「演示」开头"]


def _demo_villages(uow: "UnitOfWork", settings: Settings) -> list[str]:
    from fupin_cli.services import check_villages

    return [str(check_villages.load_demo_villages(uow, settings=settings))]
