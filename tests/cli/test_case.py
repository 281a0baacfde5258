"""`fupin case …` through the Typer app: exit codes, messages, output, and refusals that change nothing."""

import json
import sqlite3

import pytest
from rich.cells import cell_len

from fupin_cli.storage.db import open_database
from fupin_cli.storage.events import verify_chain

TODAY = "2026-10-19"


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("FUPIN_TODAY", TODAY)
    return TODAY


@pytest.fixture
def refused(cli, db_dump):
    """Run a command that must be refused: exit code, a one-line message, and not a byte changed."""

    def run(*args: str, match: str, code: int = 1):
        before = db_dump()
        result = cli(*args)
        assert result.exit_code == code, result.output
        assert match in result.stderr, result.stderr
        assert "Traceback" not in result.output
        if code == 1:
            assert result.stderr.count("\n") == 1, "one line"
        assert db_dump() == before, "a refused command changed the database"
        return result

    return run


@pytest.fixture
def show(ok):
    def run(number: str, *extra: str) -> dict:
        return json.loads(ok(*extra, "case", "show", number, "--format", "json").stdout)

    return run


def opened(ok, title: str = "核查唐县雨露计划补助发放", *extra: str, on: str = "2026-09-20") -> str:
    line = ok("case", "open", title, "--category", "雨露计划", "--on", on, *extra).stdout
    return line.split(" ", 1)[0]


STEPS = {
    "proposed": [],
    "approved": [["approve", "--by", "王主任", "--on", "2026-09-21"]],
    "rejected": [["reject", "--reason", "不属本处职责", "--by", "王主任", "--on", "2026-09-21"]],
    "assigned": [
        ["approve", "--by", "王主任", "--on", "2026-09-21"],
        ["assign", "--unit", "唐县", "--on", "2026-09-28"],
    ],
}
STEPS["withdrawn"] = [*STEPS["assigned"], ["withdraw", "--reason", "情况已变化", "--on", "2026-09-29"]]
STEPS["in_progress"] = [*STEPS["assigned"], ["accept", "--ref", "唐扶〔2026〕7号", "--on", "2026-09-29"]]
STEPS["completed"] = [*STEPS["in_progress"], ["feedback", "--report", "已全部核实", "--on", "2026-10-12"]]
STEPS["archived"] = [*STEPS["completed"], ["archive", "--location", "档案室 A-3", "--on", "2026-10-13"]]


def case_in(ok, state: str) -> str:
    number = opened(ok)
    for command, *args in STEPS[state]:
        ok("case", command, number, *args)
    return number


# --- done when -----------------------------------------------------------------------------------


def test_assigned_on_2026_09_28_is_due_2026_10_16_and_red_on_10_19(ok, show) -> None:
    number = case_in(ok, "assigned")
    assert number == "督查〔2026〕1号"
    case = show("1")
    assert (case["assigned_on"], case["original_due"], case["due"]) == (
        "2026-09-28",
        "2026-10-16",
        "2026-10-16",
    )
    assert (case["light"], case["light_label"], case["overdue_workdays"]) == ("red", "红", 1)
    assert case["state"] == "assigned" and case["unit_short"] == "唐县" and case["due_provisional"] is False
    card = ok("case", "show", "1").stdout
    assert "2026-10-16" in card and "红灯：已逾期 1 个工作日" in card


def test_an_extension_past_the_cap_is_refused_and_one_within_is_granted(ok, refused, show) -> None:
    case_in(ok, "assigned")
    refused(
        "case", "extend", "1", "--to", "2026-11-17", "--reason", "材料较多", "--by", "李处长", "--on", "2026-10-15",
        match="超过延期上限 2026-11-16",
    )  # fmt: skip
    line = ok(
        "case",
        "extend",
        "1",
        "--to",
        "2026-11-16",
        "--reason",
        "材料较多",
        "--by",
        "李处长",
        "--on",
        "2026-10-15",
    )
    assert "2026-11-16" in line.stdout
    case = show("1")
    assert (case["original_due"], case["due"], case["light"], case["days_left"]) == (
        "2026-10-16",
        "2026-11-16",
        "green",
        20,
    )
    assert case["extensions"] == [
        {
            "granted_on": "2026-10-15",
            "old_due": "2026-10-16",
            "new_due": "2026-11-16",
            "workdays": None,
            "reason": "材料较多",
            "approver": "李处长",
            "provisional": False,
            "old_due_provisional": False,
        }
    ]


