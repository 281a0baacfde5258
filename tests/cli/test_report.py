"""`fupin report …` against a hand-built set of cases with known answers.

On 2026-11-20 (a Friday; November 2026 has no holiday):
  1 唐县   assigned 11-02, due 11-16, open         → 4 working days late: 催办
  2 顺平县 classified, assigned 10-26, due 11-09   → 9 working days late: 通报
  3 唐县   5-day limit from 11-02 → due 11-09, extended to 11-13, completed 11-11
           → on time against the extended due date, late against the original; 7 working days
  4 顺平县 3-day limit from 11-17 → due 11-20 (today): 黄, 0 left
  5 唐县   assigned 11-02, completed 11-06: on time; 4 working days
"""

import csv
import io
import json
from datetime import datetime

import pytest
from openpyxl import load_workbook

TODAY = "2026-11-20"


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("FUPIN_TODAY", TODAY)
    return TODAY


def _case(ok, title: str, *steps: list[str], opened: str, extra: tuple[str, ...] = ()) -> str:
    line = ok("case", "open", title, "--category", "雨露计划", "--on", opened, *extra).stdout
    number = line.split(" ", 1)[0]
    for command, *args in steps:
        ok("case", command, number, *args)
    return number


@pytest.fixture
def cases(ok, scenarios, db_path):
    scenarios.sqlite("report-cases", lambda: _build_cases(ok), into=db_path)


def _build_cases(ok):
    approve = ["approve", "--by", "王主任", "--on", "2026-11-02"]
    _case(ok, "核查唐县雨露计划补助发放", approve, ["assign", "--unit", "唐县", "--on", "2026-11-02"], opened="2026-11-02")
    _case(
        ok, "封面标题", ["approve", "--by", "王主任", "--on", "2026-10-26"],
        ["assign", "--unit", "顺平县", "--on", "2026-10-26"], opened="2026-10-26", extra=("--classified",),
    )  # fmt: skip
    _case(
        ok, "唐县互助资金核查", approve,
        ["assign", "--unit", "唐县", "--on", "2026-11-02", "--days", "5", "--basis", "特殊案件限时办结"],
        ["accept", "--on", "2026-11-03"],
        ["extend", "--to", "2026-11-13", "--reason", "材料较多", "--by", "李处长", "--on", "2026-11-06"],
        ["feedback", "--report", "已核实", "--on", "2026-11-11"], opened="2026-11-02",
    )  # fmt: skip
    _case(
        ok, "顺平县搬迁核查", ["approve", "--by", "王主任", "--on", "2026-11-17"],
        ["assign", "--unit", "顺平县", "--on", "2026-11-17", "--days", "3", "--basis", "限时办结"], opened="2026-11-17",
    )  # fmt: skip
    _case(
        ok, "唐县补助抽查", approve, ["assign", "--unit", "唐县", "--on", "2026-11-02"],
        ["accept", "--on", "2026-11-02"], ["feedback", "--report", "已核实", "--on", "2026-11-06"], opened="2026-11-02",
    )  # fmt: skip


def _json(ok, *args: str):
    return json.loads(ok("report", *args, "--format", "json").stdout)


# --- overdue -------------------------------------------------------------------------------------


def test_overdue_json_lists_open_late_cases_by_unit_with_days_and_step(ok, cases):
    rows = _json(ok, "overdue")
    assert [(r["no"], r["overdue_workdays"], r["suggested_step"]) for r in rows] == [
        ("督查〔2026〕1号", 4, "催办"),
        ("督查〔2026〕2号", 9, "通报"),
    ]
    first, second = rows
    assert first == {
        "no": "督查〔2026〕1号",
        "title": "核查唐县雨露计划补助发放",
        "classified": False,
        "unit": "唐县扶贫开发办公室",
        "assigned_on": "2026-11-02",
        "original_due": None,
        "original_due_provisional": False,
        "due": "2026-11-16",
        "due_provisional": False,
        "overdue_workdays": 4,
        "extensions": 0,
        "suggested_step": "催办",
        "kind": "case",
    }
    assert list(first) == ["no", "title", "classified", "unit", "assigned_on", "original_due",
                           "original_due_provisional", "due", "due_provisional", "overdue_workdays", "extensions", "suggested_step", "kind"]  # fmt: skip
    assert second["title"] == "「涉密·线下办理」封面标题" and second["classified"] is True
    assert second["due"] == "2026-11-09"


