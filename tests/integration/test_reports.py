"""The report services on a fresh database per backend (SQLite; PostgreSQL where a server is there),
against cases built through the cases services with known answers.

On 2026-11-20 (a Friday; November 2026 has no holiday):
  1 唐县   assigned 11-02, due 11-16, open                                → 4 working days late: 催办
  2 顺平县 classified, assigned 10-26, due 11-09, open                    → 9 working days late: 通报
  3 唐县   5-day limit from 11-02 → due 11-09, extended to 11-13, completed 11-11
           → on time against the extended due date, late against the original; 7 working days
  4 顺平县 3-day limit from 11-17 → due 11-20 (today), open                → 黄, 0 working days left
  5 唐县   assigned 11-02, completed 11-06                                 → on time; 4 working days
  6 阜平县 assigned 11-02 (due 11-16), extended on 11-10 to 11-18, open    → 2 late; original kept
  7 唐县   opened and approved, never assigned                             → in no report but the ledger
  8 唐县   assigned 11-02, extended, withdrawn (已撤销) 11-10                → counted only as 撤销
"""

from datetime import date

import pytest

from fupin_cli.services.unit_of_work import in_unit_of_work
from tests.integration.conftest import settings_for

TODAY = date(2026, 11, 20)


@pytest.fixture
def settings(backend, scenarios, tmp_path):
    """Seven cases of November 2026 (built once per run and backend, copied for each test)."""
    with scenarios.database("reports", backend, lambda url: _build(url, tmp_path), folder=tmp_path) as db_url:
        yield settings_for(db_url, tmp_path / "home", today=TODAY)


def _build(db_url: str, folder) -> None:
    from fupin_cli.services import case_steps

    current = settings_for(db_url, folder / "build-home", today=TODAY)

    def case(title: str, opened: date, *, classified: bool = False) -> str:
        number = in_unit_of_work(case_steps.open_case, settings=current, title=title, category="雨露计划", on=opened,
                                 classified=classified).no  # fmt: skip
        in_unit_of_work(case_steps.approve_case, settings=current, number=number, approver="王主任", on=opened)
        return number

    def assign(number: str, unit: str, on: date, **limit) -> None:
        in_unit_of_work(case_steps.assign_case, settings=current, number=number, unit=unit, on=on, **limit)

    def done(number: str, on: date) -> None:
        in_unit_of_work(case_steps.accept_case, settings=current, number=number, on=on)
        in_unit_of_work(case_steps.feedback_case, settings=current, number=number, report="已核实", on=on)

    nov = lambda day: date(2026, 11, day)  # noqa: E731
    assign(case("核查唐县雨露计划补助发放", nov(2)), "唐县", nov(2))
    assign(case("封面标题", date(2026, 10, 26), classified=True), "顺平县", date(2026, 10, 26))
    third = case("唐县互助资金核查", nov(2))
    assign(third, "唐县", nov(2), workdays=5, basis="特殊案件限时办结")
    in_unit_of_work(case_steps.extend_case, settings=current, number=third, to=nov(13), reason="材料较多", approver="李处长", on=nov(6))
    done(third, nov(11))
    assign(case("顺平县搬迁核查", nov(17)), "顺平县", nov(17), workdays=3, basis="限时办结")
    fifth = case("唐县补助抽查", nov(2))
    assign(fifth, "唐县", nov(2))
    done(fifth, nov(6))
    sixth = case("阜平县雨露计划核查", nov(2))
    assign(sixth, "阜平县", nov(2))
    in_unit_of_work(case_steps.extend_case, settings=current, number=sixth, to=nov(18), reason="涉及村多", approver="李处长", on=nov(10))
    case("唐县未交办事项", nov(19))
    eighth = case("唐县已撤销事项", nov(2))
    assign(eighth, "唐县", nov(2))
    in_unit_of_work(case_steps.extend_case, settings=current, number=eighth, to=nov(18), reason="待核", approver="李处长", on=nov(6))
    in_unit_of_work(case_steps.withdraw_case, settings=current, number=eighth, reason="重复交办", on=nov(10))


