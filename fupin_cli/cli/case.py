"""`fupin case`: 督查事项 from 拟办 to 归档. Each command parses, calls one service, renders."""

from collections.abc import Callable
from typing import Annotated, Any

import typer

from fupin_cli.cli import common
from fupin_cli.cli.common import FormatOption, NumberArgument, OnOption, OutputFormat, RawOption, ReportFormat
from fupin_cli.cli.output import ListFormatOption, ListOutputOption, emit

app = typer.Typer(help="督查事项：立项、交办、承办、延期、反馈、归档的全过程。", no_args_is_help=True)

ReasonOption = Annotated[str, typer.Option("--reason", metavar="TEXT", help="理由。")]


def _done(view: Any) -> None:
    from fupin_cli.cli import console
    from fupin_cli.render.cases import step_line

    console.text(step_line(view))


def _emit(
    output: OutputFormat,
    *,
    table: Callable[[], Any],
    json_data: Callable[[], Any],
    csv_text: Callable[[], str],
) -> None:
    from fupin_cli.cli import console
    from fupin_cli.render.tabular import to_json

    if output is OutputFormat.json:
        console.text(to_json(json_data()))
    elif output is OutputFormat.csv:
        console.text(csv_text())
    else:
        console.show(table())


def _at_most_one(ctx: typer.Context, required: bool = False, **given: object) -> None:
    """Options that exclude each other are a usage error (exit 2), as is leaving out a required choice."""
    options = [f"--{name.replace('_', '-')}" for name in given]
    named = [option for option, value in zip(options, given.values(), strict=True) if value is not None]
    if len(named) > 1:
        raise typer.BadParameter(f"{' 与 '.join(named)} 只能给一个", ctx=ctx, param_hint=" / ".join(options))
    if required and not named:
        raise typer.BadParameter(f"请给 {' 或 '.join(options)} 之一", ctx=ctx, param_hint=" / ".join(options))


@app.command("open")
def case_open(
    ctx: typer.Context,
    title: Annotated[
        str, typer.Argument(metavar="TITLE", help="事项标题；涉密事项只写不含涉密内容的封面标题。")
    ],
    category: Annotated[
        str,
        typer.Option(
            "--category",
            "-c",
            metavar="KIND",
            help="类别：政策、资金项目、易地搬迁、互助资金、雨露计划（或全称），或 其他。",
        ),
    ],
    source: Annotated[
        str | None, typer.Option("--source", metavar="来源", help="事项来源，如 领导批示、信访。")
    ] = None,
    major: Annotated[bool, typer.Option("--major", help="重大督查事项：须经主任办公会审定立项。")] = False,
    classified: Annotated[
        bool, typer.Option("--classified", help="涉密事项：只登记非涉密信息，内容线下按机要文件办理。")
    ] = False,
    level: Annotated[
        str | None,
        typer.Option("--level", metavar="密级", help="密级：秘密、机密 或 绝密（意味着 --classified）。"),
    ] = None,
    location: Annotated[
        str | None, typer.Option("--location", metavar="TEXT", help="纸质文件的存放位置。")
    ] = None,
    on: OnOption = None,
) -> None:
    """拟办：登记新的督查事项，取本年度下一个编号（督查〔年份〕N号）。"""
    from fupin_cli.cli import common
    from fupin_cli.services import case_steps

    view = common.write(
        ctx,
        case_steps.open_case,
        title=title,
        category=category,
        source=source,
        major=major,
        classified=classified,
        secret_level=level,
        paper_location=location,
        on=common.step_day(ctx, on),
    )
    _done(view)