def test_overdue_as_of_and_unit(ok, cases):
    assert [r["no"] for r in _json(ok, "overdue", "--as-of", "2026-11-10")] == ["督查〔2026〕2号"]
    assert [r["no"] for r in _json(ok, "overdue", "--unit", "唐县")] == ["督查〔2026〕1号"]


def test_overdue_table_groups_by_unit_with_counts_and_total_in_80_columns(ok, cases):
    out = ok("report", "overdue").stdout
    assert "唐县（1件）" in out and "顺平县（1件）" in out
    assert "督查〔2026〕1号" in out and "督查〔2026〕2号" in out
    assert out.index("唐县（1件）") < out.index("顺平县（1件）")  # the office's list order of units
    assert "合计" in out and "2件" in out and "通报" in out and "催办" in out
    assert "「涉密·线下办理」" in out
    from rich.cells import cell_len

    assert max(cell_len(line) for line in out.splitlines()) <= 80


@pytest.mark.parametrize(("fmt", "delimiter"), [("csv", ","), ("tsv", "\t")])
def test_overdue_csv_and_tsv_have_a_header_row(ok, cases, fmt, delimiter):
    out = ok("report", "overdue", "--format", fmt).stdout
    rows = list(csv.DictReader(io.StringIO(out), delimiter=delimiter))
    assert [r["no"] for r in rows] == ["督查〔2026〕1号", "督查〔2026〕2号"]
    assert rows[0]["kind"] == "case" and rows[0]["overdue_workdays"] == "4"


def test_overdue_markdown(ok, cases):
    lines = ok("report", "overdue", "--format", "md").stdout.splitlines()
    assert lines[0].startswith("| 编号 | 事项 | 涉密 |") and lines[0].endswith("| 类型 |")
    assert lines[1].startswith("|---|")
    assert len(lines) == 4 and "督查〔2026〕2号" in lines[3] and "| 是 |" in lines[3]
    assert lines[2].endswith("| 督查 |")


def test_cron_flags(cli, cases):
    quiet = cli("report", "overdue", "--as-of", "2026-11-01", "--quiet-if-none", "--fail-if-any")
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")
    failing = cli("report", "overdue", "--fail-if-any", "--format", "tsv")
    assert failing.exit_code == 1 and "督查〔2026〕1号" in failing.stdout
    none_loud = cli("report", "overdue", "--as-of", "2026-11-01", "--format", "json")
    assert none_loud.exit_code == 0 and json.loads(none_loud.stdout) == []
    some_quiet = cli("report", "overdue", "--quiet-if-none", "--format", "csv")
    assert some_quiet.exit_code == 0 and some_quiet.stdout.count("\n") == 3


def test_cron_flags_with_an_output_file(cli, cases, tmp_path):
    target = tmp_path / "逾期.xlsx"
    quiet = cli("report", "overdue", "--as-of", "2026-11-01", "--quiet-if-none", "--output", str(target))
    assert (quiet.exit_code, quiet.stdout, quiet.stderr, target.exists()) == (0, "", "", False)
    failing = cli("report", "overdue", "--fail-if-any", "--output", str(target))
    assert failing.exit_code == 1 and failing.stdout == "" and load_workbook(target).active.max_row == 5  # title, subtitle, header, 2


def test_xlsx_needs_output_and_reads_back_with_real_dates(cli, ok, cases, tmp_path):
    assert cli("report", "overdue", "--format", "xlsx").exit_code == 2
    target = tmp_path / "逾期.xlsx"
    ok("report", "overdue", "--format", "xlsx", "--output", str(target))
    sheet = load_workbook(target).active
    assert sheet.freeze_panes == "A4" and sheet.auto_filter.ref == "A3:M5"
    assert sheet["A1"].value == "逾期事项" and sheet["A2"].value.endswith("截至2026年11月20日　共2件")
    header = [cell.value for cell in sheet[3]]
    assert header[:3] == ["编号", "事项", "涉密"] and header[-1] == "类型"
    assert sheet["A3"].font.b
    row = {h: cell for h, cell in zip(header, sheet[4], strict=True)}
    assert row["办结期限"].value == datetime(2026, 11, 16) and row["办结期限"].number_format == "yyyy-mm-dd"
    assert row["交办日期"].value == datetime(2026, 11, 2) and row["原定期限"].value is None
    assert row["逾期工作日"].value == 4 and isinstance(row["逾期工作日"].value, int)
    assert (row["涉密"].value, row["类型"].value, row["建议措施"].value) == ("否", "督查", "催办")
    assert sheet.column_dimensions["B"].width >= 2 * len("核查唐县雨露计划补助发放")
    assert sheet.column_dimensions["H"].width >= len("2026-11-16")
    assert not list(tmp_path.glob(".*.tmp"))


