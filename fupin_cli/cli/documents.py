"""`fupin case notice`, `case urge` and `case extension-form`: Word documents for one case.

They belong to the `case` group and are registered at the end of cli/case.py.
"""

from pathlib import Path
from typing import Annotated

import typer

from fupin_cli.cli import common
from fupin_cli.cli.common import NumberArgument, output_file

DocxOption = Annotated[
    Path,
    typer.Option("--output", "-o", metavar="FILE.docx", help="要写入的 Word 文件。", callback=output_file),
]


def case_notice(
    ctx: typer.Context,
    number: NumberArgument,
    output: DocxOption,
    reissue: Annotated[
        bool, typer.Option("--reissue", help="补发：承办登记之后重出原通知，标明（补发），日期仍为原交办日期。")
    ] = False,
) -> None:
    """核查通知书：为已立项、尚未承办登记的督查事项生成 Word 文书（之后只能 --reissue 补发）；涉密事项不生成。"""
    from fupin_cli.cli import common, console
    from fupin_cli.render import documents as render
    from fupin_cli.services.documents import notice_document

    made = notice_document(settings=common.settings(ctx), number=number, reissue=reissue)
    render.save(made, output)
    _warn(made)
    console.note(f"已写入 {output}")


def _warn(made: object) -> None:
    from fupin_cli.cli import console

    for line in getattr(made, "warnings", ()):
        console.note(line)


def case_urge(ctx: typer.Context, number: NumberArgument, output: DocxOption) -> None:
    """催办通知书：为已逾期的在办督查事项生成 Word 文书；未逾期或涉密事项不生成。"""
    from fupin_cli.cli import common, console
    from fupin_cli.render import documents as render
    from fupin_cli.services.documents import urge_document

    made = urge_document(settings=common.settings(ctx), number=number)
    render.save(made, output)
    _warn(made)
    console.note(f"已写入 {output}")


def case_extension_form(
    ctx: typer.Context,
    number: NumberArgument,
    output: DocxOption,
    which: Annotated[
        int | None,
        typer.Option("--extension", metavar="K", click_type=common.COUNT, help="第几次延期（1 为第一次），默认最近一次。"),
    ] = None,
) -> None:
    """延期审批单：为督查事项已批准的一次延期生成 Word 审批单（原定期限、延期前后期限、理由、批准人）；涉密事项不生成。"""
    from fupin_cli.cli import common, console
    from fupin_cli.render import documents as render
    from fupin_cli.services.documents import extension_document

    made = extension_document(settings=common.settings(ctx), number=number, which=which)
    render.save(made, output)
    _warn(made)
    console.note(f"已写入 {output}")
