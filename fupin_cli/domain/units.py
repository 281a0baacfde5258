"""Which unit a clerk means: the full name, the short name (唐县), the county, else a unique part."""

from collections.abc import Sequence
from typing import NamedTuple

from fupin_cli.domain.errors import InvalidInputError, NotFoundError


class UnitName(NamedTuple):
    name: str
    short_name: str
    county: str | None


def match_units(units: Sequence[UnitName], text: str) -> list[str]:
    """Full names the text may mean, best kind of match first; units in their listed order."""
    for field in ("name", "short_name", "county"):
        found = [unit.name for unit in units if getattr(unit, field) == text]
        if found:
            return found
    return [unit.name for unit in units if text in unit.name]


def resolve_unit(units: Sequence[UnitName], text: str) -> str:
    """The one unit `text` names, or a refusal saying why (unknown, or several fit)."""
    name = text.strip()
    if not name:
        raise InvalidInputError("单位名称不能为空")
    if not units:
        return name
    found = match_units(units, name)
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFoundError(f"未知单位「{name[:40]}」：请写单位全称、简称（如 唐县）或市扶贫办处室名称")
    shown = "、".join(found[:6]) + ("等" if len(found) > 6 else "")
    raise InvalidInputError(f"「{name[:40]}」可指多个单位：{shown}；请写得更具体")
