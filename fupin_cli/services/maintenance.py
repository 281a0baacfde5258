"""`fupin db`: check the database and its audit chain, back it up, restore a backup, describe it.

Backups are SQLite's: a consistent copy taken with the backup API while others keep working. A
PostgreSQL database is backed up with pg_dump (docs/postgresql.md); fupin refuses to pretend.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fupin_cli.domain.audit import AuditAction, ChainBreak
from fupin_cli.domain.errors import DatabaseError, InvalidInputError, NotFoundError, RuleViolationError
from fupin_cli.domain.numbering import CaseNumber
from fupin_cli.domain.workflow import State
from fupin_cli.services.database import connect
from fupin_cli.settings import Settings
from fupin_cli.storage import maintenance, migrations
from fupin_cli.storage.db import Location, locate, open_database, require_sqlite_path
from fupin_cli.storage.events import iter_events, verify_chain

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


@dataclass(frozen=True)
class CopyReport:
    """A backup written, or a backup restored."""

    source: str
    destination: str
    size_bytes: int
    counts: dict[str, int]


@dataclass(frozen=True)
class DatabaseInfo:
    location: str
    backend: str
    migrations: list[str]
    known_migrations: list[str]
    counts: dict[str, int]
    size_bytes: int | None = None
    journal_mode: str | None = None
    tables: list[str] = field(default_factory=list)


def check_database(*, settings: Settings) -> CheckReport:
    """SQLite's integrity and foreign-key checks (skipped on PostgreSQL), the audit chain, and
    whether every case is where its events left it.

    Raises DatabaseError naming the first problem: a damaged page, a dangling reference, the first
    audit event whose link or content does not hold, or the first case that disagrees with its events.
    """
    database = connect(settings)
    try:
        with database.read() as conn:
            integrity_checked = database.backend == "sqlite"
            problems = maintenance.sqlite_problems(conn) if integrity_checked else []
            if problems:
                more = f"（另有 {len(problems) - 1} 处问题）" if len(problems) > 1 else ""
                raise DatabaseError(f"数据库 {database.location.shown} 完整性检查未通过：{problems[0]}{more}")
            events, broken = verify_chain(conn)
            if broken is not None:
                raise DatabaseError(f"数据库 {database.location.shown} 的{_chain_message(broken)}")
            disagreement = _first_case_disagreeing_with_its_events(conn)
            if disagreement is not None:
                raise DatabaseError(f"数据库 {database.location.shown} 中{disagreement}（记录之外被改动过）")
            counts = maintenance.row_counts(conn)
    finally:
        database.dispose()
    return CheckReport(
        location=database.location.shown,
        backend=database.backend,
        integrity_checked=integrity_checked,
        events=events,
        counts=counts,
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
    database = connect(settings)  # creates and migrates it, so even a new database backs up
    database.dispose()
    partial = destination.parent / f".{destination.name}.{secrets.token_hex(4)}.partial"
    try:
        descriptor = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, stat.S_IRUSR | stat.S_IWUSR)
    except OSError as failure:
        raise DatabaseError(f"无法在 {destination.parent} 写入备份：{failure.strerror}") from None
    os.close(descriptor)
    try:
        maintenance.copy_sqlite(source, partial, self_contained=True)
        maintenance.require_fupin_sqlite_file(partial)
        with maintenance.read_sqlite_file(partial) as conn:
            counts = maintenance.row_counts(conn)
        os.replace(partial, destination)
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
    with maintenance.read_sqlite_file(backup) as conn:
        _, broken = verify_chain(conn)
    if broken is not None:
        raise DatabaseError(f"备份 {backup} 的{_chain_message(broken)}，不予恢复")
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
            counts = maintenance.row_counts(conn)
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


def describe_database(*, settings: Settings) -> DatabaseInfo:
    """Where the database is, which backend, which migrations, how many rows."""
    database = connect(settings)
    try:
        with database.read() as conn:
            applied = migrations.applied(conn)
            counts = maintenance.row_counts(conn)
            tables = maintenance.table_names(conn)
            journal = maintenance.journal_mode(conn)
    finally:
        database.dispose()
    path = database.location.sqlite_path
    return DatabaseInfo(
        location=database.location.shown,
        backend=database.backend,
        migrations=applied,
        known_migrations=[name for name, _ in migrations.MIGRATIONS],
        counts=counts,
        size_bytes=path.stat().st_size if path is not None else None,
        journal_mode=str(journal) if journal is not None else None,
        tables=tables,
    )


def _first_case_disagreeing_with_its_events(conn: Connection) -> str | None:
    """The hash chain guards the events; this guards the cases against them.

    Replays each case's events (the state and due date each step left) and compares the result
    with the stored case, so that a case row edited behind fupin's back is found too.
    """
    replayed: dict[int, dict[str, Any]] = {}
    for event in iter_events(conn):
        if event["case_id"] is None:
            continue
        after = json.loads(event["after"]) if event["after"] else {}
        seen = replayed.setdefault(int(event["case_id"]), {"opened": False, "state": None, "due": None})
        seen["opened"] = seen["opened"] or event["action"] == AuditAction.OPEN
        seen.update({key: after[key] for key in ("state", "due") if key in after})
    for case_id, year, serial, state, due in maintenance.case_states(conn):
        number = CaseNumber(year, serial)
        seen = replayed.pop(case_id, None)
        if seen is None or not seen["opened"]:
            return f"督查事项 {number} 没有立项的审计记录"
        if seen["state"] != state:
            return f"督查事项 {number} 的状态是「{_state_label(state)}」，审计记录却是「{_state_label(seen['state'])}」"
        if seen["due"] != due:
            return f"督查事项 {number} 的办结期限是 {due or '无'}，审计记录却是 {seen['due'] or '无'}"
    if replayed:
        return f"审计记录所说的督查事项（内部编号 {min(replayed)}）不存在"
    return None


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