@app.command("approve")
def case_approve(
    ctx: typer.Context,
    number: NumberArgument,
    by: Annotated[str | None, typer.Option("--by", metavar="审批人", help="审定立项的主管领导。")] = None,
    meeting: Annotated[
        str | None,
        typer.Option(
            "--meeting", metavar="纪要号", help="主任办公会纪要号（重大事项必填；会议日期记为 --on）。"
        ),
    ] = None,
    opinion: Annotated[
        str | None, typer.Option("--opinion", metavar="TEXT", help="审批意见（涉密事项不录入）。")
    ] = None,
    on: OnOption = None,
) -> None:
    """立项：记录主管领导（重大事项为主任办公会）的审定。"""
    from fupin_cli.cli import common
    from fupin_cli.services import case_steps

    day = common.step_day(ctx, on)
    _done(
        common.write(
            ctx, case_steps.approve_case, number=number, approver=by, meeting_ref=meeting, opinion=opinion, on=day
        )
    )


@app.command("reject")
def case_reject(
    ctx: typer.Context,
    number: NumberArgument,
    reason: ReasonOption,
    by: Annotated[str | None, typer.Option("--by", metavar="审批人", help="决定不予立项的主管领导。")] = None,
    meeting: Annotated[
        str | None, typer.Option("--meeting", metavar="纪要号", help="主任办公会纪要号（重大事项必填）。")
    ] = None,
    on: OnOption = None,
) -> None:
    """不予立项：须写明决定人（--by，重大事项 --meeting）；事项结束，编号保留不再使用。"""
    from fupin_cli.cli import common
    from fupin_cli.services import case_steps

    day = common.step_day(ctx, on)
    _done(
        common.write(
            ctx, case_steps.reject_case, number=number, reason=reason, approver=by, meeting_ref=meeting, on=day
        )
    )


@app.command("assign")
def case_assign(
    ctx: typer.Context,
    number: NumberArgument,
    unit: Annotated[
        str, typer.Option("--unit", metavar="UNIT", help="主办单位：全称或简称（如 唐县），或处室名称。")
    ],
    assist: Annotated[
        list[str] | None, typer.Option("--assist", metavar="UNIT", help="协办单位，可重复给出。")
    ] = None,
    days: Annotated[
        int | None,
        typer.Option("--days", metavar="N", click_type=common.WORKDAYS, help="办结时限 N 个工作日（默认 10；非默认须写 --basis）。"),
    ] = None,
    due: Annotated[
        str | None, typer.Option("--due", metavar="DATE", help="直接给出办结期限（须写 --basis）。")
    ] = None,
    basis: Annotated[
        str | None,
        typer.Option("--basis", metavar="TEXT", help="另定时限的依据：另有规定、特殊案件限时办结等。"),
    ] = None,
    on: OnOption = None,
) -> None:
    """交办：交给主办单位（及协办单位），开始计时；期限为交办日起第 10 个工作日。"""
    from fupin_cli.cli import common
    from fupin_cli.services import case_steps

    _at_most_one(ctx, days=days, due=due)
    view = common.write(
        ctx,
        case_steps.assign_case,
        number=number,
        unit=unit,
        assist_units=tuple(assist or ()),
        workdays=days,
        due=common.optional_day(ctx, due, "ahead"),
        basis=basis,
        on=common.step_day(ctx, on),
    )
    _done(view)


@app.command("accept")
def case_accept(
    ctx: typer.Context,
    number: NumberArgument,
    ref: Annotated[
        str | None, typer.Option("--ref", metavar="承办编号", help="承办单位自己的登记编号。")
    ] = None,
    on: OnOption = None,
) -> None:
    """承办登记：承办单位登记、编号，明确内容、时间和要求。"""
    from fupin_cli.cli import common
    from fupin_cli.services import case_steps

    _done(
        common.write(ctx, case_steps.accept_case, number=number, unit_ref=ref, on=common.step_day(ctx, on))
    )


