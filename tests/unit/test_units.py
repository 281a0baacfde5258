"""Which unit a clerk means (domain.units), the one rule behind every --unit."""

import pytest

from fupin_cli.domain.errors import InvalidInputError, NotFoundError
from fupin_cli.domain.units import UnitName, resolve_unit

UNITS = [
    UnitName("唐县扶贫开发办公室", "唐县", "唐县"),
    UnitName("易县扶贫开发办公室", "易县", "易县"),
    UnitName("定兴县民政局", "定兴县", "定兴县"),
    UnitName("综合处", "综合处", None),
]


@pytest.mark.parametrize(
    "typed, meant",
    [("唐县扶贫开发办公室", "唐县扶贫开发办公室"), ("易县", "易县扶贫开发办公室"), ("综合处", "综合处"), ("民政局", "定兴县民政局")],
)
def test_a_unit_is_found_by_name_short_name_or_unique_part(typed, meant):
    assert resolve_unit(UNITS, typed) == meant


def test_an_ambiguous_or_unknown_unit_is_refused():
    with pytest.raises(InvalidInputError, match="可指多个单位"):
        resolve_unit(UNITS, "扶贫开发办公室")
    with pytest.raises(NotFoundError, match="未知单位"):
        resolve_unit(UNITS, "不存在的单位")
    with pytest.raises(InvalidInputError):
        resolve_unit(UNITS, "  ")


# --- names as people write them ------------------------------------------------------------------

OFFICE = [
    UnitName("阜平县扶贫开发办公室", "阜平县", "阜平县"),
    UnitName("涞水县扶贫开发办公室", "涞水县", "涞水县"),
    UnitName("唐县扶贫开发办公室", "唐县", "唐县"),
    UnitName("定兴县民政局", "定兴县", "定兴县"),
    UnitName("白沟新城民政局", "白沟新城", "白沟新城"),
    UnitName("综合处", "综合处", None),
    UnitName("开发指导处", "开发指导处", None),
]


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("阜平县扶贫开发办公室", "阜平县扶贫开发办公室"),
        ("阜平县", "阜平县扶贫开发办公室"),
        ("阜平", "阜平县扶贫开发办公室"),
        ("阜平县扶贫办", "阜平县扶贫开发办公室"),
        ("阜平扶贫办", "阜平县扶贫开发办公室"),
        ("唐县扶贫办", "唐县扶贫开发办公室"),
        ("定兴县民政局", "定兴县民政局"),
        ("定兴民政局", "定兴县民政局"),
        ("定兴", "定兴县民政局"),
        ("白沟", "白沟新城民政局"),
        ("开发指导处", "开发指导处"),
        (" 综合处 ", "综合处"),
    ],
)
def test_every_form_people_write_resolves_to_one_unit(typed, meant):
    assert resolve_unit(OFFICE, typed) == meant


def test_an_alias_from_the_file_resolves_and_an_unknown_name_gets_the_nearest_units():
    assert resolve_unit(OFFICE, "阜平办", {"阜平办": "阜平县扶贫开发办公室"}) == "阜平县扶贫开发办公室"
    with pytest.raises(NotFoundError, match="涞水县的承办单位是涞水县扶贫开发办公室（涞水县）"):
        resolve_unit(OFFICE, "涞水县民政局")
    with pytest.raises(NotFoundError, match="唐县的承办单位是唐县扶贫开发办公室（唐县）"):
        resolve_unit(OFFICE, "唐县民政局")
    with pytest.raises(NotFoundError, match="您是不是要：综合处？"):
        resolve_unit(OFFICE, "综和处")


def test_a_name_that_would_mean_two_units_is_found():
    from fupin_cli.domain.units import alias_clashes

    assert alias_clashes([(u.name, u.short_name, ()) for u in OFFICE]) == []
    clashes = alias_clashes([("阜平县扶贫开发办公室", "阜平县", ("老区办",)), ("唐县扶贫开发办公室", "唐县", ("老区办",))])
    assert clashes == ["「老区办」：阜平县扶贫开发办公室、唐县扶贫开发办公室"]


def test_the_shipped_units_file_has_no_name_for_two_units():
    from fupin_cli.services.duties import load_units

    units = load_units()
    assert len(units) >= 25
