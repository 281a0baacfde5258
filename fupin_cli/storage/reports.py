"""Read-only queries for `fupin report`: portable SQL on the light read path (storage.plain), plain
tuples streamed from the driver, never ORM objects and no SQLAlchemy.

Each function filters in SQL and orders its rows; the working-day arithmetic is done by the caller,
one row at a time.
"""

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from fupin_cli.domain.record_fields import CASE_FIELD_NAMES
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


STATS_COUNT_COLUMNS = (
    "key", "unit_short", "workdays",
    "received", "withdrawn", "completed", "on_time", "on_time_original", "overdue_now", "extensions",
)  # fmt: skip
"""The fields of each tuple that stats_counts yields, in order."""


def iter_case_events(reader: PlainReader) -> Iterator[tuple[Any, ...]]:
    """Every case's audit events (case_id, action, effective_on, after as JSON text), by case then id."""
    return reader.rows(
        "SELECT case_id, action, effective_on, after FROM audit_event WHERE case_id IS NOT NULL ORDER BY case_id, id"
    )


def case_identities(reader: PlainReader) -> dict[int, tuple[Any, ...]]:
    """Each case's id → (year, serial, title, classified): what no step changes."""
    return {row[0]: row[1:] for row in reader.rows("SELECT id, year, serial, title, classified FROM cases")}


_ORDINAL_WIDTH = 7


def first_assigned(reader: PlainReader, *, start: date, end: date) -> date | None:
    """The earliest assignment date of the cases assigned from `start` to `end` (from the index)."""
    sql = "SELECT min(c.assigned_on) FROM cases c WHERE c.assigned_on >= :start AND c.assigned_on <= :end"
    first = next(reader.rows(sql, {"start": start, "end": end}))[0]
    return date.fromisoformat(first) if isinstance(first, str) else first


def stats_counts(
    reader: PlainReader,
    *,
    start: date,
    end: date,
    today: date,
    open_states: Iterable[str],
    withdrawn: str,
    by: str,
    ordinals: Sequence[tuple[date, int]],
) -> Iterator[tuple[Any, ...]]:
    """The cases assigned from `start` to `end`, counted in SQL: STATS_COUNT_COLUMNS tuples, one per
    group (`by`: the lead unit with its short name, the category, or the month of assignment as
    YYYY-MM) and working days taken (None when not completed).

    `ordinals` numbers the working days (each day from the earliest assignment to the latest feedback,
    with the working days counted up to it): the working days a case took are the difference of its
    two days' numbers, looked up by the query at the days' offsets. Withdrawn cases (`withdrawn`) are counted apart and in no other column. Completed
    means a feedback date is recorded; on time, on or before the (extended, or original) due date;
    overdue now, open with its due date before `today`.
    """
    state_list, parameters = expand("state", list(open_states))
    parameters |= {"start": start, "end": end, "today": today, "withdrawn": withdrawn}
    month = "to_char(c.assigned_on, 'YYYY-MM')" if reader.backend == "postgresql" else "substr(c.assigned_on, 1, 7)"
    key = {"unit": "c.lead_unit, u.short_name", "category": "c.category, NULL", "month": f"{month}, NULL"}[by]
    grouped = {"unit": "c.lead_unit, u.short_name", "category": "c.category", "month": month}[by]
    kept = "c.state <> :withdrawn"
    done = f"{kept} AND c.feedback_on IS NOT NULL"
    workdays = "NULL"
    if ordinals:
        parameters["first_day"] = ordinals[0][0]
        if reader.backend == "postgresql":
            parameters["ordinals"] = [number for _, number in ordinals]

            def ordinal(column: str) -> str:
                return f"(CAST(:ordinals AS integer[]))[{column} - CAST(:first_day AS DATE) + 1]"
        else:
            # One blob of fixed-width numbers, read at the day's offset (a blob's substr is by byte).
            parameters["ordinals"] = "".join(f"{number:{_ORDINAL_WIDTH}d}" for _, number in ordinals).encode()

            def ordinal(column: str) -> str:
                offset = f"CAST(julianday({column}) - julianday(:first_day) AS INTEGER)"
                return f"CAST(CAST(substr(:ordinals, {offset} * {_ORDINAL_WIDTH} + 1, {_ORDINAL_WIDTH}) AS TEXT) AS INTEGER)"

        workdays = f"CASE WHEN {done} THEN {ordinal('c.feedback_on')} - {ordinal('c.assigned_on')} END"
    sql = (
        f"SELECT {key}, {workdays} AS workdays,"
        f" sum(CASE WHEN {kept} THEN 1 ELSE 0 END),"
        " sum(CASE WHEN c.state = :withdrawn THEN 1 ELSE 0 END),"
        f" sum(CASE WHEN {done} THEN 1 ELSE 0 END),"
        f" sum(CASE WHEN {done} AND c.due IS NOT NULL AND c.feedback_on <= c.due THEN 1 ELSE 0 END),"
        f" sum(CASE WHEN {done} AND c.due IS NOT NULL AND c.feedback_on <= COALESCE(c.original_due, c.due)"
        " THEN 1 ELSE 0 END),"
        f" sum(CASE WHEN c.state IN {state_list} AND c.due IS NOT NULL AND c.due < :today THEN 1 ELSE 0 END),"
        f" sum(CASE WHEN {kept} THEN {_EXTENSION_COUNT} ELSE 0 END)"
        " FROM cases c LEFT JOIN unit u ON u.name = c.lead_unit"
        " WHERE c.assigned_on >= :start AND c.assigned_on <= :end"
        f" GROUP BY {grouped}, workdays"
    )
    return reader.rows(sql, parameters)


LEDGER_COLUMNS = (*CASE_FIELD_NAMES, "extensions")
"""Every stored field of a case but its row id and timestamps, then its extension count."""


def iter_ledger(reader: PlainReader, *, year: int) -> Iterator[tuple[Any, ...]]:
    """Every case opened in `year` (numbered in its series), every stored field: LEDGER_COLUMNS tuples."""
    columns = ", ".join(f"c.{name}" for name in LEDGER_COLUMNS[:-1])
    sql = f"SELECT {columns}, {_EXTENSION_COUNT} FROM cases c WHERE c.year = :year ORDER BY c.serial"
    return reader.rows(sql, {"year": year})


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
