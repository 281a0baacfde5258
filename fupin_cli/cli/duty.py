"""`fupin duty`: which division owns which work (部门职责登记表). Never opens the database."""

from collections.abc import Callable, Sequence
from typing import Annotated, Any

import typer

from fupin_cli.cli.common import FormatOption, OutputFormat, RawOption, ReportFormat
from fupin_cli.cli.output import ListFormatOption, ListOutputOption, emit

app = typer.Typer(help="职责清单：哪个处室负责哪项工作（list、who、show）。", no_args_is_help=True)


def _emit(
    output: OutputFormat,
    *,
    table: Callable[[], Any],
    records: list[dict[str, Any]],
    columns: Sequence[str],
    json_data: Any = None,
) -> None:
    """Print the records as CSV, as JSON (or `json_data` when given), or the Rich table."""
    from fupin_cli.cli import console
    from fupin_cli.render.tabular import records_csv, to_json

    if output is OutputFormat.json:
        console.text(to_json(records if json_data is None else json_data))
    elif output is OutputFormat.csv:
        console.text(records_csv(records, columns))
    else:
        console.show(table())


@app.command("list")
def duty_list(
    ctx: typer.Context,
    division: Annotated[
        str | None,
        typer.Option(
            "--division", "-d", metavar="处室", help="只列这个处室的事项，如 社会扶贫处（也可写 社会扶贫）。"
        ),
    ] = None,
    output_format: ListFormatOption = ReportFormat.table,
    output: ListOutputOption = None,
    raw: RawOption = False,
) -> None:
    """列出职责清单：7 项主要职责，其下的具体工作事项和责任处室。"""
    from fupin_cli.render import duties as render
    from fupin_cli.services import duties

    items = duties.list_duties(division=division)
    title = "部门职责登记表" + (f" · {items[0].division.name}" if division and items else "")
    emit(ctx, output_format, output, tabular=lambda: render.items_tabular(items, title=title),
         table=lambda width: render.list_table(items, title=title), raw=raw)  # fmt: skip


@app.command("who")
def duty_who(
    ctx: typer.Context,
    query: Annotated[
        list[str], typer.Argument(metavar="QUERY", help="要查的工作，如 贴息、易地搬迁；可写几个词。")
    ],
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=1, help="最多列出几项，默认全部。")
    ] = None,
    output_format: ListFormatOption = ReportFormat.table,
    output: ListOutputOption = None,
    raw: RawOption = False,
) -> None:
    """谁负责这项工作：按关键词查具体工作事项，列出责任处室。

    关键词与事项逐字比对（不必分词），同义词表 data/synonyms.toml 会扩展查询；
    最相关的在前，匹配的字高亮。查不到时列出最接近的事项，退出码为 1。
    """
    from fupin_cli.cli import console
    from fupin_cli.render import duties as render
    from fupin_cli.services import duties

    result = duties.who(query=" ".join(query), limit=limit)
    if result.matches or output_format is not ReportFormat.table or output is not None:
        emit(ctx, output_format, output, tabular=lambda: render.matches_tabular(result),
             table=lambda width: render.who_table(result), raw=raw)  # fmt: skip
    if not result.matches:
        refusal, *suggestions = render.no_match_lines(result)
        console.error(refusal)
        for line in suggestions:
            console.note(line)
        raise typer.Exit(code=1)


@app.command("show")
def duty_show(
    duty_no: Annotated[
        str, typer.Argument(metavar="DUTY_NO", help="职责编号：4 为第 4 项主要职责及其事项，4.3 为其中一项。")
    ],
    output: FormatOption = OutputFormat.table,
) -> None:
    """显示一项主要职责及其具体工作事项，或其中一个事项。"""
    from fupin_cli.render import duties as render
    from fupin_cli.services import duties

    view = duties.show_duty(duty_no=duty_no)
    records = [render.item_record(item) for item in ([view.selected] if view.selected else view.items)]
    _emit(
        output,
        table=lambda: render.duty_panel(view),
        records=records,
        columns=render.ITEM_COLUMNS,
        json_data=render.duty_record(view),
    )
