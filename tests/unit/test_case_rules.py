"""The rules of domain/cases.py, on a Monday–Friday calendar built here (no package data involved)."""

from dataclasses import dataclass, replace
from datetime import date, timedelta

import pytest

from fupin_cli.domain import cases as rules
from fupin_cli.domain.cases import Case, Light
from fupin_cli.domain.categories import CATEGORIES, category_named, parse_category
from fupin_cli.domain.dates import check_step_day
from fupin_cli.domain.errors import InvalidInputError, InvalidTransitionError, RuleViolationError
from fupin_cli.domain.workflow import State

D = date.fromisoformat
TODAY = D("2026-12-31")


@dataclass(frozen=True)
class Due:
    due: date
    provisional: bool


class Weekdays:
    """Monday to Friday are worked; days in `provisional_years` are flagged; `shift` moves every due date."""

    def __init__(self, provisional_years: tuple[int, ...] = (), shift: int = 0) -> None:
        self.provisional_years = provisional_years
        self.shift = shift

    def deadline(self, start: date, workdays: int) -> Due:
        day, left = start, workdays + self.shift
        while left:
            day += timedelta(days=1)
            left -= day.weekday() < 5
        touched = any(year in self.provisional_years for year in range(start.year, day.year + 1))
        return Due(day, touched)

    def between(self, a: date, b: date) -> int:
        sign, (low, high) = (1, (a, b)) if a <= b else (-1, (b, a))
        return sign * sum((low + timedelta(days=i)).weekday() < 5 for i in range(1, (high - low).days + 1))


CAL = Weekdays()


def opened(**overrides) -> Case:
    values = dict(year=2026, serial=1, title="核查", category="其他", on=D("2026-03-02"), today=TODAY)
    values.update(overrides)
    return rules.open_case(**values)


def assigned(on: str = "2026-03-02", **overrides) -> Case:
    case = rules.approve(opened(on=D(on)), on=D(on), today=TODAY, approver="王主任")
    return rules.assign(
        case, on=D(on), today=TODAY, lead_unit="唐县扶贫开发办公室", calendar=CAL, **overrides
    )


def in_progress(on: str = "2026-03-02") -> Case:
    return rules.accept(assigned(on), on=D(on), today=TODAY)


def completed(on: str = "2026-03-02", feedback_on: str = "2026-03-05") -> Case:
    return rules.feedback(in_progress(on), on=D(feedback_on), today=TODAY, report_text="已办结")


# --- categories ----------------------------------------------------------------------------------


@pytest.mark.parametrize("category", CATEGORIES, ids=[c.short for c in CATEGORIES])
def test_a_category_is_named_by_its_full_or_short_name(category) -> None:
    assert parse_category(category.name) is category
    assert parse_category(f" {category.short} ") is category
    assert category_named(category.name) is category


def test_five_inspection_kinds_and_other() -> None:
    assert [c.short for c in CATEGORIES] == ["政策", "资金项目", "易地搬迁", "互助资金", "雨露计划", "其他"]
    assert parse_category("2").name == "扶贫资金项目监督检查"


def test_an_unknown_category_lists_the_choices() -> None:
    with pytest.raises(InvalidInputError, match="政策、资金项目、易地搬迁、互助资金、雨露计划、其他"):
        parse_category("扶贫")


# --- dates and the cap ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-01-30", "2026-02-28"),  # domain.md's example: no 30th in February → its last day
        ("2026-01-31", "2026-02-28"),
        ("2028-01-31", "2028-02-29"),
        ("2026-03-31", "2026-04-30"),
        ("2026-10-16", "2026-11-16"),
        ("2026-12-15", "2027-01-15"),
        ("2026-11-14", "2026-12-14"),  # a Monday; a Saturday would stay a Saturday (plain calendar rule)
        ("2026-09-19", "2026-10-19"),
    ],
)
def test_extension_cap_is_the_original_due_plus_one_calendar_month(day: str, expected: str) -> None:
    assert rules.extension_cap(D(day)) == D(expected)


def test_the_cap_does_not_move_to_a_working_day() -> None:
    # 2026-09-03 + 1 month = 2026-10-03, inside the National Day holiday: the cap stays 10-03.
    assert rules.extension_cap(D("2026-09-03")) == D("2026-10-03")


