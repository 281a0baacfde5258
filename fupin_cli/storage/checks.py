"""The SQL of 监督检查: villages, yearly plans, inspections and visits, findings, indicators.

Functions take the Connection of the current unit of work (`session.connection()` inside
Database.write(), or the one Database.read() yields). Listings and reports get plain dicts.
The overdue orders to correct that `fupin report overdue` lists are read by storage/reports.py.
"""

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, case, func, insert, select, update

from fupin_cli.domain.errors import NotFoundError
from fupin_cli.domain.findings import Finding
from fupin_cli.domain.inspections import Inspection, Phase
from fupin_cli.domain.replay import FINDING_COLUMNS
from fupin_cli.domain.villages import VillageRecord, decode_years, encode_years
from fupin_cli.storage import tables

villages = tables.Village.__table__  # type: ignore[attr-defined]
plans = tables.InspectionPlan.__table__  # type: ignore[attr-defined]
inspections = tables.Inspection.__table__  # type: ignore[attr-defined]
visits = tables.InspectionVisit.__table__  # type: ignore[attr-defined]
findings = tables.Finding.__table__  # type: ignore[attr-defined]
indicators = tables.Indicator.__table__  # type: ignore[attr-defined]
units = tables.Unit.__table__  # type: ignore[attr-defined]
cases = tables.CaseRecord.__table__  # type: ignore[attr-defined]

KEY_COUNTY = "key_county"
DIVISION = "division"
_PHASE_COLUMNS = {
    Phase.PREPARATION: "preparation_on",
    Phase.INSPECTION: "inspection_on",
    Phase.SUMMARY: "summary_on",
}


def _new_id(result: Any) -> int:
    key = result.inserted_primary_key
    return int(key[0])


# --- counties --------------------------------------------------------------------------------------


def county_aliases(conn: Connection) -> dict[str, str]:
    """What may be typed for a county (唐县, or 唐县扶贫开发办公室) → the county; city divisions are not counties."""
    query = select(units.c.name, units.c.short_name, units.c.county).where(
        units.c.kind != DIVISION, units.c.county.is_not(None)
    )
    aliases: dict[str, str] = {}
    for name, short_name, county in conn.execute(query):
        aliases[name] = county
        aliases[short_name] = county
        aliases[county] = county
    return aliases


def key_counties(conn: Connection) -> list[str]:
    """The key counties (扶贫开发重点县), in the units file's order."""
    query = select(units.c.county).where(units.c.kind == KEY_COUNTY).order_by(units.c.ordering)
    return [county for county in conn.execute(query).scalars() if county]


# --- villages --------------------------------------------------------------------------------------


def _village_record(row: Mapping[str, Any]) -> VillageRecord:
    return VillageRecord(
        county=row["county"],
        name=row["name"],
        key_village=bool(row["key_village"]),
        project_years=decode_years(row["project_years"]),
        mutual_aid_pilot=bool(row["mutual_aid_pilot"]),
        note=row["note"],
    )


def village_rows(conn: Connection, *, county: str | None = None) -> list[dict[str, Any]]:
    """Every village (id, county, name, key_village, project_years as a tuple, mutual_aid_pilot, note),
    counties in the units file's order, villages in the order they were first imported."""
    county_order = (
        select(units.c.county, func.min(units.c.ordering).label("ordering"))
        .where(units.c.kind != DIVISION)
        .group_by(units.c.county)
        .subquery()
    )
    query = (
        select(villages)
        .select_from(villages.outerjoin(county_order, county_order.c.county == villages.c.county))
        .order_by(county_order.c.ordering, villages.c.county, villages.c.id)
    )
    if county is not None:
        query = query.where(villages.c.county == county)
    rows = []
    for row in conn.execute(query).mappings():
        record = dict(row)
        record["project_years"] = decode_years(row["project_years"])
        record["key_village"] = bool(row["key_village"])
        record["mutual_aid_pilot"] = bool(row["mutual_aid_pilot"])
        rows.append(record)
    return rows


def stored_villages(conn: Connection) -> dict[tuple[str, str], tuple[int, VillageRecord]]:
    """(county, name) → (id, record) of every stored village."""
    query = select(villages)
    return {
        (row["county"], row["name"]): (int(row["id"]), _village_record(row))
        for row in conn.execute(query).mappings()
    }


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


