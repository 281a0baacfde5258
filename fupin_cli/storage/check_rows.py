"""The reads of 监督检查, written once for both paths: villages, plans, inspections and visits,
findings, indicators. Each function takes a storage.rows.Rows (the light reader of a read command,
or SessionRows over a write's connection); the writes are storage.checks. No SQLAlchemy here.
"""

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from fupin_cli.domain.errors import NotFoundError
from fupin_cli.domain.findings import Finding
from fupin_cli.domain.inspections import Inspection, Phase
from fupin_cli.domain.replay import FINDING_COLUMNS
from fupin_cli.domain.villages import VillageRecord, decode_years
from fupin_cli.storage.plain import expand
from fupin_cli.storage.rows import Rows

KEY_COUNTY = "key_county"
DIVISION = "division"
PHASE_COLUMNS = {
    Phase.PREPARATION: "preparation_on",
    Phase.INSPECTION: "inspection_on",
    Phase.SUMMARY: "summary_on",
}


# --- counties --------------------------------------------------------------------------------------


def county_aliases(reader: Rows) -> dict[str, str]:
    """What may be typed for a county (唐县, or 唐县扶贫开发办公室) → the county; city divisions are not counties."""
    sql = "SELECT name, short_name, county FROM unit WHERE kind <> :division AND county IS NOT NULL"
    aliases: dict[str, str] = {}
    for name, short_name, county in reader.rows(sql, {"division": DIVISION}):
        aliases[name] = county
        aliases[short_name] = county
        aliases[county] = county
    return aliases


def key_counties(reader: Rows) -> list[str]:
    """The key counties (扶贫开发重点县), in the units file's order."""
    sql = "SELECT county FROM unit WHERE kind = :kind ORDER BY ordering"
    return [county for (county,) in reader.rows(sql, {"kind": KEY_COUNTY}) if county]


# --- villages --------------------------------------------------------------------------------------


def village_record(row: Mapping[str, Any]) -> VillageRecord:
    return VillageRecord(
        county=row["county"],
        name=row["name"],
        key_village=bool(row["key_village"]),
        project_years=decode_years(row["project_years"]),
        mutual_aid_pilot=bool(row["mutual_aid_pilot"]),
        note=row["note"],
    )


_VILLAGE = "SELECT v.id, v.county, v.name, v.key_village, v.project_years, v.mutual_aid_pilot, v.note, v.updated_on"


def village_rows(reader: Rows, *, county: str | None = None) -> list[dict[str, Any]]:
    """Every village (id, county, name, key_village, project_years as a tuple, mutual_aid_pilot, note),
    counties in the units file's order, villages in the order they were first imported."""
    where = " WHERE v.county = :county" if county is not None else ""
    sql = (
        f"{_VILLAGE} FROM village v LEFT JOIN (SELECT county, min(ordering) AS ordering FROM unit"
        " WHERE kind <> :division GROUP BY county) o ON o.county = v.county"
        f"{where} ORDER BY o.ordering, v.county, v.id"
    )
    rows = []
    for record in reader.mappings(sql, {"division": DIVISION, "county": county}):
        record["project_years"] = decode_years(record["project_years"])
        record["key_village"] = bool(record["key_village"])
        record["mutual_aid_pilot"] = bool(record["mutual_aid_pilot"])
        rows.append(record)
    return rows


def stored_villages(reader: Rows) -> dict[tuple[str, str], tuple[int, VillageRecord]]:
    """(county, name) → (id, record) of every stored village."""
    return {
        (row["county"], row["name"]): (int(row["id"]), village_record(row))
        for row in reader.mappings(f"{_VILLAGE} FROM village v")
    }


def find_villages(reader: Rows, name: str, *, county: str | None = None) -> list[dict[str, Any]]:
    """Villages with this exact name (in this county when given)."""
    where = " AND v.county = :county" if county is not None else ""
    return reader.mappings(
        f"{_VILLAGE} FROM village v WHERE v.name = :name{where} ORDER BY v.county", {"name": name, "county": county}
    )


def village_names(reader: Rows, ids: Iterable[int | None]) -> dict[int, tuple[str, str]]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    listed, parameters = expand("id", wanted)
    sql = f"SELECT id, county, name FROM village WHERE id IN {listed}"
    return {int(row[0]): (row[1], row[2]) for row in reader.rows(sql, parameters)}


# --- plans -----------------------------------------------------------------------------------------


def load_plan(reader: Rows, year: int) -> dict[str, Any] | None:
    """The stored plan of `year`: its columns, with `plan` decoded from JSON."""
    found = reader.mappings("SELECT * FROM inspection_plan WHERE year = :year", {"year": year})
    if not found:
        return None
    stored = found[0]
    stored["plan"] = json.loads(stored["plan"])
    return stored


# --- inspections and visits ------------------------------------------------------------------------


def inspection_from(row: Mapping[str, Any]) -> Inspection:
    days = {phase: row[column] for phase, column in PHASE_COLUMNS.items() if row[column] is not None}
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


def load_inspection(reader: Rows, inspection_id: int) -> Inspection:
    found = reader.mappings("SELECT * FROM inspection WHERE id = :id", {"id": inspection_id})
    if not found:
        raise NotFoundError(f"没有编号为 {inspection_id} 的检查（fupin check list 列出全部检查）")
    return inspection_from(found[0])