def test_a_step_may_not_lie_in_the_future_nor_before_the_step_it_follows() -> None:
    check_step_day(D("2026-03-02"), after=D("2026-03-02"), today=D("2026-03-02"))
    with pytest.raises(RuleViolationError, match="晚于今天"):
        check_step_day(D("2026-03-03"), after=None, today=D("2026-03-02"))
    with pytest.raises(RuleViolationError, match="早于上一步"):
        check_step_day(D("2026-03-01"), after=D("2026-03-02"), today=D("2026-03-05"))


def test_every_step_checks_its_date_against_the_last_one() -> None:
    case = opened(on=D("2026-03-10"))
    with pytest.raises(RuleViolationError, match="早于上一步的日期 2026-03-10"):
        rules.approve(case, on=D("2026-03-09"), today=TODAY, approver="王主任")
    with pytest.raises(RuleViolationError, match="晚于今天"):
        rules.withdraw(case, on=D("2027-01-01"), today=TODAY, reason="重复")


def test_a_refused_move_is_reported_before_the_date() -> None:
    with pytest.raises(InvalidTransitionError, match="「拟办」"):
        rules.archive(opened(), on=D("2000-01-01"), today=TODAY)


# --- opening and approval ------------------------------------------------------------------------


def test_opening_a_case() -> None:
    case = opened(title="  核查易县  ", source="信访", major=True)
    assert (case.state, case.title, case.source, case.major, case.opened_on) == (
        State.PROPOSED,
        "核查易县",
        "信访",
        True,
        D("2026-03-02"),
    )
    assert case.last_step_on == case.opened_on


@pytest.mark.parametrize("title", ["", "   ", "长" * 201])
def test_a_title_is_needed_and_one_line(title: str) -> None:
    with pytest.raises(InvalidInputError, match="标题"):
        opened(title=title)


def test_a_secret_level_implies_classified_and_must_be_known() -> None:
    case = opened(secret_level="机密")
    assert case.classified and case.secret_level == "机密"
    assert case.display_title == "「涉密·线下办理」核查"
    with pytest.raises(InvalidInputError, match="秘密、机密、绝密"):
        opened(secret_level="内部")


def test_a_major_item_needs_the_directors_meeting() -> None:
    case = opened(major=True)
    with pytest.raises(RuleViolationError, match="主任办公会"):
        rules.approve(case, on=D("2026-03-03"), today=TODAY, approver="王主任")
    approved = rules.approve(case, on=D("2026-03-03"), today=TODAY, meeting_ref="主任办公会纪要〔2026〕3号")
    assert (approved.state, approved.meeting_ref, approved.meeting_on) == (
        State.APPROVED,
        "主任办公会纪要〔2026〕3号",
        D("2026-03-03"),
    )


def test_an_ordinary_item_needs_the_approving_leader() -> None:
    with pytest.raises(RuleViolationError, match="--by"):
        rules.approve(opened(), on=D("2026-03-03"), today=TODAY)
    approved = rules.approve(opened(), on=D("2026-03-03"), today=TODAY, approver="王主任", opinion="同意")
    assert (approved.approver, approved.opinion, approved.meeting_on) == ("王主任", "同意", None)


def test_a_classified_item_takes_no_opinion() -> None:
    with pytest.raises(RuleViolationError, match="涉密.*审批意见"):
        rules.approve(
            opened(classified=True), on=D("2026-03-03"), today=TODAY, approver="王主任", opinion="同意"
        )


def test_rejecting_needs_a_reason() -> None:
    with pytest.raises(InvalidInputError, match="不予立项理由"):
        rules.reject(opened(), on=D("2026-03-03"), today=TODAY, reason=" ", approver="王主任")
    refused = rules.reject(opened(), on=D("2026-03-03"), today=TODAY, reason="不属职责", approver="王主任")
    assert refused.state is State.REJECTED and refused.approver == "王主任"


# --- assignment ----------------------------------------------------------------------------------


def test_assignment_starts_the_clock_with_ten_working_days() -> None:
    case = assigned("2026-03-02")  # a Monday: the 10th working day after it is Monday 03-16
    assert (case.state, case.assigned_on, case.limit_workdays) == (State.ASSIGNED, D("2026-03-02"), 10)
    assert case.original_due == case.due == D("2026-03-16")
    assert case.basis is None and not case.due_provisional


