"""Every list command writes every format through the one writer: json, csv, tsv, md, html and xlsx
hold the same rows as the JSON (the records every format is written from) and the table shows them."""

import csv
import io
import json
import os

import pytest
from openpyxl import load_workbook

TODAY = "2026-12-01"
YEAR = "2026"

LISTS = {
    "case list": ("case", "list"),
    "case log": ("case", "log", "{case}"),
    "check list": ("check", "list"),
    "check indicators": ("check", "indicators", "--year", YEAR, "--all"),
    "check villages": ("check", "villages", "list"),
    "check kinds": ("check", "kinds"),
    "check coverage": ("check", "coverage", "--year", YEAR),
    "duty list": ("duty", "list"),
    "duty who": ("duty", "who", "贴息"),
    "report overdue": ("report", "overdue"),
    "report due-soon": ("report", "due-soon", "--within", "20"),
    "report stats": ("report", "stats", "--year", YEAR),
    "report ledger": ("report", "ledger", "--year", YEAR),
    "cal month": ("cal", "month", "2026-10"),
}
NESTED = {"check kinds": {"violations"}}
"""Keys whose JSON says more than one cell can (a list of objects): the flat formats write a text."""


@pytest.fixture(autouse=True)
def demo(ok, scenarios, db_path, monkeypatch):
    monkeypatch.setenv("FUPIN_TODAY", TODAY)
    scenarios.sqlite("list-formats-demo", lambda: _build(ok), into=db_path)


def _build(ok) -> None:
    """The demo, two indicators, and a case whose title a spreadsheet would take for a formula."""
    ok("--db", os.environ["FUPIN_DB"], "init", "--demo")
    for county, numerator in (("易县", "93"), ("唐县", "=96")):
        ok("check", "indicator", "--county", county, "--year", YEAR, "--kind", "识别精准率",
           "--numerator", numerator.lstrip("="), "--denominator", "100")  # fmt: skip
    ok("case", "open", "=SUM(A1:A9) 核查", "--category", "资金项目", "--on", "2026-11-20")
    ok("check", "new", "资金项目", "--title", "+重点督查", "--method", "重点督查", "--unit", "易县", "--on", "2026-03-02")


def _args(ok, name: str) -> list[str]:
    if "{case}" not in LISTS[name]:
        return list(LISTS[name])
    number = json.loads(ok("case", "list", "--format", "json").stdout)[0]["no"]
    return [number if arg == "{case}" else arg for arg in LISTS[name]]


def _cell(value) -> str:
    """A JSON value as a flat cell: lists joined with 、, objects as JSON text, true/false, empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "、".join(_cell(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


@pytest.fixture(params=sorted(LISTS))
def listed(request, ok):
    """(name, args, the JSON records) of one list command; every list here holds rows."""
    args = _args(ok, request.param)
    records = json.loads(ok(*args, "--format", "json").stdout)
    assert isinstance(records, list) and records, request.param
    return request.param, args, records


@pytest.mark.parametrize("delimiter", [",", "\t"], ids=["csv", "tsv"])
def test_csv_and_tsv_hold_the_json_rows(ok, listed, delimiter):
    name, args, records = listed
    text = ok(*args, "--format", "csv" if delimiter == "," else "tsv").stdout
    rows = list(csv.DictReader(io.StringIO(text), delimiter=delimiter))
    assert len(rows) == len(records)
    for row, record in zip(rows, records, strict=True):
        assert set(row) <= set(record)
        for key, value in row.items():
            if key not in NESTED.get(name, set()):
                assert value == _inert(record[key]), (name, key)


def test_raw_csv_keeps_the_text_as_written(ok, listed):
    name, args, records = listed
    rows = list(csv.DictReader(io.StringIO(ok(*args, "--format", "csv", "--raw").stdout)))
    for row, record in zip(rows, records, strict=True):
        assert all(value == _cell(record[key]) for key, value in row.items() if key not in NESTED.get(name, set()))


def _inert(value) -> str:
    """What a CSV cell holds: text starting = + - @ tab or CR prefixed ' (numbers never are)."""
    cell = _cell(value)
    if isinstance(value, str | list) and cell.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + cell
    return cell


def test_markdown_and_html_hold_a_line_per_row(ok, listed):
    name, args, records = listed
    markdown = ok(*args, "--format", "md").stdout.splitlines()
    table_lines = [line for line in markdown if line.startswith("|")]
    assert len(table_lines) == 2 + len(records)
    assert table_lines[1].startswith("|---|")
    html = ok(*args, "--format", "html").stdout
    assert html.count("<tr") == 1 + len(records)


def test_xlsx_opens_with_the_json_rows_under_the_title(ok, cli, db_dump, listed, tmp_path):
    name, args, records = listed
    target = tmp_path / "list.xlsx"
    assert "已写入" in ok(*args, "--format", "xlsx", "--output", str(target)).stderr
    sheet = load_workbook(target).active
    header_row = int(sheet.freeze_panes[1:]) - 1
    rows = list(sheet.iter_rows(min_row=header_row + 1, max_row=header_row + len(records), values_only=True))
    assert len(rows) == len(records) and all(any(cell is not None for cell in row) for row in rows)
    first_key = next(iter(records[0]))
    csv_rows = list(csv.reader(io.StringIO(ok(*args, "--format", "csv").stdout)))
    at = csv_rows[0].index(first_key) if first_key in csv_rows[0] else 0
    for row, csv_row in zip(rows, csv_rows[1:], strict=True):
        assert _plain(row[at]) == csv_row[at].lstrip("'"), name

    dump = db_dump()
    refused = cli(*args, "--format", "xlsx")
    assert refused.exit_code == 2 and "标准输出" in refused.stderr
    assert db_dump() == dump


def _plain(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "date") and callable(value.date):
        return value.date().isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if value == "是" or value == "否":
        return "true" if value == "是" else "false"
    return str(value)


def test_the_output_file_takes_its_format_from_its_suffix(ok, listed, tmp_path):
    name, args, records = listed
    for suffix in (".json", ".csv", ".tsv", ".md"):
        target = tmp_path / f"list{suffix}"
        ok(*args, "--output", str(target))
        written = target.read_text(encoding="utf-8")
        assert written.rstrip("\n") == ok(*args, "--format", suffix[1:]).stdout.rstrip("\n"), (name, suffix)


def test_the_table_shows_the_rows(ok, listed):
    name, args, records = listed
    shown = ok(*args).stdout
    assert shown.strip()
    assert all(len(line) <= 80 for line in shown.splitlines()) or name == "check kinds"


def test_every_list_command_offers_the_same_formats():
    import typer

    from fupin_cli.cli.app import app
    from fupin_cli.render.tabular import FORMATS

    root = typer.main.get_command(app)
    context = root.make_context("fupin", ["--help"], resilient_parsing=True)
    for name, args in LISTS.items():
        command = root
        for word in args:
            if not hasattr(command, "get_command") or word.startswith(("-", "{")):
                break
            command = command.get_command(context, word) or command
        options = {param.opts[0]: param for param in command.params}
        assert tuple(options["--format"].type.choices) == FORMATS, name
        assert {"--output", "--raw"} <= set(options), name