def test_a_short_extension_turns_the_case_yellow(ok, show) -> None:
    case_in(ok, "assigned")
    ok("case", "extend", "1", "--days", "3", "--reason", "补充材料", "--by", "李处长", "--on", "2026-10-16")
    case = show("1")
    assert (case["due"], case["light"], case["days_left"]) == ("2026-10-21", "yellow", 2)
    assert case["extensions"][0]["workdays"] == 3


def test_archiving_without_feedback_is_refused(ok, refused) -> None:
    case_in(ok, "in_progress")
    refused("case", "archive", "1", match="当前状态为「承办中」，不能归档")


# --- the workflow through the CLI ----------------------------------------------------------------

REFUSED_PER_STATE = {
    "proposed": (["assign", "--unit", "唐县"], "拟办"),
    "approved": (["accept"], "已立项"),
    "rejected": (["approve", "--by", "王主任"], "不予立项"),
    "assigned": (["feedback", "--report", "已办结"], "已交办"),
    "in_progress": (["return", "--reason", "不完整"], "承办中"),
    "completed": (["extend", "--days", "2", "--reason", "r", "--by", "b", "--on", "2026-10-13"], "已办结"),
    "archived": (["withdraw", "--reason", "重复"], "已归档"),
    "withdrawn": (["accept"], "已撤销"),
}


@pytest.mark.parametrize("state", list(REFUSED_PER_STATE))
def test_a_refused_move_names_the_state_and_changes_nothing(ok, refused, state: str) -> None:
    case_in(ok, state)
    (command, *args), label = REFUSED_PER_STATE[state]
    result = refused("case", command, "1", *args, match=f"当前状态为「{label}」")
    assert "可进行的下一步" in result.stderr


def test_the_whole_way_with_a_return(ok, show) -> None:
    case_in(ok, "completed")
    ok("case", "return", "1", "--reason", "报告缺少整改清单", "--on", "2026-10-13")
    case = show("1")
    assert (case["state"], case["feedback_on"], case["light"]) == ("in_progress", None, "red")
    ok("case", "feedback", "1", "--report", "已补充整改清单", "--on", "2026-10-14")
    ok("case", "archive", "1", "--location", "档案室 A-3", "--on", "2026-10-15")
    case = show("1")
    assert (case["state"], case["archived_on"], case["archive_location"]) == (
        "archived",
        "2026-10-15",
        "档案室 A-3",
    )
    assert (case["light"], case["overdue_workdays"], case["on_time"]) == (None, 0, True)
    assert [step["action"] for step in case["timeline"]] == [
        "open", "approve", "assign", "accept", "feedback", "return", "feedback", "archive",
    ]  # fmt: skip
    assert case["timeline"][5]["detail"] == "理由 报告缺少整改清单"


def test_feedback_from_a_report_file(ok, show, tmp_path) -> None:
    case_in(ok, "in_progress")
    report = tmp_path / "办结报告.txt"
    report.write_text("经核查，补助已全部发放。\n", encoding="utf-8")
    ok("--today", "2026-10-20", "case", "feedback", "1", "--report-file", str(report), "--on", "2026-10-20")
    case = show("1")
    assert case["report_text"] == "经核查，补助已全部发放。" and case["report_file"] == "办结报告.txt"
    assert case["on_time"] is False and case["on_time_original"] is False