@app.command("extend")
def case_extend(
    ctx: typer.Context,
    number: NumberArgument,
    reason: ReasonOption,
    by: Annotated[str, typer.Option("--by", metavar="审批人", help="批准延期的人。")],
    days: Annotated[
        int | None, typer.Option("--days", metavar="N", click_type=common.WORKDAYS, help="从当前期限起再延 N 个工作日。")
    ] = None,
    to: Annotated[str | None, typer.Option("--to", metavar="DATE", help="延到这一天。")] = None,
    on: OnOption = None,
) -> None:
    """延期：须在期限届满前申请，新期限不得晚于原定期限加一个月；可多次延期，原定期限保留。"""
    from fupin_cli.cli import common
    from fupin_cli.services import case_steps

    _at_most_one(ctx, True, days=days, to=to)
    view = common.write(
        ctx,
        case_steps.extend_case,
        number=number,
        reason=reason,
        approver=by,
        workdays=days,
        to=common.optional_day(ctx, to, "ahead"),
        on=common.step_day(ctx, on),
    )
    _done(view)


@app.command("feedback")
def case_feedback(
    ctx: typer.Context,
    number: NumberArgument,
    report: Annotated[str | None, typer.Option("--report", metavar="TEXT", help="办结报告内容。")] = None,
    report_file: Annotated[
        str | None,
        typer.Option("--report-file", metavar="PATH", help="办结报告文件：文件本身存入数据库（每个不超过 50 MB，可用 case files / case file 取出）；文本文件同时作为报告内容。"),
    ] = None,
    location: Annotated[
        str | None,
        typer.Option("--location", metavar="TEXT", help="纸质办结报告的存放位置（涉密事项只记这一项）。"),
    ] = None,
    on: OnOption = None,
) -> None:
    """反馈办结：收到办结报告。涉密事项只记日期和纸质文件位置，不录入报告。"""
    from fupin_cli.cli import common
    from fupin_cli.services import case_steps

    _at_most_one(ctx, report=report, report_file=report_file)
    view = common.write(
        ctx,
        case_steps.feedback_case,
        number=number,
        report=report,
        report_file=report_file,
        location=location,
        on=common.step_day(ctx, on),
    )
    _done(view)


@app.command("return")
def case_return(
    ctx: typer.Context, number: NumberArgument, reason: ReasonOption, on: OnOption = None
) -> None:
    """退回重办：反馈不予认可，回到承办中；期限照常计算。"""
    from fupin_cli.cli import common
    from fupin_cli.services import case_steps

    _done(
        common.write(ctx, case_steps.return_case, number=number, reason=reason, on=common.step_day(ctx, on))
    )


@app.command("archive")
def case_archive(
    ctx: typer.Context,
    number: NumberArgument,
    location: Annotated[
        str | None, typer.Option("--location", metavar="TEXT", help="归档位置（档案号、柜号）。")
    ] = None,
    on: OnOption = None,
) -> None:
    """归档：材料与办结报告一并归档，事项结束。"""
    from fupin_cli.cli import common
    from fupin_cli.services import case_steps

    _done(
        common.write(
            ctx, case_steps.archive_case, number=number, location=location, on=common.step_day(ctx, on)
        )
    )


@app.command("withdraw")
def case_withdraw(
    ctx: typer.Context, number: NumberArgument, reason: ReasonOption, on: OnOption = None
) -> None:
    """撤销：从任何未结束的状态撤销，事项结束，编号保留不再使用。"""
    from fupin_cli.cli import common
    from fupin_cli.services import case_steps

    _done(
        common.write(ctx, case_steps.withdraw_case, number=number, reason=reason, on=common.step_day(ctx, on))
    )


@app.command("show")
def case_show(ctx: typer.Context, number: NumberArgument, output: FormatOption = OutputFormat.table) -> None:
    """查看一件督查事项：基本情况、期限与预警灯、延期和办理经过。"""
    from fupin_cli.cli import common
    from fupin_cli.render import cases as render
    from fupin_cli.render.tabular import as_text
    from fupin_cli.services import case_views

    view = case_views.show_case(settings=common.settings(ctx), number=number)
    _emit(
        output,
        table=lambda: render.case_card(view),
        json_data=lambda: render.case_record(view),
        csv_text=lambda: as_text(render.case_csv_tabular(view), "csv"),
    )


