"""监督检查 storage on a fresh database (SQLite, and PostgreSQL where a server is there): findings and
the overdue query `report overdue` reads, plans, village imports that roll back whole, the recheck
of provisional order deadlines.
"""

from datetime import date
from pathlib import Path

import pytest

from fupin_cli.domain.calendar import WorkCalendar
from fupin_cli.domain.errors import BadFileError
from fupin_cli.services import check_findings, check_plans, check_villages, checks, recheck
from fupin_cli.services.database import connect, reading
from fupin_cli.services.unit_of_work import in_unit_of_work, unit_of_work
from fupin_cli.storage import check_rows
from fupin_cli.storage import reports as report_queries
from fupin_cli.storage.events import iter_events, verify_chain
from fupin_cli.storage.session_rows import SessionRows
from tests.integration.conftest import settings_for, table_contents

HEADER = "县,村,重点村,项目实施村年度,互助资金试点村\n"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def _overdue(settings, as_of: date) -> list[dict]:
    with reading(settings) as reader:
        return list(report_queries.iter_overdue_findings(reader, as_of))


def test_an_order_of_ten_working_days_is_overdue_the_day_after_its_deadline(db_url, home):
    settings = settings_for(db_url, home, today=date(2026, 3, 10))
    inspection = in_unit_of_work(checks.open_inspection,
        settings=settings,
        kind="雨露计划",
        year=2026,
        title="雨露计划抽查",
        units=["唐县"],
        on=date(2026, 2, 10),
    )
    view = in_unit_of_work(check_findings.record_finding,
        settings=settings,
        inspection_id=inspection.inspection.id,
        text="补助对象未经社会公示",
        unit="唐县",
        code="Y2",
        amount="1200",
        on=date(2026, 2, 10),
    )
    # 2026-02-10 + 10 working days, over the Spring Festival holiday and its make-up Saturdays
    assert (view.finding.due, view.finding.workdays, view.finding.due_provisional) == (
        date(2026, 3, 2),
        10,
        False,
    )

    assert _overdue(settings, date(2026, 3, 2)) == []
    [row] = _overdue(settings, date(2026, 3, 3))
    assert tuple(row) == report_queries.OVERDUE_FINDING_KEYS
    assert row == {
        "id": view.finding.id,
        "inspection_id": inspection.inspection.id,
        "kind": 5,
        "unit": "唐县扶贫开发办公室",
        "unit_short": "唐县",
        "county": None,
        "village": None,
        "text": "补助对象未经社会公示",
        "code": "Y2",
        "ordered_on": date(2026, 2, 10),
        "workdays": 10,
        "due": date(2026, 3, 2),
        "provisional": False,
    }

    in_unit_of_work(check_findings.rectify_finding, settings=settings, finding_id=view.finding.id, on=date(2026, 3, 5))
    assert _overdue(settings, date(2026, 3, 10)) == []


def test_a_finding_handed_over_leaves_the_overdue_list_and_links_its_case(db_url, home):
    settings = settings_for(db_url, home, today=date(2026, 3, 10))
    inspection = in_unit_of_work(checks.open_inspection,
        settings=settings, kind="资金项目", year=2026, title="资金项目检查", on=date(2026, 2, 10)
    )
    finding = in_unit_of_work(check_findings.record_finding,
        settings=settings, inspection_id=inspection.inspection.id, text="项目未按期完工", unit="阜平县",
        workdays=3, on=date(2026, 2, 24),
    )  # fmt: skip
    assert [row["id"] for row in _overdue(settings, date(2026, 3, 10))] == [finding.finding.id]

    handed = in_unit_of_work(check_findings.hand_over_finding, settings=settings, finding_id=finding.finding.id, on=date(2026, 3, 10))
    assert handed.case_no == "督查〔2026〕1号"
    assert _overdue(settings, date(2026, 3, 10)) == []
    database = connect(settings)
    try:
        with database.read() as conn:
            from sqlalchemy import text

            linked = conn.execute(text("SELECT finding_id, category, state FROM cases")).one()
            assert tuple(linked) == (finding.finding.id, "扶贫资金项目监督检查", "proposed")
            events = [e for e in iter_events(conn) if e["action"] == "handover"]
            assert len(events) == 1 and events[0]["case_id"] is not None
            assert verify_chain(conn)[1] is None
    finally:
        database.dispose()


