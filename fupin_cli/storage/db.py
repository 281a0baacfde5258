"""Opening the database (an SQLite file or a PostgreSQL URL), migrating it, and units of work.

Every write runs in one transaction that holds the database's write lock from its first statement:
`BEGIN IMMEDIATE` on SQLite, a transaction-scoped advisory lock on PostgreSQL. Writers therefore
queue rather than fail, the number series and the audit chain are taken under that lock, and a
command that fails part-way rolls back whole.
"""

import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.exc import DatabaseError as DriverDatabaseError
from sqlmodel import Session

from fupin_cli.domain.errors import DatabaseError
from fupin_cli.storage import migrations

BUSY_TIMEOUT_SECONDS = 60
WRITE_LOCK_KEY = 0x66757069  # "fupi": one advisory lock for all of fupin's writers on PostgreSQL
INSUFFICIENT_PRIVILEGE = "42501"  # PostgreSQL's SQLSTATE for a statement the role may not run


@dataclass(frozen=True)
class Location:
    url: str
    sqlite_path: Path | None

    @property
    def backend(self) -> str:
        return "sqlite" if self.sqlite_path is not None else "postgresql"

    @property
    def shown(self) -> str:
        """For messages: the file path, or the URL without its password."""
        if self.sqlite_path is not None:
            return str(self.sqlite_path)
        return make_url(self.url).render_as_string(hide_password=True)


def locate(db: str) -> Location:
    """Read --db: a path to an SQLite file, sqlite:///path, or postgresql://…"""
    if "://" not in db:
        return _sqlite_file(db)
    try:
        url = make_url(db)
    except ArgumentError:
        raise DatabaseError(f"无法识别的数据库地址「{db[:60]}」：请给 SQLite 文件路径或 postgresql://… 地址") from None
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise DatabaseError("请给出 SQLite 数据库文件的路径，例如 --db /path/fupin.db")
        return _sqlite_file(url.database)
    if url.get_backend_name() == "postgresql":
        return Location(url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False), None)
    raise DatabaseError(f"不支持的数据库类型「{url.get_backend_name()}」：只支持 SQLite 文件和 postgresql://")


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


def _prepare_sqlite_file(path: Path, *, private_folder: bool) -> None:
    """Create the folder (0700 when it is fupin's own) and the file (0600) before SQLite opens it."""
    try:
        _create_private_file(path, private_folder=private_folder)
    except OSError as failure:  # a name too long, a folder that cannot be read...
        raise DatabaseError(f"无法使用数据库文件 {path}：{failure.strerror}") from None


def _create_private_file(path: Path, *, private_folder: bool) -> None:
    folder = path.parent
    if private_folder and not folder.exists():
        folder.mkdir(parents=True, mode=0o700, exist_ok=True)  # another fupin may be making it too
    if not folder.is_dir():
        raise DatabaseError(f"数据库所在的文件夹不存在：{folder}（请先建立它，或用 --db 指向别处）")
    if path.exists():
        if not path.is_file():
            raise DatabaseError(f"数据库路径不是一个文件：{path}")
        if not os.access(path, os.R_OK | os.W_OK):
            raise DatabaseError(f"没有读写数据库文件的权限：{path}")
        return
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DatabaseError(f"无法在文件夹中建立数据库（没有写权限）：{folder}")
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, stat.S_IRUSR | stat.S_IWUSR)
    except FileExistsError:
        return  # another fupin created it a moment ago, privately too
    os.close(descriptor)


def _sqlite_engine(location: Location) -> Engine:
    engine = create_engine(location.url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # fupin issues BEGIN itself, below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        writing = conn.get_execution_options().get("fupin_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine


def _postgres_engine(location: Location) -> Engine:
    engine = create_engine(location.url, pool_pre_ping=False)

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        if conn.get_execution_options().get("fupin_write", False):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")

    return engine


class Database:
    """One opened, migrated database. Make it with `open_database`; never at import time."""

    def __init__(self, location: Location, engine: Engine) -> None:
        self.location = location
        self.engine = engine
        self.first_write: Callable[[Session], None] | None = None
        """Run inside the first write() of this opening that commits, before its block (services set it)."""

    @property
    def backend(self) -> str:
        return self.location.backend

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A unit of work: holds the write lock; commits only if the block ends without error."""
        with _translated(self.location), Session(self.engine, expire_on_commit=False) as session:
            session.connection(execution_options={"fupin_write": True})
            pending = self.first_write
            try:
                if pending is not None:
                    pending(session)
                yield session
            except BaseException:
                session.rollback()
                raise
            session.commit()
            if pending is not None:
                self.first_write = None

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only snapshot for reports: plain rows, no ORM objects."""
        with _translated(self.location), self.engine.connect() as conn:
            yield conn

    def dispose(self) -> None:
        self.engine.dispose()


@contextmanager
def _translated(location: Location) -> Iterator[None]:
    """Turn the driver's operational failures (locked, unreachable, unreadable) into one clear line."""
    try:
        yield
    except OperationalError as failure:
        reason = str(failure.orig).strip().splitlines()[0] if failure.orig else "未知原因"
        raise DatabaseError(f"无法使用数据库 {location.shown}：{reason}") from None
    except DBAPIError as failure:
        if failure.connection_invalidated:
            raise DatabaseError(f"与数据库 {location.shown} 的连接中断，请重试") from None
        if getattr(failure.orig, "sqlstate", None) == INSUFFICIENT_PRIVILEGE:
            raise DatabaseError(
                f"数据库 {location.shown} 拒绝了这一操作（本账号没有权限）：请用有权限的账号运行，"
                "或请管理员按 docs/postgresql.md 授权；升级 fupin 后须先由表的所有者运行 fupin init"
            ) from None
        if type(failure) is DriverDatabaseError:  # SQLite: "file is not a database", "malformed"
            reason = str(failure.orig).strip().splitlines()[0] if failure.orig else "未知原因"
            raise DatabaseError(f"无法读取数据库 {location.shown}（不是 SQLite 数据库，或已损坏）：{reason}") from None
        raise


def open_database(db: str, *, private_folder: bool = False) -> Database:
    """Open (creating and migrating on first use) the database that --db names."""
    location = locate(db)
    if location.sqlite_path is not None:
        _prepare_sqlite_file(location.sqlite_path, private_folder=private_folder)
        engine = _sqlite_engine(location)
    else:
        engine = _postgres_engine(location)
    database = Database(location, engine)
    try:
        with database.read() as conn:
            _check_sqlite_header(conn, location)
            names = migrations.applied(conn)
        migrations.refuse_if_newer(names)
        if migrations.pending(names):
            with database.write() as session:
                conn = session.connection()
                current = migrations.applied(conn)  # another process may have migrated meanwhile
                migrations.refuse_if_newer(current)
                migrations.apply(conn, migrations.pending(current))
    except BaseException:
        engine.dispose()
        raise
    return database


def _check_sqlite_header(conn: Connection, location: Location) -> None:
    if location.sqlite_path is None:
        return
    try:
        conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar()
    except DBAPIError:
        raise DatabaseError(f"文件不是 fupin 能读的 SQLite 数据库：{location.sqlite_path}") from None
