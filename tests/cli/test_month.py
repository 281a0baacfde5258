"""A clerk's month (issue 12): numbers across years, dates without a year, the new date forms."""

import json
from datetime import date, timedelta

import pytest

from fupin_cli.domain.dates import AHEAD, BACK, parse_date
from tests.integration.conftest import backend, db_url  # noqa: F401  (fixtures)


def _run(cli, db: str, today: str, *args: str):
    return cli("--db", db, "--today", today, *args)


def _ok(cli, db: str, today: str, *args: str):
    result = _run(cli, db, today, *args)
    assert result.exit_code == 0, result.output
    return result


def _assigned(cli, db: str, on: str, due: str) -> str:
    line = _ok(cli, db, on, "case", "open", "核查唐县雨露计划补助发放", "-c", "雨露计划", "--on", on).stdout
    number = line.split(" ", 1)[0]
    _ok(cli, db, on, "case", "approve", number, "--by", "王主任", "--on", on)
    _ok(cli, db, on, "case", "assign", number, "--unit", "唐县", "--due", due, "--basis", "领导批示", "--on", on)
    return number


def test_a_bare_serial_in_january_finds_last_years_open_case(cli, db_url):  # noqa: F811
    """Both backends: 10 in January means 2026's case 10 while 2027 has none; two candidates are named."""
    for _ in range(2):
        _ok(cli, db_url, "2025-12-01", "case", "open", "核查雨露计划", "-c", "雨露计划", "--on", "2025-12-01")
    for _ in range(2):
        _ok(cli, db_url, "2026-12-01", "case", "open", "核查雨露计划", "-c", "雨露计划", "--on", "2026-12-01")
    result = _run(cli, db_url, "2027-01-20", "case", "show", "2", "-f", "json")
    assert result.exit_code == 1
    assert "2025-2" in result.stderr and "2026-2" in result.stderr
    _ok(cli, db_url, "2027-01-20", "case", "reject", "2025-2", "--reason", "不属本处职责", "--by", "王主任", "--on", "2025-12-02")
    result = _ok(cli, db_url, "2027-01-20", "case", "show", "2", "-f", "json")
    assert json.loads(result.stdout)["no"] == "督查〔2026〕2号"
    assert "督查〔2026〕2号" in result.stderr and result.stderr.count("\n") == 1
    assert "2027" in _ok(cli, db_url, "2027-01-20", "case", "open", "新事项", "-c", "雨露计划").stdout
    result = _ok(cli, db_url, "2027-01-20", "case", "show", "1", "-f", "json")
    assert json.loads(result.stdout)["no"] == "督查〔2027〕1号" and result.stderr == ""
    result = _run(cli, db_url, "2027-01-20", "case", "show", "7")
    assert result.exit_code == 1 and "没有这个督查事项" in result.stderr


def test_extend_to_a_date_without_year_in_december_means_next_january(cli, db_url):  # noqa: F811
    number = _assigned(cli, db_url, "2026-12-01", "2026-12-31")
    for today, typed, wanted in (("2026-12-10", "1月15日", "2027-01-15"), ("2026-12-21", "1/20", "2027-01-20")):
        _ok(cli, db_url, today, "case", "extend", number, "--to", typed, "--reason", "材料较多", "--by", "李处长")
        shown = json.loads(_ok(cli, db_url, today, "case", "show", number, "-f", "json").stdout)
        assert shown["due"] == wanted


@pytest.mark.parametrize("form", ["12/2", "12.2", "12月2日", "１２／２"])
def test_step_dates_without_year_are_looked_for_back_over_a_sweep(cli, tmp_path, form):
    db = str(tmp_path / "sweep.db")
    today = date(2026, 1, 3)
    while today < date(2027, 12, 31):
        line = _ok(cli, db, today.isoformat(), "case", "open", "核查", "-c", "雨露计划", "--on", form).stdout
        number = line.split(" ", 1)[0]
        shown = json.loads(_ok(cli, db, today.isoformat(), "case", "show", number, "-f", "json").stdout)
        expected = date(today.year if today >= date(today.year, 12, 2) else today.year - 1, 12, 2)
        assert shown["opened_on"] == expected.isoformat(), today
        today += timedelta(days=67)


