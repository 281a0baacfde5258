"""`fupin cal deadline | between | month | status | import` through the Typer app, never the real clock."""

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from chinese_calendar import constants
from rich.cells import cell_len
from typer.testing import CliRunner

from fupin_cli.cli.app import app
from fupin_cli.services import holiday_sources
from tests.conftest import dump_database

PACKAGE_YEARS = range(min(constants.holidays).year, max(constants.holidays).year + 1)
FAR = PACKAGE_YEARS.stop + 2
"""A year the installed chinese-calendar does not cover, whatever its version, inside fupin's range."""
TODAY = "2026-10-16"

# Test data, not the State Council's 2027 notice: a plausible schedule in the notice's shape.
PLAUSIBLE_2027 = """\
year = 2027
source = "测试数据：仿照国务院办公厅放假通知编写，并非真实安排"
holidays = [
  "2027-01-01..2027-01-03",  # 元旦
  "2027-02-05..2027-02-12",  # 春节
  "2027-04-03..2027-04-05",  # 清明
  "2027-05-01..2027-05-05",  # 劳动节
  "2027-06-09",              # 端午
  "2027-09-15",              # 中秋
  "2027-10-01..2027-10-07",  # 国庆节
]
workdays = ["2027-02-20", "2027-04-25", "2027-09-26", "2027-10-09"]
"""