def test_another_limit_needs_its_basis() -> None:
    with pytest.raises(RuleViolationError, match="--basis"):
        assigned(workdays=5)
    with pytest.raises(RuleViolationError, match="--basis"):
        assigned(due=D("2026-03-20"))
    short = assigned(workdays=5, basis="特殊案件限时办结")
    assert (short.due, short.limit_workdays, short.basis) == (D("2026-03-09"), 5, "特殊案件限时办结")
    fixed = assigned(due=D("2026-03-20"), basis="市政府督查通知")
    assert (fixed.due, fixed.limit_workdays) == (D("2026-03-20"), None)
    assert assigned(workdays=10).due == D("2026-03-16")  # the default, spelled out, needs no basis


@pytest.mark.parametrize(
    ("overrides", "error", "match"),
    [
        ({"workdays": 5, "due": D("2026-03-20"), "basis": "x"}, InvalidInputError, "只能给一个"),
        ({"workdays": 0, "basis": "x"}, InvalidInputError, "1 到"),
        ({"due": D("2026-03-02"), "basis": "x"}, RuleViolationError, "必须晚于交办日期"),
        ({"assist_units": ("唐县扶贫开发办公室",)}, InvalidInputError, "主办单位"),
    ],
)
def test_assignment_refusals(overrides, error, match) -> None:
    with pytest.raises(error, match=match):
        assigned(**overrides)


def test_provisional_years_are_flagged() -> None:
    case = rules.approve(opened(on=D("2026-12-28")), on=D("2026-12-28"), today=TODAY, approver="王主任")
    case = rules.assign(
        case, on=D("2026-12-28"), today=TODAY, lead_unit="易县", calendar=Weekdays(provisional_years=(2027,))
    )
    assert case.due == D("2027-01-11") and case.due_provisional


# --- extensions ----------------------------------------------------------------------------------


def extend(case: Case, on: str, **overrides) -> Case:
    values = dict(reason="材料较多", approver="李处长", calendar=CAL)
    values.update(overrides)
    return rules.extend(case, on=D(on), today=TODAY, **values)


def test_an_extension_moves_the_due_date_and_keeps_the_original() -> None:
    case = extend(assigned(), "2026-03-10", to=D("2026-03-27"))
    assert (case.original_due, case.due, case.state) == (D("2026-03-16"), D("2026-03-27"), State.ASSIGNED)
    (granted,) = case.extensions
    assert (granted.granted_on, granted.old_due, granted.new_due, granted.reason, granted.approver) == (
        D("2026-03-10"),
        D("2026-03-16"),
        D("2026-03-27"),
        "材料较多",
        "李处长",
    )
    assert granted.workdays is None


def test_an_extension_in_working_days_counts_from_the_current_due_date() -> None:
    case = extend(in_progress(), "2026-03-16", workdays=5)  # asked on the due date itself: allowed
    assert case.due == D("2026-03-23") and case.extensions[0].workdays == 5
    assert case.state is State.IN_PROGRESS


def test_several_extensions_fit_inside_the_cap() -> None:
    case = extend(assigned(), "2026-03-10", to=D("2026-03-27"))
    case = extend(case, "2026-03-20", to=D("2026-04-16"))  # exactly the cap: 03-16 + 1 month
    assert [e.new_due for e in case.extensions] == [D("2026-03-27"), D("2026-04-16")]
    assert case.extensions[1].old_due == D("2026-03-27") and case.original_due == D("2026-03-16")
    with pytest.raises(RuleViolationError, match="超过延期上限 2026-04-16"):
        extend(case, "2026-04-01", to=D("2026-04-17"))


@pytest.mark.parametrize(
    ("on", "overrides", "error", "match"),
    [
        ("2026-03-17", {"to": D("2026-03-27")}, RuleViolationError, "期限届满前"),
        ("2026-03-10", {"to": D("2026-03-16")}, RuleViolationError, "必须晚于当前期限"),
        ("2026-03-10", {"to": D("2026-03-12")}, RuleViolationError, "必须晚于当前期限"),
        ("2026-03-10", {"to": D("2026-04-17")}, RuleViolationError, "超过延期上限 2026-04-16"),
        ("2026-03-10", {"workdays": 30}, RuleViolationError, "超过延期上限"),
        ("2026-03-10", {}, InvalidInputError, "只给一个"),
        ("2026-03-10", {"workdays": 3, "to": D("2026-03-27")}, InvalidInputError, "只给一个"),
        ("2026-03-10", {"to": D("2026-03-27"), "reason": ""}, InvalidInputError, "延期理由"),
        ("2026-03-10", {"to": D("2026-03-27"), "approver": " "}, InvalidInputError, "批准人"),
        ("2026-03-01", {"to": D("2026-03-27")}, RuleViolationError, "早于上一步"),
    ],
)
def test_extension_refusals(on, overrides, error, match) -> None:
    with pytest.raises(error, match=match):
        extend(assigned(), on, **overrides)


