"""What `fupin check` shows: the five kinds, villages, the year's plan, inspections, findings,
indicators and coverage, as Rich renderables, one-line results, JSON/CSV records and an xlsx file.
Builds; never prints.
"""

import csv
import io
import json
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from fupin_cli.domain.inspections import Catalogue, FindingState, format_amount, percent
from fupin_cli.domain.sampling import QuotaCoverage, QuotaKind
from fupin_cli.render.xlsx import write_atomically, write_text
from fupin_cli.services.checks import (
    CoverageReport,
    FindingView,
    IndicatorReport,
    IndicatorView,
    InspectionRow,
    InspectionView,
    PlanView,
    VillageView,
    VisitResult,
)

PROVISIONAL_MARK = "*"
PROVISIONAL_NOTE = "* 期限涉及放假安排尚未公布的年份，为暂定日期；公布后用 fupin cal recheck 重算"
RED_STYLE = "bold red"


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _flag(value: bool) -> str:
    return "是" if value else ""


def _table(title: str | None = None) -> Table:
    return Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)


# --- JSON, CSV, TSV, Markdown ----------------------------------------------------------------------


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "、".join(str(item) for item in value)
    return str(value)


def to_csv(records: Sequence[Mapping[str, Any]], *, columns: Sequence[str], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([_cell(record.get(name)) for name in columns])
    return out.getvalue()


def to_markdown(
    records: Sequence[Mapping[str, Any]], *, columns: Sequence[str], headers: Sequence[str]
) -> str:
    def escape(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for record in records:
        lines.append("| " + " | ".join(escape(_cell(record.get(name))) for name in columns) + " |")
    return "\n".join(lines) + "\n"


# --- kinds ---------------------------------------------------------------------------------------


def kind_records(catalogue: Catalogue) -> list[dict[str, Any]]:
    return [
        {
            "no": kind.no,
            "name": kind.name,
            "short": kind.short,
            "objects": list(kind.objects),
            "contents": list(kind.contents),
            "methods": list(kind.methods),
            "measures": list(kind.measures),
            "steps": list(kind.steps),
            "handling": list(kind.handling),
            "violations": [{"code": v.code, "text": v.text} for v in kind.violations],
        }
        for kind in catalogue.kinds
    ]


KIND_COLUMNS = ("no", "name", "short", "objects", "contents", "methods", "measures", "steps", "handling")


def kind_csv_records(catalogue: Catalogue) -> list[dict[str, Any]]:
    records = kind_records(catalogue)
    for record in records:
        record["violations"] = [f"{v['code']} {v['text']}" for v in record["violations"]]
    return records


def kinds_view(catalogue: Catalogue) -> RenderableType:
    parts: list[RenderableType] = []
    for kind in catalogue.kinds:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        grid.add_row("对象", "；".join(kind.objects))
        grid.add_row("内容", "；".join(kind.contents))
        grid.add_row("方式", "、".join(kind.methods))
        grid.add_row("措施", "；".join(kind.measures))
        grid.add_row("程序", " → ".join(kind.steps))
        grid.add_row("处理", "；".join(kind.handling))
        for violation in kind.violations:
            grid.add_row(violation.code, violation.text)
        parts.append(
            Panel(grid, title=f"{kind.no} {kind.name}（{kind.short}）", title_align="left", box=box.ROUNDED)
        )
    phases = Table.grid(padding=(0, 1))
    phases.add_column(style="bold", no_wrap=True)
    phases.add_column(overflow="fold")
    for phase in catalogue.phases:
        phases.add_row(phase.name, "、".join(phase.work))
    parts.append(Panel(phases, title="检查阶段", title_align="left", box=box.ROUNDED))
    return Group(*parts)


# --- villages ------------------------------------------------------------------------------------


def village_record(view: VillageView) -> dict[str, Any]:
    return {
        "id": view.id,
        "county": view.county,
        "village": view.name,
        "key_village": view.key_village,
        "project_years": list(view.project_years),
        "mutual_aid_pilot": view.mutual_aid_pilot,
        "note": view.note,
    }


VILLAGE_COLUMNS = ("id", "county", "village", "key_village", "project_years", "mutual_aid_pilot", "note")


def village_table(views: Sequence[VillageView]) -> RenderableType:
    if not views:
        return Text(
            "还没有村庄：用 fupin check villages import FILE.csv 导入（fupin init --demo 载入虚构演示村）"
        )
    table = _table(f"村庄 {len(views)} 个")
    for header in ("县", "村", "重点村", "项目年度", "互助资金试点", "备注"):
        table.add_column(header, overflow="fold", no_wrap=header != "备注")
    for view in views:
        table.add_row(
            view.county,
            view.name,
            _flag(view.key_village),
            "、".join(str(y) for y in view.project_years),
            _flag(view.mutual_aid_pilot),
            view.note or "",
        )
    return table


# --- plan ----------------------------------------------------------------------------------------


def plan_record(view: PlanView) -> dict[str, Any]:
    plan = view.plan
    return {
        "year": plan.year,
        "period_year": plan.period_year,
        "seed": plan.seed,
        "county_count": view.county_count,
        "focus_counties": list(plan.focus_counties),
        "drawn_on": _day(view.drawn_on),
        "drawn_by": view.drawn_by,
        "drawn_now": view.drawn_now,
        "redrawn_from_seed": view.redrawn_from_seed,
        "villages_changed": view.villages_changed,
        "counties": [
            {
                "county": county.county,
                "focus": county.focus,
                "key_villages": view.counts.get(county.county).key_villages
                if county.county in view.counts
                else None,
                "project_villages": view.counts.get(county.county).project_villages
                if county.county in view.counts
                else None,
                "city_villages": list(county.city_villages),
                "quotas": [
                    {
                        "kind": q.kind.value,
                        "label": q.kind.label,
                        "share": q.kind.share_text,
                        "base": q.base,
                        "required": q.required,
                    }
                    for q in county.quotas
                ],
            }
            for county in plan.counties
        ],
        "notes": list(view.notes),
    }


PLAN_CSV_COLUMNS = (
    "year",
    "period_year",
    "seed",
    "county",
    "focus",
    "key_villages",
    "project_villages",
    "city_required",
    "city_villages",
    "county_focus_required",
    "county_self_required",
)


def plan_csv_records(view: PlanView) -> list[dict[str, Any]]:
    rows = []
    for county in view.plan.counties:
        quotas = {q.kind: q for q in county.quotas}
        city = quotas.get(QuotaKind.CITY_FULL) or quotas.get(QuotaKind.CITY_SAMPLE)
        rows.append(
            {
                "year": view.plan.year,
                "period_year": view.plan.period_year,
                "seed": view.plan.seed,
                "county": county.county,
                "focus": county.focus,
                "key_villages": quotas[QuotaKind.COUNTY_SELF].base,
                "project_villages": city.base if city else 0,
                "city_required": city.required if city else 0,
                "city_villages": list(county.city_villages),
                "county_focus_required": quotas[QuotaKind.COUNTY_FOCUS].required,
                "county_self_required": quotas[QuotaKind.COUNTY_SELF].required,
            }
        )
    return rows


def plan_view(view: PlanView) -> RenderableType:
    plan = view.plan
    if view.drawn_now and view.redrawn_from_seed is not None:
        head = f"{plan.year} 年扶贫资金项目抽查计划：已重新抽取（原种子 {view.redrawn_from_seed}）"
    elif view.drawn_now:
        head = f"{plan.year} 年扶贫资金项目抽查计划：已抽取并保存"
    else:
        head = f"{plan.year} 年扶贫资金项目抽查计划（{view.drawn_on} 由 {view.drawn_by} 抽取）"
    lines: list[RenderableType] = [
        Text(head, style="bold"),
        Text(
            f"种子 {plan.seed}；项目年度 {plan.period_year}；重点督查县 {'、'.join(plan.focus_counties)}。"
            f"任何人用 fupin check plan --year {plan.year} --seed {plan.seed} --counties {view.county_count}"
            f"{'' if plan.period_year == plan.year else f' --period {plan.period_year}'} 在同样的村庄名单上都抽得同样结果。"
        ),
    ]
    table = _table()
    table.add_column("县", no_wrap=True)
    table.add_column("重点督查", no_wrap=True)
    table.add_column("市核查（项目实施村）", overflow="fold", ratio=1)
    table.add_column("县重点检查\n≥30%重点村", justify="right", no_wrap=True)
    table.add_column("县自查\n≥1/2重点村", justify="right", no_wrap=True)
    for county in plan.counties:
        quotas = {q.kind: q for q in county.quotas}
        city = quotas.get(QuotaKind.CITY_FULL) or quotas.get(QuotaKind.CITY_SAMPLE)
        assert city is not None
        share = "全部" if city.kind is QuotaKind.CITY_FULL else "≥1/3"
        names = "：" + "、".join(county.city_villages) if county.city_villages else ""
        focus, own = quotas[QuotaKind.COUNTY_FOCUS], quotas[QuotaKind.COUNTY_SELF]
        table.add_row(
            county.county,
            "是" if county.focus else "",
            f"{city.required}/{city.base}（{share}）{names}",
            f"{focus.required}/{focus.base}",
            f"{own.required}/{own.base}",
        )
    lines.append(table)
    lines.append(Text("配额均向上取整（如 7 个重点村的 30% 为 2.1，取 3）；分母为现有村数。", style="dim"))
    if view.villages_changed:
        lines.append(Text("注意：村庄名单在抽取后有变化，按同一种子重抽结果可能不同。", style="yellow"))
    lines += [Text(note, style="yellow") for note in view.notes]
    return Group(*lines)


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
        "ordered_on": _day(finding.ordered_on),
        "workdays": finding.workdays,
        "due": _day(finding.due),
        "due_provisional": finding.due_provisional,
        "state": finding.state.value,
        "state_label": finding.state.label,
        "rectified_on": _day(finding.rectified_on),
        "verified_on": _day(finding.verified_on),
        "handed_over_on": _day(finding.handed_over_on),
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
        "opened_on": _day(inspection.opened_on),
        "phases": {phase.value: _day(day) for phase, day in inspection.phase_days.items()},
        "visits": [
            {
                "id": visit.id,
                "county": visit.county,
                "village": visit.village,
                "unit": visit.unit,
                "by": visit.checked_by.value,
                "by_label": visit.checked_by.label,
                "on": _day(visit.visited_on),
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
        table = _table(f"已检查 {len(view.visits)} 处")
        for header in ("日期", "村 / 单位", "检查方"):
            table.add_column(header, overflow="fold")
        for visit in view.visits:
            what = f"{visit.county}{visit.village}" if visit.village else visit.unit or ""
            table.add_row(visit.visited_on.isoformat(), what, visit.checked_by.label)
        parts.append(table)
    if view.findings:
        table = _table(f"发现问题 {len(view.findings)} 个")
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
        "phase_on": _day(inspection.phase_on),
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
    table = _table()
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


# --- indicators ----------------------------------------------------------------------------------


def indicator_line(view: IndicatorView) -> str:
    previous = f"（原为 {view.previous[0]}/{view.previous[1]}）" if view.previous else ""
    verdict = f"低于 {percent(view.threshold)}" if view.below else f"不低于 {percent(view.threshold)}"
    return (
        f"{view.year} 年{view.county}{view.indicator.name}：{view.numerator}/{view.denominator} = "
        f"{percent(view.rate)}，{verdict}{previous}"
    )


def indicator_record(view: IndicatorView) -> dict[str, Any]:
    return {
        "year": view.year,
        "county": view.county,
        "indicator": view.indicator.name,
        "kind": view.indicator.kind,
        "numerator": view.numerator,
        "denominator": view.denominator,
        "rate": float(view.rate),
        "rate_text": percent(view.rate),
        "threshold": float(view.threshold),
        "below": view.below,
        "recorded_on": _day(view.recorded_on),
    }


INDICATOR_COLUMNS = (
    "year",
    "county",
    "indicator",
    "numerator",
    "denominator",
    "rate_text",
    "threshold",
    "below",
    "recorded_on",
)


def indicator_table(report: IndicatorReport) -> RenderableType:
    limit = f"低于 {percent(report.threshold)}" if report.threshold is not None else "低于各指标阈值"
    if not report.rows:
        if report.recorded == 0:
            return Text(f"{report.year} 年还没有登记指标（fupin check indicator）")
        return Text(f"{report.year} 年登记的 {report.recorded} 项指标都不{limit}")
    title = f"{report.year} 年指标" + (
        "" if report.show_all else f"：{limit}的县（共登记 {report.recorded} 项）"
    )
    table = _table(title)
    for header in ("指标", "县", "分子/分母", "比率", "阈值", ""):
        table.add_column(header, no_wrap=True)
    for view in report.rows:
        table.add_row(
            view.indicator.name,
            view.county,
            f"{view.numerator}/{view.denominator}",
            percent(view.rate),
            percent(view.threshold),
            Text("低于", style=RED_STYLE) if view.below else Text(""),
        )
    return table


# --- coverage ------------------------------------------------------------------------------------


def _status(row: QuotaCoverage) -> str:
    if row.met:
        return "已完成"
    return "红" if row.late else "未完成"


def coverage_records(report: CoverageReport) -> list[dict[str, Any]]:
    return [
        {
            "year": report.year,
            "county": row.county,
            "quota": row.kind.value,
            "quota_label": row.kind.label,
            "share": row.kind.share_text,
            "base": row.base,
            "required": row.required,
            "done": row.done,
            "missing": row.missing,
            "met": row.met,
            "light": "red" if row.late else None,
            "status": _status(row),
            "pending_villages": list(row.pending_villages),
        }
        for row in report.rows
    ]


COVERAGE_COLUMNS = (
    "year",
    "county",
    "quota",
    "quota_label",
    "share",
    "base",
    "required",
    "done",
    "missing",
    "status",
    "pending_villages",
)
COVERAGE_HEADERS = (
    "年度",
    "县",
    "配额",
    "配额名称",
    "比例",
    "基数",
    "应查",
    "已查",
    "尚缺",
    "状态",
    "计划中未查的村",
)


def coverage_heading(report: CoverageReport) -> str:
    plan = (
        f"计划种子 {report.plan_seed}，重点督查县 {'、'.join(report.focus_counties)}"
        if report.plan_seed is not None
        else "尚无计划"
    )
    return (
        f"{report.year} 年扶贫资金项目检查覆盖（项目年度 {report.period_year}；{plan}；截至 {report.today}）"
    )


def coverage_table(report: CoverageReport) -> RenderableType:
    table = _table(coverage_heading(report))
    for header, justify in (
        ("县", "left"),
        ("配额", "left"),
        ("应查", "right"),
        ("已查", "right"),
        ("尚缺", "right"),
        ("状态", "left"),
    ):
        table.add_column(header, justify=justify, no_wrap=header != "配额")  # type: ignore[arg-type]
    previous = None
    for row in report.rows:
        status = Text(_status(row), style=RED_STYLE if row.late else ("dim" if row.met else ""))
        table.add_row(
            row.county if row.county != previous else "",
            f"{row.kind.label}（{row.kind.share_text}，共 {row.base}）",
            str(row.required),
            str(row.done),
            str(row.missing) if row.missing else "",
            status,
        )
        previous = row.county
    owed = sum(row.missing for row in report.rows)
    notes = [Text(note, style="yellow") for note in report.notes]
    summary = "各县配额均已完成" if owed == 0 else f"尚缺合计 {owed} 个村次"
    if report.late and owed:
        summary += "；全年已过四分之三，未完成的配额标红"
    return Group(table, Text(summary), *notes)


def coverage_text(report: CoverageReport, output_format: str) -> str:
    """json, csv, tsv or md."""
    records = coverage_records(report)
    if output_format == "json":
        return to_json(records)
    if output_format == "md":
        return f"{coverage_heading(report)}\n\n" + to_markdown(
            records, columns=COVERAGE_COLUMNS, headers=COVERAGE_HEADERS
        )
    return to_csv(records, columns=COVERAGE_COLUMNS, delimiter="\t" if output_format == "tsv" else ",")


def write_coverage(report: CoverageReport, output_format: str, path: Path) -> Path:
    """The coverage in `output_format` (json, csv, tsv, md, xlsx) written to `path`, atomically."""
    if output_format == "xlsx":
        return write_coverage_xlsx(report, path)
    write_text(path, coverage_text(report, output_format))
    return path


def write_coverage_xlsx(report: CoverageReport, path: Path) -> Path:
    """The coverage table as an .xlsx workbook, written to a temporary file and moved into place."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = f"{report.year}覆盖"
    sheet.append([coverage_heading(report)])
    sheet.append(list(COVERAGE_HEADERS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    red = PatternFill("solid", fgColor="FFC7CE")
    for record in coverage_records(report):
        sheet.append([_xlsx_value(record.get(column)) for column in COVERAGE_COLUMNS])
        if record["light"] == "red":
            for cell in sheet[sheet.max_row]:
                cell.fill = red
    for note in report.notes:
        sheet.append([note])
    widths = (6, 8, 14, 30, 6, 6, 6, 6, 6, 8, 40)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = width
    write_atomically(path, lambda temporary: book.save(temporary))
    return path


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return "、".join(str(item) for item in value)
    return value