def test_output_refuses_a_symlink_and_a_missing_folder(cli, cases, tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("keep")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    refused = cli("report", "overdue", "--format", "csv", "--output", str(link))
    assert refused.exit_code == 1 and "符号链接" in refused.stderr and real.read_text() == "keep"
    missing = cli("report", "overdue", "--format", "csv", "--output", str(tmp_path / "无" / "a.csv"))
    assert missing.exit_code == 1 and "文件夹不存在" in missing.stderr


# --- due-soon ------------------------------------------------------------------------------------


def test_due_soon(ok, cases):
    rows = _json(ok, "due-soon")
    assert [(r["no"], r["days_left"], r["light"]) for r in rows] == [("督查〔2026〕4号", 0, "黄")]
    assert _json(ok, "due-soon", "--within", "0")[0]["no"] == "督查〔2026〕4号"
    assert "督查" not in ok("report", "due-soon", "--format", "csv", "--unit", "唐县").stdout


# --- stats ---------------------------------------------------------------------------------------


def test_stats_by_unit_counts_an_extended_case_on_time_against_its_extended_due_only(ok, cases):
    rows = {r["group"]: r for r in _json(ok, "stats", "--year", "2026")}
    assert rows["唐县"] == {
        "group": "唐县",
        "received": 3,
        "completed": 2,
        "completion_rate": 0.6667,
        "on_time_rate_original": 0.5,
        "on_time_rate": 1.0,
        "overdue_now": 1,
        "median_workdays": 5.5,
        "extensions": 1,
        "withdrawn": 0,
    }
    assert rows["顺平县"]["received"] == 2 and rows["顺平县"]["completion_rate"] == 0.0
    assert rows["顺平县"]["on_time_rate"] is None and rows["顺平县"]["overdue_now"] == 1
    assert rows["合计"]["received"] == 5 and rows["合计"]["completion_rate"] == 0.4


def test_stats_count_a_withdrawn_case_only_as_withdrawn(ok, cases, db_dump):
    """The office withdrew 高新区's one case: 交办 0, 办结 0, no rate (—, never 0.0%), 撤销 1."""
    _case(ok, "高新区重复交办事项", ["approve", "--by", "王主任", "--on", "2026-11-02"],
          ["assign", "--unit", "高新区", "--on", "2026-11-02"],
          ["extend", "--to", "2026-11-20", "--reason", "待核", "--by", "李处长", "--on", "2026-11-06"],
          ["withdraw", "--reason", "重复交办", "--on", "2026-11-10"], opened="2026-11-02")  # fmt: skip
    rows = {r["group"]: r for r in _json(ok, "stats", "--year", "2026")}
    assert rows["高新区"] == {
        "group": "高新区", "received": 0, "completed": 0, "completion_rate": None, "on_time_rate_original": None,
        "on_time_rate": None, "overdue_now": 0, "median_workdays": None, "extensions": 0, "withdrawn": 1,
    }  # fmt: skip
    assert (rows["合计"]["received"], rows["合计"]["completion_rate"], rows["合计"]["withdrawn"]) == (5, 0.4, 1)
    assert rows["合计"]["extensions"] == 1
    months = _json(ok, "stats", "--by", "month")
    assert [(r["group"], r["received"], r["withdrawn"]) for r in months][-1] == ("合计", 5, 1)
    before = db_dump()
    table = ok("report", "stats").stdout
    lines = {line.split()[0]: line.split() for line in table.splitlines() if line.strip()}
    assert lines["承办单位"][-1] == "撤销" and lines["高新区"][1:3] == ["0", "0"] and lines["高新区"][-1] == "1"
    assert "0.0%" not in lines["高新区"]
    assert "撤销：已撤销的事项，不计入交办、办结和各项比率" in table
    assert "撤销" in ok("report", "stats", "--format", "md").stdout.splitlines()[0]
    assert db_dump() == before


def test_stats_by_month_and_range_and_table(ok, cases):
    months = _json(ok, "stats", "--by", "month")
    assert [(r["group"], r["received"]) for r in months] == [("2026-10", 1), ("2026-11", 4), ("合计", 5)]
    assert _json(ok, "stats", "--from", "2026-11-03", "--to", "2026-11-30")[-1]["received"] == 1
    out = ok("report", "stats").stdout
    assert "66.7%" in out and "100.0%" in out and "50.0%" in out and "合计" in out and "█" in out


def test_stats_xlsx_rates_are_numbers_shown_as_percent(ok, cases, tmp_path):
    target = tmp_path / "s.xlsx"
    ok("report", "stats", "--format", "xlsx", "--output", str(target))
    sheet = load_workbook(target).active
    header = [cell.value for cell in sheet[3]]
    cell = sheet.cell(row=4, column=header.index("办结率") + 1)
    assert isinstance(cell.value, float) and cell.number_format == "0.0%"


# --- ledger --------------------------------------------------------------------------------------


def test_ledger_has_every_case_and_field(ok, cases, tmp_path):
    target = tmp_path / "台账.xlsx"
    ok("report", "ledger", "--year", "2026", "--output", str(target))
    sheet = load_workbook(target).active
    assert sheet.freeze_panes == "A4" and sheet.auto_filter.ref
    assert sheet["A1"].value == "2026年督查事项台账"
    header = [cell.value for cell in sheet[3]]
    assert {"编号", "标题", "主办单位", "原定期限", "办结期限", "反馈日期", "延期次数", "状态"} <= set(header)
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]
    assert len(rows) == 5
    third = dict(zip(header, rows[2], strict=True))
    assert third["编号"] == "督查〔2026〕3号" and third["状态"] == "已办结" and third["延期次数"] == 1
    assert third["原定期限"] == datetime(2026, 11, 9) and third["办结期限"] == datetime(2026, 11, 13)
    assert dict(zip(header, rows[1], strict=True))["标题"] == "「涉密·线下办理」封面标题"