def test_feedback_needs_a_report_and_a_file_that_exists(ok, refused) -> None:
    case_in(ok, "in_progress")
    refused("case", "feedback", "1", match="须附办结报告")
    refused("case", "feedback", "1", "--report-file", "/nonexistent/报告.docx", match="找不到办结报告文件")
    refused("case", "feedback", "1", "--report", "a", "--report-file", "b", match="只能给一个", code=2)


# --- dates ---------------------------------------------------------------------------------------


def test_a_step_dated_in_the_future_or_before_the_last_step_is_refused(ok, refused) -> None:
    ok("init")  # the database is created first; that is not the refused command's doing
    refused("case", "open", "核查", "-c", "政策", "--on", "2026-10-20", match="晚于今天")
    number = opened(ok, on="2026-09-20")
    refused(
        "case", "approve", number, "--by", "王主任", "--on", "2026-09-19", match="早于上一步的日期 2026-09-20"
    )
    refused("case", "approve", number, "--by", "王主任", "--on", "明天", match="晚于今天")
    refused("case", "approve", number, "--by", "王主任", "--on", "2026-13-01", match="无法识别的日期", code=2)
    ok("case", "approve", number, "--by", "王主任", "--on", "2026年9月20日")


def test_a_step_without_on_happens_today(ok, show) -> None:
    opened(ok, on="2026-09-20")
    ok("case", "approve", "1", "--by", "王主任")
    assert show("1")["approved_on"] == TODAY


# --- numbering -----------------------------------------------------------------------------------


def test_numbers_run_per_year_and_are_never_reused(ok, show) -> None:
    assert opened(ok) == "督查〔2026〕1号"
    assert opened(ok) == "督查〔2026〕2号"
    ok("case", "reject", "1", "--reason", "不予立项", "--by", "王主任")
    ok("case", "withdraw", "2", "--reason", "重复登记")
    assert opened(ok) == "督查〔2026〕3号"
    assert opened(ok, "去年年底的事项", on="2025-12-30") == "督查〔2025〕1号"
    assert opened(ok) == "督查〔2026〕4号"
    assert show("1")["state"] == "rejected" and show("2")["state"] == "withdrawn"


@pytest.mark.parametrize("typed", ["2", "2026-2", "督查[2026]2号", "督查〔2026〕2号", "２"])
def test_every_short_form_names_the_case(ok, show, typed: str) -> None:
    opened(ok)
    opened(ok)
    assert show(typed)["no"] == "督查〔2026〕2号"


def test_an_unknown_or_unreadable_number_is_refused(ok, refused) -> None:
    opened(ok)
    refused("case", "show", "7", match="没有这个督查事项：督查〔2026〕7号")
    refused("case", "approve", "2025-1", "--by", "王主任", match="没有这个督查事项：督查〔2025〕1号")
    refused("case", "log", "第七号", match="无法识别的督查编号")


# --- approval, major and classified items --------------------------------------------------------


def test_a_major_item_needs_the_directors_meeting(ok, refused, show) -> None:
    opened(ok, "重大项目资金挪用核查", "--major")
    refused("case", "approve", "1", "--by", "王主任", "--on", "2026-09-21", match="主任办公会")
    ok("case", "approve", "1", "--meeting", "主任办公会纪要〔2026〕9号", "--on", "2026-09-22")
    case = show("1")
    assert (case["major"], case["meeting_ref"], case["meeting_on"]) == (
        True,
        "主任办公会纪要〔2026〕9号",
        "2026-09-22",
    )


def test_an_ordinary_item_needs_the_approver(ok, refused) -> None:
    opened(ok)
    refused("case", "approve", "1", match="--by")