def far_year_file(year: int = FAR) -> str:
    """A plausible full-year file for `year` (test data): its statutory holidays and 补假 days."""
    listed = ", ".join(f'"{day.isoformat()}"' for day in sorted(holiday_sources.provisional_holidays(year)))
    return f'year = {year}\nsource = "测试数据：{year} 年，按法定节假日编写"\nholidays = [{listed}]\n'


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FUPIN_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("FUPIN_DB", str(tmp_path / "fupin.db"))
    monkeypatch.delenv("FUPIN_TODAY", raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    return tmp_path / "home"


def run(*args: str):
    return CliRunner().invoke(app, ["--today", TODAY, *args])


def as_json(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def holiday_folder(home: Path) -> dict[str, bytes]:
    folder = home / "holidays"
    return {path.name: path.read_bytes() for path in folder.iterdir()} if folder.exists() else {}


def refused(result) -> str:
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("错误：")
    return lines[0]


# -- deadline ----------------------------------------------------------------------------------------


def test_deadline_table() -> None:
    result = run("cal", "deadline", "2026-02-10", "10")
    assert result.exit_code == 0, result.output
    assert "2026-02-10 起 10 个工作日 → 2026-03-02（星期一）" in result.stdout
    assert "暂定" not in result.stdout


def test_deadline_json_and_the_office_date_forms() -> None:
    expected = {
        "start": "2026-02-10",
        "workdays": 10,
        "due": "2026-03-02",
        "provisional": False,
        "provisional_years": [],
        "due_weekday": "星期一",
    }
    for typed in ("2026-02-10", "2026/2/10", "20260210", "2026年2月10日", "２０２６年２月１０日"):
        assert as_json(run("cal", "deadline", typed, "10", "--format", "json")) == expected


def test_deadline_counts_from_today_words() -> None:
    record = as_json(run("cal", "deadline", "今天", "1", "-f", "json"))
    assert record["start"] == TODAY and record["due"] == "2026-10-19"


def test_deadline_csv() -> None:
    result = run("cal", "deadline", "2026-09-26", "10", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "start,workdays,due,provisional,provisional_years,due_weekday",
        "2026-09-26,10,2026-10-15,false,,星期四",
    ]


@pytest.mark.skipif(2027 in PACKAGE_YEARS, reason="the installed chinese-calendar covers 2027")
def test_a_deadline_into_2027_is_provisional_until_the_2027_file_is_imported(tmp_path: Path) -> None:
    before = as_json(run("cal", "deadline", "2026-12-21", "10", "--format", "json"))
    assert before["provisional"] is True and before["provisional_years"] == [2027]
    assert before["due"].startswith("2027-01-")
    table = run("cal", "deadline", "2026-12-21", "10")
    assert "暂定" in table.stdout and "fupin cal import" in table.stdout

    notice = tmp_path / "2027年放假安排.toml"
    notice.write_text(PLAUSIBLE_2027, encoding="utf-8")
    imported = run("cal", "import", str(notice))
    assert imported.exit_code == 0, imported.output
    assert "已导入2027年放假安排" in imported.stdout
    assert "不再是暂定" in imported.stdout

    after = as_json(run("cal", "deadline", "2026-12-21", "10", "--format", "json"))
    assert after["provisional"] is False and after["provisional_years"] == []
    assert after["due"] == "2027-01-05"
    spring = as_json(run("cal", "deadline", "2027-02-04", "2", "--format", "json"))
    assert spring == {**spring, "due": "2027-02-16", "provisional": False}


def test_a_far_year_is_provisional_until_its_file_is_imported(tmp_path: Path, home: Path) -> None:
    before = as_json(run("cal", "deadline", f"{FAR}-09-28", "5", "--format", "json"))
    assert before["provisional"] is True and before["provisional_years"] == [FAR]
    crossing = as_json(run("cal", "deadline", f"{FAR}-12-21", "10", "--format", "json"))
    assert crossing["provisional"] is True and crossing["due"].startswith(f"{FAR + 1}-01-")

    upload = tmp_path / "upload.toml"
    upload.write_text(far_year_file(), encoding="utf-8")
    imported = as_json(run("cal", "import", str(upload), "--format", "json"))
    assert imported["year"] == FAR and imported["was_provisional"] is True and imported["replaced"] is False
    assert (home / "holidays" / f"{FAR}.toml").read_text(encoding="utf-8") == far_year_file()

    after = as_json(run("cal", "deadline", f"{FAR}-09-28", "5", "--format", "json"))
    assert after["provisional"] is False
    still = as_json(run("cal", "deadline", f"{FAR}-12-21", "10", "--format", "json"))
    assert still["provisional_years"] == [FAR + 1], "the year after is still provisional"


@pytest.mark.parametrize(
    "args,message",
    [
        (["2026-02-10", "0"], "工作日数应为 1 到 1000"),
        (["2026-02-10", "100000"], "工作日数应为 1 到 1000"),
        (["2003-12-31", "10"], "早于工作日历的起点 2004-01-01"),
        (["2099-01-04", "10"], "超出工作日历的范围"),
    ],
)
def test_deadline_refusals(args: list[str], message: str) -> None:
    assert message in refused(run("cal", "deadline", *args))


@pytest.mark.parametrize("typed", ["下周三", "2026-02-30"])
def test_a_date_that_cannot_be_read_is_a_usage_error(typed: str) -> None:
    result = run("cal", "deadline", typed, "10")
    assert result.exit_code == 2, result.output
    assert f"错误：无法识别的日期「{typed}」" in result.stderr and result.stdout == ""


def test_a_count_that_is_not_a_number_is_a_usage_error() -> None:
    assert run("cal", "deadline", "2026-02-10", "十").exit_code == 2


# -- between -----------------------------------------------------------------------------------------


def test_between_json_and_table() -> None:
    record = as_json(run("cal", "between", "2026-09-30", "2026-10-20", "--format", "json"))
    assert record == {
        "from": "2026-09-30",
        "to": "2026-10-20",
        "workdays": 10,
        "provisional": False,
        "provisional_years": [],
    }
    table = run("cal", "between", "2026-09-30", "2026-10-20")
    assert "共 10 个工作日" in table.stdout
    backwards = as_json(run("cal", "between", "2026-10-20", "2026-09-30", "-f", "json"))
    assert backwards["workdays"] == -10


def test_between_flags_a_provisional_year() -> None:
    record = as_json(run("cal", "between", f"{FAR}-01-04", f"{FAR}-02-01", "--format", "json"))
    assert record["provisional"] is True and record["provisional_years"] == [FAR]


# -- month -------------------------------------------------------------------------------------------


def test_month_grid_names_holidays_marks_make_up_days_and_today() -> None:
    result = run("cal", "month", "2026年10月")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "2026年10月" in out and "暂定" not in out
    assert "国庆节" in out and "补班" in out and "休" in out
    assert "16 今天" in out
    assert "10月1日–7日 放假：国庆节" in out
    assert "10月10日（星期六）上班：国庆节调休" in out
    assert max(cell_len(line) for line in out.splitlines()) <= 80


def test_month_defaults_to_this_month_and_takes_other_forms() -> None:
    assert "2026年10月" in run("cal", "month").stdout
    assert "2026年2月" in run("cal", "month", "2026-02").stdout
    assert "春节" in run("cal", "month", "2026-02").stdout


def test_a_provisional_month_says_so() -> None:
    result = run("cal", "month", f"{FAR}-10")
    assert result.exit_code == 0, result.output
    assert f"{FAR}年10月（暂定）" in result.stdout
    assert max(cell_len(line) for line in result.stdout.splitlines()) <= 80


def test_month_json() -> None:
    days = json.loads(run("cal", "month", "2026-10", "--format", "json").stdout)
    assert len(days) == 31
    assert days[0] == {
        "date": "2026-10-01",
        "weekday": "星期四",
        "kind": "holiday",
        "workday": False,
        "name": "国庆节",
        "provisional": False,
    }
    assert days[9]["kind"] == "makeup_workday" and days[9]["workday"] is True


def test_month_refusals() -> None:
    assert "无法识别的月份" in refused(run("cal", "month", "2026-13"))
    assert "早于工作日历的起点" in refused(run("cal", "month", "2003-12"))


# -- status ------------------------------------------------------------------------------------------


def test_status_json_and_table() -> None:
    record = as_json(run("cal", "status", "--format", "json"))
    assert record["first_day"] == "2004-01-01"
    assert record["package_years"] == [PACKAGE_YEARS.start, PACKAGE_YEARS.stop - 1]
    years = {row["year"]: row for row in record["years"]}
    assert years[2005]["source"].endswith("补丁 2005.toml（国办发明电〔2005〕35号）")
    assert years[FAR]["provisional"] is True
    assert FAR in record["provisional_years"]
    table = run("cal", "status")
    assert table.exit_code == 0 and "暂定" in table.stdout
    assert max(cell_len(line) for line in table.stdout.splitlines()) <= 80
    csv_lines = run("cal", "status", "-f", "csv").stdout.splitlines()
    assert csv_lines[0] == "year,source,provisional,workdays,rest_days"
    assert csv_lines[1].startswith("2004,chinese-calendar ")


# -- import refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,message",
    [
        (f'year = {FAR}\nsource = "s"\nworkdays = ["{FAR}-09-01..{FAR}-09-30"]\n', "第 3 行：补班日"),
        (f'year = {FAR}\nholidays = ["{FAR}-10-01"]\n', "缺少 source"),
        (f'year = {FAR}\nsource = "s"\nholidays = [\n  "{FAR}-10-01",\n  "{FAR + 1}-01-01",\n]\n', "第 5 行"),
        (f'year = {FAR}\nsource = "s"\nholidays = [\n"{FAR}-10-01"\n', "TOML 格式错误"),
    ],
)
def test_import_refusals_change_nothing(tmp_path: Path, home: Path, text: str, message: str) -> None:
    earlier = tmp_path / "earlier.toml"
    earlier.write_text(far_year_file(FAR + 1), encoding="utf-8")
    assert run("cal", "import", str(earlier)).exit_code == 0
    before = holiday_folder(home)
    upload = tmp_path / "bad.toml"
    upload.write_text(text, encoding="utf-8")
    line = refused(run("cal", "import", str(upload)))
    assert "假日文件 bad.toml" in line and message in line
    assert holiday_folder(home) == before


def test_import_of_a_missing_file_is_refused(tmp_path: Path, home: Path) -> None:
    assert "找不到假日文件" in refused(run("cal", "import", str(tmp_path / "none.toml")))
    assert not (home / "holidays").exists()


def test_import_rechecks_a_stored_provisional_deadline_and_audits_it(tmp_path: Path) -> None:
    today = f"{FAR}-09-28"

    def at_today(*args: str):
        return CliRunner().invoke(app, ["--today", today, "--user", "测试员", *args])

    assert at_today("case", "open", "测试事项", "--category", "其他", "--on", f"{FAR}-09-20").exit_code == 0
    assert at_today("case", "approve", f"{FAR}-1", "--by", "王主任", "--on", f"{FAR}-09-21").exit_code == 0
    assert at_today("case", "assign", f"{FAR}-1", "--unit", "唐县", "--on", today).exit_code == 0
    before = json.loads(at_today("case", "show", f"{FAR}-1", "--format", "json").stdout)
    assert before["due_provisional"] is True

    # The published schedule gives a 国庆 week: four more rest days than the statutory three.
    golden_week = ", ".join(f'"{FAR}-10-0{day}"' for day in range(4, 8))
    upload = tmp_path / "upload.toml"
    upload.write_text(far_year_file().replace("holidays = [", f"holidays = [{golden_week}, "), encoding="utf-8")
    result = at_today("cal", "import", str(upload))
    assert result.exit_code == 0, result.output
    after = json.loads(at_today("case", "show", f"{FAR}-1", "--format", "json").stdout)
    assert after["due_provisional"] is False
    assert after["due"] > before["due"]
    assert f"督查〔{FAR}〕1号" in result.stdout and f"{before['due']} → {after['due']}" in result.stdout
    log = json.loads(at_today("case", "log", f"{FAR}-1", "--format", "json").stdout)
    assert log[-1]["action"] == "recheck"

    record = json.loads(at_today("cal", "import", str(upload), "--format", "json").stdout)
    assert record["replaced"] is True and record["rechecked"] == []
    assert at_today("cal", "recheck", "--format", "json").stdout.strip() == "[]"


def test_new_calendar_data_rechecks_on_the_next_command(tmp_path: Path, home: Path) -> None:
    """A year's file put in place behind fupin's back (or a chinese-calendar upgrade) is noticed once."""
    today = f"{FAR}-09-28"

    def at_today(*args: str):
        return CliRunner().invoke(app, ["--today", today, *args])

    assert at_today("case", "open", "测试事项", "--category", "其他", "--on", today).exit_code == 0
    assert at_today("case", "approve", f"{FAR}-1", "--by", "王主任", "--on", today).exit_code == 0
    assert at_today("case", "assign", f"{FAR}-1", "--unit", "唐县", "--on", today).exit_code == 0
    stored_due = json.loads(at_today("case", "show", f"{FAR}-1", "--format", "json").stdout)["due"]
    golden_week = ", ".join(f'"{FAR}-10-0{day}"' for day in range(4, 8))
    (home / "holidays").mkdir(parents=True, exist_ok=True)
    (home / "holidays" / f"{FAR}.toml").write_text(
        far_year_file().replace("holidays = [", f"holidays = [{golden_week}, "), encoding="utf-8"
    )
    # A read warns in one line and answers on the new calendar, writing nothing…
    before = dump_database(tmp_path / "fupin.db")
    shown = at_today("case", "show", f"{FAR}-1", "--format", "json")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["due_provisional"] is False
    [warning] = shown.stderr.splitlines()
    assert "日历数据已变更" in warning and "fupin cal recheck" in warning
    new_due = json.loads(shown.stdout)["due"]
    assert new_due > stored_due
    listed = json.loads(at_today("case", "list", "--format", "json").stdout)
    assert [(row["due"], row["due_provisional"]) for row in listed] == [(new_due, False)]
    # On the stored (stale) date the case would be late the day after it; on the new calendar it is not.
    day_after = (date.fromisoformat(stored_due) + timedelta(days=1)).isoformat()
    late = at_today("report", "overdue", "--as-of", day_after, "--format", "json")
    assert late.exit_code == 0 and json.loads(late.stdout) == []
    late = at_today("report", "overdue", "--as-of", f"{FAR}-12-31", "--format", "json")
    assert [(row["due"], row["due_provisional"]) for row in json.loads(late.stdout)] == [(new_due, False)]
    for read in (("case", "list"), ("report", "overdue"), ("case", "log", f"{FAR}-1")):
        result = at_today(*read)
        assert result.exit_code == 0, result.output
        assert "日历数据已变更" in result.stderr
    assert before and dump_database(tmp_path / "fupin.db") == before
    # …and the next write rechecks, once, in its own transaction.
    assert at_today("case", "accept", f"{FAR}-1", "--ref", "唐扶督1号", "--on", today).exit_code == 0
    log = json.loads(at_today("case", "log", f"{FAR}-1", "--format", "json").stdout)
    assert [event["action"] for event in log].count("recheck") == 1
    assert at_today("case", "list").stderr == ""
    at_today("case", "feedback", f"{FAR}-1", "--report", "已核实整改", "--on", today)
    log = json.loads(at_today("case", "log", f"{FAR}-1", "--format", "json").stdout)
    assert [event["action"] for event in log].count("recheck") == 1


def test_import_rechecks_a_provisional_order_to_correct(tmp_path: Path) -> None:
    today = f"{FAR}-09-28"

    def at_today(*args: str):
        return CliRunner().invoke(app, ["--today", today, "--user", "测试员", *args])

    assert at_today("check", "new", "政策", "--title", "政策落实检查", "--unit", "唐县", "--on", today).exit_code == 0
    found = at_today("check", "finding", "1", "--text", "未按要求整改", "--unit", "唐县", "--on", today)
    assert found.exit_code == 0, found.output
    golden_week = ", ".join(f'"{FAR}-10-0{day}"' for day in range(4, 8))
    upload = tmp_path / "upload.toml"
    upload.write_text(far_year_file().replace("holidays = [", f"holidays = [{golden_week}, "), encoding="utf-8")
    record = json.loads(at_today("cal", "import", str(upload), "--format", "json").stdout)
    (change,) = record["rechecked"]
    assert change["no"] == "问题1" and change["due_after"] > change["due_before"]
    assert change["provisional_after"] is False
