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
