"""Read-only queries for `fupin report`: streaming Core selects yielding plain tuples, never ORM objects.

Each function filters in SQL and orders its rows; the working-day arithmetic is done by the caller,
one row at a time.
"""

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, func, select

from fupin_cli.storage.cases import cases, extensions, units

_extension_count = (
    select(func.count())
    .select_from(extensions)
    .where(extensions.c.case_id == cases.c.id)
    .scalar_subquery()
    .label("extensions")
)

OPEN_CASE_COLUMNS = (
    "year",
    "serial",
    "title",
    "classified",
    "lead_unit",
    "unit_short",
    "assigned_on",
    "original_due",
    "due",
    "due_provisional",
    "extensions",
)
"""The fields of each tuple that iter_open_cases yields, in order."""


def _stream(conn: Connection, query: Any) -> Iterator[tuple[Any, ...]]:
    result = conn.execution_options(stream_results=True, yield_per=2000).execute(query)
    for row in result:
        yield tuple(row)


def iter_open_cases(
    conn: Connection,
    *,
    states: Iterable[str],
    due_before: date | None = None,
    due_from: date | None = None,
    unit: str | None = None,
    order_by_unit: bool = True,
) -> Iterator[tuple[Any, ...]]:
    """Open cases (`states`) with due < due_before and/or due >= due_from, as OPEN_CASE_COLUMNS tuples,
    ordered by lead unit then due date (or by due date alone)."""
    conditions = [cases.c.state.in_(list(states)), cases.c.due.is_not(None)]
    if due_before is not None:
        conditions.append(cases.c.due < due_before)
    if due_from is not None:
        conditions.append(cases.c.due >= due_from)
    if unit is not None:
        conditions.append(cases.c.lead_unit == unit)
    order = [cases.c.lead_unit, cases.c.due] if order_by_unit else [cases.c.due]
    query = (
        select(
            cases.c.year,
            cases.c.serial,
            cases.c.title,
            cases.c.classified,
            cases.c.lead_unit,
            units.c.short_name,
            cases.c.assigned_on,
            cases.c.original_due,
            cases.c.due,
            cases.c.due_provisional,
            _extension_count,
        )
        .select_from(cases.outerjoin(units, units.c.name == cases.c.lead_unit))
        .where(and_(*conditions))
        .order_by(*order, cases.c.year, cases.c.serial)
    )
    return _stream(conn, query)


STATS_COLUMNS = (
    "lead_unit",
    "unit_short",
    "category",
    "state",
    "assigned_on",
    "original_due",
    "due",
    "feedback_on",
    "extensions",
)


def iter_assigned_between(
    conn: Connection, *, start: date, end: date, unit: str | None = None
) -> Iterator[tuple[Any, ...]]:
    """Cases assigned from `start` to `end` inclusive, as STATS_COLUMNS tuples, by assignment date."""
    conditions = [cases.c.assigned_on >= start, cases.c.assigned_on <= end]
    if unit is not None:
        conditions.append(cases.c.lead_unit == unit)
    query = (
        select(
            cases.c.lead_unit,
            units.c.short_name,
            cases.c.category,
            cases.c.state,
            cases.c.assigned_on,
            cases.c.original_due,
            cases.c.due,
            cases.c.feedback_on,
            _extension_count,
        )
        .select_from(cases.outerjoin(units, units.c.name == cases.c.lead_unit))
        .where(and_(*conditions))
        .order_by(cases.c.assigned_on, cases.c.year, cases.c.serial)
    )
    return _stream(conn, query)


LEDGER_SKIPPED = ("id", "created_at", "updated_at")
LEDGER_COLUMNS = (*(c.name for c in cases.columns if c.name not in LEDGER_SKIPPED), "extensions")


def iter_ledger(conn: Connection, *, year: int) -> Iterator[tuple[Any, ...]]:
    """Every case opened in `year` (numbered in its series), every stored field: LEDGER_COLUMNS tuples."""
    query = (
        select(*(cases.c[name] for name in LEDGER_COLUMNS[:-1]), _extension_count)
        .where(cases.c.year == year)
        .order_by(cases.c.serial)
    )
    return _stream(conn, query)
