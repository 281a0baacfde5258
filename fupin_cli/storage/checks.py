"""The SQL of 监督检查: villages, yearly plans, inspections and visits, findings, indicators.

Functions take the Connection of the current unit of work (`session.connection()` inside
Database.write()). The reads, and the row→record mappings, are storage.check_rows (on
storage.rows.Rows, which the write path reaches through storage.session_rows.SessionRows).
The overdue orders to correct that `fupin report overdue` lists are read by storage/reports.py.
"""

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import Connection, insert, update

from fupin_cli.domain.findings import Finding
from fupin_cli.domain.inspections import Inspection
from fupin_cli.domain.replay import FINDING_COLUMNS
from fupin_cli.domain.villages import VillageRecord, encode_years
from fupin_cli.storage import tables
from fupin_cli.storage.check_rows import PHASE_COLUMNS

villages = tables.Village.__table__  # type: ignore[attr-defined]
plans = tables.InspectionPlan.__table__  # type: ignore[attr-defined]
inspections = tables.Inspection.__table__  # type: ignore[attr-defined]
visits = tables.InspectionVisit.__table__  # type: ignore[attr-defined]
findings = tables.Finding.__table__  # type: ignore[attr-defined]
indicators = tables.Indicator.__table__  # type: ignore[attr-defined]
units = tables.Unit.__table__  # type: ignore[attr-defined]
cases = tables.CaseRecord.__table__  # type: ignore[attr-defined]

def _new_id(result: Any) -> int:
    key = result.inserted_primary_key
    return int(key[0])


# --- counties --------------------------------------------------------------------------------------


# --- villages --------------------------------------------------------------------------------------


def _village_values(record: VillageRecord, on: date) -> dict[str, Any]:
    return {
        "county": record.county,
        "name": record.name,
        "key_village": record.key_village,
        "project_years": encode_years(record.project_years),
        "mutual_aid_pilot": record.mutual_aid_pilot,
        "note": record.note,
        "updated_on": on,
    }


def insert_village(conn: Connection, record: VillageRecord, *, on: date) -> int:
    return _new_id(conn.execute(insert(villages).values(**_village_values(record, on))))


def update_village(conn: Connection, village_id: int, record: VillageRecord, *, on: date) -> None:
    conn.execute(update(villages).where(villages.c.id == village_id).values(**_village_values(record, on)))


# --- plans -----------------------------------------------------------------------------------------


def save_plan(
    conn: Connection,
    *,
    year: int,
    period_year: int,
    seed: int,
    county_count: int,
    plan: Mapping[str, Any],
    villages_digest: str,
    drawn_on: date,
    drawn_by: str,
) -> None:
    """Store `year`'s plan, replacing the one stored before (the caller records the redraw)."""
    values = {
        "period_year": period_year,
        "seed": str(seed),
        "county_count": county_count,
        "plan": json.dumps(plan, ensure_ascii=False, sort_keys=True),
        "villages_digest": villages_digest,
        "drawn_on": drawn_on,
        "drawn_by": drawn_by,
    }
    done = conn.execute(update(plans).where(plans.c.year == year).values(**values))
    if done.rowcount == 0:
        conn.execute(insert(plans).values(year=year, **values))


# --- inspections and visits ------------------------------------------------------------------------


def _inspection_values(inspection: Inspection) -> dict[str, Any]:
    values: dict[str, Any] = {
        "year": inspection.year,
        "kind": inspection.kind,
        "title": inspection.title,
        "method": inspection.method,
        "units": json.dumps(list(inspection.units), ensure_ascii=False) if inspection.units else None,
        "phase": inspection.phase.value,
        "opened_on": inspection.opened_on,
    }
    for phase, column in PHASE_COLUMNS.items():
        values[column] = inspection.phase_days.get(phase)
    return values


def insert_inspection(conn: Connection, inspection: Inspection) -> int:
    return _new_id(conn.execute(insert(inspections).values(**_inspection_values(inspection))))


def save_inspection(conn: Connection, inspection: Inspection) -> None:
    conn.execute(
        update(inspections).where(inspections.c.id == inspection.id).values(**_inspection_values(inspection))
    )


def insert_visit(
    conn: Connection,
    *,
    inspection_id: int,
    village_id: int | None,
    unit: str | None,
    checked_by: str,
    visited_on: date,
) -> int:
    return _new_id(
        conn.execute(
            insert(visits).values(
                inspection_id=inspection_id,
                village_id=village_id,
                unit=unit,
                checked_by=checked_by,
                visited_on=visited_on,
            )
        )
    )


# --- findings --------------------------------------------------------------------------------------

def _finding_values(finding: Finding) -> dict[str, Any]:
    return {name: getattr(finding, name) for name in FINDING_COLUMNS}


def insert_finding(conn: Connection, finding: Finding) -> int:
    return _new_id(conn.execute(insert(findings).values(**_finding_values(finding))))


def save_finding(conn: Connection, finding: Finding) -> None:
    conn.execute(update(findings).where(findings.c.id == finding.id).values(**_finding_values(finding)))


def link_case(conn: Connection, *, case_id: int, finding_id: int) -> None:
    """Record on the 督查事项 which finding it was opened for (cases.finding_id)."""
    conn.execute(update(cases).where(cases.c.id == case_id).values(finding_id=finding_id))


# --- indicators ------------------------------------------------------------------------------------


def save_indicator(
    conn: Connection, *, year: int, county: str, kind: str, numerator: int, denominator: int, on: date
) -> None:
    values = {"numerator": numerator, "denominator": denominator, "recorded_on": on}
    done = conn.execute(
        update(indicators)
        .where(indicators.c.year == year, indicators.c.county == county, indicators.c.kind == kind)
        .values(**values)
    )
    if done.rowcount == 0:
        conn.execute(insert(indicators).values(year=year, county=county, kind=kind, **values))


