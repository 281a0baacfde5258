"""Rules of 监督检查 without a database: the catalogue, village CSV rows, phases, findings, amounts, rates."""

from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest

from fupin_cli.domain.check_values import check_rate, parse_amount, parse_threshold, percent
from fupin_cli.domain.errors import (
    BadFileError,
    InvalidInputError,
    InvalidTransitionError,
    RuleViolationError,
)
from fupin_cli.domain.findings import (
    FINDING_MOVES,
    Finding,
    FindingAction,
    FindingState,
    finding_code,
    finding_step,
)
from fupin_cli.domain.inspections import Phase, catalogue_from, move_phase, new_inspection, parse_checked_by
from fupin_cli.domain.villages import known_county, parse_village_csv
from fupin_cli.services.check_common import load_catalogue

TODAY = date(2026, 10, 19)
COUNTIES = known_county(
    {"唐县": "唐县", "唐县扶贫开发办公室": "唐县", "阜平县": "阜平县", "定兴县": "定兴县"}
)


# --- the shipped catalogue -----------------------------------------------------------------------


def test_the_five_kinds_as_the_office_lists_them():
    catalogue = load_catalogue()
    assert [(k.no, k.name, k.short) for k in catalogue.kinds] == [
        (1, "政策措施督促检查", "政策"),
        (2, "扶贫资金项目监督检查", "资金项目"),
        (3, "易地扶贫搬迁监督检查", "易地搬迁"),
        (4, "互助资金项目监督检查", "互助资金"),
        (5, "雨露计划监督检查", "雨露计划"),
    ]
    assert catalogue.kind(2).methods == ("重点督查", "全面督查")
    assert [p.name for p in catalogue.phases] == ["前期准备", "实施检查", "检查总结"]
    assert catalogue.phases[1].work == ("听汇报", "查资料", "核账目", "看现场", "验实体")


def test_the_six_yulu_violations_in_the_office_words():
    yulu = load_catalogue().kind(5)
    assert [v.code for v in yulu.violations] == ["Y1", "Y2", "Y3", "Y4", "Y5", "Y6"]
    assert yulu.violation("Y4").text == "不通过“一卡通”使用现金发放的"
    assert all(not kind.violations for kind in load_catalogue().kinds[:4])


@pytest.mark.parametrize(
    "typed,no", [("2", 2), ("资金项目", 2), ("扶贫资金项目监督检查", 2), ("雨露计划", 5), ("５", 5)]
)
def test_kinds_by_number_short_or_full_name(typed, no):
    assert load_catalogue().parse_kind(typed).no == no


def test_an_unknown_kind_names_the_choices():
    with pytest.raises(InvalidInputError, match="1 政策"):
        load_catalogue().parse_kind("扶贫")


def test_indicators_by_a_part_of_their_name():
    catalogue = load_catalogue()
    assert catalogue.parse_indicator("互助资金").name == "互助资金按期还款率"
    assert catalogue.parse_indicator("识别精准率").threshold == Fraction(95, 100)
    with pytest.raises(InvalidInputError, match="多个"):
        catalogue.parse_indicator("雨露计划")


def test_a_catalogue_whose_names_drift_from_the_case_categories_is_refused():
    raw = {"kinds": [{"no": 1, "name": "政策检查", "short": "政策"}]}
    with pytest.raises(BadFileError, match="督查事项类别一致"):
        catalogue_from(raw, where="inspections.toml", categories={1: ("政策措施督促检查", "政策")})


# --- village CSV ---------------------------------------------------------------------------------


def _parse(text: str):
    return parse_village_csv(text, source="v.csv", counties=COUNTIES, today=TODAY)


def test_chinese_headers_comments_and_every_way_of_saying_yes():
    rows = _parse(
        "# 注释\n县,村,重点村,项目实施村年度,互助资金试点村\n"
        '唐县,甲村,是,2026,1\n唐县扶贫开发办公室,乙村,TRUE,"2025、2026年",否\n阜平县,丙村,0,,false\n'
    )
    assert [(r.county, r.name, r.key_village, r.project_years, r.mutual_aid_pilot, r.line) for r in rows] == [
        ("唐县", "甲村", True, (2026,), True, 3),
        ("唐县", "乙村", True, (2025, 2026), False, 4),
        ("阜平县", "丙村", False, (), False, 5),
    ]


