"""A database driver's error that a user can cause — a damaged file, a missing table, a busy or
read-only database, a lost connection, a role without the right — as the one Chinese line fupin
says, the same on the light reader (storage.plain) and on the write path (storage.db, which hands
over the driver's own exception). None for anything else: that is fupin's own mistake, and shows.
No SQLAlchemy here."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from fupin_cli.domain.errors import DatabaseError

INSUFFICIENT_PRIVILEGE = "42501"  # PostgreSQL's SQLSTATE for a statement the role may not run
PSYCOPG_MISSING = (
    "使用 PostgreSQL 数据库需要 psycopg，本机未安装：请运行 pip install 'fupin[postgres]'，"
    "或用 --db 指向 SQLite 文件"
)


def _reason(failure: BaseException) -> str:
    text = str(failure).strip()
    return text.splitlines()[0] if text else "未知原因"


def _missing(shown: str) -> str:
    return f"数据库 {shown} 缺少 fupin 的表或列（不是 fupin 的数据库，或被改动过）：请运行 fupin db check"


def refusal(failure: BaseException | None, shown: str) -> str | None:
    """The one line for a driver error a user can cause; None for a bug."""
    if failure is None:
        return None
    if isinstance(failure, sqlite3.Error):
        return _sqlite_refusal(failure, shown)
    return _server_refusal(failure, shown)


def _sqlite_refusal(failure: sqlite3.Error, shown: str) -> str | None:
    if isinstance(failure, (sqlite3.ProgrammingError, sqlite3.InterfaceError, sqlite3.NotSupportedError)):
        return None  # fupin's own mistake (a wrong statement or binding), not the user's
    reason = _reason(failure)
    lowered = reason.lower()
    if "no such table" in lowered or "no such column" in lowered:
        return _missing(shown)
    if "locked" in lowered or "busy" in lowered:
        return f"数据库 {shown} 正被占用，请稍后重试：{reason}"
    if isinstance(failure, sqlite3.OperationalError) and "malformed" not in lowered:
        return f"无法使用数据库 {shown}：{reason}"  # a full disk, a file that cannot be opened or written
    return f"无法读取数据库 {shown}（不是 SQLite 数据库，或已损坏）：{reason}；请运行 fupin db check，必要时从备份恢复"


def _server_refusal(failure: BaseException, shown: str) -> str | None:
    reason = _reason(failure)
    state = getattr(failure, "sqlstate", None)
    if state is None:
        if not type(failure).__module__.startswith("psycopg"):
            return None
        if type(failure).__name__ == "OperationalError":  # the client lost or could not make the connection
            return f"与数据库 {shown} 的连接中断或无法建立，请重试：{reason}"
        if type(failure).__name__ in ("ProgrammingError", "InterfaceError"):  # a bad connection option
            return f"无法使用数据库 {shown}：{reason}（请检查数据库地址中的参数）"
        return None
    if state == INSUFFICIENT_PRIVILEGE:
        return (
            f"数据库 {shown} 拒绝了这一操作（本账号没有权限）：请用有权限的账号运行，"
            "或请管理员按 docs/postgresql.md 授权；升级 fupin 后须先由表的所有者运行 fupin init"
        )
    if state == "25006":
        return f"数据库 {shown} 的会话是只读的，不能写入：请去掉地址中的只读设置，或换有写权限的账号"
    if state.startswith("08") or state in ("57P01", "57P02", "57P03"):
        return f"与数据库 {shown} 的连接中断，请重试：{reason}"
    if state in ("42P01", "42703", "3F000"):
        return _missing(shown)
    if state.startswith("53"):
        return f"数据库服务器资源不足（磁盘或内存）：{reason}"
    if state.startswith("XX") or state.startswith("58"):  # data corrupted, an I/O error on the server
        return f"数据库服务器报告内部错误（数据可能已损坏）：{reason}；请联系数据库管理员"
    return None


@contextmanager
def translated(shown: str, driver_error: type[BaseException] | tuple[type[BaseException], ...]) -> Iterator[None]:
    """Driver errors of the block as the one Chinese line (DatabaseError); a bug goes on as it is."""
    try:
        yield
    except driver_error as failure:
        message = refusal(failure, shown)
        if message is None:
            raise
        raise DatabaseError(message) from None
