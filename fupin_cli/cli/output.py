"""How every list command writes its list: the one --format set, the one --output, the one way to
choose. The writers themselves are render.tabular's."""

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, Any

import typer

from fupin_cli.cli.common import ReportFormat, output_or_stdout

ListFormat = ReportFormat
"""table, json, csv, tsv, md, xlsx or html: what every list command's --format takes."""
XLSX_TO_STDOUT = "xlsx 文件不能写到标准输出：请用 --output 指定文件"


def _refuse_xlsx_to_stdout(ctx: typer.Context, output_format: object, output: object) -> None:
    """xlsx with no file is a usage error (exit 2) found while parsing, before any database is read.
    Whichever of --format and --output is parsed second sees the other in ctx.params."""
    if output_format is ReportFormat.xlsx and output is None:
        raise typer.BadParameter(XLSX_TO_STDOUT, ctx=ctx, param_hint="--output")


def _checked_format(ctx: typer.Context, value: ReportFormat) -> ReportFormat:
    if "output" in ctx.params:
        _refuse_xlsx_to_stdout(ctx, value, ctx.params["output"])
    return value


def _checked_output(ctx: typer.Context, value: Path | None) -> Path | None:
    path = output_or_stdout(ctx, value)
    if "output_format" in ctx.params:
        _refuse_xlsx_to_stdout(ctx, ctx.params["output_format"], path)
    return path


ListFormatOption = Annotated[
    ReportFormat,
    typer.Option("--format", "-f", help="输出格式：table、json、csv、tsv、md、xlsx 或 html", callback=_checked_format),
]
ListOutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="写入文件（xlsx 格式必须给；不给 --format 时按扩展名 .xlsx/.json/.tsv/.md/.html 定格式，否则 CSV）；不给或给 - 则输出到屏幕。",
        callback=_checked_output,
    ),
]


def emit(
    ctx: typer.Context,
    output_format: ReportFormat,
    output: Path | None,
    *,
    tabular: Callable[[], Any],
    table: Callable[[int], Any] | None = None,
    lines: Callable[[int, bool], Iterable[str]] | None = None,
    raw: bool = False,
    empty_note: str | None = None,
) -> None:
    """Hand the list to its writer: a Rich table (or the lines of a plain one) on a terminal, text on
    stdout, or a file (xlsx needs one: exit 2 without). `empty_note`: what the table format says,
    on stderr, when there is nothing to list (`tabular` is then not asked for)."""
    from fupin_cli.cli import console
    from fupin_cli.render import tabular as render

    _refuse_xlsx_to_stdout(ctx, output_format, output)
    if output is not None:
        render.save(tabular(), render.format_for(output_format.value, output), output, raw=raw)
        console.note(f"已写入 {output}")
    elif output_format is ReportFormat.table:
        if empty_note is not None:
            console.note(empty_note)
        elif lines is not None:
            console.lines(lines(console.width(), console.color()))
        elif table is not None:
            console.show(table(console.width()))
    else:
        console.chunks(render.text_chunks(tabular(), output_format.value, raw=raw))
