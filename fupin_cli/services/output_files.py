"""The safe way every file fupin writes is written (reports, documents, a rejects list).

A file given with --output is written to a temporary file in the same folder and then moved into
place (os.replace), so a reader never sees half a file; a symlink, or anything else that is not a
regular file, is refused rather than written through; a missing folder is refused in Chinese; the
database's own files are never a target. Operating-system errors become one Chinese line.
"""

import errno
import io
import os
import secrets
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fupin_cli.domain.errors import InvalidInputError, OutputError
from fupin_cli.domain.text import printable


def checked_target(path: Path) -> Path:
    """The path a report may be written to, or InvalidInputError saying why not."""
    if path.is_symlink():
        raise InvalidInputError(f"输出文件 {path} 是符号链接：为安全起见不通过链接写入，请给普通文件路径")
    if path.exists() and not path.is_file():
        raise InvalidInputError(f"输出路径 {path} 不是普通文件（是文件夹或设备）：请换一个文件名")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InvalidInputError(f"输出文件所在的文件夹不存在：{folder}（请先建立它）")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InvalidInputError(f"没有在文件夹 {folder} 中写文件的权限")
    return path


def refuse_database_files(path: Path, protected: Sequence[Path]) -> None:
    """InvalidInputError if writing `path` would replace the database or one of its companions:
    the same name (through any symlinked folder) or the same file (a hard link or a symlink)."""
    target = path.expanduser()
    named = target.resolve(strict=False)
    try:
        status = target.stat()
    except OSError:
        status = None
    for guarded in protected:
        same_name = named == guarded.resolve(strict=False)
        same_file = False
        if status is not None:
            try:
                guarded_status = guarded.stat()
            except OSError:
                guarded_status = None
            same_file = guarded_status is not None and (status.st_dev, status.st_ino) == (
                guarded_status.st_dev,
                guarded_status.st_ino,
            )
        if same_name or same_file:
            raise InvalidInputError(
                f"输出文件 {path} 就是 fupin 的数据库文件（{guarded.name}）：写入会毁掉全部记录，请换一个文件名"
            )


EXPORT_MODE = 0o600
"""Exports hold case data: readable by their owner only (a stricter mode already set is kept)."""
TEMPORARY_SUFFIX = ".tmp"


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Call write(temporary path) in the target's folder, then move the result over `path`.

    The temporary file is created 0600 under a short name (a legal 255-byte target name still
    works), removed if the write fails or the run is stopped (Ctrl-C, SIGTERM), and a temporary
    file left behind by a run that was killed outright is removed by the next write.
    Operating-system errors (name too long, disk full, no permission) become one Chinese line.
    """
    with output_errors(path):
        target = checked_target(path)
        mode = _export_mode(target)
        _remove_stale_temporaries(target)
        temporary = _create_temporary(target)
        try:
            with _stopped_cleanly():
                write(temporary)
                os.chmod(temporary, mode)
                os.replace(temporary, target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise


def _export_mode(target: Path) -> int:
    try:
        existing = target.stat().st_mode & 0o777
    except FileNotFoundError:
        return EXPORT_MODE
    return existing & EXPORT_MODE


def _temporary_prefix(target: Path) -> str:
    """'.' + the target's name cut to 100 bytes (whole characters) + '.': short enough for any name."""
    stem = target.name.encode("utf-8", "surrogateescape")[:100].decode("utf-8", "ignore")
    return f".{stem}."


def _create_temporary(target: Path) -> Path:
    prefix = _temporary_prefix(target)
    for _ in range(100):
        candidate = target.parent / f"{prefix}{os.getpid()}-{secrets.token_hex(4)}{TEMPORARY_SUFFIX}"
        try:
            os.close(os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            continue
        return candidate
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(target.parent))


def _remove_stale_temporaries(target: Path) -> None:
    """Temporary files of this target whose writing process no longer runs (killed with SIGKILL)."""
    prefix = _temporary_prefix(target)
    try:
        names = [entry.name for entry in os.scandir(target.parent) if entry.name.startswith(prefix)]
    except OSError:
        return
    for name in names:
        owner, _, rest = name[len(prefix) :].partition("-")
        if not (owner.isdigit() and rest.endswith(TEMPORARY_SUFFIX)) or _is_running(int(owner)):
            continue
        try:
            (target.parent / name).unlink()
        except FileNotFoundError:
            pass


def _is_running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True
    return True


@contextmanager
def _stopped_cleanly() -> Iterator[None]:
    """While a file is written, SIGTERM stops the run as Ctrl-C does: by an exception that lets the
    temporary file be removed (the default action would kill the process and leave it behind)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(number: int, frame: object) -> None:
        raise SystemExit(128 + number)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


_OS_ERRORS = {
    errno.ENAMETOOLONG: "文件名过长（文件名最多 255 字节，一个汉字占 3 字节）：请用短一些的文件名",
    errno.ENOSPC: "磁盘空间不足，文件未写入：请清理磁盘或换一个位置",
    errno.EDQUOT: "超出磁盘配额，文件未写入：请清理磁盘或换一个位置",
    errno.EFBIG: "文件超过系统允许的大小，未写入：请换一个位置",
    errno.EACCES: "没有写入权限：请换一个文件夹或文件名",
    errno.EPERM: "没有写入权限：请换一个文件夹或文件名",
    errno.EROFS: "该位置只读，无法写入：请换一个位置",
    errno.EISDIR: "输出路径是文件夹：请给出文件名",
    errno.ENOTDIR: "输出路径中有一段不是文件夹：请检查路径",
    errno.ELOOP: "输出路径的符号链接层数过多：请给普通文件路径",
    errno.EIO: "磁盘读写错误，文件未写入：请检查磁盘",
}


@contextmanager
def output_errors(path: Path) -> Iterator[None]:
    """An operating-system error while writing `path` raised as one Chinese line (OutputError)."""
    try:
        yield
    except OSError as error:
        reason = _OS_ERRORS.get(error.errno or 0, f"写入失败（{error.strerror or error}）")
        raise OutputError(f"无法写入 {_shown(path)}：{reason}") from None


def _shown(path: Path) -> str:
    """A path as an error line shows it: control characters escaped, a huge name shortened."""
    text = printable(os.fsdecode(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace"))
    return text if len(text) <= 80 else f"{text[:40]}…{text[-30:]}"


def save_zipped(save: Callable[[Any], None], temporary: Path) -> None:
    """An xlsx or docx (a zip) built in memory, then written by fupin: a full disk then fails in
    our own write, which closes the file, instead of inside a ZipFile left open (and complaining)."""
    from lxml.etree import SerialisationError  # python-docx's and openpyxl's XML writer

    buffer = io.BytesIO()
    try:
        save(buffer)
    except SerialisationError as failure:  # a sheet streamed to a temporary file hit the OS's limit
        code = {"IO_EFBIG": errno.EFBIG, "IO_ENOSPC": errno.ENOSPC}.get(str(failure))
        if code is None:
            raise
        raise OSError(code, os.strerror(code)) from None
    with open(temporary, "wb") as handle:
        handle.write(buffer.getbuffer())


def write_text(path: Path, text: str) -> None:
    write_atomically(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))
