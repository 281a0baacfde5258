"""The database a command works on: opened, migrated, and its reference data current.

Two ways in. `connect` is the full path (SQLAlchemy): it creates, migrates and reloads reference
data as needed, and every write goes through it inside a unit of work (services.unit_of_work);
opening writes no audit event. The unit of work rechecks the provisional deadlines first, in its
transaction, when the calendar changed since the last recheck (services.recheck). `reading` is the
one way every read command comes in: the driver alone (storage.plain), never writing — a database
not yet made or migrated is refused with the command that prepares it (fupin init), and changed
reference data or calendar are warned about in one line, the reload and the recheck left to the
next write.
"""

import hashlib
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from fupin_cli.domain.errors import CalendarChangedWarning, DatabaseError, ReferenceChangedWarning
from fupin_cli.settings import DUTIES_FILE, UNITS_FILE, Settings, data_dir
from fupin_cli.storage import plain, versions
from fupin_cli.storage.location import locate, refuse_if_not_fupin

if TYPE_CHECKING:
    from fupin_cli.storage.db import Database


def connect(settings: Settings) -> "Database":
    """Open --db (creating the default file and folder privately on first use), then make sure the
    units and the duty registry in it match the shipped files, reloading them when a file changed.
    Only services.unit_of_work calls it (and `reading`, to bring an old database up to date): the
    unit of work of a write command rechecks the calendar first."""
    from fupin_cli.storage.db import WRITES, open_database

    WRITES.upkeep = True  # not the user's step: after Ctrl-C only the step's own writes are told
    try:
        database = open_database(settings.db, private_folder=settings.is_default_db)
        sync_reference_data(database)
    finally:
        WRITES.upkeep = False
    return database


def _unit_rows() -> list[Mapping[str, Any]]:
    from fupin_cli.services import duties

    return [
        {
            "name": unit.name,
            "short_name": unit.short_name,
            "kind": str(unit.kind),
            "county": unit.county,
            "ordering": position,
        }
        for position, unit in enumerate(duties.load_units())
    ]


def _duty_rows() -> list[Mapping[str, Any]]:
    from fupin_cli.services import duties

    return [
        {
            "duty_no": item.duty_no,
            "main_duty_no": item.main_duty.no,
            "main_duty": item.main_duty.text,
            "item": item.text,
            "division": item.division.name,
        }
        for item in duties.load_registry().items
    ]


# name in reference_file → (the files it is read from, the rows it becomes)
_SOURCES: dict[str, tuple[Sequence[str], Callable[[], list[Mapping[str, Any]]]]] = {
    "units": ((UNITS_FILE, DUTIES_FILE), _unit_rows),
    "duties": ((DUTIES_FILE,), _duty_rows),
}


def _digest(files: Sequence[str]) -> str:
    hasher = hashlib.sha256()
    for name in files:
        hasher.update((data_dir() / name).read_bytes())
    return hasher.hexdigest()


def _reference_digests() -> dict[str, str]:
    return {name: _digest(files) for name, (files, _) in _SOURCES.items()}


NOT_PREPARED = "数据库 {shown} 还没有建立：请先运行 fupin init（或 fupin --db … init）建立它；查询命令不写入数据库"
OLD_SCHEMA = (
    "数据库 {shown} 的结构版本较旧（缺 {missing}）：请先运行 fupin init 升级它（由有写权限的账号）；查询命令不写入数据库"
)
NEWER_SCHEMA = (
    "数据库 {shown} 由更新版本的 fupin 建立（含本版本不认识的结构变更 {unknown}），本版本不会改动它：请升级 fupin 后再用"
)
REFERENCE_CHANGED = (
    "单位或职责清单文件已更新，库中的参考数据尚未重载：本次按库中的数据回答，不写入；"
    "下一个登记命令（或 fupin init）会重载"
)


@contextmanager
def reading(settings: Settings, *, checked: bool = False) -> Iterator[plain.PlainReader]:
    """A read-only connection through the driver alone. A read never writes: a database that does
    not exist yet or is not migrated to this fupin's schema is refused in one line naming the
    command that prepares it (fupin init); reference data or a calendar changed since the database
    took them in are warned about in one line, and the answer is given on what is stored (the
    calendar: on the new one), leaving the reload and the recheck to the next write.

    `checked` (the cron reports) first makes the cheap check, so that a damaged database fails the
    report loudly instead of letting it report on what is left."""
    location = locate(settings.db)
    shown = location.shown
    if location.sqlite_path is not None and location.sqlite_path.is_file():
        refuse_if_not_fupin(location.sqlite_path)
    reader = plain.open_reader(settings.db)
    if reader is None:
        raise DatabaseError(NOT_PREPARED.format(shown=shown))
    try:
        with plain.translated(reader, shown):
            _refuse_unprepared(reader, shown)
            if checked:
                problem = plain.quick_problem(reader, allowed=FUPIN_OBJECTS)
                if problem is not None:
                    raise DatabaseError(
                        f"数据库 {shown} 未通过检查：{problem}。报表不予生成：请运行 fupin db check 全面检查"
                    )
            stored = plain.stored_digests(reader)
            if any(stored.get(name) != digest for name, digest in _reference_digests().items()):
                warnings.warn(REFERENCE_CHANGED, ReferenceChangedWarning, stacklevel=3)
            reader.calendar_changed = warn_if_calendar_changed(stored, settings)
            yield reader
    finally:
        reader.close()


def _refuse_unprepared(reader: plain.PlainReader, shown: str) -> None:
    applied = plain.applied_migrations(reader)
    if applied is None:
        raise DatabaseError(NOT_PREPARED.format(shown=shown))
    unknown = [name for name in applied if name not in versions.SCHEMA]
    if unknown:
        raise DatabaseError(NEWER_SCHEMA.format(shown=shown, unknown=unknown[0]))
    missing = [name for name in versions.SCHEMA if name not in applied]
    if missing:
        raise DatabaseError(OLD_SCHEMA.format(shown=shown, missing=missing[0]))


CALENDAR_CHANGED = (
    "日历数据已变更，库中暂定期限尚未重算：本次按新日历计算，不写入；运行 fupin cal recheck 保存重算结果"
)


def warn_if_calendar_changed(stored_digests: dict[str, str], settings: Settings) -> bool:
    """For a read: True, with one warning, when the calendar changed since the last recheck; the
    read then answers on the new calendar and leaves the recheck to the next write."""
    from fupin_cli.services.calendar import calendar_is_current, load_calendar

    if calendar_is_current(stored_digests, load_calendar(settings)):
        return False
    warnings.warn(CALENDAR_CHANGED, CalendarChangedWarning, stacklevel=3)
    return True


FUPIN_OBJECTS: dict[str, tuple[str, ...]] = {"view": (), "trigger": versions.TRIGGERS, "rule": ()}
"""The views, triggers and rules fupin itself makes (storage.maintenance keeps the same list)."""


def sync_reference_data(database: "Database") -> list[str]:
    """Reload each reference table whose files changed since it was loaded; returns their names."""
    from fupin_cli.storage import reference

    wanted = _reference_digests()
    with database.read() as conn:
        if reference.stored_digests(conn) == wanted:
            return []
    reloaded: list[str] = []
    with database.write() as session:
        current = reference.stored_digests(session.connection())
        for name, digest in wanted.items():
            if current.get(name) != digest:
                reference.replace(session, name=name, digest=digest, rows=_SOURCES[name][1]())
                reloaded.append(name)
    return reloaded