def list_inspections(reader: Rows, *, year: int | None = None, kind: int | None = None) -> list[Inspection]:
    conditions = [f"{name} = :{name}" for name, value in (("year", year), ("kind", kind)) if value is not None]
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    sql = f"SELECT * FROM inspection{where} ORDER BY id"
    return [inspection_from(row) for row in reader.mappings(sql, {"year": year, "kind": kind})]


def inspection_counts(reader: Rows, inspection_ids: Sequence[int]) -> dict[int, tuple[int, int, int]]:
    """inspection id → (visits, findings, findings still open)."""
    if not inspection_ids:
        return {}
    listed, parameters = expand("id", list(inspection_ids))
    visit_counts = dict(
        reader.rows(
            f"SELECT inspection_id, count(*) FROM inspection_visit WHERE inspection_id IN {listed} GROUP BY inspection_id",
            parameters,
        )
    )
    finding_counts = {
        row[0]: (int(row[1]), int(row[2] or 0))
        for row in reader.rows(
            "SELECT inspection_id, count(*), sum(CASE WHEN rectified_on IS NULL AND handed_over_on IS NULL"
            f" THEN 1 ELSE 0 END) FROM finding WHERE inspection_id IN {listed} GROUP BY inspection_id",
            parameters,
        )
    }
    return {
        inspection_id: (int(visit_counts.get(inspection_id, 0)), *finding_counts.get(inspection_id, (0, 0)))
        for inspection_id in inspection_ids
    }


def visit_exists(
    reader: Rows, *, inspection_id: int, village_id: int | None, unit: str | None, checked_by: str
) -> date | None:
    """The day this village or unit was already recorded as checked by the same side in this inspection."""
    which = "village_id = :village_id" if village_id is not None else "unit = :unit AND village_id IS NULL"
    sql = (
        "SELECT visited_on FROM inspection_visit WHERE inspection_id = :inspection_id"
        f" AND checked_by = :checked_by AND {which} LIMIT 1"
    )
    parameters = {"inspection_id": inspection_id, "checked_by": checked_by, "village_id": village_id, "unit": unit}
    found = list(reader.rows(sql, parameters))
    return found[0][0] if found else None


def visit_rows(reader: Rows, inspection_id: int) -> list[dict[str, Any]]:
    """The visits of one inspection with the village's county and name, in the order recorded."""
    sql = (
        "SELECT s.id, s.village_id, v.county, v.name AS village, s.unit, s.checked_by, s.visited_on"
        " FROM inspection_visit s LEFT JOIN village v ON v.id = s.village_id"
        " WHERE s.inspection_id = :id ORDER BY s.id"
    )
    return reader.mappings(sql, {"id": inspection_id})


def fund_project_visits(reader: Rows, year: int, *, kind: int = 2) -> Iterator[tuple[str, str, str, str | None]]:
    """(county, village, checked_by, method) of every village visit in `year`'s inspections of `kind`."""
    sql = (
        "SELECT v.county, v.name, s.checked_by, i.method FROM inspection_visit s"
        " JOIN inspection i ON i.id = s.inspection_id JOIN village v ON v.id = s.village_id"
        " WHERE i.year = :year AND i.kind = :kind"
    )
    for row in reader.rows(sql, {"year": year, "kind": kind}):
        yield row[0], row[1], row[2], row[3]


# --- findings --------------------------------------------------------------------------------------


def finding_from(row: Mapping[str, Any]) -> Finding:
    values = {name: row[name] for name in FINDING_COLUMNS}  # the one list, shared with db check's replay
    values["due_provisional"] = bool(values["due_provisional"])
    return Finding(id=int(row["id"]), **values)


def load_finding(reader: Rows, finding_id: int) -> Finding:
    found = reader.mappings("SELECT * FROM finding WHERE id = :id", {"id": finding_id})
    if not found:
        raise NotFoundError(f"没有编号为 {finding_id} 的问题（fupin check show 检查编号 列出其问题）")
    return finding_from(found[0])


def inspection_findings(reader: Rows, inspection_id: int) -> list[Finding]:
    sql = "SELECT * FROM finding WHERE inspection_id = :id ORDER BY id"
    return [finding_from(row) for row in reader.mappings(sql, {"id": inspection_id})]


def iter_provisional_findings(reader: Rows) -> Iterator[Finding]:
    """Findings still running whose due date was computed on a provisional year, in id order."""
    sql = (
        "SELECT * FROM finding WHERE due_provisional = :yes AND rectified_on IS NULL"
        " AND handed_over_on IS NULL ORDER BY id"
    )
    for row in reader.mappings(sql, {"yes": True}):
        yield finding_from(row)


def case_numbers(reader: Rows, case_ids: Iterable[int | None]) -> dict[int, tuple[int, int]]:
    wanted = sorted({i for i in case_ids if i is not None})
    if not wanted:
        return {}
    listed, parameters = expand("id", wanted)
    sql = f"SELECT id, year, serial FROM cases WHERE id IN {listed}"
    return {int(row[0]): (int(row[1]), int(row[2])) for row in reader.rows(sql, parameters)}


# --- indicators ------------------------------------------------------------------------------------


def load_indicator(reader: Rows, *, year: int, county: str, kind: str) -> dict[str, Any] | None:
    sql = "SELECT * FROM indicator WHERE year = :year AND county = :county AND kind = :kind"
    found = reader.mappings(sql, {"year": year, "county": county, "kind": kind})
    return found[0] if found else None


def indicator_rows(reader: Rows, *, year: int) -> list[dict[str, Any]]:
    return reader.mappings("SELECT * FROM indicator WHERE year = :year ORDER BY kind, county", {"year": year})
