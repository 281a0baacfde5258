"""`fupin db`: back the database up, restore a backup, describe it (`db check` is services.db_check).

Backups are SQLite's: a consistent copy taken with the backup API while others keep working. A
PostgreSQL database is backed up with pg_dump (docs/postgresql.md); fupin refuses to pretend.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fupin_cli.domain.errors import DatabaseError, InvalidInputError, NotFoundError, RuleViolationError
from fupin_cli.services.db_check import chain_message, verify_contents
from fupin_cli.services.unit_of_work import migrated, opened
from fupin_cli.settings import Settings
from fupin_cli.storage import database_rows, maintenance
from fupin_cli.storage.events import verify_chain
from fupin_cli.storage.location import Location, locate, require_sqlite_path
from fupin_cli.storage.session_rows import SessionRows

POSTGRES_BACKUP_HINT = "PostgreSQL 数据库请用 pg_dump / pg_restore 备份和恢复（做法见 docs/postgresql.md）"


@dataclass(frozen=True)
class CopyReport:
    """A backup written, or a backup restored."""

    source: str
    destination: str
    size_bytes: int
    counts: dict[str, int]


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
    with opened(settings):  # creates and migrates it, so even a new database backs up
        pass
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
    with opened(settings) as database, database.read() as conn:
        occupied = maintenance.holds_records(conn)
    if occupied:
        raise RuleViolationError(
            f"数据库 {target} 已有督查事项或审计记录，恢复只能写入空数据库：请用 --db 指向一个新文件"
        )
    maintenance.copy_sqlite(backup, target, self_contained=False)
    os.chmod(target, stat.S_IRUSR | stat.S_IWUSR)
    with migrated(str(target)) as restored, restored.read() as conn:  # a backup made by an older fupin
        _, broken = verify_chain(conn)
        counts = database_rows.row_counts(SessionRows(conn))
    if broken is not None:
        raise DatabaseError(f"恢复后的数据库 {target} 的{chain_message(broken)}")
    return CopyReport(
        source=str(backup),
        destination=str(target),
        size_bytes=target.stat().st_size,
        counts=counts,
    )


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
