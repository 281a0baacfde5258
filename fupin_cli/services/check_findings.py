"""Findings (问题) of an inspection and their orders to correct (整改): recorded, rectified, verified,
handed over as a 督查事项. Every change and its audit event in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from fupin_cli.domain.audit import AuditAction
from fupin_cli.domain.check_values import DEFAULT_ORDER_WORKDAYS, parse_amount
from fupin_cli.domain.dates import check_step_day
from fupin_cli.domain.errors import InvalidInputError
from fupin_cli.domain.findings import (
    Finding,
    FindingAction,
    FindingState,
    changed,
    check_workdays,
    finding_code,
    finding_fields,
    finding_step,
    finding_subject,
)
from fupin_cli.domain.inspections import InspectionKind
from fupin_cli.domain.text import free_text, single_line
from fupin_cli.services.case_views import unit_named
from fupin_cli.services.check_common import (
    county_named,
    load_catalogue,
    village_named,
    working_calendar,
)
from fupin_cli.settings import Settings
from fupin_cli.storage import case_rows, check_rows
from fupin_cli.storage.rows import Rows

if TYPE_CHECKING:
    from fupin_cli.storage.unit_of_work import UnitOfWork


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

# --- findings ------------------------------------------------------------------------------------


def finding_views(rows: Rows, found: Sequence[Finding], *, settings: Settings) -> list[FindingView]:
    catalogue = load_catalogue()
    shorts = case_rows.unit_short_names(rows, [f.unit for f in found])
    names = check_rows.village_names(rows, [f.village_id for f in found if f.village_id is not None])
    numbers = check_rows.case_numbers(rows, [f.case_id for f in found])
    calendar = working_calendar(settings) if found else None
    views = []
    for finding in found:
        inspection = check_rows.load_inspection(rows, finding.inspection_id)
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
    uow: UnitOfWork,
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
    from fupin_cli.storage import checks as repository  # the write path's modules

    day = on or settings.today
    limit = check_workdays(workdays if workdays is not None else DEFAULT_ORDER_WORKDAYS)
    problem = free_text(text, what="问题描述")
    fen = parse_amount(amount) if amount is not None else None
    conn = uow.connection()
    inspection = check_rows.load_inspection(uow, inspection_id)
    kind = load_catalogue().kind(inspection.kind)
    chosen_code = finding_code(code, kind)
    check_step_day(day, today=settings.today, after=inspection.opened_on, after_what="检查登记的日期")
    unit_name = unit_named(uow, unit)
    village_id = None
    if village is not None:
        in_county = county_named(uow, county) if county else _unit_county(uow, unit_name)
        village_id = int(village_named(uow, village, in_county)["id"])
    elif county is not None:
        raise InvalidInputError("--county 只和 --village 一起用")
    deadline = working_calendar(settings).deadline(day, limit)
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
    uow.record(
        subject=finding_subject(finding.id or 0),
        action=AuditAction.FINDING,
        effective_on=day,
        before=None,
        after=finding_fields(finding),
    )
    return finding_views(uow, [finding], settings=settings)[0]


def _unit_county(rows: Rows, unit_name: str) -> str | None:
    return check_rows.county_aliases(rows).get(unit_name)


def _finding_step(
    uow: UnitOfWork, settings: Settings, finding_id: int, action: FindingAction, on: date | None
) -> FindingView:
    from fupin_cli.storage import checks as repository  # the write path's modules

    day = on or settings.today
    conn = uow.connection()
    before = check_rows.load_finding(uow, finding_id)
    after = finding_step(before, action, on=day, today=settings.today)
    repository.save_finding(conn, after)
    old, new = changed(finding_fields(before), finding_fields(after))
    uow.record(
        subject=finding_subject(finding_id),
        action=action,
        effective_on=day,
        before=old,
        after=new,
    )
    return finding_views(uow, [after], settings=settings)[0]


def rectify_finding(uow: UnitOfWork, *, settings: Settings, finding_id: int, on: date | None = None) -> FindingView:
    """已整改: the unit reports the problem corrected (the order's clock stops)."""
    return _finding_step(uow, settings, finding_id, FindingAction.RECTIFY, on)


def verify_finding(uow: UnitOfWork, *, settings: Settings, finding_id: int, on: date | None = None) -> FindingView:
    """已核实: the rectification is confirmed (final)."""
    return _finding_step(uow, settings, finding_id, FindingAction.VERIFY, on)


def hand_over_finding(
    uow: UnitOfWork, *, settings: Settings, finding_id: int, title: str | None = None, on: date | None = None
) -> FindingView:
    """移交: open a 督查事项 for the finding through the cases service and link the two, in one
    unit of work: either both happen or neither (no case left open without its finding)."""
    from fupin_cli.services import case_steps
    from fupin_cli.storage import checks as repository  # the write path's modules

    day = on or settings.today
    conn = uow.connection()
    before = check_rows.load_finding(uow, finding_id)
    finding_step(before, FindingAction.HANDOVER, on=day, today=settings.today)
    view = finding_views(uow, [before], settings=settings)[0]
    place = f"{view.county or ''}{view.village or ''}" or view.unit_short
    case_title = single_line(title, what="督查事项标题", limit=200) or _handover_title(place, before.text)
    opened = case_steps.new_case(
        uow,
        settings=settings,
        title=case_title,
        category=view.kind.name,
        source=f"监督检查发现问题（检查 {before.inspection_id}，问题 {finding_id}）",
        on=day,
    )
    case_id = opened.id
    after = replace(finding_step(before, FindingAction.HANDOVER, on=day, today=settings.today), case_id=case_id)
    repository.save_finding(conn, after)
    if case_id is not None:
        repository.link_case(conn, case_id=case_id, finding_id=finding_id)
    old, new = changed(finding_fields(before), finding_fields(after))
    uow.record(
        subject=finding_subject(finding_id),
        action=FindingAction.HANDOVER,
        effective_on=day,
        before=old,
        after={**new, "case_no": str(opened.number)},
        case_id=case_id,
    )
    return finding_views(uow, [after], settings=settings)[0]


def _handover_title(place: str, text: str) -> str:
    head = f"整改问题移交：{place}：" if place else "整改问题移交："
    first_line = text.splitlines()[0]
    room = 80 - len(head)
    return head + (first_line if len(first_line) <= room else first_line[: room - 1] + "…")
