"""Which unit a clerk means: every way people write a unit's name resolves to that one unit.

The forms, in order of trust: the full name (阜平县扶贫开发办公室); the short name (阜平县); the
place without its suffix (阜平); the office's own short forms (阜平县扶贫办, 阜平扶贫办 for a county
poverty-alleviation office; 定兴县民政局 is already the full name of a civil-affairs unit, 定兴民政局
its short form); the aliases written in data/units.toml; else a part of one full name. A name no
unit answers to is refused with the nearest units named.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from fupin_cli.domain.errors import InvalidInputError, NotFoundError

POVERTY_OFFICE = "扶贫开发办公室"
CIVIL_AFFAIRS = "民政局"
_PLACE_SUFFIXES = ("新城", "县", "市", "区")


class UnitName(NamedTuple):
    name: str
    short_name: str
    county: str | None


def place(short_name: str) -> str | None:
    """阜平县 → 阜平; None where the place would be one character (唐县, 易县) or is not a place."""
    for suffix in _PLACE_SUFFIXES:
        if short_name.endswith(suffix) and len(short_name) - len(suffix) >= 2:
            return short_name[: -len(suffix)]
    return None


def unit_forms(name: str, short_name: str, aliases: Iterable[str] = ()) -> list[str]:
    """Every name the unit answers to, full name first (no duplicates)."""
    forms = [name, short_name]
    bare = place(short_name)
    if bare:
        forms.append(bare)
    for where in (short_name, bare):
        if not where or name == short_name:
            continue
        if name.endswith(POVERTY_OFFICE):
            forms += [f"{where}扶贫办", f"{where}扶贫开发办", f"{where}扶贫开发办公室"]
        elif name.endswith(CIVIL_AFFAIRS):
            forms.append(f"{where}{CIVIL_AFFAIRS}")
    forms += [alias.strip() for alias in aliases if alias.strip()]
    return list(dict.fromkeys(forms))


def alias_clashes(units: Sequence[tuple[str, str, Sequence[str]]]) -> list[str]:
    """Names that would mean two units (as `名称：单位甲、单位乙`); empty when every name is one unit's.
    Each unit is (name, short_name, aliases)."""
    owners: dict[str, list[str]] = {}
    for name, short_name, aliases in units:
        for form in unit_forms(name, short_name, aliases):
            owners.setdefault(form, [])
            if name not in owners[form]:
                owners[form].append(name)
    return [f"「{form}」：{'、'.join(names)}" for form, names in owners.items() if len(names) > 1]


def match_units(units: Sequence[UnitName], text: str, aliases: Mapping[str, str] | None = None) -> list[str]:
    """Full names the text may mean, best kind of match first; units in their listed order."""
    for field in ("name", "short_name", "county"):
        found = [unit.name for unit in units if getattr(unit, field) == text]
        if found:
            return found
    known = {unit.name for unit in units}
    if aliases and aliases.get(text) in known:
        return [aliases[text]]
    found = [unit.name for unit in units if text in unit_forms(unit.name, unit.short_name)]
    if found:
        return found
    return [unit.name for unit in units if text in unit.name]


def resolve_unit(units: Sequence[UnitName], text: str, aliases: Mapping[str, str] | None = None) -> str:
    """The one unit `text` names, or a refusal saying why (unknown, or several fit)."""
    name = text.strip()
    if not name:
        raise InvalidInputError("单位名称不能为空")
    if not units:
        return name
    found = match_units(units, name, aliases)
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFoundError(f"未知单位「{name[:40]}」：{_nearest(units, name, aliases or {})}")
    shown = "、".join(found[:6]) + ("等" if len(found) > 6 else "")
    raise InvalidInputError(f"「{name[:40]}」可指多个单位：{shown}；请写得更具体")


def _nearest(units: Sequence[UnitName], typed: str, aliases: Mapping[str, str]) -> str:
    """What to tell a clerk whose unit name matched nothing: the unit of the place they named,
    else the closest names, else how units are written."""
    for unit in units:
        where = [unit.short_name, place(unit.short_name)]
        if unit.name != unit.short_name and any(w and typed.startswith(w) for w in where):
            return f"{unit.short_name}的承办单位是{unit.name}（{unit.short_name}）"
    from difflib import get_close_matches

    forms = {form: unit.name for unit in units for form in unit_forms(unit.name, unit.short_name)}
    forms.update({alias: full for alias, full in aliases.items() if full in {u.name for u in units}})
    close = get_close_matches(typed, list(forms), n=6, cutoff=0.5)
    meant = list(dict.fromkeys(forms[form] for form in close))[:3]
    if meant:
        short = {unit.name: unit.short_name for unit in units}
        return "您是不是要：" + "、".join(f"{full}（{short[full]}）" if short[full] != full else full for full in meant) + "？"
    return "请写单位全称、简称（如 唐县、阜平）、扶贫办／民政局的简称，或市扶贫办处室名称"