def test_only_a_running_case_can_be_extended() -> None:
    with pytest.raises(InvalidTransitionError, match="「已办结」"):
        extend(completed(), "2026-03-06", to=D("2026-03-20"))


# --- feedback, return, archive, withdraw ---------------------------------------------------------


def test_feedback_needs_the_report() -> None:
    with pytest.raises(RuleViolationError, match="办结报告"):
        rules.feedback(in_progress(), on=D("2026-03-05"), today=TODAY)
    done = completed()
    assert (done.state, done.feedback_on, done.report_text) == (State.COMPLETED, D("2026-03-05"), "已办结")


def test_a_classified_case_records_only_the_date_and_the_paper_file() -> None:
    case = rules.approve(opened(secret_level="秘密"), on=D("2026-03-02"), today=TODAY, approver="王主任")
    case = rules.assign(case, on=D("2026-03-02"), today=TODAY, lead_unit="易县", calendar=CAL)
    case = rules.accept(case, on=D("2026-03-02"), today=TODAY)
    for content in ({"report_text": "内容"}, {"report_file": "/tmp/r.docx"}):
        with pytest.raises(RuleViolationError, match="涉密"):
            rules.feedback(case, on=D("2026-03-05"), today=TODAY, **content)
    done = rules.feedback(case, on=D("2026-03-05"), today=TODAY, paper_location="机要室 3 号柜")
    assert (done.state, done.report_text, done.paper_location) == (State.COMPLETED, None, "机要室 3 号柜")


def test_return_sends_it_back_and_clears_the_refused_feedback() -> None:
    returned, reason = rules.return_case(completed(), on=D("2026-03-06"), today=TODAY, reason="报告不完整")
    assert (returned.state, returned.feedback_on, returned.report_text, reason) == (
        State.IN_PROGRESS,
        None,
        None,
        "报告不完整",
    )
    assert returned.due == D("2026-03-16"), "the clock never stopped"


def test_archive_needs_the_feedback() -> None:
    archived = rules.archive(completed(), on=D("2026-03-06"), today=TODAY, location="档案室")
    assert (archived.state, archived.archived_on, archived.archive_location) == (
        State.ARCHIVED,
        D("2026-03-06"),
        "档案室",
    )
    with pytest.raises(RuleViolationError, match="没有办结反馈"):
        rules.archive(replace(completed(), feedback_on=None), on=D("2026-03-06"), today=TODAY)


def test_withdraw_from_any_open_state_with_a_reason() -> None:
    for case in (opened(), assigned(), in_progress(), completed()):
        gone = rules.withdraw(case, on=D("2026-03-06"), today=TODAY, reason="情况已变化")
        assert (gone.state, gone.withdraw_reason) == (State.WITHDRAWN, "情况已变化")


# --- lights --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "light", "days_left", "overdue"),
    [
        ("2026-03-02", Light.GREEN, 10, 0),
        ("2026-03-10", Light.GREEN, 4, 0),
        ("2026-03-11", Light.YELLOW, 3, 0),
        ("2026-03-13", Light.YELLOW, 1, 0),
        ("2026-03-16", Light.YELLOW, 0, 0),  # due today
        ("2026-03-17", Light.RED, None, 1),
        ("2026-03-21", Light.RED, None, 4),  # a Saturday: 4 working days late (Tue–Fri)
        ("2026-03-23", Light.RED, None, 5),
    ],
)
def test_lights(today: str, light: Light, days_left: int | None, overdue: int) -> None:
    status = rules.deadline_status(assigned(), today=D(today), calendar=CAL)
    assert (status.light, status.days_left, status.overdue_workdays) == (light, days_left, overdue)
    assert status.on_time is None


