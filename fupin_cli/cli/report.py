"""`fupin report`: overdue, due-soon, stats, ledger. Each command parses, calls one service, renders."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from fupin_cli.cli import common
from fupin_cli.cli.common import RawOption, ReportFormat, output_or_stdout
from fupin_cli.cli.output import ListFormatOption, ListOutputOption, emit

app = typer.Typer(help="报表：逾期、即将到期、统计、台账和催办通知。", no_args_is_help=True)

class StatsGrouping(StrEnum):
    unit = "unit"
    category = "category"
    month = "month"


AsOfOption = Annotated[
    str | None, typer.Option("--as-of", metavar="DATE", help="按这一天结束时的情况计算（过去的日子按办理记录回溯），默认今天。")
]
UnitOption = Annotated[
    str | None, typer.Option("--unit", metavar="单位", help="只看这个承办单位（全称或简称）。")
]


@app.command("overdue")
def report_overdue(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    unit: UnitOption = None,
    output_format: ListFormatOption = ReportFormat.table,
    output: ListOutputOption = None,
    raw: RawOption = False,
    fail_if_any: Annotated[
        bool, typer.Option("--fail-if-any", help="有逾期事项时（输出之后）以退出码 1 结束。")
    ] = False,
    quiet_if_none: Annotated[
        bool, typer.Option("--quiet-if-none", help="没有逾期事项时什么也不输出（供定时任务用）。")
    ] = False,
) -> None:
    """逾期事项：期限已过仍未办结的督查事项，按承办单位分组，给出建议措施（催办／通报）。"""
    from fupin_cli.cli import common
    from fupin_cli.render import reports as render
    from fupin_cli.services.reports import overdue_report

    report = overdue_report(settings=common.settings(ctx), as_of=common.optional_day(ctx, as_of), unit=unit)
    if not report.items and quiet_if_none:
        return
    emit(ctx, output_format, output, tabular=lambda: render.overdue_tabular(report),
          lines=lambda width, color: render.overdue_table(report, width=width, color=color), raw=raw)  # fmt: skip
    if report.items and fail_if_any:
        raise typer.Exit(code=1)


@app.command("due-soon")
def report_due_soon(
    ctx: typer.Context,
    within: Annotated[
        int, typer.Option("--within", metavar="N", click_type=common.WORKDAYS, help="几个工作日内到期（含今天到期），默认 3。")
    ] = 3,
    as_of: AsOfOption = None,
    unit: UnitOption = None,
    output_format: ListFormatOption = ReportFormat.table,
    output: ListOutputOption = None,
    raw: RawOption = False,
) -> None:
    """即将到期（黄灯）：尚未逾期、N 个工作日内到期的在办事项，最近到期的在前。"""
    from fupin_cli.cli import common
    from fupin_cli.render import reports as render
    from fupin_cli.services.reports import due_soon_report

    report = due_soon_report(
        settings=common.settings(ctx), within=within, unit=unit, as_of=common.optional_day(ctx, as_of)
    )
    emit(ctx, output_format, output, tabular=lambda: render.due_soon_tabular(report),
         lines=lambda width, color: render.due_soon_table(report, width=width, color=color), raw=raw)  # fmt: skip


@app.command("stats")
def report_stats(
    ctx: typer.Context,
    year: Annotated[
        int | None, typer.Option("--year", metavar="Y", click_type=common.YEAR, help="统计这一年交办的事项，默认今年。")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", metavar="DATE", help="统计区间起（交办日期）。")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", metavar="DATE", help="统计区间止（交办日期），默认今天。")
    ] = None,
    by: Annotated[
        StatsGrouping, typer.Option("--by", help="分组：unit 承办单位、category 类别、month 交办月份。")
    ] = StatsGrouping.unit,
    as_of: AsOfOption = None,
    output_format: ListFormatOption = ReportFormat.table,
    output: ListOutputOption = None,
    raw: RawOption = False,
) -> None:
    """统计：交办、办结、办结率、按时办结率（按原期限与延期后期限）、当前逾期、办结用时中位数、延期次数。"""
    from fupin_cli.cli import common
    from fupin_cli.render import reports as render
    from fupin_cli.services.reports import stats_report

    report = stats_report(settings=common.settings(ctx), year=year, start=common.optional_day(ctx, start),
                          end=common.optional_day(ctx, end), by=by.value,
                          as_of=common.optional_day(ctx, as_of))  # fmt: skip
    emit(ctx, output_format, output, tabular=lambda: render.stats_tabular(report),
          table=lambda width: render.stats_table(report, width=width), raw=raw)  # fmt: skip


@app.command("ledger")
def report_ledger(
    ctx: typer.Context,
    year: Annotated[int, typer.Option("--year", metavar="Y", click_type=common.YEAR, help="台账年度（督查编号的年份）。")],
    output: ListOutputOption = None,
    output_format: ListFormatOption = ReportFormat.table,
    raw: RawOption = False,
) -> None:
    """台账：这一年立项编号的全部督查事项及其全部字段；导出 xlsx 用 --output 台账.xlsx，屏幕上只列主要字段。"""
    from fupin_cli.cli import common
    from fupin_cli.render import ledger as render
    from fupin_cli.services.ledger import ledger

    taken = ledger(settings=common.settings(ctx), year=year)
    emit(ctx, output_format, output, tabular=lambda: render.ledger_tabular(taken),
         table=lambda width: render.ledger_table(taken, width=width), raw=raw)  # fmt: skip


@app.command("urge")
def report_urge(
    ctx: typer.Context,
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="DIR", help="存放催办通知书的文件夹（须已存在）。")
    ],
    unit: UnitOption = None,
) -> None:
    """催办通知书：为每件逾期的督查事项生成一份 Word 文书，文件名为督查编号；涉密事项跳过。"""
    from fupin_cli.cli import common, console
    from fupin_cli.render import documents as render
    from fupin_cli.services.documents import urge_all

    batch = urge_all(settings=common.settings(ctx), unit=unit)
    for path in render.save_all(batch.documents, output):
        console.text(str(path))
    for number in batch.skipped_classified:
        console.note(f"{number} 是涉密事项，未生成催办通知书（请线下办理）")


@app.command("digest")
def report_digest(
    ctx: typer.Context,
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", metavar="FILE", callback=output_or_stdout,
            help="简报 HTML 文件，如 督查工作简报.html；给 - 则输出到标准输出。",
        ),
    ],
    as_of: AsOfOption = None,
    year: Annotated[
        int | None, typer.Option("--year", metavar="Y", help="按时办结率和检查覆盖统计的年度，默认 --as-of 那一年。")
    ] = None,
) -> None:
    """督查工作简报：一页自成一体的 HTML（不联网、无脚本、可打印 A4）：概况与三色灯、逾期事项、按时办结率图表、检查覆盖。"""
    from fupin_cli import __version__
    from fupin_cli.cli import common, console
    from fupin_cli.render import digest as render
    from fupin_cli.services.digest import digest_report

    report = digest_report(settings=common.settings(ctx), as_of=common.optional_day(ctx, as_of), year=year)
    if output is None:  # --output -
        console.text(render.digest_html(report, version=__version__))
        return
    render.save(report, output, version=__version__)
    console.note(f"已写入 {output}")
