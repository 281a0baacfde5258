"""What `fupin check new/visit/show/list/finding/rectify/verify/handover` show: inspections, visits and
findings as one-line results, records, a card and a table.
"""

from collections.abc import Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from fupin_cli.domain.check_values import format_amount
from fupin_cli.domain.findings import FindingState
from fupin_cli.render.cells import PROVISIONAL_MARK, PROVISIONAL_NOTE
from fupin_cli.render.check_formats import RED_STYLE, day_text, new_table
from fupin_cli.render.tabular import Tabular, tabular
from fupin_cli.services.check_findings import FindingView
from fupin_cli.services.checks import InspectionRow, InspectionView, VisitResult

# --- inspections ---------------------------------------------------------------------------------


def inspection_line(view: InspectionView) -> str:
    inspection = view.inspection
    units = f"；检查单位 {'、'.join(view.unit_shorts)}" if view.unit_shorts else ""
    method = f"（{inspection.method}）" if inspection.method else ""
    return (
        f"检查 {inspection.id} {inspection.phase.label}（{inspection.phase_on} 起）："
        f"{inspection.year} 年{view.kind.name}{method}「{inspection.title}」{units}"
    )


def visit_line(result: VisitResult) -> str:
    visit = result.visit
    what = f"{visit.county}{visit.village}" if visit.village else visit.unit
    return f"检查 {result.inspection.id}：已登记 {what} 由{visit.checked_by.label}检查（{visit.visited_on}）"


def finding_record(view: FindingView) -> dict[str, Any]:
    finding = view.finding
    return {
        "id": finding.id,
        "inspection_id": finding.inspection_id,
        "kind": view.kind.no,
        "kind_name": view.kind.name,
        "unit": finding.unit,
        "unit_short": view.unit_short,
        "county": view.county,
        "village": view.village,
        "text": finding.text,
        "code": finding.code,
        "amount": format_amount(finding.amount_fen).replace(",", "") or None,
        "ordered_on": day_text(finding.ordered_on),
        "workdays": finding.workdays,
        "due": day_text(finding.due),
        "due_provisional": finding.due_provisional,
        "state": finding.state.value,
        "state_label": finding.state.label,
        "rectified_on": day_text(finding.rectified_on),
        "verified_on": day_text(finding.verified_on),
        "handed_over_on": day_text(finding.handed_over_on),
        "case_no": view.case_no,
        "overdue_workdays": view.overdue_workdays,
        "days_left": view.days_left,
    }


FINDING_COLUMNS = (
    "id",
    "inspection_id",
    "kind",
    "kind_name",
    "unit",
    "unit_short",
    "county",
    "village",
    "text",
    "code",
    "amount",
    "ordered_on",
    "workdays",
    "due",
    "due_provisional",
    "state",
    "state_label",
    "rectified_on",
    "verified_on",
    "handed_over_on",
    "case_no",
    "overdue_workdays",
    "days_left",
)


def _due(view: FindingView) -> str:
    return view.finding.due.isoformat() + (PROVISIONAL_MARK if view.finding.due_provisional else "")


def _finding_status(view: FindingView) -> Text:
    state = view.finding.state
    if view.overdue:
        return Text(f"逾期 {view.overdue_workdays} 个工作日", style=RED_STYLE)
    if state is FindingState.OPEN and view.days_left is not None:
        return Text(f"待整改，还剩 {view.days_left} 个工作日")
    if state is FindingState.HANDED_OVER and view.case_no:
        return Text(f"已移交 {view.case_no}")
    return Text(state.label)


def finding_line(view: FindingView) -> str:
    finding = view.finding
    place = f"{view.county}{view.village}" if view.village else view.unit_short
    code = f"〔{finding.code}〕" if finding.code else ""
    head = f"问题 {finding.id}（检查 {finding.inspection_id}）{place}{code}：{finding.state.label}"
    if finding.state is FindingState.OPEN:
        return (
            head
            + f"；限 {finding.workdays} 个工作日内改正，期限 {_due(view)}（{_finding_status(view).plain}）"
        )
    if finding.state is FindingState.HANDED_OVER:
        return head + (f"，转为督查事项 {view.case_no}" if view.case_no else "")
    when = finding.verified_on if finding.state is FindingState.VERIFIED else finding.rectified_on
    return head + f"（{when}；期限 {_due(view)}）"


