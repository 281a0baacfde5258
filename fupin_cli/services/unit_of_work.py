"""The unit of work of a write command: the one way services write to the database.

A write command opens one unit of work (`unit_of_work(settings)`), hands it to the service of its
use case, and the unit of work commits once when the service returns. It holds the database's write
lock from its first statement (storage.db), runs the calendar recheck first when the calendar's data
changed since the last one, collects the audit events the service records and appends them to the
hash chain in one place just before the commit. Any error — a refusal, a bug, Ctrl-C — rolls back
everything the command did, its events with it.

Services never open the database themselves: they receive the unit of work (storage.unit_of_work)
and write through its `session` (SQLModel) or its `connection()`; they record each audit event with
`record`. A test (tests/unit/test_architecture.py) holds them to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from fupin_cli.services.database import connect
from fupin_cli.settings import Settings

T = TypeVar("T")

if TYPE_CHECKING:
    from fupin_cli.storage.db import Database
    from fupin_cli.storage.unit_of_work import UnitOfWork


@contextmanager
def unit_of_work(settings: Settings, *, recheck_calendar: bool = True) -> Iterator[UnitOfWork]:
    """Open --db (creating and migrating it on first use), take the write lock, recheck the stored
    provisional deadlines when the calendar changed (unless the command is that recheck itself),
    and yield the unit of work; commit when the block ends without error, roll back otherwise."""
    with _opened_unit(connect(settings), settings, recheck_calendar=recheck_calendar) as uow:
        yield uow


@contextmanager
def unit_of_work_on(db: str, *, settings: Settings) -> Iterator[UnitOfWork]:
    """A unit of work on another database than --db (`db copy`'s destination): created and
    migrated only, its reference data and calendar left as they are (the copy brings them)."""
    from fupin_cli.storage.db import open_database

    with _opened_unit(open_database(db), settings, recheck_calendar=False) as uow:
        yield uow


@contextmanager
def _opened_unit(database: Database, settings: Settings, *, recheck_calendar: bool) -> Iterator[UnitOfWork]:
    from fupin_cli.storage.unit_of_work import UnitOfWork  # the write path's modules, not on a read's

    try:
        with database.write() as session:
            uow = UnitOfWork(session, operator=settings.user, location=database.location)
            if recheck_calendar:
                _recheck_if_calendar_changed(uow, settings)
            yield uow
            if uow.rehearsal:
                raise _Rehearsal
            uow.flush_events()
    except _Rehearsal:
        pass  # rolled back by design
    finally:
        database.dispose()


def in_unit_of_work(
    use_case: Callable[..., T], /, *, settings: Settings, recheck_calendar: bool = True, **arguments: Any
) -> T:
    """Run one write use case in a unit of work of its own: `use_case(uow, settings=…, **arguments)`,
    committed when it returns (how a write command calls its service)."""
    with unit_of_work(settings, recheck_calendar=recheck_calendar) as uow:
        return use_case(uow, settings=settings, **arguments)


class _Rehearsal(Exception):
    """Raised at the end of a rehearsal so that the write rolls back."""


def _recheck_if_calendar_changed(uow: UnitOfWork, settings: Settings) -> None:
    from fupin_cli.services.calendar import load_calendar
    from fupin_cli.services.recheck import recheck_if_calendar_changed

    recheck_if_calendar_changed(uow, calendar=load_calendar(settings), today=settings.today)


@contextmanager
def migrated(db: str) -> Iterator[Database]:
    """A database file opened and migrated only (`db restore`'s copy, made by an older fupin)."""
    from fupin_cli.storage.db import open_database

    database = open_database(db)
    try:
        yield database
    finally:
        database.dispose()


@contextmanager
def opened(settings: Settings) -> Iterator[Database]:
    """The database opened on the full path (created, migrated, reference data current) for the
    maintenance commands that look at it whole (db check, info, backup); writes nothing else."""
    database = connect(settings)
    try:
        yield database
    finally:
        database.dispose()