def test_new_relative_and_dotted_forms_over_a_sweep(cli, tmp_path):
    db = str(tmp_path / "forms.db")
    day = date(2026, 2, 10)  # eve of 春节 2026 is 02-16
    checked = 0
    while day <= date(2027, 10, 8):
        for text, expected in (("前天", day - timedelta(days=2)), ("大前天", day - timedelta(days=3)),
                               (f"{day.year}.{day.month}.{day.day}", day)):  # fmt: skip
            line = _ok(cli, db, day.isoformat(), "case", "open", "核查", "-c", "雨露计划", "--on", text).stdout
            number = line.split(" ", 1)[0]
            shown = json.loads(_ok(cli, db, day.isoformat(), "case", "show", number, "-f", "json").stdout)
            assert shown["opened_on"] == expected.isoformat(), (day, text)
            checked += 1
        day += timedelta(days=53)
    assert checked >= 30


@pytest.mark.parametrize("text", ["26.12.3", "13/2", "2/30", "1.2.3", "12-2-2026"])
def test_ambiguous_or_impossible_dates_are_refused_with_the_forms(cli, tmp_path, text):
    result = cli("--db", str(tmp_path / "x.db"), "--today", "2026-12-20", "case", "open", "核查", "-c", "雨露计划",
                 "--on", text)  # fmt: skip
    assert result.exit_code != 0
    assert "前天" in result.stderr and "3/1" in result.stderr and "Traceback" not in result.output


def test_direction_over_two_years_of_days():
    day = date(2026, 1, 1)
    while day <= date(2027, 12, 31):
        for month, dom in ((1, 15), (12, 2), (2, 29), (10, 1)):
            ahead = parse_date(f"{month}月{dom}日", today=day, toward=AHEAD)
            back = parse_date(f"{month}/{dom}", today=day, toward=BACK)
            assert (ahead.month, ahead.day, back.month, back.day) == (month, dom, month, dom)
            assert back <= day <= ahead
            assert ahead - day < timedelta(days=366 * 4) and day - back < timedelta(days=366 * 4)
            if (month, dom) != (2, 29):
                assert ahead - day < timedelta(days=366) and day - back < timedelta(days=366)
        day += timedelta(days=1)


def test_reject_records_who_decided_and_says_bu_yu_li_xiang(cli, tmp_path):
    from tests.conftest import dump_database

    db = tmp_path / "r.db"
    _ok(cli, str(db), "2026-12-01", "case", "open", "核查", "-c", "雨露计划", "--on", "2026-12-01")
    _ok(cli, str(db), "2026-12-01", "case", "open", "重大核查", "-c", "雨露计划", "--major", "--on", "2026-12-01")
    before = dump_database(db)
    for number, extra, wanted in (("1", [], "--by"), ("2", ["--by", "王主任"], "--meeting")):
        result = _run(cli, str(db), "2026-12-02", "case", "reject", number, "--reason", "不属本处职责", *extra)
        assert result.exit_code == 1 and wanted in result.stderr and result.stderr.count("\n") == 1
    assert dump_database(db) == before
    _ok(cli, str(db), "2026-12-02", "case", "reject", "1", "--reason", "不属本处职责", "--by", "王主任")
    _ok(cli, str(db), "2026-12-02", "case", "reject", "2", "--reason", "另案处理", "--meeting", "主任办公会〔2026〕9号")
    one = json.loads(_ok(cli, str(db), "2026-12-02", "case", "show", "1", "-f", "json").stdout)
    assert one["state_label"] == "不予立项" and one["approver"] == "王主任"
    two = json.loads(_ok(cli, str(db), "2026-12-02", "case", "show", "2", "-f", "json").stdout)
    assert two["meeting_ref"] == "主任办公会〔2026〕9号"
    shown = _ok(cli, str(db), "2026-12-02", "case", "show", "1").stdout
    assert "不予立项" in shown and "已退回" not in shown


