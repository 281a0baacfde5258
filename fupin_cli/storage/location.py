"""--db read in one place: a path to an SQLite file, sqlite:///path, or postgresql://… (postgres://
too, as psql and libpq take it). Both the light reader (storage.plain) and the write path's engine
(storage.db) open what `locate` returns. No SQLAlchemy here."""

import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from fupin_cli.domain.errors import DatabaseError

_POSTGRES_SCHEMES = ("postgresql", "postgres")
_PASSWORD = re.compile(r"(://[^:/@]*):[^@/]*@")


@dataclass(frozen=True)
class Location:
    url: str
    """For the write path's engine: sqlite:///path or postgresql+psycopg://…"""
    sqlite_path: Path | None

    @property
    def backend(self) -> str:
        return "sqlite" if self.sqlite_path is not None else "postgresql"

    @property
    def conninfo(self) -> str:
        """For the driver itself (psycopg takes postgresql://…)."""
        return self.url.replace("postgresql+psycopg://", "postgresql://", 1)

    @property
    def shown(self) -> str:
        """For messages: the file path, or the URL without its password."""
        if self.sqlite_path is not None:
            return str(self.sqlite_path)
        return shown(self.url)


def shown(db: str) -> str:
    """--db as a message shows it: the password of a URL hidden."""
    return _PASSWORD.sub(r"\1:***@", db)


def locate(db: str) -> Location:
    """Read --db: a path to an SQLite file, sqlite:///path, or postgresql://… (postgres://)."""
    if "://" not in db:
        return _sqlite_file(db)
    scheme, _, rest = db.partition("://")
    backend = scheme.split("+", 1)[0].lower()
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", scheme):
        raise DatabaseError(f"无法识别的数据库地址「{db[:60]}」：请给 SQLite 文件路径或 postgresql://… 地址")
    if backend == "sqlite":
        database = unquote(rest.partition("?")[0].removeprefix("/"))
        if not database or database == ":memory:":
            raise DatabaseError("请给出 SQLite 数据库文件的路径，例如 --db /path/fupin.db")
        return _sqlite_file(database)
    if backend in _POSTGRES_SCHEMES:
        authority = rest.partition("/")[0].partition("?")[0].rpartition("@")[2]
        port = authority.rpartition("]")[2].partition(":")[2]
        if port and not port.isdigit():  # a port that is not a number fails here, not deep in the driver
            raise DatabaseError(f"无法识别的数据库地址「{shown(db)[:60]}」：请给 SQLite 文件路径或 postgresql://… 地址")
        return Location(f"postgresql+psycopg://{rest}", None)
    raise DatabaseError(f"不支持的数据库类型「{backend}」：只支持 SQLite 文件和 postgresql://")


def _sqlite_file(typed: str) -> Location:
    path = Path(typed).expanduser().absolute()
    require_sqlite_path(path)
    return Location(f"sqlite:///{path}", path)


def require_sqlite_path(path: Path) -> None:
    """SQLite takes file names in UTF-8: refuse a name it cannot be given (a stray non-UTF-8 byte)."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        raise DatabaseError(f"文件路径含有无法识别的字符（不是 UTF-8 编码）：{path!r}") from None
    if "\x00" in str(path):
        raise DatabaseError("文件路径中不能含有空字符（\\0）")


SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_SECONDS = 60


def refuse_if_not_fupin(path: Path) -> None:
    """An existing file that is empty, is not SQLite, or is someone else's SQLite database is refused
    before SQLite opens it for writing (which would switch it to WAL, or take it as a new database)."""
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_MAGIC))
    if not header:
        raise DatabaseError(
            f"数据库文件 {path} 是空文件（0 字节），不是 fupin 的数据库，可能已损坏：请从备份恢复"
            "（fupin db restore），或确认无用后删除它再运行"
        )
    if header != SQLITE_MAGIC:
        raise DatabaseError(f"文件不是 fupin 能读的 SQLite 数据库：{path}（fupin 没有改动它）")
    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_SECONDS)) as conn:
            names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error:
        return  # unreadable this way (a WAL file without its index): the full open decides
    if names and "schema_migration" not in names:
        raise DatabaseError(
            f"文件 {path} 是别的程序的 SQLite 数据库，不是 fupin 的（没有 schema_migration 表）："
            "fupin 没有改动它，请用 --db 指向 fupin 的数据库"
        )
