"""`fupin cal`: working days and deadlines, the month grid, and the holiday data behind them."""

from pathlib import Path
from typing import Annotated, Any

import typer

from fupin_cli.cli import common
from fupin_cli.cli.common import FormatOption, OutputFormat, RawOption, ReportFormat
from fupin_cli.cli.output import ListFormatOption, ListOutputOption, emit

app = typer.Typer(
    no_args_is_help=True,
    help="工作日日历：按工作日计算期限、两日之间的工作日数、月历、数据来源与导入国务院放假安排。",
)

DateArgument = Annotated[
    str,
    typer.Argument(metavar="DATE", help="日期：2026-03-01、2026/3/1、20260301、2026年3月1日、3月1日 或 今天"),
]


@app.command("deadline")
def cal_deadline(
    ctx: typer.Context,
    start: Annotated[
        str,
        typer.Argument(metavar="DATE", help="起算日（当天不计入，民法典第二百零一条）；写法同其他日期"),
    ],
    workdays: Annotated[int, typer.Argument(metavar="N", help="工作日数，1 到 1000")],
    output_format: FormatOption = OutputFormat.table,
) -> None:
    """起算日之后第 N 个工作日（期限届满日）；涉及尚未公布放假安排的年份时标明暂定。"""
    from fupin_cli.render import calendar as render
    from fupin_cli.services import calendar as service

    result = service.deadline(common.settings(ctx), start=common.day(ctx, start, None), workdays=workdays)
    _emit(output_format, render.deadline_view(result), render.deadline_record(result))


@app.command("between")
def cal_between(
    ctx: typer.Context,
    start: DateArgument,
    end: DateArgument,
    output_format: FormatOption = OutputFormat.table,
) -> None:
    """A 之后至 B（含 B）的工作日数；B 早于 A 时为负数。"""
    from fupin_cli.render import calendar as render
    from fupin_cli.services import calendar as service

    span = service.between(common.settings(ctx), start=common.day(ctx, start, None), end=common.day(ctx, end, None))
    _emit(output_format, render.span_view(span), render.span_record(span))


@app.command("month")
def cal_month(
    ctx: typer.Context,
    which: Annotated[
        str | None,
        typer.Argument(metavar="YYYY-MM", help="月份：2026-10、2026年10月、10月（今年）或 本月；默认本月"),
    ] = None,
    output_format: ListFormatOption = ReportFormat.table,
    output: ListOutputOption = None,
    raw: RawOption = False,
) -> None:
    """一个月的日历：周末、节假日（注明名称）、调休上班（补班）和今天。"""
    from fupin_cli.domain.calendar import parse_year_month
    from fupin_cli.render import calendar as render
    from fupin_cli.services import calendar as service

    settings = common.settings(ctx)
    year, month = parse_year_month(which or "本月", today=settings.today)
    view = service.month(settings, year=year, month=month)
    emit(ctx, output_format, output, tabular=lambda: render.month_tabular(view),
         table=lambda width: render.month_grid(view), raw=raw)  # fmt: skip


@app.command("status")
def cal_status(ctx: typer.Context, output_format: FormatOption = OutputFormat.table) -> None:
    """工作日历覆盖哪些年份、每年的数据来源、哪些年份是暂定的。"""
    from fupin_cli.render import calendar as render
    from fupin_cli.services import calendar as service

    status = service.calendar_status(common.settings(ctx))
    if output_format is OutputFormat.csv:
        _emit(output_format, None, [render.year_record(info) for info in status.years])
    else:
        _emit(output_format, render.status_view(status), render.status_record(status))


@app.command("import")
def cal_import(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(metavar="FILE", help="某一年的放假安排文件（TOML，格式见 docs），先校验再导入"),
    ],
    output_format: FormatOption = OutputFormat.table,
) -> None:
    """校验并导入一年的放假安排（依据国务院办公厅通知），再重算暂定期限；文件有错时指明行号，不做任何改动。"""
    from fupin_cli.render import calendar as render
    from fupin_cli.services import deadlines

    result, changes = common.write(ctx, deadlines.import_calendar_year, recheck_calendar=False, path=file)
    if output_format is OutputFormat.table:
        _emit(output_format, render.import_and_recheck_view(result, changes), None)
    else:
        _emit(output_format, None, render.import_record(result, changes))


@app.command("recheck")
def cal_recheck(ctx: typer.Context, output_format: FormatOption = OutputFormat.table) -> None:
    """按现在的日历重算所有暂定期限（导入放假安排或升级 chinese-calendar 后），列出改动并记入审计记录。"""
    from fupin_cli.render import calendar as render
    from fupin_cli.services import deadlines

    changes = common.write(ctx, deadlines.recheck, recheck_calendar=False)
    records = [render.change_record(change) for change in changes]
    _emit(output_format, render.recheck_view(changes), records)


def _emit(output_format: OutputFormat, view: Any, records: Any) -> None:
    from fupin_cli.cli import console
    from fupin_cli.render.tabular import records_csv, to_json

    if output_format is OutputFormat.json:
        console.text(to_json(records))
    elif output_format is OutputFormat.csv:
        rows = records if isinstance(records, list) else [records]
        console.text(records_csv(rows, list(rows[0]) if rows else []) if rows else "")
    else:
        console.show(view)
