"""监督检查 use cases: one function per `fupin check` command, one unit of work each.

Every change and its audit event are written in the same transaction (Database.write()); a refusal
anywhere rolls both back. Functions take keyword arguments and return plain read models.
"""

from __future__ import annotations

import secrets
import tomllib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fupin_cli.domain import sampling
from fupin_cli.domain.audit import AuditAction
from fupin_cli.domain.calendar import WorkCalendar
from fupin_cli.domain.categories import CATEGORIES
from fupin_cli.domain.dates import check_step_day
from fupin_cli.domain.errors import BadFileError, InvalidInputError, NotFoundError, RuleViolationError
from fupin_cli.domain.inspections import (
    DEFAULT_ORDER_WORKDAYS,
    Catalogue,
    CheckedBy,
    Finding,
    FindingAction,
    FindingState,
    IndicatorKind,
    Inspection,
    InspectionKind,
    Phase,
    catalogue_from,
    changed,
    check_rate,
    check_workdays,
    check_year,
    finding_code,
    finding_fields,
    finding_step,
    free_text,
    known_county,
    move_phase,
    new_inspection,
    parse_amount,
    parse_checked_by,
    parse_phase,
    parse_threshold,
    parse_village_csv,
    single_line,
    village_fields,
)
from fupin_cli.domain.units import resolve_unit
from fupin_cli.services.database import connect
from fupin_cli.services.recheck import finding_subject
from fupin_cli.settings import Settings, data_dir
from fupin_cli.storage import cases as case_repository
from fupin_cli.storage import checks as repository
from fupin_cli.storage.db import Database
from fupin_cli.storage.events import append_event

if TYPE_CHECKING:
    from sqlalchemy import Connection

INSPECTIONS_FILE = "inspections.toml"
DEMO_VILLAGES_FILE = "demo_villages.csv"
DEFAULT_SEED_LIMIT = 10**6
"""A seed fupin makes up itself has at most six digits: easy to read out and to type again."""
MAX_VILLAGE_FILE_BYTES = 20 * 1024 * 1024
PLAN_SUBJECT = "计划〔{year}〕"
VILLAGES_SUBJECT = "村庄名单"


# --- the catalogue -------------------------------------------------------------------------------


@cache
def load_catalogue() -> Catalogue:
    """data/inspections.toml, checked: the five kinds, the phases, the indicators."""
    path = data_dir() / INSPECTIONS_FILE
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except FileNotFoundError:
        raise BadFileError(f"找不到参考数据文件 {path}：请重新安装 fupin") from None
    except tomllib.TOMLDecodeError as problem:
        raise BadFileError(f"{path} 不是有效的 TOML 文件：{problem}") from None
    categories = {c.kind_no: (c.name, c.short) for c in CATEGORIES if c.kind_no is not None}
    return catalogue_from(raw, where=INSPECTIONS_FILE, categories=categories)


# --- plumbing ------------------------------------------------------------------------------------


@contextmanager
def _opened(settings: Settings) -> Iterator[Database]:
    database = connect(settings)
    try:
        yield database
    finally:
        database.dispose()


def _calendar(settings: Settings) -> WorkCalendar:
    from fupin_cli.services.calendar import load_calendar

    return load_calendar(settings)


def _resolve_unit(conn: Connection, text: str) -> str:
    """A unit as typed (full name, short name like 唐县, a city division) → its full name."""
    return resolve_unit(case_repository.unit_names(conn), text)


def _resolve_county(conn: Connection, text: str) -> str:
    county = repository.county_aliases(conn).get(text.strip())
    if county is None:
        raise NotFoundError(f"未知的县（市、区）「{text.strip()[:40]}」：请写 唐县 这样的名称")
    return county


