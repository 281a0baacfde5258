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
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from fupin_cli.domain.errors import DatabaseError
from fupin_cli.storage import driver_errors, migrations
from fupin_cli.storage.driver_errors import PSYCOPG_MISSING
from fupin_cli.storage.location import BUSY_TIMEOUT_SECONDS, Location, locate, refuse_if_not_fupin
from fupin_cli.storage.sqlite_types import DETECT_TYPES

WRITE_LOCK_KEY = 0x66757069  # "fupi": one advisory lock for all of fupin's writers on PostgreSQL


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
        refuse_if_not_fupin(path)
        return
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DatabaseError(f"无法在文件夹中建立数据库（没有写权限）：{folder}")
    _create_database_file(path)


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

    @property
    def backend(self) -> str:
        return self.location.backend

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction holding the write lock; commits only if the block ends without error.
        A command's writes go through services.unit_of_work, which opens this once."""
        with _translated(self.location), Session(self.engine, expire_on_commit=False) as session:
            session.connection(execution_options={"fupin_write": True})
            try:
                yield session
            except BaseException:
                session.rollback()
                raise
            step = not WRITES.upkeep
            WRITES.committing = step
            session.commit()
            WRITES.committing = False
            WRITES.committed += step

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only snapshot for reports: plain rows, no ORM objects."""
        with _translated(self.location), self.engine.connect() as conn:
            yield conn

    def dispose(self) -> None:
        self.engine.dispose()


@contextmanager
def _translated(location: Location) -> Iterator[None]:
    """The driver's errors a user can cause as the one line storage.driver_errors says (as on the
    light reader); a connection SQLAlchemy saw drop is said to have dropped."""
    try:
        yield
    except DBAPIError as failure:
        if failure.connection_invalidated:
            raise DatabaseError(f"与数据库 {location.shown} 的连接中断，请重试") from None
        message = driver_errors.refusal(failure.orig, location.shown)
        if message is None:
            raise
        raise DatabaseError(message) from None


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
