"""The sampling quotas of 扶贫资金项目监督检查, the plan drawn from a seed, and coverage. No fixtures."""

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fupin_cli.domain.errors import InvalidInputError
from fupin_cli.domain.sampling import (
    CITY_SAMPLE_SHARE,
    COUNTY_FOCUS_SHARE,
    COUNTY_SELF_SHARE,
    CountyVillages,
    CountyVisits,
    QuotaKind,
    at_least,
    coverage,
    draw_plan,
    plan_from_data,
    plan_to_data,
    quotas_for,
    unmet_quotas,
    villages_digest,
    year_gone,
)

# --- quota arithmetic at the edges ----------------------------------------------------------------


@pytest.mark.parametrize(
    "key_villages,focus,self_check",
    [
        (0, 0, 0),
        (1, 1, 1),  # 30% of 1 = 0.3 → 1; 1/2 of 1 → 1
        (2, 1, 1),  # 0.6 → 1; 1
        (3, 1, 2),  # 0.9 → 1; 1.5 → 2
        (4, 2, 2),  # 1.2 → 2; 2
        (7, 3, 4),  # 2.1 → 3; 3.5 → 4
        (10, 3, 5),  # exactly 3 and 5: no rounding up of an exact quota
        (20, 6, 10),
    ],
)
def test_county_quotas_round_up_on_exact_fractions(key_villages, focus, self_check):
    assert at_least(COUNTY_FOCUS_SHARE, key_villages) == focus
    assert at_least(COUNTY_SELF_SHARE, key_villages) == self_check


@pytest.mark.parametrize("projects,sample", [(0, 0), (1, 1), (2, 1), (3, 1), (4, 2), (6, 2), (7, 3), (9, 3)])
def test_city_samples_a_third_rounded_up(projects, sample):
    assert at_least(CITY_SAMPLE_SHARE, projects) == sample


def test_quotas_of_a_county_picked_and_not_picked():
    county = CountyVillages("唐县", tuple(f"重{i}" for i in range(7)), ("甲", "乙", "丙", "丁", "戊"))
    picked = {q.kind: (q.base, q.required) for q in quotas_for(county, focus=True)}
    assert picked == {
        QuotaKind.CITY_FULL: (5, 5),
        QuotaKind.COUNTY_FOCUS: (7, 3),
        QuotaKind.COUNTY_SELF: (7, 4),
    }
    other = {q.kind: (q.base, q.required) for q in quotas_for(county, focus=False)}
    assert other[QuotaKind.CITY_SAMPLE] == (5, 2)


# --- drawing a plan ------------------------------------------------------------------------------


def _counties(sizes: list[tuple[int, int]]) -> list[CountyVillages]:
    names = ["唐县", "阜平县", "顺平县", "涞源县", "易县", "曲阳县", "涞水县", "望都县", "博野县"]
    return [
        CountyVillages(
            name,
            tuple(f"{name}重点{i}村" for i in range(keys)),
            tuple(f"{name}项目{i}村" for i in range(projects)),
        )
        for name, (keys, projects) in zip(names, sizes, strict=False)
    ]


DEMO_LIKE = _counties([(7, 5), (1, 1), (2, 2), (3, 3), (4, 4), (5, 6), (6, 7), (2, 0), (3, 3)])


def test_the_same_seed_draws_the_same_plan_whatever_the_input_order():
    first = draw_plan(year=2026, period_year=2026, seed=7, counties=DEMO_LIKE, focus_count=2)
    shuffled = [
        CountyVillages(c.county, tuple(reversed(c.key_villages)), tuple(reversed(c.project_villages)))
        for c in reversed(DEMO_LIKE)
    ]
    again = draw_plan(year=2026, period_year=2026, seed=7, counties=shuffled, focus_count=2)
    assert first == again
    assert unmet_quotas(first, DEMO_LIKE) == []


def test_another_seed_draws_another_plan_somewhere():
    plans = {
        draw_plan(year=2026, period_year=2026, seed=s, counties=DEMO_LIKE, focus_count=3) for s in range(20)
    }
    assert len(plans) > 1


def test_picked_counties_have_all_their_project_villages_visited():
    plan = draw_plan(year=2026, period_year=2026, seed=123, counties=DEMO_LIKE, focus_count=3)
    assert len(plan.focus_counties) == 3
    for county in plan.counties:
        source = next(c for c in DEMO_LIKE if c.county == county.county)
        if county.focus:
            assert sorted(county.city_villages) == sorted(source.project_villages)
        else:
            assert len(county.city_villages) == at_least(CITY_SAMPLE_SHARE, len(source.project_villages))


def test_a_plan_survives_its_stored_form():
    plan = draw_plan(year=2026, period_year=2025, seed=99, counties=DEMO_LIKE, focus_count=2)
    assert plan_from_data(plan_to_data(plan)) == plan


@pytest.mark.parametrize("seed", [-1, 10**12])
def test_seeds_out_of_range_are_refused(seed):
    with pytest.raises(InvalidInputError):
        draw_plan(year=2026, period_year=2026, seed=seed, counties=DEMO_LIKE, focus_count=2)


