"""`fupin case notice` and `fupin case urge`: Word notices for one case (registered in cli/case.py)."""

from pathlib import Path
from typing import Annotated

import typer

NumberArgument = Annotated[
    str,
    typer.Argument(metavar="NO", help="督查编号：12（今年）、2026-12、督查[2026]12号 或 督查〔2026〕12号。"),
]
DocxOption = Annotated[Path, typer.Option("--output", "-o", metavar="FILE.docx", help="要写入的 Word 文件。")]


def case_notice(ctx: typer.Context, number: NumberArgument, output: DocxOption) -> None:
    """核查通知书：为已立项（或之后）的督查事项生成 Word 文书；涉密事项不生成。"""
    from fupin_cli.cli import common, console
    from fupin_cli.render import documents as render
    from fupin_cli.services.documents import notice_document

    render.save(notice_document(settings=common.settings(ctx), number=number), output)
    console.note(f"已写入 {output}")


def case_urge(ctx: typer.Context, number: NumberArgument, output: DocxOption) -> None:
    """催办通知书：为已逾期的在办督查事项生成 Word 文书；未逾期或涉密事项不生成。"""
    from fupin_cli.cli import common, console
    from fupin_cli.render import documents as render
    from fupin_cli.services.documents import urge_document

    render.save(urge_document(settings=common.settings(ctx), number=number), output)
    console.note(f"已写入 {output}")