def test_a_classified_item_holds_only_metadata(ok, refused, show) -> None:
    opened(ok, "某县事项核查", "--classified", "--level", "机密", "--location", "机要室 2 号柜")
    refused("case", "approve", "1", "--by", "王主任", "--opinion", "同意，重点查某某", match="涉密")
    ok("case", "approve", "1", "--by", "王主任", "--on", "2026-09-21")
    ok("case", "assign", "1", "--unit", "易县", "--on", "2026-09-28")
    ok("case", "accept", "1", "--on", "2026-09-29")
    refused("case", "feedback", "1", "--report", "核查发现……", match="不能录入办结报告内容")
    refused("case", "feedback", "1", "--report-file", "/tmp/x.docx", match="不能录入办结报告文件")
    ok("case", "feedback", "1", "--location", "机要室 2 号柜 第 3 册", "--on", "2026-10-09")
    case = show("1")
    assert case["title"] == "「涉密·线下办理」某县事项核查"
    assert (case["classified"], case["secret_level"], case["state"]) == (True, "机密", "completed")
    assert (case["report_text"], case["report_file"], case["paper_location"]) == (
        None,
        None,
        "机要室 2 号柜 第 3 册",
    )
    rows = json.loads(ok("case", "list", "--format", "json").stdout)
    assert rows[0]["title"] == "「涉密·线下办理」某县事项核查"
    assert "涉密·线下办理" in ok("--today", TODAY, "case", "list").stdout


def test_reject_and_withdraw_need_a_reason(ok, cli) -> None:
    opened(ok)
    for command in ("reject", "withdraw", "return"):
        assert cli("case", command, "1").exit_code == 2


# --- deadlines -----------------------------------------------------------------------------------


def test_another_limit_needs_its_basis_and_records_it(ok, refused, show) -> None:
    opened(ok)
    ok("case", "approve", "1", "--by", "王主任", "--on", "2026-09-21")
    refused("case", "assign", "1", "--unit", "唐县", "--days", "5", "--on", "2026-09-28", match="--basis")
    refused(
        "case", "assign", "1", "--unit", "唐县", "--due", "2026-10-09", "--on", "2026-09-28", match="--basis"
    )
    refused(
        "case",
        "assign",
        "1",
        "--unit",
        "唐县",
        "--days",
        "5",
        "--due",
        "2026-10-09",
        match="只能给一个",
        code=2,
    )
    ok(
        "case",
        "assign",
        "1",
        "--unit",
        "唐县",
        "--days",
        "5",
        "--basis",
        "特殊案件限时办结",
        "--on",
        "2026-09-28",
    )
    case = show("1")
    assert (case["due"], case["limit_workdays"], case["basis"]) == (
        "2026-10-10",
        5,
        "特殊案件限时办结",
    )  # 10-10 is a make-up Saturday


def test_an_explicit_due_date(ok, show) -> None:
    opened(ok)
    ok("case", "approve", "1", "--by", "王主任", "--on", "2026-09-21")
    ok(
        "case",
        "assign",
        "1",
        "--unit",
        "唐县扶贫开发办公室",
        "--due",
        "2026-10-30",
        "--basis",
        "市政府通知",
        "--on",
        "2026-09-28",
    )
    case = show("1")
    assert (case["due"], case["limit_workdays"], case["unit"]) == ("2026-10-30", None, "唐县扶贫开发办公室")


def test_an_unknown_unit_is_refused(ok, refused) -> None:
    opened(ok)
    ok("case", "approve", "1", "--by", "王主任", "--on", "2026-09-21")
    refused("case", "assign", "1", "--unit", "火星县", "--on", "2026-09-28", match="未知单位「火星县」")
    refused(
        "case", "assign", "1", "--unit", "唐县", "--assist", "火星县", "--on", "2026-09-28", match="未知单位"
    )


def test_assist_units_and_a_city_division(ok, show) -> None:
    opened(ok)
    ok("case", "approve", "1", "--by", "王主任", "--on", "2026-09-21")
    ok(
        "case",
        "assign",
        "1",
        "--unit",
        "唐县",
        "--assist",
        "易县",
        "--assist",
        "规划项目处",
        "--on",
        "2026-09-28",
    )
    assert show("1")["assist_units"] == ["易县扶贫开发办公室", "规划项目处"]


def test_an_extension_asked_after_the_due_date_is_refused(ok, refused) -> None:
    case_in(ok, "assigned")
    refused("case", "extend", "1", "--days", "3", "--reason", "r", "--by", "b", match="期限届满前")


