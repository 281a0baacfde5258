"""`fupin check`: the five kinds of inspection, villages, the yearly plan, inspections and visits,
findings and their rectification, indicators and coverage. Each command parses, calls one
service, renders.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from fupin_cli.cli import common
from fupin_cli.cli.common import (
    FormatOption,
    OnOption,
    OutputFormat,
    RawOption,
    ReportFormat,
)
from fupin_cli.cli.output import ListFormatOption, ListOutputOption, emit

app = typer.Typer(help="监督检查：五类检查、年度抽查计划、发现问题与整改。", no_args_is_help=True)
villages_app = typer.Typer(help="村庄名单：重点村、项目实施村、互助资金试点村。", no_args_is_help=True)
app.add_typer(villages_app, name="villages")

InspectionArgument = Annotated[int, typer.Argument(metavar="ID", click_type=common.RECORD_ID, help="检查编号（fupin check list 可查）。")]
FindingArgument = Annotated[
    int, typer.Argument(metavar="FINDING_ID", click_type=common.RECORD_ID, help="问题编号（fupin check show 可查）。")
]
YearOption = Annotated[int, typer.Option("--year", "-y", metavar="YYYY", click_type=common.YEAR, help="年度。")]
CountyOption = Annotated[
    str | None, typer.Option("--county", metavar="县", help="村所在的县（市、区），村名重名时必填。")
]


def _emit(
    output: OutputFormat, *, table: Callable[[], Any], records: Callable[[], Any], csv_text: Callable[[], str]
) -> None:
    from fupin_cli.cli import console
    from fupin_cli.render.tabular import to_json

    if output is OutputFormat.json:
        console.text(to_json(records()))
    elif output is OutputFormat.csv:
        console.text(csv_text())
    else:
        console.show(table())


def _line(text: str) -> None:
    from fupin_cli.cli import console

    console.text(text)


@app.command("kinds")
def check_kinds(
    ctx: typer.Context, output_format: ListFormatOption = ReportFormat.table,
    output: ListOutputOption = None,
    raw: RawOption = False,
) -> None:
    """五类监督检查：对象、内容、方式、措施、程序、处理，及雨露计划可责令限期纠正的情形 Y1–Y6。"""
    from fupin_cli.render import checks as render
    from fupin_cli.services import check_common

    catalogue = check_common.kinds()
    emit(ctx, output_format, output, tabular=lambda: render.kinds_tabular(catalogue),
         table=lambda width: render.kinds_view(catalogue), raw=raw)  # fmt: skip


@villages_app.command("import")
def villages_import(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE.csv",
            help="CSV（UTF-8 或 GBK）：县,村,重点村,项目实施村年度,互助资金试点村[,备注]；是/否、1/0、true/false；"
            "英文表头 county,village,key_village,project_year,mutual_aid_pilot 亦可；# 开头的行为注释。",
        ),
    ],
) -> None:
    """导入村庄名单：逐行校验，有错则整份不导入并指出行和列；再次导入按 县+村 更新，不重复。"""
    from fupin_cli.services import check_villages

    _line(str(common.write(ctx, check_villages.import_villages, path=file)))


@villages_app.command("list")
def villages_list(
    ctx: typer.Context,
    county: CountyOption = None,
    output_format: ListFormatOption = ReportFormat.table,
    output: ListOutputOption = None,
    raw: RawOption = False,
) -> None:
    """列出已导入的村庄，可按县筛选。"""
    from fupin_cli.render import checks as render
    from fupin_cli.services import check_villages

    views = check_villages.list_villages(settings=common.settings(ctx), county=county)
    emit(ctx, output_format, output, tabular=lambda: render.village_tabular(views),
         table=lambda width: render.village_table(views), raw=raw)  # fmt: skip


@app.command("plan")
def check_plan(
    ctx: typer.Context,
    year: YearOption,
    seed: Annotated[
        int | None, typer.Option("--seed", metavar="S", help="随机种子（整数）；不给则随机生成并保存、显示。")
    ] = None,
    counties: Annotated[
        int | None, typer.Option("--counties", metavar="2|3", help="抽取的重点督查县个数：2 或 3（默认 2）。")
    ] = None,
    period: Annotated[
        int | None,
        typer.Option("--period", metavar="YYYY", click_type=common.YEAR, help="核查哪一年度的项目实施村（默认与 --year 相同）。"),
    ] = None,
    redraw: Annotated[bool, typer.Option("--redraw", help="已有计划时重新抽取（记入审计记录）。")] = False,
    output_format: FormatOption = OutputFormat.table,
) -> None:
    """年度扶贫资金项目抽查计划：抽取 2–3 个重点督查县、市级核查的村和各县应自查的比例；已有计划只显示不重抽。"""
    from fupin_cli.render import check_plan_views
    from fupin_cli.render.tabular import records_csv
    from fupin_cli.services import check_plans

    settings = common.settings(ctx)
    shown = None if redraw else check_plans.stored_plan(
        settings=settings, year=year, seed=seed, counties=counties, period_year=period
    )  # fmt: skip
    view = shown or common.write(ctx, check_plans.plan_year,
        year=year,
        seed=seed,
        counties=counties,
        period_year=period,
        redraw=redraw,
    )
    _emit(
        output_format,
        table=lambda: check_plan_views.plan_view(view),
        records=lambda: check_plan_views.plan_record(view),
        csv_text=lambda: records_csv(check_plan_views.plan_csv_records(view), columns=check_plan_views.PLAN_CSV_COLUMNS),
    )


@app.command("new")
def check_new(
    ctx: typer.Context,
    kind: Annotated[
        str,
        typer.Argument(
            metavar="KIND", help="检查类别：1–5，或 政策、资金项目、易地搬迁、互助资金、雨露计划（或全称）。"
        ),
    ],
    title: Annotated[str, typer.Option("--title", "-t", metavar="TEXT", help="检查名称。")],
    year: Annotated[
        int | None, typer.Option("--year", "-y", metavar="YYYY", click_type=common.YEAR, help="检查年度（默认 --on 所在年）。")
    ] = None,
    unit: Annotated[
        list[str] | None,
        typer.Option("--unit", metavar="UNIT", help="被检查单位：全称或简称（如 唐县），可重复给出。"),
    ] = None,
    method: Annotated[
        str | None,
        typer.Option(
            "--method",
            metavar="方式",
            help="检查方式（见 fupin check kinds），如资金项目的 重点督查 或 全面督查；"
            "重点督查中县自查的村计入 30% 重点检查配额，其余计入 1/2 自查配额。",
        ),
    ] = None,
    phase: Annotated[
        str | None,
        typer.Option("--phase", metavar="阶段", help="起始阶段：前期准备（默认）、实施检查 或 检查总结。"),
    ] = None,
    on: OnOption = None,
) -> None:
    """登记一次检查（五类之一），从所给阶段开始。"""
    from fupin_cli.render import check_inspection_views
    from fupin_cli.services import checks

    day = common.step_day(ctx, on)
    view = common.write(ctx, checks.open_inspection,
        kind=kind,
        year=year if year is not None else day.year,
        title=title,
        units=tuple(unit or ()),
        method=method,
        phase=phase,
        on=day,
    )
    _line(check_inspection_views.inspection_line(view))


@app.command("phase")
def check_phase(
    ctx: typer.Context,
    inspection_id: InspectionArgument,
    phase: Annotated[str, typer.Argument(metavar="PHASE", help="新阶段：实施检查 或 检查总结（只能向后）。")],
    on: OnOption = None,
) -> None:
    """检查进入下一阶段（前期准备 → 实施检查 → 检查总结），记下开始日期。"""
    from fupin_cli.render import check_inspection_views
    from fupin_cli.services import checks

    view = common.write(ctx, checks.change_phase,
        inspection_id=inspection_id, phase=phase, on=common.step_day(ctx, on)
    )
    _line(check_inspection_views.inspection_line(view))


@app.command("visit")
def check_visit(
    ctx: typer.Context,
    inspection_id: InspectionArgument,
    by: Annotated[
        str,
        typer.Option("--by", metavar="WHO", help="检查方：city（市）、county（县自查）或 mutual（互查）。"),
    ],
    village: Annotated[str | None, typer.Option("--village", metavar="村", help="检查的村。")] = None,
    county: CountyOption = None,
    unit: Annotated[
        str | None, typer.Option("--unit", metavar="UNIT", help="检查的单位（不是村时）。")
    ] = None,
    on: OnOption = None,
) -> None:
    """登记检查到的一个村（或一个单位）及检查方；资金项目检查的村计入年度覆盖。"""
    from fupin_cli.render import check_inspection_views
    from fupin_cli.services import checks

    if (village is None) == (unit is None):
        raise typer.BadParameter("请给 --village 或 --unit 之一", ctx=ctx, param_hint="--village / --unit")
    result = common.write(ctx, checks.record_visit,
        inspection_id=inspection_id,
        by=by,
        village=village,
        county=county,
        unit=unit,
        on=common.step_day(ctx, on),
    )
    _line(check_inspection_views.visit_line(result))


@app.command("show")
def check_show(
    ctx: typer.Context, inspection_id: InspectionArgument, output_format: FormatOption = OutputFormat.table
) -> None:
    """一次检查的详情：阶段、检查到的村和单位、发现的问题及整改情况。"""
    from fupin_cli.render import check_inspection_views
    from fupin_cli.render.tabular import records_csv
    from fupin_cli.services import checks

    view = checks.show_inspection(settings=common.settings(ctx), inspection_id=inspection_id)
    _emit(
        output_format,
        table=lambda: check_inspection_views.inspection_card(view),
        records=lambda: check_inspection_views.inspection_record(view),
        csv_text=lambda: records_csv(
            [check_inspection_views.finding_record(f) for f in view.findings], columns=check_inspection_views.FINDING_COLUMNS
        ),
    )


@app.command("list")
def check_list(
    ctx: typer.Context,
    year: Annotated[
        int | None, typer.Option("--year", "-y", metavar="YYYY", click_type=common.YEAR, help="只列这一年度的检查。")
    ] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", metavar="KIND", help="只列这一类检查（1–5 或简称）。")
    ] = None,
    output_format: ListFormatOption = ReportFormat.table,
    output: ListOutputOption = None,
    raw: RawOption = False,
) -> None:
    """列出检查：编号、年度、类别、名称、阶段、检查数和问题数。"""
    from fupin_cli.render import check_inspection_views as render
    from fupin_cli.services import checks

    rows = checks.list_inspections(settings=common.settings(ctx), year=year, kind=kind)
    emit(ctx, output_format, output, tabular=lambda: render.inspection_tabular(rows),
         table=lambda width: render.inspection_table(rows), raw=raw)  # fmt: skip


@app.command("finding")
def check_finding(
    ctx: typer.Context,
    inspection_id: InspectionArgument,
    text: Annotated[str, typer.Option("--text", metavar="TEXT", help="发现的问题。")],
    unit: Annotated[
        str, typer.Option("--unit", metavar="UNIT", help="责令改正的单位：全称或简称（如 唐县）。")
    ],
    village: Annotated[str | None, typer.Option("--village", metavar="村", help="问题所在的村。")] = None,
    county: CountyOption = None,
    code: Annotated[
        str | None,
        typer.Option("--code", metavar="Y1..Y6", help="雨露计划的违规情形编号（只用于雨露计划检查）。"),
    ] = None,
    amount: Annotated[
        str | None, typer.Option("--amount", metavar="元", help="涉及金额（元），如 12345.67 或 3.5万元。")
    ] = None,
    days: Annotated[
        int | None, typer.Option("--days", metavar="N", click_type=common.WORKDAYS, help="限期改正的工作日数（默认 10，起算日不计入）。")
    ] = None,
    on: OnOption = None,
) -> None:
    """登记发现的问题，责令限期改正：期限为 --on 之后第 N 个工作日。"""
    from fupin_cli.render import check_inspection_views
    from fupin_cli.services import check_findings

    view = common.write(ctx, check_findings.record_finding,
        inspection_id=inspection_id,
        text=text,
        unit=unit,
        village=village,
        county=county,
        code=code,
        amount=amount,
        workdays=days,
        on=common.step_day(ctx, on),
    )
    _line(check_inspection_views.finding_line(view))


@app.command("rectify")
def check_rectify(ctx: typer.Context, finding_id: FindingArgument, on: OnOption = None) -> None:
    """问题已整改（单位报告已改正），待核实。"""
    from fupin_cli.render import check_inspection_views
    from fupin_cli.services import check_findings

    _line(
        check_inspection_views.finding_line(
            common.write(ctx, check_findings.rectify_finding,
                finding_id=finding_id, on=common.step_day(ctx, on)
            )
        )
    )


@app.command("verify")
def check_verify(ctx: typer.Context, finding_id: FindingArgument, on: OnOption = None) -> None:
    """整改经核实，问题结束。"""
    from fupin_cli.render import check_inspection_views
    from fupin_cli.services import check_findings

    _line(
        check_inspection_views.finding_line(
            common.write(ctx, check_findings.verify_finding,
                finding_id=finding_id, on=common.step_day(ctx, on)
            )
        )
    )


@app.command("handover")
def check_handover(
    ctx: typer.Context,
    finding_id: FindingArgument,
    title: Annotated[
        str | None, typer.Option("--title", metavar="TEXT", help="督查事项标题（默认由问题生成）。")
    ] = None,
    on: OnOption = None,
) -> None:
    """移交：为问题拟办一件督查事项（fupin case），两者互相关联，问题不再计入整改逾期。"""
    from fupin_cli.render import check_inspection_views
    from fupin_cli.services import check_findings

    view = common.write(ctx, check_findings.hand_over_finding,
        finding_id=finding_id, title=title, on=common.step_day(ctx, on)
    )
    _line(check_inspection_views.finding_line(view))


@app.command("indicator")
def check_indicator(
    ctx: typer.Context,
    county: Annotated[str, typer.Option("--county", metavar="县", help="县（市、区）。")],
    year: YearOption,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            metavar="指标",
            help="指标：识别精准率、脱贫率、互助资金按期还款率、雨露计划应补尽补率 等。",
        ),
    ],
    numerator: Annotated[int, typer.Option("--numerator", metavar="N", click_type=common.COUNT, help="分子（不大于分母）。")],
    denominator: Annotated[int, typer.Option("--denominator", metavar="D", click_type=common.COUNT, help="分母（大于 0）。")],
    on: OnOption = None,
) -> None:
    """登记一个县某年度的指标（分子/分母）；再次登记即更正，原数记入审计记录。"""
    from fupin_cli.render import check_indicator_views
    from fupin_cli.services import check_indicators

    view = common.write(ctx, check_indicators.record_indicator,
        county=county,
        year=year,
        kind=kind,
        numerator=numerator,
        denominator=denominator,
        on=common.step_day(ctx, on),
    )
    _line(check_indicator_views.indicator_line(view))


@app.command("indicators")
def check_indicators(
    ctx: typer.Context,
    year: YearOption,
    threshold: Annotated[
        str | None,
        typer.Option(
            "--threshold",
            metavar="T",
            help="阈值，如 0.95 或 95%（默认各指标在 inspections.toml 中的阈值）。",
        ),
    ] = None,
    kind: Annotated[str | None, typer.Option("--kind", metavar="指标", help="只看这一个指标。")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="列出全部登记的指标，不只是低于阈值的。")] = False,
    output_format: ListFormatOption = ReportFormat.table,
    output: ListOutputOption = None,
    raw: RawOption = False,
) -> None:
    """某年度指标低于阈值的县。"""
    from fupin_cli.render import check_indicator_views as render
    from fupin_cli.services import check_indicators

    report = check_indicators.indicators_below(
        settings=common.settings(ctx), year=year, threshold=threshold, kind=kind, show_all=show_all
    )
    emit(ctx, output_format, output, tabular=lambda: render.indicator_tabular(report),
         table=lambda width: render.indicator_table(report), raw=raw)  # fmt: skip


@app.command("coverage")
def check_coverage(
    ctx: typer.Context,
    year: YearOption,
    output_format: ListFormatOption = ReportFormat.table,
    output: ListOutputOption = None,
    raw: RawOption = False,
) -> None:
    """各重点县扶贫资金项目检查配额的完成情况：应查、已查、尚缺；全年过四分之三仍未完成的标红。"""
    from fupin_cli.render import check_coverage_views as render
    from fupin_cli.services import check_coverage

    report = check_coverage.coverage(settings=common.settings(ctx), year=year)
    emit(ctx, output_format, output, tabular=lambda: render.coverage_tabular(report),
         table=lambda width: render.coverage_table(report), raw=raw)  # fmt: skip
