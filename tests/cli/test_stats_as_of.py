"""`report stats --as-of DATE` (issue 12, history): the statistics as things stood at the end of that
day, replayed from the event log by the steps' effective dates, equal the statistics run on that day."""

import json
from datetime import date, timedelta

from tests.integration.conftest import backend, db_url  # noqa: F401  (fixtures)


def _ok(cli, db: str, today: str, *args: str):
    result = cli("--db", db, "--today", today, *args)
    assert result.exit_code == 0, result.output
    return result


def test_an_as_of_stats_report_equals_the_one_run_on_that_day(cli, db_url):  # noqa: F811
    """Both backends, each step's day and every third day from 2026-11-02 to 2027-01-15 (every day of
    January), grouped three ways."""

    def step(today: str, *args: str) -> None:
        _ok(cli, db_url, today, "case", *args, "--on", today)

    def assign(today: str, unit: str, category: str, *extra: str) -> str:
        line = _ok(cli, db_url, today, "case", "open", f"核查{unit}{category}", "-c", category, "--on", today).stdout
        number = line.split(" ", 1)[0]
        step(today, "approve", number, "--by", "王主任")
        step(today, "assign", number, "--unit", unit, *extra)
        return number

    n: dict[str, str] = {}
    plan = {
        "2026-11-02": lambda d: n.update(a=assign(d, "易县", "雨露计划"), b=assign(d, "唐县", "互助资金")),
        "2026-11-04": lambda d: step(d, "accept", n["a"]),
        "2026-11-10": lambda d: (step(d, "accept", n["b"]), n.update(c=assign(d, "易县", "政策"))),
        "2026-11-12": lambda d: step(d, "feedback", n["a"], "--report", "已核实"),
        "2026-11-16": lambda d: step(d, "extend", n["b"], "--days", "5", "--reason", "补材料", "--by", "李处长"),
        "2026-11-20": lambda d: step(d, "return", n["a"], "--reason", "缺台账"),
        "2026-11-24": lambda d: step(d, "feedback", n["b"], "--report", "已整改"),
        "2026-11-26": lambda d: step(d, "withdraw", n["c"], "--reason", "情况已变化"),
        "2026-12-02": lambda d: (step(d, "feedback", n["a"], "--report", "已补台账"), n.update(e=assign(d, "阜平县", "雨露计划"))),
        "2026-12-08": lambda d: step(d, "archive", n["b"]),
        "2026-12-28": lambda d: n.update(f=assign(d, "唐县", "政策")),
        "2027-01-04": lambda d: step(d, "accept", n["f"]),
        "2027-01-08": lambda d: step(d, "feedback", n["f"], "--report", "已办结"),
    }  # fmt: skip
    groupings = ("unit", "category", "month")
    live: dict[str, dict[str, str]] = {}
    day = date(2026, 11, 2)
    while day <= date(2027, 1, 15):
        text = day.isoformat()
        if text in plan:
            plan[text](text)
        if text in plan or day.toordinal() % 3 == 0 or day.month == 1:
            live[text] = {by: _ok(cli, db_url, text, "report", "stats", "--by", by, "-f", "json").stdout for by in groupings}
        day += timedelta(days=1)
    totals = [json.loads(report["unit"])[-1] for report in live.values()]
    assert {t["withdrawn"] for t in totals} >= {0, 1} and max(t["completed"] for t in totals) >= 2
    assert any(t["overdue_now"] for t in totals) and any(t["extensions"] for t in totals)
    for text, reports in live.items():
        for by, expected in reports.items():
            as_of = _ok(cli, db_url, "2027-01-20", "report", "stats", "--by", by, "--as-of", text, "-f", "json").stdout
            assert as_of == expected, (text, by)
    table = _ok(cli, db_url, "2027-01-20", "report", "stats", "--as-of", "2026-11-26").stdout
    assert "2026年11月26日" in table or "2026-11-26" in table
    previous_year = _ok(cli, db_url, "2027-01-20", "report", "stats", "--as-of", "2026-12-31", "-f", "json").stdout
    assert json.loads(previous_year)[-1]["received"] == 4, "the year of the as-of day, up to that day"
