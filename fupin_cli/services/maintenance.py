"""`fupin db`: check the database and its audit chain, back it up, restore a backup, describe it.

Backups are SQLite's: a consistent copy taken with the backup API while others keep working. A
PostgreSQL database is backed up with pg_dump (docs/postgresql.md); fupin refuses to pretend.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fupin_cli.domain.audit import ChainBreak
from fupin_cli.domain.errors import DatabaseError, InvalidInputError, NotFoundError, RuleViolationError
from fupin_cli.domain.numbering import CaseNumber
from fupin_cli.domain.replay import (
    CASE_COLUMNS,
    EXTENSION_COLUMNS,
    FINDING_COLUMNS,
    INDICATOR_COLUMNS,
    INSPECTION_COLUMNS,
    PLAN_COLUMNS,
    VILLAGE_COLUMNS,
    VISIT_COLUMNS,
    Replayed,
    replay,
)
from fupin_cli.domain.villages import decode_years
from fupin_cli.domain.workflow import State
from fupin_cli.services.database import connect
from fupin_cli.services.database_info import format_head
from fupin_cli.settings import Settings
from fupin_cli.storage import database_rows, maintenance, migrations
from fupin_cli.storage.db import open_database
from fupin_cli.storage.events import iter_events, verify_chain
from fupin_cli.storage.location import Location, locate, require_sqlite_path
from fupin_cli.storage.session_rows import SessionRows

if TYPE_CHECKING:
    from sqlalchemy import Connection

POSTGRES_BACKUP_HINT = "PostgreSQL 数据库请用 pg_dump / pg_restore 备份和恢复（做法见 docs/postgresql.md）"


@dataclass(frozen=True)
class CheckReport:
    """What `db check` found: all well, or it would have raised."""

    location: str
    backend: str
    integrity_checked: bool
    events: int
    counts: dict[str, int]
    head: str = "0:-"
    """COUNT:HASH of the last audit event: keep it elsewhere, give it back with --expect."""


@dataclass(frozen=True)
class CopyReport:
    """A backup written, or a backup restored."""

    source: str
    destination: str
    size_bytes: int
    counts: dict[str, int]


def check_database(*, settings: Settings, expect: str | None = None) -> CheckReport:
    """The full check: SQLite's integrity and foreign keys (PostgreSQL vouches for its own), the
    schema (fupin's tables and nothing else), the audit chain, every owned row against its events,
    and, with `expect` (COUNT:HASH as an earlier check printed it), that the chain still holds it.

    Raises DatabaseError naming the first problem found.
    """
    anchor = parse_anchor(expect) if expect is not None else None
    database = connect(settings)
    try:
        with database.read() as conn:
            integrity_checked = database.backend == "sqlite"
            events, head = verify_contents(
                conn, shown=f"数据库 {database.location.shown}", sqlite=integrity_checked, anchor=anchor
            )
            counts = database_rows.row_counts(SessionRows(conn))
    finally:
        database.dispose()
    return CheckReport(
        location=database.location.shown,
        backend=database.backend,
        integrity_checked=integrity_checked,
        events=events,
        counts=counts,
        head=head,
    )


def verify_contents(
    conn: Connection, *, shown: str, sqlite: bool, anchor: tuple[int, str] | None = None
) -> tuple[int, str]:
    """Everything `db check` verifies on an open connection; returns the chain head (count, COUNT:HASH)."""
    if sqlite:
        problems = maintenance.sqlite_problems(conn)
        if problems:
            more = f"（另有 {len(problems) - 1} 处问题）" if len(problems) > 1 else ""
            raise DatabaseError(f"{shown} 完整性检查未通过：{problems[0]}{more}")
    found = _schema_disagrees(conn)
    if found is not None:
        raise DatabaseError(f"{shown} 中{found}：请核查谁改动了数据库结构")
    events, last_hash, broken = _chain_disagrees(conn)
    if broken is not None:
        raise DatabaseError(f"{shown}{broken}")
    if anchor is not None:
        _check_anchor(conn, anchor, shown=shown)
    disagreement = _first_disagreement(conn)
    if disagreement is not None:
        raise DatabaseError(f"{shown} 中{disagreement}（记录之外被改动过）")
    return events, format_head(events, last_hash)


def parse_anchor(text: str) -> tuple[int, str]:
    """COUNT:HASH as `db check` printed it; InvalidInputError otherwise."""
    count, _, digest = text.strip().partition(":")
    digest = digest.strip().lower()
    if not count.isdigit() or int(count) < 1 or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise InvalidInputError(
            f"无法识别的链头「{text[:80]}」：应为「条数:哈希」，例如 12:3fa4…（64 位十六进制），"
            "照 fupin db check 打印的链头抄录"
        )
    return int(count), digest


def _check_anchor(conn: Connection, anchor: tuple[int, str], *, shown: str) -> None:
    count, digest = anchor
    stored = maintenance.event_hash_at(conn, count)
    if stored is None:
        raise DatabaseError(
            f"{shown} 的审计记录少于所记链头的 {count} 条：末尾的记录被删除过"
        )
    if stored != digest:
        raise DatabaseError(
            f"{shown} 第 {count} 号审计记录的哈希与所记链头不符：审计链被改写并重算过"
        )


def backup_database(*, settings: Settings, target: str, force: bool = False) -> CopyReport:
    """Write a consistent, self-contained copy of the SQLite database to `target` (mode 0600).

    Refuses an existing file unless `force`, and never writes through a symbolic link. The copy is
    made beside the target under a temporary name and renamed into place only once it checks out.
    """
    source = _sqlite_location(settings, action="备份").sqlite_path
    assert source is not None
    destination = Path(target).expanduser().absolute()
    _refuse_unsafe_target(destination, source=source, force=force)
    with _exclusive_folder(destination.parent):
        return _write_backup(settings, source, destination, force=force)


@contextmanager
def _exclusive_folder(folder: Path) -> Iterator[None]:
    """One backup at a time into a folder: a second `db backup` there while one runs is refused
    (an advisory lock on the folder itself, released when the process ends, however it ends)."""
    import fcntl

    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as failure:
        raise DatabaseError(f"无法在 {folder} 写入备份：{failure.strerror}") from None
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RuleViolationError(
                f"另一个 fupin db backup 正在向 {folder} 写入备份：请等它结束后再备份"
            ) from None
        yield
    finally:
        os.close(descriptor)


def _write_backup(settings: Settings, source: Path, destination: Path, *, force: bool) -> CopyReport:
    database = connect(settings)  # creates and migrates it, so even a new database backs up
    database.dispose()
    partial = destination.parent / f".{destination.name[:100]}.{secrets.token_hex(4)}.partial"
    try:
        descriptor = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, stat.S_IRUSR | stat.S_IWUSR)
    except OSError as failure:
        raise DatabaseError(f"无法在 {destination.parent} 写入备份：{failure.strerror}") from None
    os.close(descriptor)
    try:
        maintenance.copy_sqlite(source, partial, self_contained=True)
        maintenance.require_fupin_sqlite_file(partial)
        with maintenance.read_sqlite_file(partial) as conn:
            counts = database_rows.row_counts(SessionRows(conn))
        if force:
            os.replace(partial, destination)
        else:
            try:
                os.link(partial, destination)  # create-exclusive: never over a file that appeared meanwhile
            except FileExistsError:
                raise RuleViolationError(f"备份文件已存在：{destination}（要覆盖请加 --force）") from None
    finally:
        partial.unlink(missing_ok=True)
    return CopyReport(
        source=str(source),
        destination=str(destination),
        size_bytes=destination.stat().st_size,
        counts=counts,
    )


def restore_database(*, settings: Settings, source: str) -> CopyReport:
    """Copy a fupin SQLite backup into --db, which must hold no case and no audit event yet.

    The backup must be a sound fupin database from this fupin or an older one, with an intact audit
    chain; an older one is migrated after the copy. The restored file is private (0600).
    """
    target = _sqlite_location(settings, action="恢复").sqlite_path
    assert target is not None
    backup = Path(source).expanduser().absolute()
    require_sqlite_path(backup)
    try:
        if not backup.is_file():
            raise NotFoundError(f"备份文件不存在：{backup}")
        if target.exists() and backup.samefile(target):
            raise RuleViolationError("备份文件就是 --db 指向的数据库本身：请用 --db 指向一个新的数据库文件")
    except OSError as failure:
        raise InvalidInputError(f"无法读取备份文件 {backup}：{failure.strerror}") from None
    maintenance.require_fupin_sqlite_file(backup)
    try:
        with maintenance.read_sqlite_file(backup) as conn:
            verify_contents(conn, shown=f"备份 {backup}", sqlite=True)
    except DatabaseError as failure:
        raise DatabaseError(f"{failure.message}，不予恢复") from None
    database = connect(settings)
    try:
        with database.read() as conn:
            occupied = maintenance.holds_records(conn)
    finally:
        database.dispose()
    if occupied:
        raise RuleViolationError(
            f"数据库 {target} 已有督查事项或审计记录，恢复只能写入空数据库：请用 --db 指向一个新文件"
        )
    maintenance.copy_sqlite(backup, target, self_contained=False)
    os.chmod(target, stat.S_IRUSR | stat.S_IWUSR)
    restored = open_database(str(target))  # migrates a backup made by an older fupin
    try:
        with restored.read() as conn:
            _, broken = verify_chain(conn)
            counts = database_rows.row_counts(SessionRows(conn))
    finally:
        restored.dispose()
    if broken is not None:
        raise DatabaseError(f"恢复后的数据库 {target} 的{_chain_message(broken)}")
    return CopyReport(
        source=str(backup),
        destination=str(target),
        size_bytes=target.stat().st_size,
        counts=counts,
    )


def _first_disagreement(conn: Connection) -> str | None:
    """The first row fupin owns that is not what its events say, or None when all agree.

    Replays the whole audit trail (domain.replay) and compares, table by table, every stored row
    with the row the events leave: a row edited, added or deleted behind fupin's back shows here.
    """
    replayed = replay(iter_events(conn))
    if replayed.problems:
        return replayed.problems[0]
    for compare in (
        _cases_disagree,
        _extensions_disagree,
        _findings_disagree,
        _inspections_disagree,
        _visits_disagree,
        _villages_disagree,
        _plans_disagree,
        _indicators_disagree,
        _counters_disagree,
        _reference_disagrees,
    ):
        found = compare(conn, replayed)
        if found is not None:
            return found
    return None


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _differs(stored: dict[str, Any], expected: dict[str, Any], columns: tuple[str, ...]) -> str | None:
    """The first column whose stored value is not the one the events give."""
    for column in columns:
        if _plain(stored.get(column)) != expected.get(column):
            return column
    return None


def _keyed(
    what: str,
    stored: Mapping[Any, dict[str, Any]] | Iterable[tuple[Any, dict[str, Any]]],
    expected: dict[Any, dict[str, Any]],
    columns: tuple[str, ...],
    name: Any = str,
) -> str | None:
    """Compare stored rows (a mapping, or a stream of (key, row)) with the rows the events give."""
    seen: set[Any] = set()
    pairs = stored.items() if isinstance(stored, Mapping) else stored
    for key, row in pairs:
        seen.add(key)
        wanted = expected.get(key)
        if wanted is None:
            return f"{what} {name(key)} 没有审计记录"
        column = _differs(row, wanted, columns)
        if column is not None:
            return f"{what} {name(key)} 的{_shown_difference(column, row.get(column), wanted.get(column))}"
    missing = [key for key in expected if key not in seen]
    if missing:
        return f"审计记录中的{what} {name(missing[0])} 不存在（被删除）"
    return None


_LABELS = {
    "title": "标题",
    "state": "状态",
    "due": "办结期限",
    "unit_ref": "承办单位文号",
    "text": "问题描述",
    "reason": "理由",
    "numerator": "分子",
    "denominator": "分母",
}


def _shown_difference(column: str, stored: Any, expected: Any) -> str:
    """「状态是「已办结」，审计记录却是「已交办」」: the column and both values, each cut to 30 characters."""

    def shown(value: Any) -> str:
        if column == "state":
            return _state_label(value)
        text = "无" if value is None else str(_plain(value))
        return text if len(text) <= 30 else text[:29] + "…"

    label = _LABELS.get(column, column)
    return f"{label}是「{shown(stored)}」，审计记录却是「{shown(expected)}」"


def _cases_disagree(conn: Connection, replayed: Replayed) -> str | None:
    def stored() -> Iterator[tuple[int, dict[str, Any]]]:  # streamed: 100 000 cases need not sit in memory twice
        for row in maintenance.owned_rows(conn, "cases"):
            row["assist_units"] = json.loads(row["assist_units"]) if row["assist_units"] else []
            yield int(row["id"]), row

    def number(case_id: int) -> str:
        row = replayed.cases.get(case_id) or next(
            (dict(r) for r in maintenance.owned_rows(conn, "cases") if r["id"] == case_id), {}
        )
        if isinstance(row.get("year"), int) and isinstance(row.get("serial"), int):
            return str(CaseNumber(row["year"], row["serial"]))
        return f"（内部编号 {case_id}）"

    return _keyed("督查事项", stored(), replayed.cases, CASE_COLUMNS, number)


def _extensions_disagree(conn: Connection, replayed: Replayed) -> str | None:
    stored: dict[int, list[dict[str, Any]]] = {}
    for row in maintenance.owned_rows(conn, "case_extension"):
        stored.setdefault(int(row["case_id"]), []).append(row)
    for case_id in sorted(set(stored) | {key for key, rows in replayed.extensions.items() if rows}):
        mine, wanted = stored.get(case_id, []), replayed.extensions.get(case_id, [])
        if len(mine) != len(wanted):
            return f"督查事项（内部编号 {case_id}）有 {len(mine)} 条延期记录，审计记录却是 {len(wanted)} 条"
        for position, (row, expected) in enumerate(zip(mine, wanted, strict=True), start=1):
            column = _differs(row, expected, EXTENSION_COLUMNS)
            if column is not None:
                change = _shown_difference(column, row.get(column), expected.get(column))
                return f"督查事项（内部编号 {case_id}）第 {position} 次延期的{change}"
    return None


def _by_id(conn: Connection, table: str) -> dict[int, dict[str, Any]]:
    return {int(row["id"]): row for row in maintenance.owned_rows(conn, table)}


def _findings_disagree(conn: Connection, replayed: Replayed) -> str | None:
    return _keyed("问题", _by_id(conn, "finding"), replayed.findings, FINDING_COLUMNS)


def _inspections_disagree(conn: Connection, replayed: Replayed) -> str | None:
    stored = _by_id(conn, "inspection")
    for row in stored.values():
        row["units"] = json.loads(row["units"]) if row["units"] else []
    return _keyed("检查", stored, replayed.inspections, INSPECTION_COLUMNS)


def _visits_disagree(conn: Connection, replayed: Replayed) -> str | None:
    return _keyed("检查对象登记", _by_id(conn, "inspection_visit"), replayed.visits, VISIT_COLUMNS)


def _villages_disagree(conn: Connection, replayed: Replayed) -> str | None:
    stored: dict[tuple[str, str], dict[str, Any]] = {}
    for row in maintenance.owned_rows(conn, "village"):
        row["project_years"] = list(decode_years(row["project_years"]))
        stored[(row["county"], row["name"])] = row
    expected = {
        key: {**row, "project_years": sorted(row.get("project_years") or [])}
        for key, row in replayed.villages.items()
    }
    found = _keyed("村", stored, expected, VILLAGE_COLUMNS, lambda key: f"{key[0]}{key[1]}")
    if found is None and list(stored) != list(expected):
        return "村的内部编号与导入的先后不符（记录被删除后重新插入过）"
    return found


def _plans_disagree(conn: Connection, replayed: Replayed) -> str | None:
    stored: dict[int, dict[str, Any]] = {}
    for row in maintenance.owned_rows(conn, "inspection_plan"):
        row["plan"] = json.loads(row["plan"])
        stored[int(row["year"])] = row
    expected = {
        year: {**row, "county_count": row["county_count"] if row["county_count"] is not None else stored.get(year, {}).get("county_count")}
        for year, row in replayed.plans.items()
    }
    return _keyed("检查计划", stored, expected, PLAN_COLUMNS, lambda year: f"〔{year}〕")


def _indicators_disagree(conn: Connection, replayed: Replayed) -> str | None:
    stored = {
        (int(row["year"]), row["county"], row["kind"]): row for row in maintenance.owned_rows(conn, "indicator")
    }
    return _keyed(
        "指标", stored, replayed.indicators, INDICATOR_COLUMNS, lambda key: f"〔{key[0]}〕{key[1]}·{key[2]}"
    )


def _counters_disagree(conn: Connection, replayed: Replayed) -> str | None:
    stored = {int(row["year"]): {"last_serial": row["last_serial"]} for row in maintenance.owned_rows(conn, "case_counter")}
    expected = {year: {"last_serial": serial} for year, serial in replayed.counters.items()}
    return _keyed("编号序列", stored, expected, ("last_serial",), lambda year: f"〔{year}〕")


def _reference_disagrees(conn: Connection, replayed: Replayed) -> str | None:
    """Units and duty items are the shipped files' rows (when the database says it loaded these files)."""
    from fupin_cli.services import database as loader
    from fupin_cli.storage import reference

    stored_digests = reference.stored_digests(conn)
    for name, table, label in (("units", "unit", "单位"), ("duties", "duty_item", "职责事项")):
        files, rows = loader._SOURCES[name]
        if stored_digests.get(name) != loader._digest(files):
            continue  # loaded from other files: the next command reloads them whole
        shipped = sorted((sorted(row.items()) for row in rows()), key=repr)
        mine = sorted((sorted(row.items()) for row in maintenance.owned_rows(conn, table)), key=repr)
        if shipped != mine:
            return f"{label}表与随 fupin 提供的参考数据不符"
    return None


def _schema_disagrees(conn: Connection) -> str | None:
    """Only fupin's tables with fupin's columns; no view, trigger or rule fupin did not make."""
    expected = migrations.expected_tables(migrations.applied(conn))
    found = maintenance.schema_objects(conn)
    for name in sorted(found["tables"]):
        if name not in expected:
            return f"多出一张不属于 fupin 的表 {name}"
        if sorted(found["tables"][name]) != sorted(expected[name]):
            return f"表 {name} 的列与 fupin 的结构不符"
    for name in sorted(expected):
        if name not in found["tables"]:
            return f"缺少 fupin 的表 {name}"
    for kind, label in (("views", "视图"), ("triggers", "触发器"), ("rules", "规则")):
        unknown = [name for name in found[kind] if name not in maintenance.FUPIN_OBJECTS.get(kind, ())]
        if unknown:
            return f"多出一个不属于 fupin 的{label} {unknown[0]}"
    return None


def _chain_disagrees(conn: Connection) -> tuple[int, str | None, str | None]:
    """(count, last hash, problem): the chain's links and content, and ids that run 1, 2, 3…"""
    events, broken = verify_chain(conn)
    if broken is not None:
        return events, None, f"的{_chain_message(broken)}"
    last_id, last_hash = database_rows.chain_head(SessionRows(conn))
    if last_id != events:
        return events, last_hash, f"的审计记录编号不连续（共 {events} 条，最后一条却是第 {last_id} 号）"
    return events, last_hash, None


def _state_label(state: str | None) -> str:
    try:
        return State(state).label
    except ValueError:
        return str(state)


def _chain_message(broken: ChainBreak) -> str:
    return f"审计链在第 {broken.event_id} 号记录处断裂：{broken.reason}"


def _sqlite_location(settings: Settings, *, action: str) -> Location:
    location = locate(settings.db)
    if location.sqlite_path is None:
        raise RuleViolationError(f"fupin 不{action} PostgreSQL 数据库：{POSTGRES_BACKUP_HINT}")
    return location


def _refuse_unsafe_target(destination: Path, *, source: Path, force: bool) -> None:
    require_sqlite_path(destination)
    try:
        if destination.is_symlink():
            raise RuleViolationError(
                f"备份路径 {destination} 是一个符号链接：fupin 不经符号链接写文件，请给出真实路径"
            )
        if not destination.parent.is_dir():
            raise NotFoundError(f"备份所在的文件夹不存在：{destination.parent}")
        if destination.exists():
            if not destination.is_file():
                raise RuleViolationError(f"备份路径 {destination} 已存在且不是普通文件")
            if source.exists() and destination.samefile(source):
                raise RuleViolationError("备份路径就是数据库本身：请给出另一个文件名")
            if not force:
                raise RuleViolationError(f"文件 {destination} 已存在：要覆盖它请加 --force")
    except OSError as failure:  # a name too long, a folder we may not read...
        raise InvalidInputError(f"无法使用备份路径 {destination}：{failure.strerror}") from None
