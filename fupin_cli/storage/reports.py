"""Read-only queries for `fupin report`: portable SQL on the light read path (storage.plain), plain
tuples streamed from the driver, never ORM objects and no SQLAlchemy.

Each function filters in SQL and orders its rows; the working-day arithmetic is done by the caller,
one row at a time.
"""

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from fupin_cli.domain.units import UnitName
from fupin_cli.storage.plain import PlainReader, expand

_EXTENSION_COUNT = "(SELECT count(*) FROM case_extension e WHERE e.case_id = c.id)"
UNLISTED = 1_000_000
"""Where a unit no longer in the office's list sorts: after every listed unit."""

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


def iter_open_cases(
    reader: PlainReader,
    *,
    states: Iterable[str],
    due_before: date | None = None,
    due_from: date | None = None,
    unit: str | None = None,
    order_by_unit: bool = True,
) -> Iterator[tuple[Any, ...]]:
    """Open cases (`states`) with due < due_before and/or due >= due_from, as OPEN_CASE_COLUMNS tuples,
    ordered by lead unit (in the office's list order, units not listed last) then due date, or by due
    date alone."""
    state_list, parameters = expand("state", list(states))
    conditions = [f"c.state IN {state_list}", "c.due IS NOT NULL"]
    if due_before is not None:
        conditions.append("c.due < :due_before")
        parameters["due_before"] = due_before
    if due_from is not None:
        conditions.append("c.due >= :due_from")
        parameters["due_from"] = due_from
    if unit is not None:
        conditions.append("c.lead_unit = :unit")
        parameters["unit"] = unit
    order = f"COALESCE(u.ordering, {UNLISTED}), c.lead_unit, c.due" if order_by_unit else "c.due"
    sql = (
        "SELECT c.year, c.serial, c.title, c.classified, c.lead_unit, u.short_name, c.assigned_on,"
        f" c.original_due, c.due, c.due_provisional, {_EXTENSION_COUNT}"
        " FROM cases c LEFT JOIN unit u ON u.name = c.lead_unit"
        f" WHERE {' AND '.join(conditions)} ORDER BY {order}, c.year, c.serial"
    )
    return reader.rows(sql, parameters)


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
    reader: PlainReader, *, start: date, end: date, unit: str | None = None
) -> Iterator[tuple[Any, ...]]:
    """Cases assigned from `start` to `end` inclusive, as STATS_COLUMNS tuples, by assignment date."""
    parameters: dict[str, Any] = {"start": start, "end": end}
    unit_condition = ""
    if unit is not None:
        unit_condition = " AND c.lead_unit = :unit"
        parameters["unit"] = unit
    sql = (
        "SELECT c.lead_unit, u.short_name, c.category, c.state, c.assigned_on, c.original_due, c.due,"
        f" c.feedback_on, {_EXTENSION_COUNT}"
        " FROM cases c LEFT JOIN unit u ON u.name = c.lead_unit"
        f" WHERE c.assigned_on >= :start AND c.assigned_on <= :end{unit_condition}"
        " ORDER BY c.assigned_on, c.year, c.serial"
    )
    return reader.rows(sql, parameters)


LEDGER_COLUMNS = (
    "year", "serial", "title", "category", "source", "major", "classified", "secret_level", "paper_location",
    "state", "opened_on", "approved_on", "approver", "meeting_ref", "meeting_on", "opinion", "rejected_on",
    "reject_reason", "lead_unit", "assist_units", "assigned_on", "limit_workdays", "basis", "original_due",
    "due", "due_provisional", "accepted_on", "unit_ref", "feedback_on", "report_text", "report_file",
    "archived_on", "archive_location", "withdrawn_on", "withdraw_reason", "finding_id", "last_step_on",
    "extensions",
)  # fmt: skip
"""Every stored field of a case but its row id and timestamps, then its extension count."""


def iter_ledger(reader: PlainReader, *, year: int) -> Iterator[tuple[Any, ...]]:
    """Every case opened in `year` (numbered in its series), every stored field: LEDGER_COLUMNS tuples."""
    columns = ", ".join(f"c.{name}" for name in LEDGER_COLUMNS[:-1])
    sql = f"SELECT {columns}, {_EXTENSION_COUNT} FROM cases c WHERE c.year = :year ORDER BY c.serial"
    return reader.rows(sql, {"year": year})


def unit_names(reader: PlainReader) -> list[UnitName]:
    """Every unit's full name, short name and county, in the listed order (for --unit)."""
    return [UnitName(*row) for row in reader.rows("SELECT name, short_name, county FROM unit ORDER BY ordering")]


OVERDUE_FINDING_KEYS = (
    "id", "inspection_id", "kind", "unit", "unit_short", "county", "village", "text", "code",
    "ordered_on", "workdays", "due", "provisional",
)  # fmt: skip


def iter_overdue_findings(reader: PlainReader, as_of: date | None) -> Iterator[dict[str, Any]]:
    """Findings whose order to correct (整改) ran out before `as_of` (None: every running one), neither
    rectified nor handed over as a 督查事项, by due date then id: dicts with the keys of
    OVERDUE_FINDING_KEYS."""
    before = "" if as_of is None else " AND f.due < :as_of"
    sql = (
        "SELECT f.id, f.inspection_id, i.kind, f.unit, COALESCE(u.short_name, f.unit), v.county, v.name,"
        " f.text, f.code, f.ordered_on, f.workdays, f.due, f.due_provisional"
        " FROM finding f JOIN inspection i ON i.id = f.inspection_id"
        " LEFT JOIN unit u ON u.name = f.unit LEFT JOIN village v ON v.id = f.village_id"
        f" WHERE f.rectified_on IS NULL AND f.handed_over_on IS NULL{before}"
        " ORDER BY f.due, f.id"
    )
    for row in reader.rows(sql, {} if as_of is None else {"as_of": as_of}):
        item = dict(zip(OVERDUE_FINDING_KEYS, row, strict=True))
        item["provisional"] = bool(item["provisional"])
        yield item