@pytest.mark.parametrize("count", [1, 4])
def test_two_or_three_focus_counties_only(count):
    with pytest.raises(InvalidInputError, match="2 或 3"):
        draw_plan(year=2026, period_year=2026, seed=1, counties=DEMO_LIKE, focus_count=count)


def test_the_digest_follows_the_villages_not_their_order():
    assert villages_digest(DEMO_LIKE) == villages_digest(list(reversed(DEMO_LIKE)))
    changed = [*DEMO_LIKE[:-1], CountyVillages("博野县", ("新村",), ())]
    assert villages_digest(changed) != villages_digest(DEMO_LIKE)


village_names = st.text(alphabet="一二三四五六七八九十东西南北", min_size=1, max_size=3)
county_sets = st.lists(
    st.tuples(st.sets(village_names, max_size=12), st.sets(village_names, max_size=12)),
    min_size=3,
    max_size=9,
)


@settings(max_examples=200, deadline=None)
@given(county_sets, st.integers(min_value=0, max_value=10**12 - 1), st.sampled_from([2, 3]))
def test_every_plan_meets_every_quota_and_is_reproducible(sets, seed, focus_count):
    counties = [
        CountyVillages(f"县{index}", tuple(sorted(keys)), tuple(sorted(projects)))
        for index, (keys, projects) in enumerate(sets)
    ]
    plan = draw_plan(year=2026, period_year=2026, seed=seed, counties=counties, focus_count=focus_count)
    assert unmet_quotas(plan, counties) == []
    assert len(plan.focus_counties) == focus_count
    assert (
        draw_plan(year=2026, period_year=2026, seed=seed, counties=counties[::-1], focus_count=focus_count)
        == plan
    )


# --- coverage ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "today,share",
    [
        (date(2025, 12, 31), Fraction(0)),
        (date(2026, 1, 1), Fraction(1, 365)),
        (date(2026, 9, 30), Fraction(273, 365)),
        (date(2026, 10, 1), Fraction(274, 365)),
        (date(2026, 12, 31), Fraction(1)),
        (date(2027, 3, 1), Fraction(1)),
    ],
)
def test_share_of_the_year_gone(today, share):
    assert year_gone(2026, today) == share


@pytest.mark.parametrize("year", [2026, 2028])  # a common and a leap year
def test_more_than_three_quarters_gone_from_the_first_of_october(year):
    assert year_gone(year, date(year, 9, 30)) <= Fraction(3, 4) < year_gone(year, date(year, 10, 1))


def test_coverage_against_a_hand_built_year():
    """唐县 picked (5 project villages, 7 key villages); 阜平县 not (1 project village, 1 key village)."""
    counties = [
        CountyVillages("唐县", ("K1", "K2", "K3", "K4", "K5", "K6", "K7"), ("P1", "P2", "P3", "P4", "P5")),
        CountyVillages("阜平县", ("F1",), ("F1",)),
    ]
    plan = draw_plan(year=2026, period_year=2026, seed=5, counties=counties, focus_count=2)
    visits = {
        "唐县": CountyVisits(
            city=frozenset({"P1", "P2", "P3", "K1"}),  # K1 is not a project village: not counted
            county_focus=frozenset({"K1", "K2", "K3"}),
            county_self=frozenset({"K4", "K5", "P1"}),  # P1 is not a key village: not counted
        ),
    }
    in_june = coverage(year=2026, today=date(2026, 6, 1), counties=counties, plan=plan, visits=visits)
    got = {
        (row.county, row.kind): (row.base, row.required, row.done, row.missing, row.late) for row in in_june
    }
    assert got == {
        ("唐县", QuotaKind.CITY_FULL): (5, 5, 3, 2, False),
        ("唐县", QuotaKind.COUNTY_FOCUS): (7, 3, 3, 0, False),
        ("唐县", QuotaKind.COUNTY_SELF): (7, 4, 2, 2, False),
        ("阜平县", QuotaKind.CITY_FULL): (1, 1, 0, 1, False),
        ("阜平县", QuotaKind.COUNTY_FOCUS): (1, 1, 0, 1, False),
        ("阜平县", QuotaKind.COUNTY_SELF): (1, 1, 0, 1, False),
    }
    tang_city = next(r for r in in_june if r.county == "唐县" and r.kind is QuotaKind.CITY_FULL)
    assert tang_city.pending_villages == ("P4", "P5")
    in_october = coverage(year=2026, today=date(2026, 10, 1), counties=counties, plan=plan, visits=visits)
    assert [(r.county, r.kind) for r in in_october if r.late] == [
        ("唐县", QuotaKind.CITY_FULL),
        ("唐县", QuotaKind.COUNTY_SELF),
        ("阜平县", QuotaKind.CITY_FULL),
        ("阜平县", QuotaKind.COUNTY_FOCUS),
        ("阜平县", QuotaKind.COUNTY_SELF),
    ]


def test_without_a_plan_every_city_quota_is_the_third():
    counties = [CountyVillages("唐县", (), ("P1", "P2", "P3", "P4"))]
    rows = coverage(year=2026, today=date(2026, 3, 1), counties=counties, plan=None, visits={})
    city = rows[0]
    assert (city.kind, city.required, city.pending_villages) == (QuotaKind.CITY_SAMPLE, 2, ())