def test_several_extensions_inside_the_cap(ok, refused, show) -> None:
    case_in(ok, "in_progress")
    ok("case", "extend", "1", "--to", "2026-10-23", "--reason", "一", "--by", "李处长", "--on", "2026-10-15")
    ok("case", "extend", "1", "--to", "2026-11-16", "--reason", "二", "--by", "李处长", "--on", "2026-10-19")
    refused(
        "case", "extend", "1", "--days", "1", "--reason", "三", "--by", "李处长", "--on", "2026-10-19",
        match="超过延期上限 2026-11-16",
    )  # fmt: skip
    case = show("1")
    assert [e["new_due"] for e in case["extensions"]] == ["2026-10-23", "2026-11-16"]
    assert case["original_due"] == "2026-10-16" and case["extension_cap"] == "2026-11-16"


def test_extend_needs_days_or_to(ok, refused) -> None:
    case_in(ok, "assigned")
    refused("case", "extend", "1", "--reason", "r", "--by", "b", match="--days 或 --to", code=2)
    refused(
        "case",
        "extend",
        "1",
        "--days",
        "1",
        "--to",
        "2026-10-20",
        "--reason",
        "r",
        "--by",
        "b",
        match="只能给一个",
        code=2,
    )
    refused("case", "extend", "1", "--days", "x", "--reason", "r", "--by", "b", match="--days", code=2)


def test_a_deadline_in_a_provisional_year_says_so(ok, show, monkeypatch) -> None:
    # 2035's holidays will not be published for years: the calendar estimates them.
    monkeypatch.setenv("FUPIN_TODAY", "2035-03-05")
    opened(ok, on="2035-03-01")
    ok("case", "approve", "2035-1", "--by", "王主任", "--on", "2035-03-01")
    ok("case", "assign", "2035-1", "--unit", "唐县", "--on", "2035-03-01")
    case = show("2035-1")
    assert case["due_provisional"] is True
    rows = json.loads(ok("case", "list", "--format", "json").stdout)
    assert rows[0]["due_provisional"] is True
    assert f"{case['due']}*" in ok("case", "list").stdout
    assert "暂定" in ok("case", "show", "2035-1").stdout


# --- list ----------------------------------------------------------------------------------------

LIST_KEYS = {
    "no", "title", "state", "category", "unit", "assigned_on", "original_due", "due", "due_provisional", "light",
    "overdue_workdays", "extensions",
}  # fmt: skip


def several(ok) -> None:
    case_in(ok, "assigned")  # 1: 唐县, due 10-16, red
    number = opened(
        ok, "易县资金项目检查", on="2026-10-12"
    )  # 2: 易县, due 10-26 → 5 working days left, green
    ok("case", "approve", number, "--by", "王主任", "--on", "2026-10-12")
    ok("case", "assign", number, "--unit", "易县", "--on", "2026-10-12")
    number = opened(ok, "阜平县搬迁核查", on="2026-10-13")  # 3: 阜平县, due 10-21, yellow
    ok("case", "approve", number, "--by", "王主任", "--on", "2026-10-13")
    ok("case", "assign", number, "--unit", "阜平", "--days", "6", "--basis", "限时", "--on", "2026-10-13")
    opened(ok, "拟办中的事项", on="2026-10-14")  # 4: proposed
    opened(ok, "去年的事项", on="2025-11-03")  # 2025-1: proposed


def numbers(ok, *args: str) -> list[str]:
    return [row["short_no"] for row in json.loads(ok("case", "list", *args, "--format", "json").stdout)]