def test_english_headers_in_any_order():
    rows = _parse("village,county,mutual_aid_pilot,project_year,key_village\n甲村,唐县,yes,2024,no\n")
    assert (rows[0].county, rows[0].name, rows[0].key_village, rows[0].project_years) == (
        "唐县",
        "甲村",
        False,
        (2024,),
    )


@pytest.mark.parametrize(
    "text,message",
    [
        ("县,村,重点村,项目实施村年度\n唐县,甲村,是,2026\n", "表头缺少 互助资金试点村"),
        ("县,村,重点村,项目实施村年度,互助资金试点村,人口\n", "第 1 行第 6 列：不认识的列名「人口」"),
        (
            "县,村,重点村,项目实施村年度,互助资金试点村\n唐县,甲村,是,2026,否\n北京,乙村,是,,否\n",
            "第 3 行「县」列：「北京」不是已知的县",
        ),
        ("县,村,重点村,项目实施村年度,互助资金试点村\n唐县,,是,,否\n", "第 2 行「村」列：不能为空"),
        (
            "县,村,重点村,项目实施村年度,互助资金试点村\n唐县,甲村,可能,,否\n",
            "第 2 行「重点村」列：「可能」应为 是 或 否",
        ),
        ("县,村,重点村,项目实施村年度,互助资金试点村\n唐县,甲村,,,否\n", "第 2 行「重点村」列"),
        (
            "县,村,重点村,项目实施村年度,互助资金试点村\n唐县,甲村,是,1999,否\n",
            "第 2 行「项目实施村年度」列：「1999」",
        ),
        ("县,村,重点村,项目实施村年度,互助资金试点村\n唐县,甲村,是,2028,否\n", "2004–2027"),
        (
            "县,村,重点村,项目实施村年度,互助资金试点村\n唐县,甲村,是,,否\n唐县,甲村,否,,否\n",
            "第 3 行：唐县甲村 与第 2 行重复",
        ),
        (
            "县,村,重点村,项目实施村年度,互助资金试点村\n唐县,甲村,是,,否,多余\n",
            "第 2 行：多出表头没有的数据",
        ),
        ("县,村,重点村,项目实施村年度,互助资金试点村\n", "没有村庄数据"),
        ("", "没有村庄数据"),
    ],
)
def test_a_bad_row_is_refused_naming_line_and_column(text, message):
    with pytest.raises(BadFileError, match=message):
        _parse(text)


# --- amounts, rates, thresholds ------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed,fen",
    [("12345.67", 1234567), ("1,234.5元", 123450), ("3.5万元", 3500000), ("３万", 3000000), ("0", 0)],
)
def test_amounts_in_yuan_become_fen(typed, fen):
    assert parse_amount(typed) == fen


@pytest.mark.parametrize("typed", ["-5", "12.345", "abc", "1e5", ""])
def test_bad_amounts_are_refused(typed):
    with pytest.raises(InvalidInputError):
        parse_amount(typed)


def test_a_rate_is_a_fraction_of_at_most_one():
    assert check_rate(19, 20) == Fraction(19, 20)
    assert check_rate(0, 5) == 0
    with pytest.raises(InvalidInputError, match="大于分母"):
        check_rate(21, 20)
    with pytest.raises(InvalidInputError, match="分母应大于 0"):
        check_rate(0, 0)
    with pytest.raises(InvalidInputError, match="负数"):
        check_rate(-1, 3)


@pytest.mark.parametrize(
    "typed,value", [("0.95", Fraction(19, 20)), ("95%", Fraction(19, 20)), ("1", Fraction(1))]
)
def test_thresholds(typed, value):
    assert parse_threshold(typed) == value


@pytest.mark.parametrize("typed", ["0", "1.5", "abc", "-0.1"])
def test_bad_thresholds(typed):
    with pytest.raises(InvalidInputError):
        parse_threshold(typed)


def test_percentages_round_half_up_on_the_exact_value():
    assert percent(Fraction(2, 3)) == "66.67%"
    assert percent(Fraction(1, 8)) == "12.50%"
    assert percent(Fraction(1)) == "100.00%"


