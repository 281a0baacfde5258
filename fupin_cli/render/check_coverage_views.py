"""What `fupin check coverage` shows and writes: the quota table, its text formats and an xlsx file.
"""

from pathlib import Path
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from fupin_cli.domain.sampling import QuotaCoverage
from fupin_cli.render.check_formats import RED_STYLE, new_table, to_csv, to_json, to_markdown
from fupin_cli.render.xlsx import as_text, save_zipped, write_atomically, write_text, xlsx_text
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


def coverage_text(report: CoverageReport, output_format: str, *, raw: bool = False) -> str:
    """json, csv, tsv, md or html."""
    records = coverage_records(report)
    if output_format == "html":
        from fupin_cli.render.digest import table_page

        rows = [["" if record[key] is None else str(record[key]) for key in COVERAGE_COLUMNS] for record in records]
        return table_page(coverage_heading(report), COVERAGE_HEADERS, rows)
    if output_format == "json":
        return to_json(records)
    if output_format == "md":
        return f"{coverage_heading(report)}\n\n" + to_markdown(
            records, columns=COVERAGE_COLUMNS, headers=COVERAGE_HEADERS
        )
    delimiter = "\t" if output_format == "tsv" else ","
    return to_csv(records, columns=COVERAGE_COLUMNS, delimiter=delimiter, raw=raw)


def write_coverage(report: CoverageReport, output_format: str, path: Path, *, raw: bool = False) -> Path:
    """The coverage in `output_format` (json, csv, tsv, md, xlsx) written to `path`, atomically."""
    if output_format == "xlsx":
        return write_coverage_xlsx(report, path)
    write_text(path, coverage_text(report, output_format, raw=raw))
    return path


def write_coverage_xlsx(report: CoverageReport, path: Path) -> Path:
    """The coverage table as an .xlsx workbook, written to a temporary file and moved into place."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from fupin_cli.render.xlsx import print_setup

    book = Workbook()
    sheet = book.active
    sheet.title = f"{report.year}覆盖"
    heading = coverage_heading(report)
    sheet.append([heading, *[None] * (len(COVERAGE_HEADERS) - 1)])
    for cell in sheet[1]:
        cell.alignment = Alignment(horizontal="centerContinuous")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(COVERAGE_HEADERS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    sheet.freeze_panes = "A3"
    print_setup(sheet, header_row=2, title=heading)
    red = PatternFill("solid", fgColor="FFC7CE")
    for record in coverage_records(report):
        sheet.append([_xlsx_value(record.get(column)) for column in COVERAGE_COLUMNS])
        if record["light"] == "red":
            for cell in sheet[sheet.max_row]:
                cell.fill = red
    for note in report.notes:
        sheet.append([note])
    for row in sheet.iter_rows():
        for cell in row:
            as_text(cell)
    widths = (6, 8, 14, 30, 6, 6, 6, 6, 6, 8, 40)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = width
    write_atomically(path, lambda temporary: save_zipped(book.save, temporary))
    return path


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, list | tuple):
        value = "、".join(str(item) for item in value)
    return xlsx_text(value) if isinstance(value, str) else value