def test_overdue_findings_join_the_report_as_kind_finding(ok, cases):
    """An order to correct (整改) past its deadline is listed beside the cases, by the same rules."""
    ok("check", "new", "雨露计划", "--title", "雨露计划专项检查", "--unit", "唐县", "--on", "2026-10-29")
    ok("check", "finding", "1", "--text", "未公示补助对象", "--unit", "唐县", "--code", "Y2", "--on", "2026-10-30")
    rows = _json(ok, "overdue")
    assert [(r["kind"], r["no"], r["overdue_workdays"], r["suggested_step"]) for r in rows] == [
        ("finding", "问题1", 5, "通报"),  # 唐县, due 11-13
        ("case", "督查〔2026〕1号", 4, "催办"),  # 唐县, due 11-16
        ("case", "督查〔2026〕2号", 9, "通报"),
    ]
    assert "整改" in ok("report", "overdue").stdout


# --- a provisional year and an extended open case --------------------------------------------------


@pytest.fixture
def far_cases(ok, monkeypatch, scenarios, db_path):
    """In 2036 — a year no chinese-calendar release will cover for a long time, so its deadlines are
    provisional (March has no statutory holiday: working days are the weekdays). On 2036-03-21 (Fri):
      1 易县 assigned 03-03 (Mon), due 03-17: 4 working days late
      2 易县 assigned 03-03, due 03-17, extended on 03-10 to 03-19: 2 working days late
    """
    monkeypatch.setenv("FUPIN_TODAY", "2036-03-21")
    scenarios.sqlite("report-far-cases", lambda: _build_far_cases(ok), into=db_path)


def _build_far_cases(ok):
    approve = ["approve", "--by", "王主任", "--on", "2036-03-03"]
    assign = ["assign", "--unit", "易县", "--on", "2036-03-03"]
    _case(ok, "远年暂定期限事项", approve, assign, opened="2036-03-03")
    _case(
        ok, "远年延期事项", approve, assign,
        ["extend", "--to", "2036-03-19", "--reason", "材料较多", "--by", "李处长", "--on", "2036-03-10"], opened="2036-03-03",
    )  # fmt: skip


