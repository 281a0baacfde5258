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
    # Shell completion is not offered (the root has none either): no English options in --help.
    group.params = [param for param in group.params if param.name not in _COMPLETION_OPTIONS]
    return group


_COMPLETION_OPTIONS = {"install_completion", "show_completion"}


class FupinGroup(TyperGroup):
    """The root: groups built on demand, every FupinError raised below turned into one Chinese
    line on stderr and exit 1, and Ctrl-C into one line saying what was recorded, exit 130."""

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
        except KeyboardInterrupt:
            interrupted()
            raise typer.Exit(code=130) from None
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
    demo: Annotated[
        bool,
        typer.Option("--demo", help="在演示数据库 demo.db（默认数据库旁）上运行命令；没有时先建立。不能与 --db 同用。"),
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本并退出。")
    ] = False,
) -> None:
    if demo and _db_on_command_line(ctx):
        from fupin_cli.cli import console

        console.error("--demo 与 --db 不能同时使用：演示数据库固定为 demo.db，请去掉其中之一")
        raise typer.Exit(code=2)
    ctx.obj = RunContext(db=db_location, user=user, today=today, demo=demo)


def _db_on_command_line(ctx: typer.Context) -> bool:
    """Whether --db was typed on the command line (not merely set by FUPIN_DB)."""
    source = ctx.find_root().get_parameter_source("db_location")
    return source is not None and source.name == "COMMANDLINE"


@app.command("init")
def init(
    ctx: typer.Context,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="建立演示数据库 demo.db（默认数据库旁）：虚构的演示村庄和演示督查事项；"
            "给了 --db 文件时载入该文件（须无督查记录）。",
        ),
    ] = False,
) -> None:
    """建立数据库并载入参考数据（职责清单、单位）；--demo 建立演示数据库。"""
    from fupin_cli.cli import common, console
    from fupin_cli.services import setup

    summary = setup.initialise(settings=common.settings(ctx), demo=demo, into_named_db=_db_on_command_line(ctx))
    console.text(summary)


_INTERRUPT_TOLD: list[bool] = []


def interrupted() -> None:
    """Ctrl-C: one line on stderr saying what had been recorded; a second Ctrl-C is ignored."""
    import signal
    import sys

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if _INTERRUPT_TOLD:
        return
    _INTERRUPT_TOLD.append(True)
    sys.stderr.write(f"\n{interrupted_message(sys.modules.get('fupin_cli.storage.db'))}\n")
    sys.stderr.flush()


def interrupted_message(storage: Any) -> str:
    """Whether anything had been recorded when Ctrl-C came. Nothing is imported here: the
    interrupt may have come in the middle of importing the database stack itself."""
    writes = getattr(storage, "WRITES", None)
    if writes is not None and writes.committing:
        return "已中断：中断时正在保存，这一步可能已记入，请用 show 或 log 命令查看"
    if writes is not None and writes.committed:
        return "已中断：中断前的这一步已经保存，之后的未做"
    return "已中断，未做任何更改"


def main() -> None:
    """Run `fupin`; Ctrl-C anywhere (even while the options are parsed, or as the command ends)
    gives the one line of `interrupted` and exit 130."""
    import signal

    try:
        app(prog_name="fupin")
    except KeyboardInterrupt:
        interrupted()
        _end_now(130)
    except SystemExit as done:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the work is over: let it end quietly
        if done.code == 130:
            interrupted()
            _end_now(130)
        raise


def _end_now(code: int) -> None:
    """Exit at once after Ctrl-C (transactions are already rolled back or committed): Python would
    otherwise end by SIGINT, not with the exit code, when the interrupt came inside an import."""
    import os
    import sys

    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
