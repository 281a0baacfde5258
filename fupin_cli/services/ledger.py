"""`fupin report ledger`: the 台账 of a year, every stored field of every case, read on the light path."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from fupin_cli.domain import cases as rules
from fupin_cli.services.database import reading
from fupin_cli.settings import Settings
from fupin_cli.storage import reports as queries
from fupin_cli.storage.plain import decode_units


@dataclass(frozen=True)
class Ledger:
    year: int
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    as_of: date | None = None
    """The day the ledger was taken."""


def ledger(*, settings: Settings, year: int) -> Ledger:
    """台账: every case of `year`'s number series with every stored field and its extension count."""
    with reading(settings) as conn:
        at = queries.LEDGER_COLUMNS.index("assist_units")
        rows = tuple(
            (*row[:at], decode_units(row[at]), *row[at + 1 :]) for row in queries.iter_ledger(conn, year=year)
        )
    return _with_original_marks(Ledger(year, queries.LEDGER_COLUMNS, rows, as_of=settings.today), settings)


def _with_original_marks(ledger: Ledger, settings: Settings) -> Ledger:
    """The ledger with `original_due_provisional` after `due_provisional`: whether the original due
    date (not only the current one) rests on a provisional year."""
    from fupin_cli.services.calendar import load_calendar  # only when a date is provisional

    columns = ledger.columns
    at = columns.index("due_provisional") + 1
    original, provisional, count = (columns.index(key) for key in ("original_due", "due_provisional", "extensions"))
    calendar = load_calendar(settings) if any(row[provisional] for row in ledger.rows) else None
    rows = tuple(
        (*row[:at], bool(row[provisional]) and calendar is not None and rules.original_due_provisional(
            original_due=row[original], due_provisional=True, extensions=int(row[count]), calendar=calendar
        ), *row[at:])
        for row in ledger.rows
    )  # fmt: skip
    return replace(ledger, columns=(*columns[:at], "original_due_provisional", *columns[at:]), rows=rows)
