"""Where fupin keeps its data and what 'today' and 'who' mean for this run. Standard library only."""

import getpass
import os
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

DEFAULT_TZ = "Asia/Shanghai"


@dataclass(frozen=True)
class Settings:
    db: str
    """A filesystem path to an SQLite file, or a database URL (postgresql://…, sqlite:///…)."""
    user: str
    today: date
    home: Path
    """The user's fupin folder: the default database and imported holiday files live here."""

    @property
    def is_default_db(self) -> bool:
        return self.db == str(self.home / "fupin.db")

    @property
    def holiday_dir(self) -> Path:
        return self.home / "holidays"

    @property
    def database_files(self) -> tuple[Path, ...]:
        """The local files of the database: an SQLite file and its companions; none for a server."""
        return database_files(self.db)


SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def database_files(db: str) -> tuple[Path, ...]:
    """The SQLite file that --db names and its -wal/-shm/-journal; () for a postgresql:// URL."""
    if "://" in db and not db.startswith("sqlite:///"):
        return ()
    path = Path(db.removeprefix("sqlite:///")).expanduser().absolute()
    return (path, *(path.with_name(path.name + suffix) for suffix in SQLITE_COMPANIONS))


def data_home() -> Path:
    """$FUPIN_HOME, else $XDG_DATA_HOME/fupin, else ~/.local/share/fupin."""
    explicit = os.environ.get("FUPIN_HOME")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "fupin"


def office_zone(tz_name: str | None = None):  # type: ignore[no-untyped-def]
    """The office's zone: FUPIN_TZ, else Asia/Shanghai."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from fupin_cli.domain.errors import InvalidInputError

    name = tz_name or os.environ.get("FUPIN_TZ") or DEFAULT_TZ
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInputError(f"未知时区「{name}」：FUPIN_TZ 请写成 Asia/Shanghai 这样的名称") from None


def today_in_zone(tz_name: str | None = None) -> date:
    """The date now in the office's zone (Asia/Shanghai unless FUPIN_TZ says otherwise)."""
    return datetime.now(office_zone(tz_name)).date()


def in_office_zone(stamp: str, tz_name: str | None = None) -> str:
    """A stored ISO 8601 time (naive ones are UTC) in the office's zone, ISO 8601 with its offset."""
    from datetime import UTC

    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(office_zone(tz_name)).isoformat(timespec="seconds")


def login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


MAX_USER_CHARS = 64


def operator_name(typed: str | None) -> str:
    """The operator recorded with every change: --user / FUPIN_USER, else the login name; printable
    (no control characters, no line breaks) and at most 64 characters, else a refusal."""
    name = (typed or login_name()).strip() or "unknown"
    if typed is not None and (len(name) > MAX_USER_CHARS or not name.isprintable()):
        from fupin_cli.domain.errors import InvalidInputError

        reason = f"过长（{len(name)} 字，最多 {MAX_USER_CHARS} 字）" if len(name) > MAX_USER_CHARS else "含有控制字符或换行"
        raise InvalidInputError(f"操作人（--user 或 FUPIN_USER）{reason}：请写姓名，如 --user 张三")
    return name


def resolve(*, db: str | None, user: str | None, today: date | None) -> Settings:
    home = data_home()
    return Settings(
        db=db or str(home / "fupin.db"),
        user=operator_name(user),
        today=today or today_in_zone(),
        home=home,
    )


DUTIES_FILE = "duties.toml"
UNITS_FILE = "units.toml"
"""The reference files in data_dir(): read by services.duties, hashed by services.database."""


@cache
def data_dir() -> Path:
    """The shipped reference data: inside the installed package, or data/ beside the source tree."""
    installed = Path(__file__).resolve().parent / "_data"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / "data"