def test_overdue_marks_provisional_due_dates_and_keeps_the_original_due_of_an_extended_case(ok, far_cases):
    rows = _json(ok, "overdue")
    assert [
        (r["no"], r["original_due"], r["due"], r["due_provisional"], r["overdue_workdays"], r["extensions"])
        for r in rows
    ] == [
        ("督查〔2036〕1号", None, "2036-03-17", True, 4, 0),
        ("督查〔2036〕2号", "2036-03-17", "2036-03-19", True, 2, 1),
    ]
    out = ok("report", "overdue").stdout
    assert "原期限" in out and "2036-03-19*" in out and "暂定" in out and "易县（2件）" in out


def test_due_soon_as_of_a_day_lists_soonest_first(ok, far_cases):
    rows = _json(ok, "due-soon", "--within", "10", "--as-of", "2036-03-12")
    assert [(r["no"], r["days_left"], r["light"], r["due_provisional"]) for r in rows] == [
        ("督查〔2036〕1号", 3, "黄", True),
        ("督查〔2036〕2号", 5, "绿", True),
    ]
    assert "没有 3 个工作日内到期的事项" in ok("report", "due-soon").stdout


def test_the_overdue_table_shows_more_columns_as_the_terminal_widens(ok, far_cases):
    from datetime import date

    from rich.cells import cell_len

    from fupin_cli.render.reports import overdue_table
    from fupin_cli.services.reports import overdue_report
    from fupin_cli.settings import resolve

    report = overdue_report(settings=resolve(db=None, user=None, today=date(2036, 3, 21)))
    for width, shown, hidden in [(120, ["交办", "原期限", "延期"], []), (80, ["原期限", "延期"], ["交办"]),
                                 (60, ["延"], ["交办", "原期限"])]:  # fmt: skip
        text = "\n".join(overdue_table(report, width=width))
        assert max(cell_len(line) for line in text.splitlines()) <= width
        assert all(word in text for word in shown) and not any(word in text for word in hidden), (width, text)
        assert "催办" in text and "\x1b" not in text


def _long_titled_cases(ok) -> None:
    """Twelve cases in 涞源县 with long titles, two-digit numbers, one of them extended: what cron mails."""
    for index in range(12):
        title = f"涞源县互助资金项目第{index + 1}批次资金使用和村级公示情况专项督查核实"
        number = _case(ok, title, ["approve", "--by", "王主任", "--on", "2026-11-02"],
                       ["assign", "--unit", "涞源县", "--on", "2026-11-02"], opened="2026-11-02")  # fmt: skip
        if index == 11:
            ok("case", "extend", number, "--to", "2026-11-18", "--reason", "材料较多", "--by", "李处长",
               "--on", "2026-11-06")  # fmt: skip


@pytest.mark.parametrize("width", [60, 80, 120])
def test_the_overdue_table_wraps_long_titles_and_never_cuts_number_due_days_or_step(ok, monkeypatch, width):
    """Piped (not a terminal, as cron runs it) at 60, 80 and 120 columns: every item's number, due date,
    working days late and step whole on its line; a title too long for its column goes on a second line."""
    from rich.cells import cell_len

    _long_titled_cases(ok)
    monkeypatch.setenv("COLUMNS", str(width))
    rows = {row["no"]: row for row in _json(ok, "overdue")}
    assert len(rows) == 12
    out = ok("report", "overdue").stdout
    lines = out.splitlines()
    assert max(cell_len(line) for line in lines) <= width and "\x1b" not in out
    for no, row in rows.items():
        [line] = [line for line in lines if line.startswith(no + " ")]
        assert row["due"] in line and f" {row['overdue_workdays']}日" in line and line.endswith(row["suggested_step"])
        following = lines[lines.index(line) + 1]
        if cell_len(row["title"]) > 40:  # wider than any title column at these widths: a second line
            assert following.startswith(" " * cell_len(no)) and following.strip()
            first_part = line[len(no):].split()[0]
            second_part = following.strip().rstrip("…")
            assert row["title"].startswith(first_part + second_part)
    if width >= 80:
        assert "原期限" in lines[0] and "2026-11-16" in out
    assert "涞源县（12件）" in out and "12件" in lines[-2]


