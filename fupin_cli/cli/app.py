"""The `fupin` command: global options, the groups, and the one place where refusals are reported."""

import warnings
from importlib import import_module
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from fupin_cli import __version__
from fupin_cli.cli import helpformat
from fupin_cli.cli.common import RunContext
from fupin_cli.domain.errors import CalendarChangedWarning, FupinError

helpformat.install()


# The groups, in the order --help lists them. Each is imported and built only when it is used, so
# that `fupin duty who` does not pay for the forty other commands.
GROUPS: dict[str, tuple[str, str]] = {
    "duty": ("fupin_cli.cli.duty", "职责清单：哪个处室负责哪项工作（list、who、show）。"),
    "case": ("fupin_cli.cli.case", "督查事项：立项、交办、承办、延期、反馈、归档的全过程。"),
    "check": ("fupin_cli.cli.check", "监督检查：五类检查、年度抽查计划、发现问题与整改。"),
    "report": ("fupin_cli.cli.report", "报表：逾期、即将到期、统计、台账和催办通知。"),
    "cal": ("fupin_cli.cli.cal", "工作日日历：期限计算、节假日与调休、年度覆盖情况。"),
    "db": ("fupin_cli.cli.db", "数据库：完整性与审计链检查、备份与恢复。"),
}


def build_group(name: str) -> Any:
    module_name, help_text = GROUPS[name]
    group = typer.main.get_command(import_module(module_name).app)
    group.name, group.help = name, help_text
    return group


class FupinGroup(TyperGroup):
    """The root: groups built on demand, and every FupinError raised below turned into one
    Chinese line on stderr and exit 1."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *GROUPS]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in GROUPS:
            return build_group(cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = [(name, (self.commands[name].help or "").split("\n")[0]) for name in super().list_commands(ctx)]
        rows += [(name, help_text) for name, (_, help_text) in GROUPS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: Any) -> Any:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("always", CalendarChangedWarning)
                warnings.showwarning = _show_warning
                result = super().invoke(ctx)
        except FupinError as refusal:
            from fupin_cli.cli import console

            console.error(refusal.message)
            raise typer.Exit(code=refusal.exit_code) from None
        remarks = ctx.meta.get("fupin.remarks")
        if remarks:  # warnings of a command that succeeded (cli/common.step_day)
            from fupin_cli.cli import console

            for remark in remarks:
                console.note(remark)
        return result


_python_showwarning = warnings.showwarning


def _show_warning(message: Any, category: type[Warning], *args: Any, **kwargs: Any) -> None:
    """fupin's own warnings as one line on stderr; anything else as Python shows it."""
    if issubclass(category, CalendarChangedWarning):
        from fupin_cli.cli import console

        console.note(f"注意：{message}")
    else:
        _python_showwarning(message, category, *args, **kwargs)


app = typer.Typer(
    cls=FupinGroup,
    name="fupin",
    help="扶贫开发办公室监督检查处的工具：职责查询、督查事项办理、工作日期限、检查与报表。",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

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
