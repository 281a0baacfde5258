"""`report stats` counts in SQL; these tests judge the same cases one by one in Python with the domain's
rules (domain.cases.status_of, the calendar's working days) and compare, group by group, on a
generated database of a few thousand cases, on both backends, over a sweep of days and ranges."""

from collections import defaultdict
from datetime import date
from typing import Any

import pytest

from tests.integration.conftest import settings_for

CASES = 4000
GENERATED_ON = date(2026, 11, 26)
# The days the reports are run on: the generator's day, the eves of 春节 2026 and 国庆 2026, the last
# day of the year, a January and a day in a year whose schedule is not published yet.
DAYS = (GENERATED_ON, date(2026, 2, 13), date(2026, 9, 30), date(2026, 12, 31), date(2027, 1, 20), date(2027, 6, 1))


@pytest.fixture
def generated(db_url, tmp_path):
    from bench.generate import generate

    generate(CASES, db_url, GENERATED_ON, seed=7)
    return db_url


def _judged(settings, start: date, end: date, by: str) -> dict[str, dict[str, Any]]:
    """The statistics as fupin judged them case by case, withdrawn cases counted apart."""
    from fupin_cli.domain import cases as rules
    from fupin_cli.domain.categories import category_named
    from fupin_cli.domain.reports import median
    from fupin_cli.domain.workflow import State
    from fupin_cli.services.calendar import load_calendar
    from fupin_cli.storage.plain import open_reader

    calendar = load_calendar(settings)
    reader = open_reader(settings.db)
    assert reader is not None
    sql = (
        "SELECT c.lead_unit, u.short_name, c.category, c.state, c.assigned_on, c.original_due, c.due,"
        " c.feedback_on, (SELECT count(*) FROM case_extension e WHERE e.case_id = c.id)"
        " FROM cases c LEFT JOIN unit u ON u.name = c.lead_unit"
        " WHERE c.assigned_on >= :start AND c.assigned_on <= :end"
    )
    tallies: dict[str, dict[str, Any]] = defaultdict(lambda: defaultdict(int))
    try:
        for unit, short, category, state, assigned, original, due, feedback, extensions in reader.rows(
            sql, {"start": start, "end": end}
        ):
            key = {"unit": short or unit or "（未定）", "category": category_named(category).short,
                   "month": assigned.strftime("%Y-%m")}[by]  # fmt: skip
            for tally in (tallies[key], tallies["合计"]):
                if state == "withdrawn":
                    tally["withdrawn"] += 1
                    continue
                status = rules.status_of(state=State(state), due=due, original_due=original, feedback_on=feedback,
                                         today=settings.today, calendar=calendar)  # fmt: skip
                tally["received"] += 1
                tally["extensions"] += extensions
                tally["overdue_now"] += status.light is rules.Light.RED
                if feedback is not None:
                    done = rules.status_of(state=State.COMPLETED, due=due, original_due=original,
                                           feedback_on=feedback, today=settings.today, calendar=calendar)  # fmt: skip
                    tally["completed"] += 1
                    tally["on_time"] += bool(done.on_time)
                    tally["on_time_original"] += bool(done.on_time_original)
                    tally.setdefault("days", []).append(calendar.between(assigned, feedback))
    finally:
        reader.close()
    for tally in tallies.values():
        tally["median"] = median(tally.pop("days", []))
    return {key: dict(tally) for key, tally in tallies.items()}


def _counted(report) -> dict[str, dict[str, Any]]:
    fields = ("received", "withdrawn", "completed", "on_time", "on_time_original", "overdue_now", "extensions")
    found = {}
    for group in (*report.groups, report.total):
        values = {field: getattr(group, field) for field in fields}
        found[group.key] = {key: value for key, value in values.items() if value} | {"median": group.median_workdays}
    return found


@pytest.mark.parametrize("by", ["unit", "category", "month"])
def test_stats_counted_in_sql_equal_the_rules_judged_case_by_case(generated, tmp_path, by):
    from fupin_cli.services.reports import stats_report

    for today in DAYS:
        settings = settings_for(generated, tmp_path / "home", today=today)
        for start, end in ((date(2026, 1, 1), date(2026, 12, 31)), (date(2019, 3, 1), date(2025, 6, 30)),
                           (date(2017, 1, 1), today), (date(2026, 11, 20), date(2026, 11, 26))):  # fmt: skip
            report = stats_report(settings=settings, start=start, end=end, by=by)
            expected = _judged(settings, start, end, by)
            expected = {key: {k: v for k, v in tally.items() if v or k == "median"} for key, tally in expected.items()}
            assert _counted(report) == expected, (today, start, end)
            assert report.total.withdrawn > 0 or end - start < date(2000, 2, 1) - date(2000, 1, 1)
