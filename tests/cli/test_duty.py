"""`fupin duty list | who | show` through the Typer app."""

import importlib.metadata
import json
import subprocess
import sys

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from fupin_cli.cli.app import app


@pytest.fixture(autouse=True)
def fupin_home(tmp_path, monkeypatch):
    monkeypatch.setenv("FUPIN_HOME", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "80")
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_who_puts_the_owner_first_in_json() -> None:
    result = run("duty", "who", "捐赠", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[0] == {
        "division": "社会扶贫处",
        "duty_no": "4.3",
        "item": "负责各界扶贫捐赠资金和物资的接收和管理",
        "score": 1.0,
    }


def test_who_takes_several_words_and_a_limit() -> None:
    result = run("duty", "who", "扶贫", "贴息", "--limit", "1", "--format", "csv")
    assert result.exit_code == 0, result.output
    header, row = result.stdout.splitlines()
    assert header == "division,duty_no,item,score"
    assert row.startswith("开发指导处,5.3,")


def test_list_has_the_items_of_the_seven_divisions() -> None:
    result = run("duty", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 16  # as the office's list words them
    assert len({row["division"] for row in rows}) == 7
    assert set(rows[0]) == {"duty_no", "main_duty_no", "main_duty", "item", "division"}


def test_list_of_one_division() -> None:
    result = run("duty", "list", "--division", "社会扶贫", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [row["duty_no"] for row in json.loads(result.stdout)] == ["4.1", "4.2", "4.3", "6.1"]


def test_no_match_is_one_refusal_line_then_suggestions() -> None:
    result = run("duty", "who", "火星基地")
    assert result.exit_code == 1
    assert result.stdout == ""
    refusals = [line for line in result.stderr.splitlines() if line.startswith("错误：")]
    assert refusals == ["错误：没有找到与「火星基地」相关的具体工作事项"]
    assert "最接近的事项" in result.stderr


def test_no_match_in_json_is_an_empty_array() -> None:
    result = run("duty", "who", "xyz", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == []


def test_unknown_division_is_refused_with_the_choices() -> None:
    result = run("duty", "list", "--division", "财务处")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "财务处" in result.stderr and "社会扶贫处" in result.stderr


def test_show_a_main_duty_and_one_item() -> None:
    whole = json.loads(run("duty", "show", "4", "--format", "json").stdout)
    assert whole["main_duty_no"] == 4
    assert [item["duty_no"] for item in whole["items"]] == ["4.1", "4.2", "4.3", "4.4"]
    one = json.loads(run("duty", "show", "４．３", "--format", "json").stdout)
    assert one["division"] == "社会扶贫处" and one["main_duty_no"] == 4


@pytest.mark.parametrize("duty_no", ["9", "4.9", "四"])
def test_show_unknown_number_is_refused(duty_no: str) -> None:
    result = run("duty", "show", duty_no)
    assert result.exit_code == 1
    assert "4.3" in result.stderr


@pytest.mark.parametrize(
    "args", [("duty", "who", "贴息"), ("duty", "list"), ("duty", "show", "3"), ("duty", "show", "3.2")]
)
def test_tables_fit_eighty_columns(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert any(name in result.stdout for name in ("开发指导处", "规划项目处", "监督检查处"))
    assert max(cell_len(line) for line in result.stdout.splitlines()) <= 80


def test_every_duty_command_has_chinese_help() -> None:
    for command in ("list", "who", "show"):
        result = run("duty", command, "--help")
        assert result.exit_code == 0
        assert any("\u4e00" <= char <= "\u9fff" for char in result.stdout)


def _import_log(home) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "fupin_cli", "duty", "who", "贴息"],
        capture_output=True,
        text=True,
        env={"FUPIN_HOME": str(home), "PATH": "", "PYTHONIOENCODING": "utf-8"},
        check=True,
    )


def _imported(log: str, *names: str) -> list[str]:
    return [line for line in log.splitlines() if any(name in line.lower() for name in names)]


def test_who_never_touches_the_database_stack(fupin_home) -> None:
    completed = _import_log(fupin_home)
    assert "开发指导处" in completed.stdout
    assert _imported(completed.stderr, "sqlalchemy", "sqlmodel") == []


TYPER_NEEDS_PYDANTIC = any(
    requirement.startswith("pydantic") for requirement in importlib.metadata.requires("typer") or []
)


@pytest.mark.xfail(
    TYPER_NEEDS_PYDANTIC,
    reason="this typer coerces every command-line parameter through a pydantic TypeAdapter",
    strict=True,
)
def test_who_never_imports_pydantic(fupin_home) -> None:
    assert _imported(_import_log(fupin_home).stderr, "pydantic") == []
