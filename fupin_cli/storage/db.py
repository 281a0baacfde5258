"""Opening the database (an SQLite file or a PostgreSQL URL), migrating it, and units of work.

Every write runs in one transaction that holds the database's write lock from its first statement:
`BEGIN IMMEDIATE` on SQLite, a transaction-scoped advisory lock on PostgreSQL. Writers therefore
queue rather than fail, the number series and the audit chain are taken under that lock, and a
command that fails part-way rolls back whole.
"""

import os
import secrets
import sqlite3
import stat
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError as DriverDatabaseError
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session

from fupin_cli.domain.errors import DatabaseError
from fupin_cli.storage import migrations
from fupin_cli.storage.location import Location, locate
from fupin_cli.storage.sqlite_types import DETECT_TYPES

BUSY_TIMEOUT_SECONDS = 60
WRITE_LOCK_KEY = 0x66757069  # "fupi": one advisory lock for all of fupin's writers on PostgreSQL
INSUFFICIENT_PRIVILEGE = "42501"  # PostgreSQL's SQLSTATE for a statement the role may not run


def _prepare_sqlite_file(path: Path, *, private_folder: bool) -> None:
    """Create the folder (0700 when it is fupin's own) and the file (0600) before SQLite opens it."""
    try:
        _create_private_file(path, private_folder=private_folder)
    except OSError as failure:  # a name too long, a folder that cannot be read...
        raise DatabaseError(f"无法使用数据库文件 {path}：{failure.strerror}") from None
    except sqlite3.Error as failure:  # a full disk while the new file's header is written
        raise DatabaseError(f"无法建立数据库文件 {path}：{failure}") from None


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
        _refuse_if_not_fupin(path)
        return
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DatabaseError(f"无法在文件夹中建立数据库（没有写权限）：{folder}")
    _create_database_file(path)


SQLITE_MAGIC = b"SQLite format 3\x00"


def _create_database_file(path: Path) -> None:
    """A new, private SQLite file that is never seen empty: its header is written under a temporary
    name beside it, then it is linked into place (another fupin making it at the same moment wins)."""
    temporary = path.parent / f".{path.name}.{secrets.token_hex(4)}.new"
    descriptor = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, stat.S_IRUSR | stat.S_IWUSR)
    os.close(descriptor)
    try:
        with closing(sqlite3.connect(temporary, isolation_level=None)) as conn:
            conn.execute("PRAGMA journal_mode = WAL")  # writes the header, in the mode fupin keeps
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another fupin created it a moment ago, privately too
    finally:
        temporary.unlink(missing_ok=True)


def _refuse_if_not_fupin(path: Path) -> None:
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


def _sqlite_engine(location: Location) -> Engine:
    engine = create_engine(
        location.url,
        connect_args={"timeout": BUSY_TIMEOUT_SECONDS, "detect_types": DETECT_TYPES},
        native_datetime=True,  # DATE and BOOLEAN converted by the driver, as on the light path
    )

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
    try:
        engine = create_engine(location.url, pool_pre_ping=False)
    except ImportError:
        raise DatabaseError(PSYCOPG_MISSING) from None

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        if conn.get_execution_options().get("fupin_write", False):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")

    return engine


class _Writes:
    """What this process has written, for the line printed after Ctrl-C: units of work committed,
    and whether one was interrupted while committing (then it may or may not have been saved).
    Upkeep done while opening the database (migrations, reference data, rechecks) is not counted."""

    committed = 0
    committing = False
    upkeep = False


WRITES = _Writes()


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
            step = not WRITES.upkeep
            WRITES.committing = step
            session.commit()
            WRITES.committing = False
            WRITES.committed += step
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
        message = server_refusal(failure.orig, location.shown)
        if message is None:
            raise
        raise DatabaseError(message) from None


PSYCOPG_MISSING = (
    "使用 PostgreSQL 数据库需要 psycopg，本机未安装：请运行 pip install 'fupin[postgres]'，"
    "或用 --db 指向 SQLite 文件"
)


def server_refusal(orig: BaseException | None, shown: str) -> str | None:
    """A PostgreSQL error a user can cause (a read-only session, a lost connection, a missing table,
    a full disk, a bad connection option) as one Chinese line; None for anything else (a bug)."""
    if orig is None:
        return None
    reason = str(orig).strip().splitlines()[0] if str(orig).strip() else "未知原因"
    state = getattr(orig, "sqlstate", None)
    if state is None:
        if not type(orig).__module__.startswith("psycopg"):
            return None
        if type(orig).__name__ == "OperationalError":  # the client lost or could not make the connection
            return f"与数据库 {shown} 的连接中断或无法建立，请重试：{reason}"
        if type(orig).__name__ in ("ProgrammingError", "InterfaceError"):  # a bad connection option
            return f"无法使用数据库 {shown}：{reason}（请检查数据库地址中的参数）"
        return None
    if state == "25006":
        return f"数据库 {shown} 的会话是只读的，不能写入：请去掉地址中的只读设置，或换有写权限的账号"
    if state.startswith("08") or state in ("57P01", "57P02", "57P03"):
        return f"与数据库 {shown} 的连接中断，请重试：{reason}"
    if state in ("42P01", "42703", "3F000"):
        return f"数据库 {shown} 缺少 fupin 的表或列（不是 fupin 的数据库，或被改动过）：请运行 fupin db check"
    if state.startswith("53"):
        return f"数据库服务器资源不足（磁盘或内存）：{reason}"
    return None


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