def test_list_filters(ok, refused) -> None:
    several(ok)
    assert numbers(ok) == ["2025-1", "2026-1", "2026-2", "2026-3", "2026-4"]
    assert numbers(ok, "--state", "拟办") == ["2025-1", "2026-4"]
    assert numbers(ok, "--state", "assigned") == ["2026-1", "2026-2", "2026-3"]
    assert numbers(ok, "--state", "拟办,已交办", "--year", "2025") == ["2025-1"]
    assert numbers(ok, "--state", "在办") == ["2026-1", "2026-2", "2026-3"]
    assert numbers(ok, "--unit", "易县") == ["2026-2"]
    assert numbers(ok, "--unit", "唐县扶贫开发办公室") == ["2026-1"]
    assert numbers(ok, "--overdue") == ["2026-1"]
    assert numbers(ok, "--due-within", "3") == ["2026-3"]
    assert numbers(ok, "--due-within", "5") == ["2026-2", "2026-3"]
    assert numbers(ok, "--year", "2024") == []
    refused("case", "list", "--state", "进行中", match="未知的状态")
    refused("case", "list", "--unit", "火星县", match="未知单位")


def test_list_json_and_csv_carry_the_deadline_and_light(ok) -> None:
    several(ok)
    rows = json.loads(ok("case", "list", "--format", "json").stdout)
    assert LIST_KEYS <= set(rows[0])
    by_no = {row["short_no"]: row for row in rows}
    assert (by_no["2026-1"]["light"], by_no["2026-1"]["overdue_workdays"]) == ("red", 1)
    assert (by_no["2026-2"]["light"], by_no["2026-2"]["days_left"]) == ("green", 5)
    assert (by_no["2026-3"]["light"], by_no["2026-3"]["days_left"]) == ("yellow", 2)
    assert (by_no["2026-4"]["light"], by_no["2026-4"]["overdue_workdays"], by_no["2026-4"]["due"]) == (
        None,
        0,
        None,
    )
    assert by_no["2026-1"]["category"] == "雨露计划监督检查" and by_no["2026-1"]["unit_short"] == "唐县"
    csv_lines = ok("case", "list", "--format", "csv").stdout.splitlines()
    assert LIST_KEYS <= set(csv_lines[0].split(","))
    assert len(csv_lines) == 6 and csv_lines[2].startswith("督查〔2026〕1号,2026-1,")
    assert ok("case", "list", "--year", "2024", "--format", "json").stdout.strip() == "[]"
    assert ok("case", "list", "--year", "2024", "--format", "csv").stdout.startswith("no,short_no,title")


@pytest.mark.parametrize("width", [120, 80, 60, 40])
def test_the_list_table_fits_the_terminal(ok, monkeypatch, width: int) -> None:
    several(ok)
    monkeypatch.setenv("COLUMNS", str(width))
    from fupin_cli.cli import console

    console._stdout.cache_clear()
    try:
        table = ok("case", "list").stdout
    finally:
        console._stdout.cache_clear()
    lines = table.splitlines()
    assert all(cell_len(line.rstrip()) <= width for line in lines), table
    assert "2026-3" in table and "已交办" in table
    if width >= 80:
        assert "红 逾1" in table and "黄 剩2" in table and "2026-10-16" in table and "唐县" in table


def test_an_empty_list_says_so(cli, ok) -> None:
    ok("init")
    result = cli("case", "list")
    assert result.exit_code == 0 and result.stdout == "" and "没有符合条件" in result.stderr


# --- show and log --------------------------------------------------------------------------------


def test_show_as_csv(ok) -> None:
    case_in(ok, "assigned")
    header, row = ok("case", "show", "1", "--format", "csv").stdout.splitlines()
    assert header.startswith("no,short_no,year,serial,title") and row.startswith(
        "督查〔2026〕1号,2026-1,2026,1,"
    )