def test_the_overdue_table_colours_lights_on_a_terminal_only(ok, cases, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = ok("report", "overdue").stdout
    assert "\x1b[1;31m" in coloured and "通报" in coloured
    monkeypatch.delenv("FORCE_COLOR")
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b" not in ok("report", "overdue").stdout


def test_nothing_overdue_says_so_in_the_table(ok, far_cases):
    assert ok("report", "overdue", "--as-of", "2036-03-10").stdout.strip() == "截至 2036-03-10，没有逾期的事项。"


@pytest.mark.parametrize(("name", "check"), [("逾期.json", "json"), ("逾期.tsv", "tsv"), ("逾期.txt", "csv")])
def test_output_without_format_follows_the_suffix(ok, cases, tmp_path, name, check):
    target = tmp_path / name
    ok("report", "overdue", "--output", str(target))
    text = target.read_text(encoding="utf-8")
    if check == "json":
        assert json.loads(text)[0]["no"] == "督查〔2026〕1号"
    else:
        assert text.splitlines()[0].startswith("no" + ("\t" if check == "tsv" else ",") + "title")


@pytest.mark.parametrize(
    ("args", "unwanted"),
    [
        (("report", "overdue"), ("sqlalchemy", "sqlmodel", "pydantic", "rich")),
        (("report", "overdue", "--format", "tsv"), ("sqlalchemy", "sqlmodel", "pydantic", "rich")),
        (("report", "overdue", "--format", "json"), ("sqlalchemy", "sqlmodel", "pydantic", "rich")),
        (("report", "stats"), ("sqlalchemy", "sqlmodel", "pydantic")),
    ],
    ids=["overdue table", "overdue tsv", "overdue json", "stats"],
)
def test_reports_import_only_what_they_use(cases, db_path, tmp_path, args, unwanted):
    """On an existing database: no database stack for a read, and no Rich for the overdue table."""
    import subprocess
    import sys

    probe = (
        "import sys, runpy\n"
        "sys.argv = ['fupin', *sys.argv[1:]]\n"
        "try:\n"
        "    runpy.run_module('fupin_cli', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        f"found = sorted({{m.split('.')[0] for m in sys.modules}} & set({unwanted!r}))\n"
        "sys.stderr.write('UNWANTED:' + ','.join(found))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "FUPIN_HOME": str(tmp_path), "COLUMNS": "80"}
    argv = [sys.executable, "-c", probe, "--db", str(db_path), "--today", "2026-11-20", *args]
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() and "UNWANTED:" in done.stderr, done.stderr
    assert done.stderr.rsplit("UNWANTED:", 1)[1] == ""


@pytest.mark.parametrize("width", [80, 120])
def test_the_stats_table_keeps_every_number_whole_at_a_million_cases(width):
    """Totals of five digits: the completion bar gives up cells so that no number is cut."""
    from datetime import date

    from rich.cells import cell_len
    from rich.console import Console

    from fupin_cli.render.reports import stats_table
    from fupin_cli.services.reports import StatsGroup, StatsReport

    groups = tuple(StatsGroup(key=f"高碑店市{i}"[:4], received=3268, withdrawn=91, completed=2731, on_time=1800,
                              on_time_original=1700, overdue_now=257, extensions=254, workdays_to_complete=(9,))
                   for i in range(3))  # fmt: skip
    total = StatsGroup(key="合计", received=84041, withdrawn=1971, completed=70414, on_time=45000,
                       on_time_original=43000, overdue_now=6770, extensions=6699, workdays_to_complete=(9,))  # fmt: skip
    report = StatsReport(date(2026, 1, 1), date(2026, 12, 31), "unit", date(2026, 11, 26), groups, total)
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(stats_table(report, width=width))
    text = console.export_text()
    assert max(cell_len(line) for line in text.splitlines()) <= width and "…" not in text
    footer = next(line for line in text.splitlines() if line.startswith("合计")).split()
    assert footer[1:3] == ["84041", "70414"]
    assert footer[-1] == "1971" and footer[-2] == "6699" and "6770" in footer and "█" in text