def test_overdue_by_unit_in_the_offices_order_with_days_step_and_original_due(settings):
    from fupin_cli.services.reports import overdue_report

    report = overdue_report(settings=settings)
    assert report.as_of == TODAY
    assert [
        (i.no, i.unit_short, i.due, i.original_due, i.overdue_workdays, i.extensions, i.suggested_step.label)
        for i in report.items
    ] == [
        ("督查〔2026〕1号", "唐县", date(2026, 11, 16), None, 4, 0, "催办"),
        ("督查〔2026〕6号", "阜平县", date(2026, 11, 18), date(2026, 11, 16), 2, 1, "催办"),
        ("督查〔2026〕2号", "顺平县", date(2026, 11, 9), None, 9, 0, "通报"),
    ]
    classified = report.items[2]
    assert classified.classified and classified.title == "「涉密·线下办理」封面标题"
    assert all(item.kind == "case" and not item.due_provisional for item in report.items)


def test_overdue_as_of_an_earlier_day_and_for_one_unit(settings):
    from fupin_cli.services.reports import overdue_report

    assert [i.no for i in overdue_report(settings=settings, as_of=date(2026, 11, 17)).items] == [
        "督查〔2026〕1号",
        "督查〔2026〕2号",
    ]
    assert [i.no for i in overdue_report(settings=settings, unit="阜平").items] == ["督查〔2026〕6号"]
    assert overdue_report(settings=settings, as_of=date(2026, 11, 9)).items == ()


def test_due_soon_is_the_yellow_light_soonest_first(settings):
    from fupin_cli.services.reports import due_soon_report

    assert [(i.no, i.days_left, i.light.label) for i in due_soon_report(settings=settings).items] == [
        ("督查〔2026〕4号", 0, "黄")
    ]
    earlier = due_soon_report(settings=settings, as_of=date(2026, 11, 12), within=4)
    assert [(i.no, i.days_left) for i in earlier.items] == [
        ("督查〔2026〕1号", 2),
        ("督查〔2026〕6号", 4),
    ]


def test_stats_by_unit_and_in_total(settings):
    from fupin_cli.services.reports import stats_report

    report = stats_report(settings=settings, year=2026)
    groups = {group.key: group for group in report.groups}
    tang = groups["唐县"]
    assert (tang.received, tang.completed, tang.on_time, tang.on_time_original) == (3, 2, 2, 1)
    assert (tang.completion_rate, tang.on_time_rate, tang.on_time_original_rate) == (pytest.approx(2 / 3), 1.0, 0.5)
    assert (tang.overdue_now, tang.extensions, tang.workdays_to_complete, tang.median_workdays) == (1, 1, (4, 7), 5.5)
    assert tang.withdrawn == 1  # the withdrawn case: in no other count, its extension not counted
    assert (groups["阜平县"].received, groups["阜平县"].overdue_now, groups["阜平县"].extensions) == (1, 1, 1)
    assert groups["阜平县"].on_time_rate is None and groups["阜平县"].median_workdays is None
    total = report.total
    assert (total.received, total.completed, total.overdue_now, total.extensions) == (6, 2, 3, 2)
    assert total.withdrawn == 1
    assert [group.key for group in report.groups] == ["唐县", "顺平县", "阜平县"]  # most received first


def test_stats_by_month_and_over_a_range(settings):
    from fupin_cli.services.reports import stats_report

    months = stats_report(settings=settings, year=2026, by="month")
    assert [(g.key, g.received, g.withdrawn) for g in months.groups] == [("2026-10", 1, 0), ("2026-11", 5, 1)]
    ranged = stats_report(settings=settings, start=date(2026, 11, 3), end=date(2026, 11, 30), by="category")
    assert [(g.key, g.received) for g in ranged.groups] == [("雨露计划", 1)]


def test_the_ledger_streams_every_case_of_the_year_with_every_field(settings):
    from fupin_cli.services.ledger import ledger

    book = ledger(settings=settings, year=2026)
    assert [row[book.columns.index("serial")] for row in book.rows] == [1, 2, 3, 4, 5, 6, 7, 8]
    third = dict(zip(book.columns, book.rows[2], strict=True))
    assert (third["state"], third["original_due"], third["due"], third["feedback_on"], third["extensions"]) == (
        "completed",
        date(2026, 11, 9),
        date(2026, 11, 13),
        date(2026, 11, 11),
        1,
    )
    assert third["assist_units"] == () and isinstance(third["due_provisional"], bool)
    assert dict(zip(book.columns, book.rows[6], strict=True))["assigned_on"] is None
    assert ledger(settings=settings, year=2025).rows == ()