def test_log_lists_every_change_with_operator_and_date(ok) -> None:
    case_in(ok, "in_progress")
    events = json.loads(ok("case", "log", "1", "--format", "json").stdout)
    assert [e["action"] for e in events] == ["open", "approve", "assign", "accept"]
    assert {e["operator"] for e in events} == {"测试员"}
    assert [e["effective_on"] for e in events] == ["2026-09-20", "2026-09-21", "2026-09-28", "2026-09-29"]
    assign = events[2]
    assert assign["before"]["state"] == "approved" and assign["after"]["state"] == "assigned"
    assert assign["after"]["due"] == "2026-10-16" and assign["before"]["due"] is None
    table = ok("case", "log", "1").stdout
    assert "督查〔2026〕1号 的变更记录" in table and "已立项 → 已交办" in table
    csv_text = ok("case", "log", "1", "--format", "csv").stdout
    assert csv_text.splitlines()[0] == "id,action,action_label,operator,recorded_at,effective_on,before,after"


def test_the_operator_is_the_user_option(ok, cli) -> None:
    opened(ok)
    assert cli("--user", "张三", "case", "approve", "1", "--by", "王主任").exit_code == 0
    events = json.loads(ok("case", "log", "1", "--format", "json").stdout)
    assert [e["operator"] for e in events] == ["测试员", "张三"]


def test_an_event_edited_behind_fupins_back_breaks_the_chain(ok, db_path) -> None:
    case_in(ok, "in_progress")
    database = open_database(str(db_path))
    try:
        with database.read() as conn:
            assert verify_chain(conn) == (4, None)
        raw = sqlite3.connect(db_path)
        raw.execute("UPDATE audit_event SET operator = '别人' WHERE id = 2")
        raw.commit()
        raw.close()
        with database.read() as conn:
            count, broken = verify_chain(conn)
    finally:
        database.dispose()
    assert broken is not None and broken.event_id == 2, count


def test_the_recorded_case_and_its_events_agree(ok, db_path) -> None:
    case_in(ok, "archived")
    raw = sqlite3.connect(db_path)
    try:
        (state,) = raw.execute("SELECT state FROM cases").fetchone()
        actions = [
            row[0] for row in raw.execute("SELECT action FROM audit_event WHERE case_id = 1 ORDER BY id")
        ]
    finally:
        raw.close()
    assert state == "archived"
    assert actions == ["open", "approve", "assign", "accept", "feedback", "archive"]


@pytest.mark.parametrize(
    "args, message",
    [
        (("case", "open", "第一行\n第二行", "--category", "政策"), "只能是一行文字"),
        (("case", "open", "标题\x1b[31m", "--category", "政策"), "只能是一行文字"),
        (("case", "open", "封面标题", "--category", "其他", "--classified", "--source", "机密来源"), "不能录入来源"),
        (("case", "open", "封面标题", "--category", "其他", "--level", "机密", "--source", "来信"), "不能录入来源"),
    ],
    ids=["line break in a title", "escape code in a title", "classified with a source", "密级 with a source"],
)
def test_text_that_would_garble_listings_or_leak_content_is_refused_unchanged(ok, refused, args, message):
    ok("case", "open", "已有事项", "--category", "政策")
    refused(*args, match=message)


@pytest.mark.parametrize("width", [60, 80, 120])
def test_case_list_wraps_long_titles_and_keeps_number_state_and_due(ok, monkeypatch, width):
    """Piped at 60, 80 and 120 columns: no line wider than the width; each case's number, state and due
    date whole on its line; a long title continued on a second line, not cut."""
    title = "涞源县互助资金项目第十二批次资金使用和村级公示情况专项督查核实"
    for index in range(12):
        number = ok("case", "open", f"{title}{index}", "--category", "其他", "--on", "2026-10-12").stdout.split()[0]
        ok("case", "approve", number, "--by", "王主任", "--on", "2026-10-12")
        ok("case", "assign", number, "--unit", "涞源县", "--on", "2026-10-12")
    monkeypatch.setenv("COLUMNS", str(width))
    rows = json.loads(ok("case", "list", "--format", "json").stdout)
    lines = ok("case", "list").stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= width
    assert len(rows) == 12
    for row in rows:
        [line] = [line for line in lines if line.split() and line.split()[0] == row["short_no"]]
        assert row["due"] in line and row["state_label"] in line
        following = lines[lines.index(line) + 1]
        assert following.startswith(" ") and following.strip()  # the title's second line
