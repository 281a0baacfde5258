"""Writes docs/cli.md from the commands' own help, so the reference never drifts from the code.

    python -m fupin_cli.cli.docgen > docs/cli.md
"""

from collections.abc import Iterator
from typing import Any

import typer

from fupin_cli.cli.app import app


def _option_row(param: Any) -> str:
    if getattr(param, "param_type_name", "") == "option":
        names = ", ".join(f"`{name}`" for name in [*param.opts, *param.secondary_opts])
        help_text = (param.help or "").replace("|", "\\|").replace("\n", " ")
        if param.envvar:
            help_text += f"（环境变量 `{param.envvar}`）"
        return f"| {names} | {help_text} |"
    return f"| `{(param.metavar or param.name).upper()}` | 参数 |"


def _command_section(path: list[str], command: Any) -> list[str]:
    lines = [f"## `{' '.join(path)}`", ""]
    if command.help:
        lines += [command.help.strip(), ""]
    params = [p for p in command.params if p.name not in ("help",)]
    if params:
        lines += ["| 选项 / 参数 | 说明 |", "| --- | --- |"]
        lines += [_option_row(param) for param in params]
        lines.append("")
    return lines


def iter_commands(command: Any, path: tuple[str, ...] = ("fupin",)) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command under `command`, groups included, building the lazy groups as it goes."""
    yield path, command
    if hasattr(command, "list_commands"):
        for name in sorted(command.list_commands(None)):
            yield from iter_commands(command.get_command(None, name), (*path, name))


def render() -> str:
    root = typer.main.get_command(app)
    header = [
        "# fupin 命令参考",
        "",
        "本文件由 `python -m fupin_cli.cli.docgen > docs/cli.md` 根据各命令的 `--help` 生成，",
        "测试会检查它与代码一致。",
        "",
    ]
    lines = list(header)
    for path, command in iter_commands(root):
        lines += _command_section(list(path), command)
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(render())
