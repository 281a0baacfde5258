"""`fupin db copy`: move a whole database between SQLite and PostgreSQL, audit chain and all.

The copy runs in one transaction on the destination while it holds the source's write lock, so it
reads one consistent state and either arrives whole or not at all. Rows keep their ids, so links
(extensions to cases, visits to inspections, events to cases) and the hash chain — whose hashes
cover the ids — arrive as they were; the number series (case_counter) is copied like any table.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from fupin_cli.domain.errors import DatabaseError, RuleViolationError
from fupin_cli.services.unit_of_work import unit_of_work, unit_of_work_on
from fupin_cli.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from fupin_cli.storage.location import Location


@dataclass(frozen=True)
class TableCount:
    name: str
    rows: int


@dataclass(frozen=True)
class TransferReport:
    """A database copied: where from, where to, the rows of each table, and the check of the copy."""

    source: str
    destination: str
    tables: list[TableCount]
    events: int
    last_hash: str | None

    @property
    def total_rows(self) -> int:
        return sum(table.rows for table in self.tables)


def copy_database(*, settings: Settings, target: str) -> TransferReport:
    """Copy --db into `target` (an SQLite path or postgresql:// URL), which must hold no records.

    Refused unchanged: the same database, a destination that already has cases, events,
    inspections or any other record of its own, a source whose audit chain is broken. A destination
    that `fupin init` has prepared (schema and reference data only) counts as empty.
    """
    from fupin_cli.storage.location import locate

    source_location = locate(settings.db)
    target_location = locate(target)
    _refuse_same(source_location, target_location)
    created = target_location.sqlite_path is not None and not target_location.sqlite_path.exists()
    try:
        report = _copy(settings, target)
    except BaseException:
        if created and target_location.sqlite_path is not None:
            _remove_sqlite_file(target_location.sqlite_path)
        raise
    from fupin_cli.services.db_check import check_database

    checked = check_database(settings=replace(settings, db=target))
    if checked.events != report.events:
        raise DatabaseError(f"复制后的数据库 {checked.location} 有 {checked.events} 条审计记录，与源数据库不符")
    return report


def _copy(settings: Settings, target: str) -> TransferReport:
    from fupin_cli.storage import copying, migrations
    from fupin_cli.storage.events import verify_chain

    with unit_of_work(settings) as source, unit_of_work_on(target, settings=settings) as destination:
        reader, writer = source.connection(), destination.connection()
        if migrations.applied(reader) != migrations.applied(writer):
            raise DatabaseError("源数据库与目标数据库的结构版本不同：请先用同一版本的 fupin 对两者运行 fupin init")
        events, broken = verify_chain(reader)
        if broken is not None:
            raise DatabaseError(
                f"源数据库 {source.location.shown} 的审计链在第 {broken.event_id} 号记录处断裂：{broken.reason}；"
                "不予复制，请先用 fupin db check 查明"
            )
        occupied = copying.occupied_tables(writer)
        if occupied:
            raise RuleViolationError(
                f"目标数据库 {destination.location.shown} 已有记录（{'、'.join(occupied[:4])}"
                f"{'等' if len(occupied) > 4 else ''}）：复制只能写入空数据库，请指向一个新文件或新建的数据库"
            )
        tables = copying.tables_in_order(writer)
        sources = {table.name: table for table in copying.tables_in_order(reader)}
        if set(sources) != {table.name for table in tables}:
            raise DatabaseError("源数据库与目标数据库的表不一致：请先用同一版本的 fupin 对两者运行 fupin init")
        for table in reversed(tables):
            copying.clear(writer, table)  # only reference data can be there: replaced by the source's
        counted: list[TableCount] = []
        for table in tables:
            for batch in copying.iter_batches(reader, sources[table.name]):
                copying.insert_rows(writer, table, batch)
            copied, expected = copying.count_rows(writer, table), copying.count_rows(reader, sources[table.name])
            if copied != expected:
                raise DatabaseError(f"表 {table.name} 复制后有 {copied} 行，源数据库有 {expected} 行：已撤销复制")
            counted.append(TableCount(table.name, copied))
        copying.advance_sequences(writer, tables)
        arrived, broken = verify_chain(writer)
        if broken is not None or arrived != events:
            raise DatabaseError("复制后的审计链与源数据库不符：已撤销复制")
        last_hash = _last_hash(writer)
        if last_hash != _last_hash(reader):
            raise DatabaseError("复制后审计链末条记录的哈希与源数据库不符：已撤销复制")
    return TransferReport(
        source=source.location.shown,
        destination=destination.location.shown,
        tables=counted,
        events=events,
        last_hash=last_hash,
    )


def _last_hash(conn: Connection) -> str | None:
    from fupin_cli.storage.events import last_hash

    return last_hash(conn)


def _refuse_same(source: Location, target: Location) -> None:
    same = source.url == target.url
    if not same and source.sqlite_path is not None and target.sqlite_path is not None:
        with contextlib.suppress(OSError):
            same = target.sqlite_path.exists() and source.sqlite_path.samefile(target.sqlite_path)
    if same:
        raise RuleViolationError("目标就是 --db 指向的数据库本身：请用 --to 指向另一个数据库")


def _remove_sqlite_file(path: Path) -> None:
    """Remove the file this copy created (and SQLite's journal beside it) after a failed copy."""
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(OSError):
            leftover.unlink()