@app.command("list")
def case_list(
    ctx: typer.Context,
    state: Annotated[
        str | None,
        typer.Option(
            "--state",
            "-s",
            metavar="S",
            help="状态：拟办、已立项、已交办、承办中、已办结…，在办，或英文；可用逗号分隔。",
        ),
    ] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", "-u", metavar="U", help="主办单位（全称或简称）。")
    ] = None,
    year: Annotated[int | None, typer.Option("--year", "-y", metavar="Y", click_type=common.YEAR, help="编号年度。")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="只列已逾期的在办事项（红灯）。")] = False,
    due_within: Annotated[
        int | None,
        typer.Option("--due-within", metavar="N", click_type=common.WORKDAYS, help="只列 N 个工作日内到期、尚未逾期的在办事项。"),
    ] = None,
    output_format: ListFormatOption = ReportFormat.table,
    output: ListOutputOption = None,
    raw: RawOption = False,
) -> None:
    """列出督查事项，附期限和预警灯（绿：剩 3 个工作日以上；黄：3 个以内；红：已逾期）。"""
    from fupin_cli.cli import common
    from fupin_cli.render import case_lists as render
    from fupin_cli.services import case_views

    rows = case_views.list_cases(
        settings=common.settings(ctx),
        state=state,
        unit=unit,
        year=year,
        overdue=overdue,
        due_within=due_within,
    )
    emit(ctx, output_format, output, tabular=lambda: render.case_list_tabular(rows),
         table=lambda width: render.case_table(rows, width=width), raw=raw,
         empty_note=None if rows else "没有符合条件的督查事项")  # fmt: skip


@app.command("log")
def case_log(
    ctx: typer.Context,
    number: NumberArgument,
    output_format: ListFormatOption = ReportFormat.table,
    output: ListOutputOption = None,
    raw: RawOption = False,
) -> None:
    """一件督查事项的变更记录（审计记录）：谁在何时登记了什么，变更前后的内容。"""
    from fupin_cli.cli import common
    from fupin_cli.render import case_lists as render
    from fupin_cli.services import case_views

    log = case_views.case_log(settings=common.settings(ctx), number=number)
    emit(ctx, output_format, output, tabular=lambda: render.log_tabular(log),
         table=lambda width: render.log_table(log.entries, title=render.log_title(log)), raw=raw)  # fmt: skip


from fupin_cli.cli import documents  # noqa: E402

app.command("notice")(documents.case_notice)
app.command("urge")(documents.case_urge)
app.command("extension-form")(documents.case_extension_form)

from fupin_cli.cli import attachments  # noqa: E402

app.command("files")(attachments.case_files)
app.command("file")(attachments.case_file)


@app.command("import")
def case_import(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(metavar="FILE", help="台账文件：.xlsx 或 .csv（UTF-8 或 GB18030）。")],
    sheet: Annotated[
        str | None, typer.Option("--sheet", metavar="NAME", help="工作表名称，默认第一张。")
    ] = None,
    maps: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            metavar="列名=字段",
            help="指定同义词表不认得的列，如 --map 牵头单位=unit；可给多次。字段见 docs/import.md。",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="只检查并显示将导入什么（按年度、单位、状态），不写入数据库。")
    ] = False,
    skip_bad: Annotated[
        bool,
        typer.Option("--skip-bad", help="跳过有误的行，只导入其余各行；有误的行连同原因写入台账旁的 名称.rejects.csv。"),
    ] = False,
) -> None:
    """从 Excel/CSV 台账导入往年的督查事项及其办理经过；任何一行有误则整份不导入，并指出行号、列名和原因。"""
    from fupin_cli.cli import common, console
    from fupin_cli.render.imports import import_summary
    from fupin_cli.services import ledger_import

    report = common.write(
        ctx, ledger_import.import_ledger, file=file, sheet=sheet, maps=maps or [], dry_run=dry_run, skip_bad=skip_bad
    )
    console.text(import_summary(report))