# --- who checks ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed,value",
    [("city", "city"), ("市", "city"), ("县自查", "county"), ("COUNTY", "county"), ("互查", "mutual")],
)
def test_checked_by_in_english_or_chinese(typed, value):
    assert parse_checked_by(typed).value == value


# --- phases --------------------------------------------------------------------------------------


def _inspection(phase=Phase.PREPARATION, on=date(2026, 3, 2)):
    return replace(
        new_inspection(
            kind=load_catalogue().kind(2),
            year=2026,
            title="资金项目重点督查",
            method="重点督查",
            units=["唐县扶贫开发办公室"],
            phase=phase,
            on=on,
            today=TODAY,
        ),
        id=1,
    )


def test_phases_go_forward_and_may_skip_one():
    moved = move_phase(_inspection(), Phase.SUMMARY, on=date(2026, 4, 1), today=TODAY)
    assert moved.phase is Phase.SUMMARY
    assert moved.phase_days == {Phase.PREPARATION: date(2026, 3, 2), Phase.SUMMARY: date(2026, 4, 1)}


@pytest.mark.parametrize("target", [Phase.PREPARATION, Phase.INSPECTION])
def test_phases_never_go_back_or_repeat(target):
    with pytest.raises(InvalidTransitionError, match="只能进入 检查总结"):
        move_phase(_inspection(Phase.INSPECTION), target, on=date(2026, 4, 1), today=TODAY)


def test_a_phase_cannot_begin_before_the_one_it_follows_or_after_today():
    with pytest.raises(RuleViolationError, match="早于"):
        move_phase(_inspection(), Phase.INSPECTION, on=date(2026, 3, 1), today=TODAY)
    with pytest.raises(RuleViolationError, match="晚于今天"):
        move_phase(_inspection(), Phase.INSPECTION, on=date(2026, 10, 20), today=TODAY)


def test_a_method_must_be_one_of_the_kind():
    with pytest.raises(InvalidInputError, match="重点督查、全面督查"):
        new_inspection(
            kind=load_catalogue().kind(2), year=2026, title="x", method="互查", units=[], phase=Phase.PREPARATION,
            on=TODAY, today=TODAY,
        )  # fmt: skip


# --- findings ------------------------------------------------------------------------------------


def _finding(**changes) -> Finding:
    base = Finding(
        id=3, inspection_id=1, unit="唐县扶贫开发办公室", village_id=None, text="未公示", code="Y2",
        amount_fen=None, ordered_on=date(2026, 2, 10), workdays=10, due=date(2026, 3, 2), due_provisional=False,
    )  # fmt: skip
    return replace(base, **changes)


STATES = {
    FindingState.OPEN: {},
    FindingState.RECTIFIED: {"rectified_on": date(2026, 2, 20)},
    FindingState.VERIFIED: {"rectified_on": date(2026, 2, 20), "verified_on": date(2026, 2, 25)},
    FindingState.HANDED_OVER: {"handed_over_on": date(2026, 2, 20)},
}


@pytest.mark.parametrize("state", list(FindingState))
@pytest.mark.parametrize("action", list(FindingAction))
def test_every_finding_step_allowed_or_refused(state, action):
    finding = _finding(**STATES[state])
    assert finding.state is state
    target = FINDING_MOVES[state].get(action)
    if target is None:
        with pytest.raises(InvalidTransitionError, match=f"当前为「{state.label}」，不能{action.label}"):
            finding_step(finding, action, on=date(2026, 3, 1), today=TODAY)
    else:
        assert finding_step(finding, action, on=date(2026, 3, 1), today=TODAY).state is target


def test_a_step_cannot_come_before_the_order():
    with pytest.raises(RuleViolationError, match="早于"):
        finding_step(_finding(), FindingAction.RECTIFY, on=date(2026, 2, 9), today=TODAY)


def test_codes_only_for_yulu():
    catalogue = load_catalogue()
    assert finding_code("y3", catalogue.kind(5)) == "Y3"
    assert finding_code(None, catalogue.kind(2)) is None
    with pytest.raises(RuleViolationError, match="只用于 雨露计划"):
        finding_code("Y1", catalogue.kind(2))
    with pytest.raises(InvalidInputError, match="Y1、Y2"):
        finding_code("Y7", catalogue.kind(5))
