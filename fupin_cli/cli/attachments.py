"""`fupin case files` and `fupin case file`: the files kept in the database with a case's steps.

They belong to the `case` group and are registered at the end of cli/case.py.
"""

from pathlib import Path
from typing import Annotated

import typer

from fupin_cli.cli.common import NumberArgument, RawOption, ReportFormat, output_or_stdout
from fupin_cli.cli.output import ListFormatOption, ListOutputOption


def case_files(
    ctx: typer.Context,
    number: NumberArgument,
    output_format: ListFormatOption = ReportFormat.table,
    output: ListOutputOption = None,
    raw: RawOption = False,
) -> None:
    """列出督查事项存入数据库的附件：名称、大小、SHA-256、日期、登记人。"""
    from fupin_cli.cli import common, console
    from fupin_cli.cli.output import emit
    from fupin_cli.render import attachments as render
    from fupin_cli.services.attachments import listing

    found = listing(settings=common.settings(ctx), number=number)
    emit(ctx, output_format, output, tabular=lambda: render.files_tabular(found),
         table=lambda _width: render.files_table(found), raw=raw)  # fmt: skip
    note = render.path_only_note(found)
    if note:
        console.note(note)


def case_file(
    ctx: typer.Context,
    number: NumberArgument,
    name: Annotated[str, typer.Argument(metavar="名称", help="附件名称（case files 列出的名称；同名的取最新一件）。")],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="写到这个文件（权限 0600，写完才替换）；给 - 则原样输出到标准输出（供管道使用）。",
            callback=output_or_stdout,
        ),
    ],
) -> None:
    """取出一件附件：按存入时的内容原样写出，并核对大小和 SHA-256。"""
    from fupin_cli.cli import common, console
    from fupin_cli.services.attachments import opened
    from fupin_cli.services.output_files import write_atomically

    with opened(settings=common.settings(ctx), number=number, name=name) as (item, chunks):
        if output is None:
            console.binary(chunks)
            return

        def write(temporary: Path) -> None:
            with open(temporary, "wb") as handle:
                for chunk in chunks:
                    handle.write(chunk)

        write_atomically(output, write)
    console.note(f"已写入 {output}（{item.size} 字节，SHA-256 {item.sha256[:12]}… 已核对）")