def test_a_bad_village_file_changes_nothing(db_url, home, tmp_path):
    settings = settings_for(db_url, home)
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "唐县,甲村,是,2026,否\n", encoding="utf-8")
    assert in_unit_of_work(check_villages.import_villages, settings=settings, path=good).added == 1
    database = connect(settings)
    try:
        with database.read() as conn:
            before = table_contents(conn)
        bad = tmp_path / "bad.csv"
        bad.write_text(
            HEADER + "唐县,甲村,否,2025,是\n唐县,乙村,是,,否\n不存在县,丙村,是,,否\n", encoding="utf-8"
        )
        with pytest.raises(BadFileError, match="bad.csv 第 4 行「县」列"):
            in_unit_of_work(check_villages.import_villages, settings=settings, path=bad)
        with database.read() as conn:
            assert table_contents(conn) == before
    finally:
        database.dispose()


def test_a_reimport_updates_by_county_and_village(db_url, home, tmp_path):
    settings = settings_for(db_url, home)
    first = tmp_path / "v.csv"
    first.write_text(HEADER + "唐县,甲村,是,2026,否\n阜平县,甲村,否,,否\n", encoding="utf-8")
    in_unit_of_work(check_villages.import_villages, settings=settings, path=first)
    first.write_text(
        HEADER + '唐县,甲村,是,"2025,2026",是\n阜平县,甲村,否,,否\n唐县,乙村,否,,否\n', encoding="utf-8"
    )
    result = in_unit_of_work(check_villages.import_villages, settings=settings, path=first)
    assert (result.added, result.updated, result.unchanged) == (1, 1, 1)
    rows = {(v.county, v.name): v for v in check_villages.list_villages(settings=settings)}
    assert len(rows) == 3
    assert rows[("唐县", "甲村")].project_years == (2025, 2026)
    assert rows[("唐县", "甲村")].mutual_aid_pilot is True


def test_a_stored_plan_is_shown_not_redrawn_and_a_redraw_is_an_event(db_url, home):
    settings = settings_for(db_url, home, today=date(2026, 3, 1))
    in_unit_of_work(check_villages.load_demo_villages, settings=settings)
    drawn = in_unit_of_work(check_plans.plan_year, settings=settings, year=2026, seed=7)
    shown = in_unit_of_work(check_plans.plan_year, settings=settings, year=2026, seed=8)
    assert drawn.drawn_now and not shown.drawn_now
    assert shown.plan == drawn.plan and shown.notes
    redrawn = in_unit_of_work(check_plans.plan_year, settings=settings, year=2026, seed=8, counties=3, redraw=True)
    assert (redrawn.redrawn_from_seed, len(redrawn.plan.focus_counties)) == (7, 3)
    database = connect(settings)
    try:
        with database.read() as conn:
            plan_events = [e for e in iter_events(conn) if e["subject"] == "计划〔2026〕"]
            assert [e["action"] for e in plan_events] == ["plan_draw", "plan_redraw"]
    finally:
        database.dispose()


def test_provisional_order_deadlines_are_recomputed_when_the_year_is_published(db_url, home):
    """An order running into 2031 (provisional: 元旦 assumed off) recomputed on a calendar that has 2031."""
    settings = settings_for(db_url, home, today=date(2030, 12, 31))
    inspection = in_unit_of_work(checks.open_inspection,
        settings=settings, kind="政策", year=2030, title="政策落实检查", on=date(2030, 12, 20)
    )
    found = in_unit_of_work(check_findings.record_finding,
        settings=settings,
        inspection_id=inspection.inspection.id,
        text="未制定实施方案",
        unit="易县",
        on=date(2030, 12, 20),
    )
    assert found.finding.due_provisional is True
    published = WorkCalendar(
        holidays={}, workdays={}, sources={year: "测试" for year in range(2004, 2032)}, last_year=2031
    )
    with unit_of_work(settings, recheck_calendar=False) as uow:
        changes = recheck.recheck_in(uow, calendar=published, today=settings.today)
    database = connect(settings)
    try:
        [change] = changes
        assert change.no == f"问题{found.finding.id}"
        assert change.due_after == published.deadline(date(2030, 12, 20), 10).due
        assert change.due_after < change.due_before  # 2031-01-01 is a working day in this calendar
        assert change.provisional_after is False
        with database.read() as conn:
            assert list(check_rows.iter_provisional_findings(SessionRows(conn))) == []
            assert [e["action"] for e in iter_events(conn)][-1] == "recheck"
    finally:
        database.dispose()