def _resolve_village(conn: Connection, name: str, county: str | None) -> dict[str, Any]:
    cleaned = single_line(name, what="村名", required=True) or ""
    found = repository.find_villages(conn, cleaned, county=county)
    if len(found) == 1:
        return found[0]
    where = f"{county}" if county else ""
    if not found:
        raise NotFoundError(f"{where}没有名为「{cleaned}」的村：fupin check villages list 列出已导入的村")
    counties = "、".join(row["county"] for row in found)
    raise InvalidInputError(f"{counties}都有「{cleaned}」：请用 --county 指明哪个县")


def _subject_inspection(inspection_id: int) -> str:
    return f"检查 {inspection_id}"


# --- kinds ---------------------------------------------------------------------------------------


def kinds() -> Catalogue:
    """The five kinds of inspection with their objects, contents, methods, steps and measures."""
    return load_catalogue()


# --- villages ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VillageImport:
    source: str
    added: int
    updated: int
    unchanged: int
    demo: bool = False

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged

    def __str__(self) -> str:
        what = "演示村庄（虚构）" if self.demo else f"村庄名单 {self.source}"
        return f"{what}：共 {self.total} 个村，新增 {self.added}，更新 {self.updated}，未变 {self.unchanged}"


def _read_village_file(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_VILLAGE_FILE_BYTES:
            raise BadFileError(
                f"{path} 过大（超过 {MAX_VILLAGE_FILE_BYTES // 1024 // 1024} MB），不像村庄名单"
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BadFileError(f"找不到文件 {path}") from None
    except IsADirectoryError:
        raise BadFileError(f"{path} 是文件夹，不是 CSV 文件") from None
    except OSError as failure:
        raise BadFileError(f"无法读取 {path}：{failure.strerror}") from None
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BadFileError(f"{path} 的编码无法识别：请存为 UTF-8 或 GBK 编码的 CSV")


def import_villages(*, settings: Settings, path: Path, demo: bool = False) -> VillageImport:
    """Every row checked first; then all added or updated (key: county + village) in one unit of work."""
    text = _read_village_file(path)
    with _opened(settings) as database:
        return _import_village_text(database, settings=settings, text=text, source=path.name, demo=demo)


def _import_village_text(
    database: Database, *, settings: Settings, text: str, source: str, demo: bool
) -> VillageImport:
    with database.write() as session:
        conn = session.connection()
        records = parse_village_csv(
            text, source=source, counties=known_county(repository.county_aliases(conn)), today=settings.today
        )
        stored = repository.stored_villages(conn)
        added, updated = [], []
        unchanged = 0
        for record in records:
            key = (record.county, record.name)
            if key not in stored:
                repository.insert_village(conn, record, on=settings.today)
                added.append(village_fields(record))
                continue
            village_id, before = stored[key]
            after = replace(record, line=0)
            if after == before:
                unchanged += 1
                continue
            repository.update_village(conn, village_id, after, on=settings.today)
            old, new = changed(village_fields(before), village_fields(after))
            updated.append({"county": record.county, "name": record.name, "before": old, "after": new})
        if added or updated:
            append_event(
                session,
                subject=VILLAGES_SUBJECT,
                action=AuditAction.VILLAGE_DEMO if demo else AuditAction.VILLAGE_IMPORT,
                operator=settings.user,
                effective_on=settings.today,
                before=None,
                after={"file": source, "added": added, "updated": updated},
            )
        return VillageImport(source, len(added), len(updated), unchanged, demo)


def load_demo_villages(settings: Settings) -> VillageImport:
    """The fictional demo villages of data/demo_villages.csv (every one named 演示…村, marked 虚构)."""
    path = data_dir() / DEMO_VILLAGES_FILE
    return import_villages(settings=settings, path=path, demo=True)


@dataclass(frozen=True)
class VillageView:
    id: int
    county: str
    name: str
    key_village: bool
    project_years: tuple[int, ...]
    mutual_aid_pilot: bool
    note: str | None


def list_villages(*, settings: Settings, county: str | None = None) -> list[VillageView]:
    with _opened(settings) as database, database.read() as conn:
        chosen = _resolve_county(conn, county) if county is not None else None
        return [
            VillageView(
                id=int(row["id"]),
                county=row["county"],
                name=row["name"],
                key_village=row["key_village"],
                project_years=row["project_years"],
                mutual_aid_pilot=row["mutual_aid_pilot"],
                note=row["note"],
            )
            for row in repository.village_rows(conn, county=chosen)
        ]


# --- plans ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountyCounts:
    key_villages: int
    project_villages: int


@dataclass(frozen=True)
class PlanView:
    plan: sampling.Plan
    county_count: int
    drawn_on: date
    drawn_by: str
    counts: dict[str, CountyCounts]
    """Per key county, the villages the plan was judged against (as stored now)."""
    drawn_now: bool = False
    redrawn_from_seed: int | None = None
    """The seed of the plan a --redraw replaced."""
    villages_changed: bool = False
    """The villages differ from those the plan was drawn from: the same seed may now draw otherwise."""
    notes: tuple[str, ...] = ()


def _county_villages(conn: Connection, period_year: int) -> list[sampling.CountyVillages]:
    rows = repository.village_rows(conn)
    found = []
    for county in repository.key_counties(conn):
        mine = [row for row in rows if row["county"] == county]
        found.append(
            sampling.CountyVillages(
                county=county,
                key_villages=tuple(row["name"] for row in mine if row["key_village"]),
                project_villages=tuple(row["name"] for row in mine if period_year in row["project_years"]),
            )
        )
    return found


def _in_units_order(conn: Connection, plan: sampling.Plan) -> sampling.Plan:
    """The plan with its counties as the units file lists them (it is drawn and stored in name order)."""
    order = {county: position for position, county in enumerate(repository.key_counties(conn))}
    ordered = sorted(plan.counties, key=lambda c: (order.get(c.county, len(order)), c.county))
    return replace(plan, counties=tuple(ordered))


def _counts(counties: Sequence[sampling.CountyVillages]) -> dict[str, CountyCounts]:
    return {c.county: CountyCounts(len(c.key_villages), len(c.project_villages)) for c in counties}


def _stored_plan_view(conn: Connection, stored: dict[str, Any], notes: Sequence[str] = ()) -> PlanView:
    plan = sampling.plan_from_data(stored["plan"])
    counties = _county_villages(conn, plan.period_year)
    return PlanView(
        plan=_in_units_order(conn, plan),
        county_count=int(stored["county_count"]),
        drawn_on=stored["drawn_on"],
        drawn_by=stored["drawn_by"],
        counts=_counts(counties),
        villages_changed=sampling.villages_digest(counties) != stored["villages_digest"],
        notes=tuple(notes),
    )


def plan_year(
    *,
    settings: Settings,
    year: int,
    seed: int | None = None,
    counties: int | None = None,
    period_year: int | None = None,
    redraw: bool = False,
) -> PlanView:
    """The year's plan: shown when stored; drawn (and stored, with an audit event) when not, or on --redraw."""
    check_year(year, today=settings.today)
    if seed is not None:
        sampling.check_seed(seed)
    if counties is not None:
        sampling.check_focus_count(counties)
    if period_year is not None:
        check_year(period_year, today=settings.today, what="项目年度")
        if period_year > year:
            raise InvalidInputError(f"项目年度 {period_year} 晚于计划年度 {year}")
    with _opened(settings) as database:
        if not redraw:
            with database.read() as conn:
                stored = repository.load_plan(conn, year)
                if stored is not None:
                    return _stored_plan_view(conn, stored, _not_redrawn(stored, seed, counties, period_year))
        return _draw(
            database,
            settings,
            year=year,
            seed=seed,
            counties=counties,
            period_year=period_year,
            redraw=redraw,
        )


def _not_redrawn(
    stored: dict[str, Any], seed: int | None, counties: int | None, period_year: int | None
) -> list[str]:
    asked = {"--seed": seed, "--counties": counties, "--period": period_year}
    ignored = [option for option, value in asked.items() if value is not None]
    if not ignored:
        return []
    return [
        f"{stored['year']} 年计划已于 {stored['drawn_on']} 抽取，未重抽（{'、'.join(ignored)} 未用）；要重抽请加 --redraw"
    ]


def _draw(
    database: Database,
    settings: Settings,
    *,
    year: int,
    seed: int | None,
    counties: int | None,
    period_year: int | None,
    redraw: bool,
) -> PlanView:
    with database.write() as session:
        conn = session.connection()
        stored = repository.load_plan(conn, year)
        if stored is not None and not redraw:  # another clerk drew it a moment ago
            return _stored_plan_view(conn, stored, _not_redrawn(stored, seed, counties, period_year))
        previous = sampling.plan_from_data(stored["plan"]) if stored is not None else None
        period = period_year or (previous.period_year if previous else year)
        chosen_seed = seed if seed is not None else secrets.randbelow(DEFAULT_SEED_LIMIT)
        count = counties or (int(stored["county_count"]) if stored else sampling.DEFAULT_FOCUS_COUNTIES)
        villages = _county_villages(conn, period)
        if not any(c.key_villages or c.project_villages for c in villages):
            raise RuleViolationError("重点县还没有村庄数据：请先用 fupin check villages import 导入村庄名单")
        plan = sampling.draw_plan(
            year=year, period_year=period, seed=chosen_seed, counties=villages, focus_count=count
        )
        data = sampling.plan_to_data(plan)
        digest = sampling.villages_digest(villages)
        repository.save_plan(
            conn,
            year=year,
            period_year=period,
            seed=chosen_seed,
            county_count=count,
            plan=data,
            villages_digest=digest,
            drawn_on=settings.today,
            drawn_by=settings.user,
        )
        append_event(
            session,
            subject=PLAN_SUBJECT.format(year=year),
            action=AuditAction.PLAN_REDRAW if previous else AuditAction.PLAN_DRAW,
            operator=settings.user,
            effective_on=settings.today,
            before={"seed": previous.seed, "plan": stored["plan"]} if previous and stored else None,
            after={"seed": chosen_seed, "villages_digest": digest, "plan": data},
        )
        return PlanView(
            plan=_in_units_order(conn, plan),
            county_count=count,
            drawn_on=settings.today,
            drawn_by=settings.user,
            counts=_counts(villages),
            drawn_now=True,
            redrawn_from_seed=previous.seed if previous else None,
        )


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
class FindingView:
    finding: Finding
    kind: InspectionKind
    inspection_title: str
    unit_short: str
    county: str | None
    village: str | None
    case_no: str | None
    today: date
    overdue_workdays: int = 0
    days_left: int | None = None

    @property
    def overdue(self) -> bool:
        """Still to be corrected and past its due date (the order runs to the end of that day)."""
        return self.finding.state is FindingState.OPEN and self.today > self.finding.due


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
    conn: Connection, inspection: Inspection, *, settings: Settings, full: bool
) -> InspectionView:
    catalogue = load_catalogue()
    shorts = case_repository.unit_short_names(conn, inspection.units)
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
            for row in repository.visit_rows(conn, inspection.id)
        )
        findings = tuple(
            _finding_views(conn, repository.inspection_findings(conn, inspection.id), settings=settings)
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
    day = on or settings.today
    chosen = load_catalogue().parse_kind(kind)
    with _opened(settings) as database, database.write() as session:
        conn = session.connection()
        inspection = new_inspection(
            kind=chosen,
            year=year,
            title=title,
            method=method,
            units=[_resolve_unit(conn, unit) for unit in units],
            phase=parse_phase(phase) if phase is not None else Phase.PREPARATION,
            on=day,
            today=settings.today,
        )
        inspection = replace(inspection, id=repository.insert_inspection(conn, inspection))
        append_event(
            session,
            subject=_subject_inspection(inspection.id or 0),
            action=AuditAction.INSPECTION_OPEN,
            operator=settings.user,
            effective_on=day,
            before=None,
            after=_inspection_fields(inspection),
        )
        return _inspection_view(conn, inspection, settings=settings, full=False)


def change_phase(
    *, settings: Settings, inspection_id: int, phase: str, on: date | None = None
) -> InspectionView:
    """Move an inspection on to a later phase (前期准备 → 实施检查 → 检查总结) from `on`."""
    day = on or settings.today
    target = parse_phase(phase)
    with _opened(settings) as database, database.write() as session:
        conn = session.connection()
        before = repository.load_inspection(conn, inspection_id)
        after = move_phase(before, target, on=day, today=settings.today)
        repository.save_inspection(conn, after)
        old, new = changed(_inspection_fields(before), _inspection_fields(after))
        append_event(
            session,
            subject=_subject_inspection(inspection_id),
            action=AuditAction.INSPECTION_PHASE,
            operator=settings.user,
            effective_on=day,
            before=old,
            after=new,
        )
        return _inspection_view(conn, after, settings=settings, full=False)


@dataclass(frozen=True)
class VisitResult:
    inspection: Inspection
    kind: InspectionKind
    visit: VisitView


def record_visit(
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
    if (village is None) == (unit is None):
        raise InvalidInputError("请给 --village 或 --unit 之一")
    day = on or settings.today
    checked_by = parse_checked_by(by)
    with _opened(settings) as database, database.write() as session:
        conn = session.connection()
        inspection = repository.load_inspection(conn, inspection_id)
        kind = load_catalogue().kind(inspection.kind)
        check_step_day(day, today=settings.today, after=inspection.opened_on, after_what="检查登记的日期")
        village_row, unit_name = None, None
        if village is not None:
            village_row = _resolve_village(conn, village, _resolve_county(conn, county) if county else None)
            if kind.no == 4 and not village_row["mutual_aid_pilot"]:
                raise RuleViolationError(
                    f"{village_row['county']}{village_row['name']}不是互助资金试点村：互助资金项目监督检查的对象是试点村"
                )
        else:
            if county is not None:
                raise InvalidInputError("--county 只和 --village 一起用")
            unit_name = _resolve_unit(conn, unit or "")
        village_id = int(village_row["id"]) if village_row else None
        earlier = repository.visit_exists(
            conn,
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
        append_event(
            session,
            subject=_subject_inspection(inspection_id),
            action=AuditAction.VISIT,
            operator=settings.user,
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
    with _opened(settings) as database, database.read() as conn:
        inspection = repository.load_inspection(conn, inspection_id)
        return _inspection_view(conn, inspection, settings=settings, full=True)


def list_inspections(
    *, settings: Settings, year: int | None = None, kind: str | None = None
) -> list[InspectionRow]:
    catalogue = load_catalogue()
    kind_no = catalogue.parse_kind(kind).no if kind is not None else None
    with _opened(settings) as database, database.read() as conn:
        found = repository.list_inspections(conn, year=year, kind=kind_no)
        counts = repository.inspection_counts(conn, [i.id for i in found if i.id is not None])
    return [
        InspectionRow(inspection, catalogue.kind(inspection.kind), *counts.get(inspection.id or 0, (0, 0, 0)))
        for inspection in found
    ]


# --- findings ------------------------------------------------------------------------------------


def _finding_views(conn: Connection, found: Sequence[Finding], *, settings: Settings) -> list[FindingView]:
    catalogue = load_catalogue()
    shorts = case_repository.unit_short_names(conn, [f.unit for f in found])
    names = repository.village_names(conn, [f.village_id for f in found if f.village_id is not None])
    numbers = repository.case_numbers(conn, [f.case_id for f in found])
    calendar = _calendar(settings) if found else None
    views = []
    for finding in found:
        inspection = repository.load_inspection(conn, finding.inspection_id)
        county, village = names.get(finding.village_id or 0, (None, None))
        number = numbers.get(finding.case_id or 0)
        late, left = 0, None
        if finding.state is FindingState.OPEN and calendar is not None:
            if settings.today > finding.due:
                late = calendar.between(finding.due, settings.today)
            else:
                left = calendar.between(settings.today, finding.due)
        views.append(
            FindingView(
                finding=finding,
                kind=catalogue.kind(inspection.kind),
                inspection_title=inspection.title,
                unit_short=shorts.get(finding.unit, finding.unit),
                county=county,
                village=village,
                case_no=f"督查〔{number[0]}〕{number[1]}号" if number else None,
                today=settings.today,
                overdue_workdays=late,
                days_left=left,
            )
        )
    return views


def record_finding(
    *,
    settings: Settings,
    inspection_id: int,
    text: str,
    unit: str,
    village: str | None = None,
    county: str | None = None,
    code: str | None = None,
    amount: str | None = None,
    workdays: int | None = None,
    on: date | None = None,
) -> FindingView:
    """A problem found, with the order to correct it within `workdays` working days (责令限期改正)."""
    day = on or settings.today
    limit = check_workdays(workdays if workdays is not None else DEFAULT_ORDER_WORKDAYS)
    problem = free_text(text, what="问题描述")
    fen = parse_amount(amount) if amount is not None else None
    with _opened(settings) as database, database.write() as session:
        conn = session.connection()
        inspection = repository.load_inspection(conn, inspection_id)
        kind = load_catalogue().kind(inspection.kind)
        chosen_code = finding_code(code, kind)
        check_step_day(day, today=settings.today, after=inspection.opened_on, after_what="检查登记的日期")
        unit_name = _resolve_unit(conn, unit)
        village_id = None
        if village is not None:
            in_county = _resolve_county(conn, county) if county else _unit_county(conn, unit_name)
            village_id = int(_resolve_village(conn, village, in_county)["id"])
        elif county is not None:
            raise InvalidInputError("--county 只和 --village 一起用")
        deadline = _calendar(settings).deadline(day, limit)
        finding = Finding(
            id=None,
            inspection_id=inspection_id,
            unit=unit_name,
            village_id=village_id,
            text=problem,
            code=chosen_code,
            amount_fen=fen,
            ordered_on=day,
            workdays=limit,
            due=deadline.due,
            due_provisional=deadline.provisional,
        )
        finding = replace(finding, id=repository.insert_finding(conn, finding))
        append_event(
            session,
            subject=finding_subject(finding.id or 0),
            action=AuditAction.FINDING,
            operator=settings.user,
            effective_on=day,
            before=None,
            after=finding_fields(finding),
        )
        return _finding_views(conn, [finding], settings=settings)[0]


def _unit_county(conn: Connection, unit_name: str) -> str | None:
    return repository.county_aliases(conn).get(unit_name)


def _finding_step(settings: Settings, finding_id: int, action: FindingAction, on: date | None) -> FindingView:
    day = on or settings.today
    with _opened(settings) as database, database.write() as session:
        conn = session.connection()
        before = repository.load_finding(conn, finding_id)
        after = finding_step(before, action, on=day, today=settings.today)
        repository.save_finding(conn, after)
        old, new = changed(finding_fields(before), finding_fields(after))
        append_event(
            session,
            subject=finding_subject(finding_id),
            action=action,
            operator=settings.user,
            effective_on=day,
            before=old,
            after=new,
        )
        return _finding_views(conn, [after], settings=settings)[0]


def rectify_finding(*, settings: Settings, finding_id: int, on: date | None = None) -> FindingView:
    """已整改: the unit reports the problem corrected (the order's clock stops)."""
    return _finding_step(settings, finding_id, FindingAction.RECTIFY, on)


def verify_finding(*, settings: Settings, finding_id: int, on: date | None = None) -> FindingView:
    """已核实: the rectification is confirmed (final)."""
    return _finding_step(settings, finding_id, FindingAction.VERIFY, on)


def hand_over_finding(
    *, settings: Settings, finding_id: int, title: str | None = None, on: date | None = None
) -> FindingView:
    """移交: open a 督查事项 for the finding through the cases service, then link the two.

    The case is opened in its own unit of work (cases.open_case), then the finding is marked and
    linked in a second one; the step is checked before the case is opened.
    """
    from fupin_cli.services import cases

    day = on or settings.today
    with _opened(settings) as database:
        with database.read() as conn:
            finding = repository.load_finding(conn, finding_id)
            finding_step(finding, FindingAction.HANDOVER, on=day, today=settings.today)
            view = _finding_views(conn, [finding], settings=settings)[0]
        place = f"{view.county or ''}{view.village or ''}" or view.unit_short
        case_title = single_line(title, what="督查事项标题", limit=200) or _handover_title(
            place, finding.text
        )
        opened = cases.open_case(
            settings=settings,
            title=case_title,
            category=view.kind.name,
            source=f"监督检查发现问题（检查 {finding.inspection_id}，问题 {finding_id}）",
            on=day,
        )
        case_id = opened.case.id
        with database.write() as session:
            conn = session.connection()
            before = repository.load_finding(conn, finding_id)
            after = replace(
                finding_step(before, FindingAction.HANDOVER, on=day, today=settings.today), case_id=case_id
            )
            repository.save_finding(conn, after)
            if case_id is not None:
                repository.link_case(conn, case_id=case_id, finding_id=finding_id)
            old, new = changed(finding_fields(before), finding_fields(after))
            append_event(
                session,
                subject=finding_subject(finding_id),
                action=FindingAction.HANDOVER,
                operator=settings.user,
                effective_on=day,
                before=old,
                after={**new, "case_no": opened.no},
                case_id=case_id,
            )
            return _finding_views(conn, [after], settings=settings)[0]


def _handover_title(place: str, text: str) -> str:
    head = f"整改问题移交：{place}：" if place else "整改问题移交："
    first_line = text.splitlines()[0]
    room = 80 - len(head)
    return head + (first_line if len(first_line) <= room else first_line[: room - 1] + "…")


# --- indicators ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorView:
    year: int
    county: str
    indicator: IndicatorKind
    numerator: int
    denominator: int
    recorded_on: date
    threshold: Fraction
    previous: tuple[int, int] | None = None

    @property
    def rate(self) -> Fraction:
        return Fraction(self.numerator, self.denominator)

    @property
    def below(self) -> bool:
        return self.rate < self.threshold


def record_indicator(
    *,
    settings: Settings,
    county: str,
    year: int,
    kind: str,
    numerator: int,
    denominator: int,
    on: date | None = None,
) -> IndicatorView:
    """A county's rate for a year; recording it again replaces the figures (the event keeps both)."""
    day = on or settings.today
    check_year(year, today=settings.today)
    check_rate(numerator, denominator)
    check_step_day(day, today=settings.today)
    indicator = load_catalogue().parse_indicator(kind)
    with _opened(settings) as database, database.write() as session:
        conn = session.connection()
        chosen = _resolve_county(conn, county)
        if indicator.key_counties_only and chosen not in repository.key_counties(conn):
            raise RuleViolationError(f"{indicator.name}只统计扶贫开发重点县，{chosen}不是重点县")
        stored = repository.load_indicator(conn, year=year, county=chosen, kind=indicator.name)
        repository.save_indicator(
            conn,
            year=year,
            county=chosen,
            kind=indicator.name,
            numerator=numerator,
            denominator=denominator,
            on=day,
        )
        figures = {"numerator": numerator, "denominator": denominator}
        append_event(
            session,
            subject=f"指标〔{year}〕{chosen}·{indicator.name}",
            action=AuditAction.INDICATOR,
            operator=settings.user,
            effective_on=day,
            before={"numerator": stored["numerator"], "denominator": stored["denominator"]}
            if stored
            else None,
            after=figures,
        )
        return IndicatorView(
            year=year,
            county=chosen,
            indicator=indicator,
            numerator=numerator,
            denominator=denominator,
            recorded_on=day,
            threshold=indicator.threshold,
            previous=(int(stored["numerator"]), int(stored["denominator"])) if stored else None,
        )


@dataclass(frozen=True)
class IndicatorReport:
    year: int
    threshold: Fraction | None
    """The --threshold given for every indicator, or None when each uses its own."""
    rows: tuple[IndicatorView, ...]
    recorded: int
    show_all: bool


def indicators_below(
    *,
    settings: Settings,
    year: int,
    threshold: str | None = None,
    kind: str | None = None,
    show_all: bool = False,
) -> IndicatorReport:
    """The counties whose rate is below the threshold (each indicator's own unless --threshold)."""
    catalogue = load_catalogue()
    override = parse_threshold(threshold) if threshold is not None else None
    wanted = catalogue.parse_indicator(kind) if kind is not None else None
    by_name = {item.name: item for item in catalogue.indicators}
    with _opened(settings) as database, database.read() as conn:
        stored = repository.indicator_rows(conn, year=year)
    views = []
    for row in stored:
        indicator = by_name.get(row["kind"])
        if indicator is None or (wanted is not None and indicator != wanted):
            continue
        views.append(
            IndicatorView(
                year=year,
                county=row["county"],
                indicator=indicator,
                numerator=int(row["numerator"]),
                denominator=int(row["denominator"]),
                recorded_on=row["recorded_on"],
                threshold=override if override is not None else indicator.threshold,
            )
        )
    order = {item.name: position for position, item in enumerate(catalogue.indicators)}
    views.sort(key=lambda v: (order[v.indicator.name], v.rate, v.county))
    shown = views if show_all else [view for view in views if view.below]
    return IndicatorReport(year, override, tuple(shown), len(views), show_all)


# --- coverage ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageReport:
    year: int
    today: date
    period_year: int
    plan_seed: int | None
    focus_counties: tuple[str, ...]
    rows: tuple[sampling.QuotaCoverage, ...]
    late: bool
    """More than three quarters of the year gone: unmet quotas are 红."""
    notes: tuple[str, ...] = field(default=())


def coverage(*, settings: Settings, year: int) -> CoverageReport:
    """Per key county, each 扶贫资金项目 quota of `year`: required, done (visits recorded), missing."""
    check_year(year, today=settings.today)
    with _opened(settings) as database, database.read() as conn:
        stored = repository.load_plan(conn, year)
        plan = sampling.plan_from_data(stored["plan"]) if stored else None
        period = plan.period_year if plan else year
        counties = _county_villages(conn, period)
        order = {county: position for position, county in enumerate(repository.key_counties(conn))}
        seen: dict[str, dict[str, set[str]]] = {}
        for county, village, checked_by, method in repository.fund_project_visits(conn, year):
            sides = seen.setdefault(county, {"city": set(), "focus": set(), "self": set()})
            if checked_by == CheckedBy.CITY.value:
                sides["city"].add(village)
            elif checked_by == CheckedBy.COUNTY.value:
                sides["focus" if method == sampling.FOCUS_METHOD else "self"].add(village)
    visits = {
        county: sampling.CountyVisits(frozenset(s["city"]), frozenset(s["focus"]), frozenset(s["self"]))
        for county, s in seen.items()
    }
    rows = sampling.coverage(year=year, today=settings.today, counties=counties, plan=plan, visits=visits)
    rows.sort(
        key=lambda row: (order.get(row.county, len(order)), row.county)
    )  # stable: quotas keep their order
    notes = []
    if plan is None:
        notes.append(f"{year} 年尚未抽取计划（fupin check plan --year {year}）：市级配额均按抽查 1/3 计")
    elif stored and sampling.villages_digest(counties) != stored["villages_digest"]:
        notes.append("村庄名单在抽取计划之后有变化：配额按现在的名单计算")
    return CoverageReport(
        year=year,
        today=settings.today,
        period_year=period,
        plan_seed=plan.seed if plan else None,
        focus_counties=plan.focus_counties if plan else (),
        rows=tuple(rows),
        late=sampling.year_gone(year, settings.today) > sampling.LATE_SHARE,
        notes=tuple(notes),
    )