def test_a_due_date_on_a_rest_day_moves_to_the_next_working_day(cli, db_url):  # noqa: F811
    """民法典 203 on both backends: stored, shown both ways, 红 only after the moved day."""
    number = _assigned(cli, db_url, "2026-09-28", "2026-10-01")
    shown = json.loads(_ok(cli, db_url, "2026-10-08", "case", "show", number, "-f", "json").stdout)
    assert shown["due"] == shown["original_due"] == "2026-10-08"
    card = _ok(cli, db_url, "2026-10-08", "case", "show", number).stdout
    assert "2026-10-01 为法定休假日，期限顺延至 2026-10-08" in card
    day = date(2026, 9, 28)
    while day <= date(2026, 10, 16):
        rows = json.loads(_ok(cli, db_url, day.isoformat(), "report", "overdue", "-f", "json").stdout)
        late = [row for row in rows if number in (row.get("no"), row.get("short_no"))]
        assert bool(late) == (day > date(2026, 10, 8)), day
        day += timedelta(days=1)


def test_the_extension_cap_on_a_sunday_reaches_the_monday(cli, db_url):  # noqa: F811
    number = _assigned(cli, db_url, "2026-12-01", "2026-12-31")
    shown = json.loads(_ok(cli, db_url, "2026-12-10", "case", "show", number, "-f", "json").stdout)
    assert shown["extension_cap"] == "2027-02-01"
    result = _run(cli, db_url, "2026-12-10", "case", "extend", number, "--to", "2027-02-02", "--reason", "材料较多",
                  "--by", "李处长")  # fmt: skip
    assert result.exit_code == 1 and "2027-02-01" in result.stderr
    _ok(cli, db_url, "2026-12-10", "case", "extend", number, "--to", "2027-02-01", "--reason", "材料较多", "--by", "李处长")
    shown = json.loads(_ok(cli, db_url, "2026-12-10", "case", "show", number, "-f", "json").stdout)
    assert shown["due"] == "2027-02-01"


def test_audit_times_are_shown_in_the_office_zone(cli, tmp_path, monkeypatch):
    import sqlite3
    import time
    from datetime import datetime
    from zoneinfo import ZoneInfo

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        db = tmp_path / "tz.db"
        _ok(cli, str(db), "2026-12-01", "case", "open", "核查", "-c", "雨露计划", "--on", "2026-12-01")
        with sqlite3.connect(db) as conn:
            stored = conn.execute("SELECT recorded_at FROM audit_event").fetchone()[0]
        for zone in ("Asia/Shanghai", "America/New_York"):
            monkeypatch.setenv("FUPIN_TZ", zone)
            expected = datetime.fromisoformat(stored).astimezone(ZoneInfo(zone))
            entry = json.loads(_ok(cli, str(db), "2026-12-01", "case", "log", "1", "-f", "json").stdout)
            entry = entry[0] if isinstance(entry, list) else entry["entries"][0]
            assert entry["recorded_at"] == expected.isoformat(timespec="seconds")
            table = _ok(cli, str(db), "2026-12-01", "case", "log", "1").stdout
            assert zone in table and expected.strftime("%Y-%m-%d %H:%M") in table
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_an_as_of_report_equals_the_report_run_on_that_day(cli, db_url):  # noqa: F811
    """Both backends, every day from 2026-12-01 to 2027-01-15: as-of answers from the event log."""

    def step(today: str, *args: str) -> None:
        _ok(cli, db_url, today, "case", *args, "--on", today)

    def assign(today: str, *extra: str) -> str:
        line = _ok(cli, db_url, today, "case", "open", "核查易县危房改造", "-c", "雨露计划", "--on", today).stdout
        number = line.split(" ", 1)[0]
        step(today, "approve", number, "--by", "王主任")
        step(today, "assign", number, "--unit", "易县", *extra)
        return number

    numbers: dict[str, str] = {}
    plan = {
        "2026-12-01": lambda d: numbers.update(a=assign(d), b=assign(d, "--due", "2026-12-10", "--basis", "通知")),
        "2026-12-08": lambda d: step(d, "extend", numbers["b"], "--to", "2026-12-18", "--reason", "补材料", "--by", "李处长"),
        "2026-12-09": lambda d: numbers.update(c=assign(d)),
        "2026-12-11": lambda d: step(d, "accept", numbers["b"]),
        "2026-12-16": lambda d: step(d, "accept", numbers["a"]),
        "2026-12-21": lambda d: step(d, "feedback", numbers["a"], "--report", "已核实"),
        "2026-12-28": lambda d: step(d, "withdraw", numbers["c"], "--reason", "情况已变化"),
        "2027-01-05": lambda d: step(d, "feedback", numbers["b"], "--report", "已整改"),
        "2027-01-06": lambda d: numbers.update(d=assign(d)),
    }  # fmt: skip
    live: dict[str, tuple[str, str]] = {}
    day = date(2026, 12, 1)
    while day <= date(2027, 1, 15):
        text = day.isoformat()
        if text in plan:
            plan[text](text)
        live[text] = (
            _ok(cli, db_url, text, "report", "overdue", "-f", "json").stdout,
            _ok(cli, db_url, text, "report", "due-soon", "-f", "json").stdout,
        )
        day += timedelta(days=1)
    assert any(json.loads(overdue) for overdue, _ in live.values()), "the sweep must see overdue cases"
    for text, (overdue, soon) in live.items():
        assert _ok(cli, db_url, "2027-01-20", "report", "overdue", "--as-of", text, "-f", "json").stdout == overdue, text
        assert _ok(cli, db_url, "2027-01-20", "report", "due-soon", "--as-of", text, "-f", "json").stdout == soon, text


