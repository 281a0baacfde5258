"""The `fupin` command: global options, the groups, and the one place where refusals are reported."""

from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from fupin_cli import __version__
from fupin_cli.cli import cal, case, check, db, duty, helpformat, report
from fupin_cli.cli.common import RunContext
from fupin_cli.domain.errors import FupinError

helpformat.install()


class FupinGroup(TyperGroup):
    """Turns every FupinError raised below into one Chinese line on stderr and exit 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except FupinError as refusal:
            from fupin_cli.cli import console

            console.error(refusal.message)
            raise typer.Exit(code=refusal.exit_code) from None


app = typer.Typer(
    cls=FupinGroup,
    name="fupin",
    help="扶贫开发办公室监督检查处的工具：职责查询、督查事项办理、工作日期限、检查与报表。",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(duty.app, name="duty", help="职责清单：哪个处室负责哪项工作（list、who、show）。")
app.add_typer(case.app, name="case", help="督查事项：立项、交办、承办、延期、反馈、归档的全过程。")
app.add_typer(check.app, name="check", help="监督检查：五类检查、年度抽查计划、发现问题与整改。")
app.add_typer(report.app, name="report", help="报表：逾期、即将到期、统计、台账和催办通知。")
app.add_typer(cal.app, name="cal", help="工作日日历：期限计算、节假日与调休、年度覆盖情况。")
app.add_typer(db.app, name="db", help="数据库：完整性与审计链检查、备份与恢复。")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"fupin {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db_location: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="FUPIN_DB",
            metavar="URL_OR_PATH",
            help="数据库：SQLite 文件路径，或 postgresql://… 共享数据库地址。默认在用户数据目录。",
        ),
    ] = None,
    user: Annotated[
        str | None,
        typer.Option("--user", envvar="FUPIN_USER", help="操作人，记入每一条变更记录。默认登录名。"),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            envvar="FUPIN_TODAY",
            metavar="DATE",
            help="把这一天当作今天（补录、测试用）。默认北京时间今天（FUPIN_TZ 可改时区）。",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本并退出。")
    ] = False,
) -> None:
    ctx.obj = RunContext(db=db_location, user=user, today=today)


@app.command("init")
def init(
    ctx: typer.Context,
    demo: Annotated[bool, typer.Option("--demo", help="加入虚构的演示村庄和几条演示督查事项。")] = False,
) -> None:
    """建立数据库并载入参考数据（职责清单、单位）；--demo 另加演示数据。"""
    from fupin_cli.cli import common, console
    from fupin_cli.services import setup

    summary = setup.initialise(settings=common.settings(ctx), demo=demo)
    console.text(summary)


def main() -> None:
    app(prog_name="fupin")