def test_a_case_not_running_has_no_light() -> None:
    for case in (opened(), rules.approve(opened(), on=D("2026-03-02"), today=TODAY, approver="王主任")):
        assert rules.deadline_status(case, today=D("2026-05-01"), calendar=CAL) == rules.DeadlineStatus(
            None, None, 0, None, None
        )
    withdrawn = rules.withdraw(assigned(), on=D("2026-03-03"), today=TODAY, reason="撤回")
    assert rules.deadline_status(withdrawn, today=D("2026-05-01"), calendar=CAL).light is None


def test_a_completed_case_says_whether_it_was_on_time() -> None:
    on_time = rules.deadline_status(completed(feedback_on="2026-03-16"), today=D("2026-05-01"), calendar=CAL)
    assert (on_time.light, on_time.overdue_workdays, on_time.on_time, on_time.on_time_original) == (
        None,
        0,
        True,
        True,
    )
    late = rules.deadline_status(completed(feedback_on="2026-03-17"), today=D("2026-05-01"), calendar=CAL)
    assert (late.on_time, late.on_time_original) == (False, False)
    extended = rules.accept(
        extend(assigned(), "2026-03-10", to=D("2026-03-27")), on=D("2026-03-11"), today=TODAY
    )
    extended = rules.feedback(extended, on=D("2026-03-20"), today=TODAY, report_text="好")
    status = rules.deadline_status(extended, today=D("2026-05-01"), calendar=CAL)
    assert (status.on_time, status.on_time_original) == (True, False)


def test_the_warning_threshold_is_a_parameter() -> None:
    status = rules.deadline_status(assigned(), today=D("2026-03-10"), calendar=CAL, warn_within=5)
    assert status.light is Light.YELLOW


# --- audit fields and recomputing ---------------------------------------------------------------


def test_changed_fields_name_only_what_changed() -> None:
    before = assigned()
    after = rules.accept(before, on=D("2026-03-03"), today=TODAY, unit_ref="唐扶督〔2026〕1号")
    old, new = rules.changed_fields(before, after)
    assert new == {
        "state": "in_progress",
        "accepted_on": "2026-03-03",
        "unit_ref": "唐扶督〔2026〕1号",
        "last_step_on": "2026-03-03",
    }
    assert old == {"state": "assigned", "accepted_on": None, "unit_ref": None, "last_step_on": "2026-03-02"}


def test_recorded_fields_of_a_new_case() -> None:
    fields = rules.recorded_fields(opened(source="信访"))
    assert (
        fields["state"] == "proposed" and fields["source"] == "信访" and fields["opened_on"] == "2026-03-02"
    )
    assert "approved_on" not in fields and "assist_units" not in fields


def test_recompute_moves_computed_links_and_keeps_explicit_dates() -> None:
    provisional = Weekdays(provisional_years=(2026,))
    case = rules.approve(opened(), on=D("2026-03-02"), today=TODAY, approver="王主任")
    case = rules.assign(case, on=D("2026-03-02"), today=TODAY, lead_unit="易县", calendar=provisional)
    case = rules.extend(
        case, on=D("2026-03-04"), today=TODAY, reason="r", approver="a", workdays=2, calendar=provisional
    )
    case = rules.extend(
        case, on=D("2026-03-05"), today=TODAY, reason="r", approver="a", to=D("2026-04-01"), calendar=CAL
    )
    assert case.due_provisional and [e.provisional for e in case.extensions] == [True, False]

    unchanged = rules.recompute_deadlines(case, calendar=Weekdays(provisional_years=(2026,)))
    assert unchanged == case

    real = rules.recompute_deadlines(case, calendar=Weekdays(shift=1))  # every computed link one day later
    assert real.original_due == D("2026-03-17")
    assert (real.extensions[0].old_due, real.extensions[0].new_due) == (D("2026-03-17"), D("2026-03-20"))
    assert (real.extensions[1].old_due, real.extensions[1].new_due) == (D("2026-03-20"), D("2026-04-01"))
    assert real.due == D("2026-04-01") and not real.due_provisional
    assert not any(e.provisional for e in real.extensions)


def test_recompute_leaves_an_explicit_due_date() -> None:
    case = assigned(due=D("2026-03-20"), basis="通知")
    assert rules.recompute_deadlines(case, calendar=Weekdays(shift=3)) == case