def inspection_record(view: InspectionView) -> dict[str, Any]:
    inspection = view.inspection
    return {
        "id": inspection.id,
        "year": inspection.year,
        "kind": view.kind.no,
        "kind_name": view.kind.name,
        "kind_short": view.kind.short,
        "title": inspection.title,
        "method": inspection.method,
        "units": list(inspection.units),
        "unit_shorts": list(view.unit_shorts),
        "phase": inspection.phase.value,
        "phase_label": inspection.phase.label,
        "opened_on": day_text(inspection.opened_on),
        "phases": {phase.value: day_text(day) for phase, day in inspection.phase_days.items()},
        "visits": [
            {
                "id": visit.id,
                "county": visit.county,
                "village": visit.village,
                "unit": visit.unit,
                "by": visit.checked_by.value,
                "by_label": visit.checked_by.label,
                "on": day_text(visit.visited_on),
            }
            for visit in view.visits
        ],
        "findings": [finding_record(finding) for finding in view.findings],
    }


def inspection_card(view: InspectionView) -> RenderableType:
    inspection = view.inspection
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row("类别", f"{view.kind.no} {view.kind.name}")
    grid.add_row("年度", str(inspection.year))
    if inspection.method:
        grid.add_row("方式", inspection.method)
    if view.unit_shorts:
        grid.add_row("检查单位", "、".join(view.unit_shorts))
    grid.add_row("登记", inspection.opened_on.isoformat())
    stages = "；".join(
        f"{phase.label} {day}"
        for phase, day in sorted(inspection.phase_days.items(), key=lambda i: i[0].order)
    )
    grid.add_row("阶段", f"{inspection.phase.label}（{stages}）")
    parts: list[RenderableType] = [
        Panel(grid, title=f"检查 {inspection.id}：{inspection.title}", title_align="left")
    ]
    if view.visits:
        table = new_table(f"已检查 {len(view.visits)} 处")
        for header in ("日期", "村 / 单位", "检查方"):
            table.add_column(header, overflow="fold")
        for visit in view.visits:
            what = f"{visit.county}{visit.village}" if visit.village else visit.unit or ""
            table.add_row(visit.visited_on.isoformat(), what, visit.checked_by.label)
        parts.append(table)
    if view.findings:
        table = new_table(f"发现问题 {len(view.findings)} 个")
        for header in ("编号", "单位 / 村", "问题", "金额（元）", "期限", "状态"):
            table.add_column(header, overflow="fold")
        for finding in view.findings:
            place = f"{finding.county}{finding.village}" if finding.village else finding.unit_short
            code = f"〔{finding.finding.code}〕" if finding.finding.code else ""
            table.add_row(
                str(finding.finding.id),
                place,
                code + finding.finding.text,
                format_amount(finding.finding.amount_fen),
                _due(finding),
                _finding_status(finding),
            )
        if any(f.finding.due_provisional for f in view.findings):
            table.caption, table.caption_justify = PROVISIONAL_NOTE, "left"
        parts.append(table)
    return Group(*parts)


def inspection_row_record(row: InspectionRow) -> dict[str, Any]:
    inspection = row.inspection
    return {
        "id": inspection.id,
        "year": inspection.year,
        "kind": row.kind.no,
        "kind_short": row.kind.short,
        "title": inspection.title,
        "method": inspection.method,
        "phase": inspection.phase.value,
        "phase_label": inspection.phase.label,
        "phase_on": day_text(inspection.phase_on),
        "visits": row.visits,
        "findings": row.findings,
        "open_findings": row.open_findings,
    }


INSPECTION_COLUMNS = (
    "id",
    "year",
    "kind",
    "kind_short",
    "title",
    "method",
    "phase",
    "phase_label",
    "phase_on",
    "visits",
    "findings",
    "open_findings",
)


def inspection_table(rows: Sequence[InspectionRow]) -> RenderableType:
    if not rows:
        return Text("没有符合条件的检查")
    table = new_table()
    table.add_column("编号", justify="right", no_wrap=True)
    table.add_column("年度", no_wrap=True)
    table.add_column("类别", no_wrap=True)
    table.add_column("名称", overflow="fold", ratio=1)
    table.add_column("阶段", no_wrap=True)
    table.add_column("检查", justify="right", no_wrap=True)
    table.add_column("问题", justify="right", no_wrap=True)
    for row in rows:
        problems = f"{row.findings}" + (f"（{row.open_findings} 待整改）" if row.open_findings else "")
        table.add_row(
            str(row.inspection.id),
            str(row.inspection.year),
            row.kind.short,
            row.inspection.title,
            row.inspection.phase.label,
            str(row.visits),
            problems,
        )
    return table


INSPECTION_HEADERS = ("编号", "年度", "类别", "类别简称", "名称", "方式", "阶段", "阶段名称", "阶段日期", "检查村次",
                      "问题数", "未整改问题")  # fmt: skip


def inspection_tabular(rows: Sequence[InspectionRow]) -> Tabular:
    """`check list` as rows for every format but the table."""
    return tabular("检查", tuple(zip(INSPECTION_COLUMNS, INSPECTION_HEADERS, strict=True)),
                   [inspection_row_record(row) for row in rows], title="监督检查", empty="没有检查")  # fmt: skip
