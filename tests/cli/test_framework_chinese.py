"""The command-line framework speaks Chinese too: help boilerplate, metavars, usage errors, and the
exit codes of the contract (2 for input that cannot be parsed, 1 for well-formed input refused)."""

import pytest
import typer

from fupin_cli.cli import docgen
from fupin_cli.cli.app import app

ENGLISH = (
    "Usage",
    "Error:",
    "Missing",
    "Invalid",
    "Did you mean",
    "Show this message",
    "Options:",
    "Arguments",
    "Commands:",
    "<int",
    "<float",
    "INTEGER",
    "TEXT",
    "FLOAT",
    "[default:",
    "[required]",
    "No such",
    "Try '",
    "is not",
    "completion",
)

ALL = list(docgen.iter_commands(typer.main.get_command(app)))
IDS = [" ".join(path) for path, _ in ALL]


def assert_chinese(text: str) -> None:
    for word in ENGLISH:
        assert word not in text, f"{word!r} in:\n{text}"


def usage_errors(command) -> list[list[str]]:
    """Wrong input for `command`: an unknown option, nothing at all, and for each option a bad
    choice or a bad number (with its required options and arguments left out where they do not
    matter: the framework refuses before running anything)."""
    attempts = [["--no-such-option"], ["--unti"], []]
    if hasattr(command, "list_commands"):
        attempts.append(["no-such-command"])
        return attempts
    for param in command.params:
        if getattr(param, "param_type_name", "") != "option" or param.is_flag or param.name == "help":
            continue
        attempts.append([param.opts[0]])  # an option that needs a value, given none
        kind = type(param.type).__name__
        if "Choice" in kind:
            attempts.append([param.opts[0], "no-such-choice"])
        if "Int" in kind or "Float" in kind:
            attempts.append([param.opts[0], "many"])
            attempts.append([param.opts[0], "-999999"])
    return attempts


@pytest.mark.parametrize("path,command", ALL, ids=IDS)
def test_help_is_chinese(cli, path, command) -> None:
    result = cli(*path[1:], "--help")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("用法：")
    assert_chinese(result.output)


@pytest.mark.parametrize("path,command", ALL, ids=IDS)
def test_usage_errors_are_chinese_and_exit_2(cli, path, command, db_dump) -> None:
    cli("init")
    before = db_dump()
    for args in usage_errors(command):
        result = cli(*path[1:], *args)
        if result.exit_code == 0:
            continue  # e.g. a command with no required input, run with nothing
        assert "Traceback" not in result.output
        assert_chinese(result.output)
        if args and args[0] in ("--no-such-option", "--unti", "no-such-command"):
            assert result.exit_code == 2, (args, result.output)
            assert "错误：" in result.stderr
    assert db_dump() == before


def test_unknown_commands_get_suggestions_at_every_level(cli) -> None:
    result = cli("caes", "list")
    assert result.exit_code == 2
    assert "错误：没有「caes」这个命令。您是不是要：case" in result.stderr
    result = cli("case", "lst")
    assert result.exit_code == 2 and "您是不是要：list、files？" in result.stderr
    result = cli("case", "list", "--unti", "唐县")
    assert result.exit_code == 2 and "您是不是要：--unit？" in result.stderr
    assert_chinese(result.output)


def test_missing_option_and_bad_values_are_named(cli, monkeypatch) -> None:
    monkeypatch.setenv("FUPIN_TODAY", "2026-12-01")
    cli("init")
    cli("case", "open", "核查唐县雨露计划补助发放", "--category", "雨露计划", "--on", "2026-11-20")
    result = cli("case", "assign", "1")
    assert result.exit_code == 2 and "错误：缺少选项 --unit" in result.stderr
    result = cli("case", "list", "--format", "xx")
    assert result.exit_code == 2
    assert "--format / -f 的值无效：'xx' 不是可选的值，可选：table、json、csv" in result.stderr
    result = cli("case", "list", "--due-within", "x")
    assert result.exit_code == 2 and "整数" in result.stderr
    result = cli("case", "list", "--due-within", "-1")
    assert result.exit_code == 2 and "的值无效" in result.stderr
    result = cli("duty", "who", "贴息", "--limit", "0")
    assert result.exit_code == 2 and "--limit / -n 的值无效：0 超出范围（须 ≥1）" in result.stderr
    result = cli("duty", "who", "贴息", "--limit", "many")
    assert result.exit_code == 2 and "--limit / -n 的值无效：'many' 不是整数" in result.stderr


@pytest.mark.parametrize("typed", ["2026-13-01", "2026-02-30", "昨天晚上", "3/1x"])
def test_a_malformed_date_is_a_usage_error(cli, db_dump, typed, monkeypatch) -> None:
    monkeypatch.setenv("FUPIN_TODAY", "2026-12-01")
    cli("init")
    cli("case", "open", "核查唐县雨露计划补助发放", "--category", "雨露计划", "--on", "2026-11-20")
    before = db_dump()
    for args in (
        ["case", "approve", "1", "--by", "王主任", "--on", typed],
        ["report", "overdue", "--as-of", typed],
        ["--today", typed, "case", "list"],
    ):
        result = cli(*args)
        assert result.exit_code == 2, result.output
        assert "错误：无法识别的日期" in result.stderr
        assert_chinese(result.output)
    assert db_dump() == before


def test_a_well_formed_date_refused_by_a_rule_exits_1(cli, db_dump, monkeypatch) -> None:
    monkeypatch.setenv("FUPIN_TODAY", "2026-12-01")
    cli("init")
    cli("case", "open", "核查唐县雨露计划补助发放", "--category", "雨露计划", "--on", "2026-11-20")
    before = db_dump()
    result = cli("case", "approve", "1", "--by", "王主任", "--on", "2026-12-02")
    assert result.exit_code == 1, result.output
    assert "晚于今天" in result.stderr
    assert db_dump() == before


REQUIRED_ARGUMENTS = [
    (path, command)
    for path, command in ALL
    if any(param.param_type_name == "argument" and param.required for param in command.params)
]


@pytest.mark.parametrize(("path", "command"), REQUIRED_ARGUMENTS, ids=[" ".join(p) for p, _ in REQUIRED_ARGUMENTS])
def test_a_missing_argument_is_named_by_its_chinese_metavar(cli, path, command) -> None:
    """`fupin case show` with no number says 缺少参数 编号, never the parameter's English name."""
    result = cli(*path[1:])  # the path starts with the program's name
    assert result.exit_code == 2
    last = result.stderr.strip().splitlines()[-1]
    first = next(param for param in command.params if param.param_type_name == "argument" and param.required)
    assert last.startswith("错误：缺少参数 "), last
    assert first.name not in last.lower(), last
    assert_chinese(result.stderr)