def test_a_step_on_a_rest_day_is_recorded_with_one_warning(cli, tmp_path, db_dump):
    from fupin_cli.domain.calendar import DayKind
    from fupin_cli.services.calendar import load_calendar
    from tests.integration.conftest import settings_for

    calendar = load_calendar(settings_for(str(tmp_path / "fupin.db"), tmp_path))
    db = str(tmp_path / "fupin.db")
    days = [date(2026, 9, 1) + timedelta(days=3 * i) for i in range(60)] + [date(2026, 9, 25), date(2026, 10, 11)]
    for number, day in enumerate(sorted(days), start=1):
        result = _ok(cli, db, day.isoformat(), "case", "open", "核查", "-c", "雨露计划")
        kind = calendar.describe(day).kind
        if kind in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY):
            assert result.stderr == "", day
        else:
            assert "注意" in result.stderr and result.stderr.count("\n") == 1, day
            assert len(db_dump()["cases"]) == number, "the step is still recorded"
    assert "中秋" in _ok(cli, db, "2026-09-30", "case", "approve", "1", "--by", "王主任", "--on", "2026-09-25").stderr


def test_an_extension_into_a_provisional_year_is_marked(cli, tmp_path):
    from fupin_cli.services.calendar import load_calendar
    from tests.integration.conftest import settings_for

    calendar = load_calendar(settings_for(str(tmp_path / "fupin.db"), tmp_path))
    if not calendar.provisional_years:
        pytest.skip("no provisional year in this calendar")
    year = calendar.provisional_years[0]
    db = str(tmp_path / "fupin.db")
    number = _assigned(cli, db, f"{year - 1}-12-01", f"{year - 1}-12-31")
    for today in (f"{year - 1}-12-10", f"{year - 1}-12-15"):
        line = _ok(cli, db, today, "case", "extend", number, "--to", f"{year}年1月{10 + int(today[-2:]) // 5}日",
                   "--reason", "材料较多", "--by", "李处长").stdout  # fmt: skip
        assert "暂定" in line, line
    shown = json.loads(_ok(cli, db, f"{year - 1}-12-15", "case", "show", number, "-f", "json").stdout)
    assert shown["due_provisional"] is True


def test_case_show_prints_the_report_and_every_return_reason(cli, tmp_path):
    db = str(tmp_path / "fupin.db")
    number = _assigned(cli, db, "2026-12-01", "2026-12-31")
    _ok(cli, db, "2026-12-02", "case", "accept", number, "--on", "2026-12-02")
    _ok(cli, db, "2026-12-03", "case", "feedback", number, "--report", "初稿 [bold]未核实[/bold]", "--on", "2026-12-03")
    _ok(cli, db, "2026-12-04", "case", "return", number, "--reason", "缺少村级台账 [red]", "--on", "2026-12-04")
    _ok(cli, db, "2026-12-07", "case", "feedback", number, "--report", "已全部核实 [bold]", "--on", "2026-12-07")
    card = _ok(cli, db, "2026-12-07", "case", "show", number).stdout
    assert "已全部核实 [bold]" in card and "缺少村级台账 [red]" in card and "退回重办" in card