def find_villages(conn: Connection, name: str, *, county: str | None = None) -> list[dict[str, Any]]:
    """Villages with this exact name (in this county when given)."""
    query = select(villages).where(villages.c.name == name).order_by(villages.c.county)
    if county is not None:
        query = query.where(villages.c.county == county)
    return [dict(row) for row in conn.execute(query).mappings()]


def village_names(conn: Connection, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    query = select(villages.c.id, villages.c.county, villages.c.name).where(villages.c.id.in_(wanted))
    return {int(row.id): (row.county, row.name) for row in conn.execute(query)}


# --- plans -----------------------------------------------------------------------------------------


def load_plan(conn: Connection, year: int) -> dict[str, Any] | None:
    """The stored plan of `year`: its columns, with `plan` decoded from JSON."""
    row = conn.execute(select(plans).where(plans.c.year == year)).mappings().first()
    if row is None:
        return None
    stored = dict(row)
    stored["plan"] = json.loads(stored["plan"])
    return stored


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


def _inspection_from(row: Mapping[str, Any]) -> Inspection:
    days = {phase: row[column] for phase, column in _PHASE_COLUMNS.items() if row[column] is not None}
    return Inspection(
        id=int(row["id"]),
        year=int(row["year"]),
        kind=int(row["kind"]),
        title=row["title"],
        method=row["method"],
        units=tuple(json.loads(row["units"])) if row["units"] else (),
        phase=Phase(row["phase"]),
        opened_on=row["opened_on"],
        phase_days=days,
    )


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
    for phase, column in _PHASE_COLUMNS.items():
        values[column] = inspection.phase_days.get(phase)
    return values


def insert_inspection(conn: Connection, inspection: Inspection) -> int:
    return _new_id(conn.execute(insert(inspections).values(**_inspection_values(inspection))))


def load_inspection(conn: Connection, inspection_id: int) -> Inspection:
    row = conn.execute(select(inspections).where(inspections.c.id == inspection_id)).mappings().first()
    if row is None:
        raise NotFoundError(f"没有编号为 {inspection_id} 的检查（fupin check list 列出全部检查）")
    return _inspection_from(row)


def save_inspection(conn: Connection, inspection: Inspection) -> None:
    conn.execute(
        update(inspections).where(inspections.c.id == inspection.id).values(**_inspection_values(inspection))
    )


def list_inspections(
    conn: Connection, *, year: int | None = None, kind: int | None = None
) -> list[Inspection]:
    query = select(inspections).order_by(inspections.c.id)
    if year is not None:
        query = query.where(inspections.c.year == year)
    if kind is not None:
        query = query.where(inspections.c.kind == kind)
    return [_inspection_from(row) for row in conn.execute(query).mappings()]


def inspection_counts(conn: Connection, inspection_ids: Sequence[int]) -> dict[int, tuple[int, int, int]]:
    """inspection id → (visits, findings, findings still open)."""
    if not inspection_ids:
        return {}
    visit_counts = dict(
        conn.execute(
            select(visits.c.inspection_id, func.count())
            .where(visits.c.inspection_id.in_(inspection_ids))
            .group_by(visits.c.inspection_id)
        ).all()
    )
    open_case = case(
        (and_(findings.c.rectified_on.is_(None), findings.c.handed_over_on.is_(None)), 1), else_=0
    )
    finding_counts = {
        row[0]: (int(row[1]), int(row[2] or 0))
        for row in conn.execute(
            select(findings.c.inspection_id, func.count(), func.sum(open_case))
            .where(findings.c.inspection_id.in_(inspection_ids))
            .group_by(findings.c.inspection_id)
        )
    }
    return {
        inspection_id: (int(visit_counts.get(inspection_id, 0)), *finding_counts.get(inspection_id, (0, 0)))
        for inspection_id in inspection_ids
    }


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


def visit_exists(
    conn: Connection, *, inspection_id: int, village_id: int | None, unit: str | None, checked_by: str
) -> date | None:
    """The day this village or unit was already recorded as checked by the same side in this inspection."""
    query = select(visits.c.visited_on).where(
        visits.c.inspection_id == inspection_id, visits.c.checked_by == checked_by
    )
    query = (
        query.where(visits.c.village_id == village_id)
        if village_id is not None
        else query.where(visits.c.unit == unit, visits.c.village_id.is_(None))
    )
    return conn.execute(query.limit(1)).scalar()


def visit_rows(conn: Connection, inspection_id: int) -> list[dict[str, Any]]:
    """The visits of one inspection with the village's county and name, in the order recorded."""
    query = (
        select(
            visits.c.id,
            visits.c.village_id,
            villages.c.county,
            villages.c.name.label("village"),
            visits.c.unit,
            visits.c.checked_by,
            visits.c.visited_on,
        )
        .select_from(visits.outerjoin(villages, villages.c.id == visits.c.village_id))
        .where(visits.c.inspection_id == inspection_id)
        .order_by(visits.c.id)
    )
    return [dict(row) for row in conn.execute(query).mappings()]


def fund_project_visits(
    conn: Connection, year: int, *, kind: int = 2
) -> Iterator[tuple[str, str, str, str | None]]:
    """(county, village, checked_by, method) of every village visit in `year`'s inspections of `kind`."""
    query = (
        select(villages.c.county, villages.c.name, visits.c.checked_by, inspections.c.method)
        .select_from(
            visits.join(inspections, inspections.c.id == visits.c.inspection_id).join(
                villages, villages.c.id == visits.c.village_id
            )
        )
        .where(inspections.c.year == year, inspections.c.kind == kind)
    )
    for row in conn.execute(query):
        yield row[0], row[1], row[2], row[3]


# --- findings --------------------------------------------------------------------------------------

_FINDING_COLUMNS = FINDING_COLUMNS  # the one list, shared with the replay of db check


def _finding_from(row: Mapping[str, Any]) -> Finding:
    values = {name: row[name] for name in _FINDING_COLUMNS}
    values["due_provisional"] = bool(values["due_provisional"])
    return Finding(id=int(row["id"]), **values)


def _finding_values(finding: Finding) -> dict[str, Any]:
    return {name: getattr(finding, name) for name in _FINDING_COLUMNS}


def insert_finding(conn: Connection, finding: Finding) -> int:
    return _new_id(conn.execute(insert(findings).values(**_finding_values(finding))))


def load_finding(conn: Connection, finding_id: int) -> Finding:
    row = conn.execute(select(findings).where(findings.c.id == finding_id)).mappings().first()
    if row is None:
        raise NotFoundError(f"没有编号为 {finding_id} 的问题（fupin check show 检查编号 列出其问题）")
    return _finding_from(row)


def save_finding(conn: Connection, finding: Finding) -> None:
    conn.execute(update(findings).where(findings.c.id == finding.id).values(**_finding_values(finding)))


def inspection_findings(conn: Connection, inspection_id: int) -> list[Finding]:
    query = select(findings).where(findings.c.inspection_id == inspection_id).order_by(findings.c.id)
    return [_finding_from(row) for row in conn.execute(query).mappings()]


def iter_provisional_findings(conn: Connection) -> Iterator[Finding]:
    """Findings still running whose due date was computed on a provisional year, in id order."""
    query = (
        select(findings)
        .where(
            findings.c.due_provisional.is_(True),
            findings.c.rectified_on.is_(None),
            findings.c.handed_over_on.is_(None),
        )
        .order_by(findings.c.id)
    )
    for row in conn.execute(query).mappings():
        yield _finding_from(row)


def link_case(conn: Connection, *, case_id: int, finding_id: int) -> None:
    """Record on the 督查事项 which finding it was opened for (cases.finding_id)."""
    conn.execute(update(cases).where(cases.c.id == case_id).values(finding_id=finding_id))


def case_numbers(conn: Connection, case_ids: Iterable[int | None]) -> dict[int, tuple[int, int]]:
    wanted = sorted({i for i in case_ids if i is not None})
    if not wanted:
        return {}
    query = select(cases.c.id, cases.c.year, cases.c.serial).where(cases.c.id.in_(wanted))
    return {int(row.id): (int(row.year), int(row.serial)) for row in conn.execute(query)}




# --- indicators ------------------------------------------------------------------------------------


def load_indicator(conn: Connection, *, year: int, county: str, kind: str) -> dict[str, Any] | None:
    query = select(indicators).where(
        indicators.c.year == year, indicators.c.county == county, indicators.c.kind == kind
    )
    row = conn.execute(query).mappings().first()
    return dict(row) if row is not None else None


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


def indicator_rows(conn: Connection, *, year: int) -> list[dict[str, Any]]:
    query = (
        select(indicators).where(indicators.c.year == year).order_by(indicators.c.kind, indicators.c.county)
    )
    return [dict(row) for row in conn.execute(query).mappings()]
