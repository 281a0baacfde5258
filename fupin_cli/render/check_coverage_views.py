"""What `fupin check coverage` shows: the quota table, and its rows for every other format
(render.tabular writes them).
"""

from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from fupin_cli.domain.sampling import QuotaCoverage
from fupin_cli.render.check_formats import RED_STYLE, new_table
from fupin_cli.render.tabular import Tabular, tabular
from fupin_cli.services.check_coverage import CoverageReport

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
    table = new_table(coverage_heading(report))
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


def coverage_tabular(report: CoverageReport) -> Tabular:
    """The quotas as rows for every other format; a quota not met late in the year is filled red in
    xlsx; JSON also says `met` and `light`."""
    records = coverage_records(report)
    return tabular(
        f"{report.year}覆盖",
        tuple(zip(COVERAGE_COLUMNS, COVERAGE_HEADERS, strict=True)),
        records,
        title=coverage_heading(report),
        as_of=report.today,
        empty="没有配额",
        count_items=False,
        json_records=tuple(records),
        marked_rows=tuple(index for index, record in enumerate(records) if record["light"] == "red"),
        notes=tuple(report.notes),
        md_title=True,
    )
