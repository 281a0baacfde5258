"""Rows of `cases` and `case_extension` as domain objects, for both read paths; and the light
reads of one case (storage.plain) that `case show` and `case log` need. No SQLAlchemy here."""

from collections.abc import Iterable
from dataclasses import fields
from datetime import date
from typing import Any

from fupin_cli.domain.cases import Case, Extension
from fupin_cli.domain.errors import NotFoundError
from fupin_cli.domain.numbering import CaseNumber
from fupin_cli.domain.workflow import State
from fupin_cli.storage.plain import PlainReader, decode_units

CASE_COLUMNS = [f.name for f in fields(Case) if f.name not in ("extensions", "id")]


def case_from_row(row: Any, extension_rows: Iterable[Any]) -> Case:
    values = {name: row[name] for name in CASE_COLUMNS}
    values["state"] = State(values["state"])
    values["assist_units"] = decode_units(values["assist_units"])
    values["major"] = bool(values["major"])
    values["classified"] = bool(values["classified"])
    values["due_provisional"] = bool(values["due_provisional"])
    return Case(**values, id=row["id"], extensions=tuple(extension_from_row(r) for r in extension_rows))


def extension_from_row(row: Any) -> Extension:
    return Extension(
        id=row["id"],
        granted_on=row["granted_on"],
        old_due=row["old_due"],
        new_due=row["new_due"],
        reason=row["reason"],
        approver=row["approver"],
        workdays=row["workdays"],
        provisional=bool(row["provisional"]),
    )


def load_case(reader: PlainReader, number: CaseNumber) -> Case:
    """The case with this number, with its extensions; NotFoundError if there is none."""
    found = reader.mappings(
        "SELECT * FROM cases WHERE year = :year AND serial = :serial", {"year": number.year, "serial": number.serial}
    )
    if not found:
        raise NotFoundError(f"没有这个督查事项：{number}")
    row = found[0]
    extensions = reader.mappings("SELECT * FROM case_extension WHERE case_id = :id ORDER BY id", {"id": row["id"]})
    return case_from_row(row, extensions)


def serial_years(reader: PlainReader, serial: int) -> dict[int, bool]:
    """Every year holding a case of this serial, and whether that case is still open (not final)."""
    # Year by year through the (year, serial) index, each year's first found by the index alone: a
    # lookup per year, where `WHERE serial = ?` reads every case (0.17 s at a million cases).
    found = reader.mappings(
        "WITH RECURSIVE years(year) AS (SELECT min(year) FROM cases UNION ALL"
        " SELECT (SELECT min(c.year) FROM cases c WHERE c.year > years.year) FROM years WHERE years.year IS NOT NULL)"
        " SELECT c.year, c.state FROM years JOIN cases c ON c.year = years.year AND c.serial = :serial",
        {"serial": serial},
    )
    return {int(row["year"]): not State(row["state"]).is_final for row in found}


def unit_short_name(reader: PlainReader, name: str | None) -> str | None:
    if not name:
        return None
    found = list(reader.rows("SELECT short_name FROM unit WHERE name = :name", {"name": name}))
    return found[0][0] if found else name


def case_events(reader: PlainReader, case_id: int) -> list[dict[str, Any]]:
    """The case's audit events in order, with effective_on as text, as storage.events gives them."""
    events = reader.mappings("SELECT * FROM audit_event WHERE case_id = :id ORDER BY id", {"id": case_id})
    for event in events:
        if isinstance(event["effective_on"], date):
            event["effective_on"] = event["effective_on"].isoformat()
    return events
