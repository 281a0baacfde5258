"""Inspections (检查) of `fupin check new/phase/visit/show/list`: opened, moved through their phases,
visited, shown and listed; one unit of work each, every change with its audit event.

The other 监督检查 use cases sit beside this module, one subject each: check_common (catalogue and
shared look-ups), check_villages, check_plans, check_findings, check_indicators, check_coverage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from fupin_cli.domain.audit import AuditAction
from fupin_cli.domain.dates import check_step_day
from fupin_cli.domain.errors import InvalidInputError, RuleViolationError
from fupin_cli.domain.findings import changed
from fupin_cli.domain.inspections import (
    CheckedBy,
    Inspection,
    InspectionKind,
    Phase,
    move_phase,
    new_inspection,
    parse_checked_by,
    parse_phase,
)
from fupin_cli.services.case_views import unit_named
from fupin_cli.services.check_common import (
    county_named,
    inspection_subject,
    load_catalogue,
    village_named,
)
from fupin_cli.services.check_findings import FindingView, finding_views
from fupin_cli.services.database import reading
from fupin_cli.settings import Settings
from fupin_cli.storage import case_rows, check_rows
from fupin_cli.storage.rows import Rows

if TYPE_CHECKING:
    from fupin_cli.storage.unit_of_work import UnitOfWork

# --- inspections ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitView:
    id: int
    village_id: int | None
    county: str | None
    village: str | None
    unit: str | None
    checked_by: CheckedBy
    visited_on: date


@dataclass(frozen=True)
class InspectionView:
    inspection: Inspection
    kind: InspectionKind
    unit_shorts: tuple[str, ...]
    visits: tuple[VisitView, ...] = ()
    findings: tuple[FindingView, ...] = ()


@dataclass(frozen=True)
class InspectionRow:
    inspection: Inspection
    kind: InspectionKind
    visits: int
    findings: int
    open_findings: int


def _inspection_view(
    rows: Rows, inspection: Inspection, *, settings: Settings, full: bool
) -> InspectionView:
    catalogue = load_catalogue()
    shorts = case_rows.unit_short_names(rows, inspection.units)
    visits: tuple[VisitView, ...] = ()
    findings: tuple[FindingView, ...] = ()
    if full and inspection.id is not None:
        visits = tuple(
            VisitView(
                id=int(row["id"]),
                village_id=row["village_id"],
                county=row["county"],
                village=row["village"],
                unit=row["unit"],
                checked_by=CheckedBy(row["checked_by"]),
                visited_on=row["visited_on"],
            )
            for row in check_rows.visit_rows(rows, inspection.id)
        )
        findings = tuple(
            finding_views(rows, check_rows.inspection_findings(rows, inspection.id), settings=settings)
        )
    return InspectionView(
        inspection=inspection,
        kind=catalogue.kind(inspection.kind),
        unit_shorts=tuple(shorts.get(name, name) for name in inspection.units),
        visits=visits,
        findings=findings,
    )


def _inspection_fields(inspection: Inspection) -> dict[str, Any]:
    return {
        "year": inspection.year,
        "kind": inspection.kind,
        "title": inspection.title,
        "method": inspection.method,
        "units": list(inspection.units),
        "phase": inspection.phase.value,
        "opened_on": inspection.opened_on.isoformat(),
        **{f"{phase.value}_on": day.isoformat() for phase, day in inspection.phase_days.items()},
    }


def open_inspection(
    uow: UnitOfWork,
    *,
    settings: Settings,
    kind: str,
    year: int,
    title: str,
    units: Sequence[str] = (),
    method: str | None = None,
    phase: str | None = None,
    on: date | None = None,
) -> InspectionView:
    """Record an inspection of one of the five kinds, in its first phase (前期准备 unless told)."""
    from fupin_cli.storage import checks as repository  # the write path's modules

    day = on or settings.today
    chosen = load_catalogue().parse_kind(kind)
    conn = uow.connection()
    inspection = new_inspection(
        kind=chosen,
        year=year,
        title=title,
        method=method,
        units=[unit_named(uow, unit) for unit in units],
        phase=parse_phase(phase) if phase is not None else Phase.PREPARATION,
        on=day,
        today=settings.today,
    )
    inspection = replace(inspection, id=repository.insert_inspection(conn, inspection))
    uow.record(
        subject=inspection_subject(inspection.id or 0),
        action=AuditAction.INSPECTION_OPEN,
        effective_on=day,
        before=None,
        after=_inspection_fields(inspection),
    )
    return _inspection_view(uow, inspection, settings=settings, full=False)


def change_phase(
    uow: UnitOfWork,
    *, settings: Settings, inspection_id: int, phase: str, on: date | None = None
) -> InspectionView:
    """Move an inspection on to a later phase (前期准备 → 实施检查 → 检查总结) from `on`."""
    from fupin_cli.storage import checks as repository  # the write path's modules

    day = on or settings.today
    target = parse_phase(phase)
    conn = uow.connection()
    before = check_rows.load_inspection(uow, inspection_id)
    after = move_phase(before, target, on=day, today=settings.today)
    repository.save_inspection(conn, after)
    old, new = changed(_inspection_fields(before), _inspection_fields(after))
    uow.record(
        subject=inspection_subject(inspection_id),
        action=AuditAction.INSPECTION_PHASE,
        effective_on=day,
        before=old,
        after=new,
    )
    return _inspection_view(uow, after, settings=settings, full=False)


@dataclass(frozen=True)
class VisitResult:
    inspection: Inspection
    kind: InspectionKind
    visit: VisitView


def record_visit(
    uow: UnitOfWork,
    *,
    settings: Settings,
    inspection_id: int,
    by: str,
    village: str | None = None,
    county: str | None = None,
    unit: str | None = None,
    on: date | None = None,
) -> VisitResult:
    """A village (or a unit) checked in an inspection, by the city, the county itself, or a peer (互查)."""
    from fupin_cli.storage import checks as repository  # the write path's modules

    if (village is None) == (unit is None):
        raise InvalidInputError("请给 --village 或 --unit 之一")
    day = on or settings.today
    checked_by = parse_checked_by(by)
    conn = uow.connection()
    inspection = check_rows.load_inspection(uow, inspection_id)
    kind = load_catalogue().kind(inspection.kind)
    check_step_day(day, today=settings.today, after=inspection.opened_on, after_what="检查登记的日期")
    village_row, unit_name = None, None
    if village is not None:
        village_row = village_named(uow, village, county_named(uow, county) if county else None)
        if kind.no == 4 and not village_row["mutual_aid_pilot"]:
            raise RuleViolationError(
                f"{village_row['county']}{village_row['name']}不是互助资金试点村：互助资金项目监督检查的对象是试点村"
            )
    else:
        if county is not None:
            raise InvalidInputError("--county 只和 --village 一起用")
        unit_name = unit_named(uow, unit or "")
    village_id = int(village_row["id"]) if village_row else None
    earlier = check_rows.visit_exists(
        uow,
        inspection_id=inspection_id,
        village_id=village_id,
        unit=unit_name,
        checked_by=checked_by.value,
    )
    what = f"{village_row['county']}{village_row['name']}" if village_row else unit_name
    if earlier is not None:
        raise RuleViolationError(
            f"检查 {inspection_id} 已登记 {what} 由{checked_by.label}检查（{earlier}）"
        )
    visit_id = repository.insert_visit(
        conn,
        inspection_id=inspection_id,
        village_id=village_id,
        unit=unit_name,
        checked_by=checked_by.value,
        visited_on=day,
    )
    uow.record(
        subject=inspection_subject(inspection_id),
        action=AuditAction.VISIT,
        effective_on=day,
        before=None,
        after={
            "visit_id": visit_id,
            "village_id": village_id,
            "village": what if village_row else None,
            "unit": unit_name,
            "checked_by": checked_by.value,
        },
    )
    return VisitResult(
        inspection,
        kind,
        VisitView(
            id=visit_id,
            village_id=village_id,
            county=village_row["county"] if village_row else None,
            village=village_row["name"] if village_row else None,
            unit=unit_name,
            checked_by=checked_by,
            visited_on=day,
        ),
    )


def show_inspection(*, settings: Settings, inspection_id: int) -> InspectionView:
    with reading(settings) as rows:
        inspection = check_rows.load_inspection(rows, inspection_id)
        return _inspection_view(rows, inspection, settings=settings, full=True)


def list_inspections(
    *, settings: Settings, year: int | None = None, kind: str | None = None
) -> list[InspectionRow]:
    catalogue = load_catalogue()
    kind_no = catalogue.parse_kind(kind).no if kind is not None else None
    with reading(settings) as rows:
        found = check_rows.list_inspections(rows, year=year, kind=kind_no)
        counts = check_rows.inspection_counts(rows, [i.id for i in found if i.id is not None])
    return [
        InspectionRow(inspection, catalogue.kind(inspection.kind), *counts.get(inspection.id or 0, (0, 0, 0)))
        for inspection in found
    ]


