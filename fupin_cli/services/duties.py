"""The duty registry, the `duty who` synonyms and the units, read from the shipped data/ folder.

The files are the office's to edit (data/duties.toml, data/synonyms.toml, data/units.toml); each is
read once per process and checked, and a bad file is refused with the file and entry at fault.
Nothing here touches the database: `fupin duty who` starts without SQLAlchemy, SQLModel or pydantic.
"""

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from fupin_cli.domain.duties import (
    Division,
    Duty,
    DutyItem,
    KeyTier,
    Registry,
    SearchResult,
    Unit,
    UnitKind,
    fold,
    search,
)
from fupin_cli.domain.errors import BadFileError, NotFoundError
from fupin_cli.domain.units import alias_clashes
from fupin_cli.settings import DUTIES_FILE, UNITS_FILE, data_dir

SYNONYMS_FILE = "synonyms.toml"


@dataclass(frozen=True)
class DutyView:
    """What `duty show` shows: a main duty with all its items, or one item asked for by number."""

    duty: Duty
    items: tuple[DutyItem, ...]
    """Every item of the main duty, in order."""
    selected: DutyItem | None = None
    """The one item asked for ("4.3"); None when the whole main duty was asked for ("4")."""


# --- reading the files ------------------------------------------------------------------------


def _read(name: str) -> dict[str, Any]:
    path = data_dir() / name
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise BadFileError(f"找不到参考数据文件 {path}：请重新安装 fupin") from None
    except tomllib.TOMLDecodeError as problem:
        raise BadFileError(f"{path} 不是有效的 TOML 文件：{problem}") from None


def _text(table: Mapping[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise BadFileError(f"{where}：缺少 {key}，或 {key} 不是非空的文字")
    return value.strip()


def _tables(table: Mapping[str, Any], key: str, where: str) -> list[Mapping[str, Any]]:
    value = table.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(entry, dict) for entry in value):
        raise BadFileError(f"{where}：缺少 [[{key}]] 条目")
    return value


@cache
def load_registry() -> Registry:
    """The 部门职责登记表 from data/duties.toml, checked: numbers, divisions, texts."""
    raw = _read(DUTIES_FILE)
    names = raw.get("divisions")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and n.strip() for n in names):
        raise BadFileError(f"{DUTIES_FILE}：divisions 应是处室名称的列表")
    if len(set(names)) != len(names):
        raise BadFileError(f"{DUTIES_FILE}：divisions 里有重复的处室")
    divisions = {name.strip(): Division(name.strip()) for name in names}
    duties: list[Duty] = []
    items: list[DutyItem] = []
    for entry in _tables(raw, "duties", DUTIES_FILE):
        no = entry.get("no")
        if not isinstance(no, int) or isinstance(no, bool) or no < 1 or any(d.no == no for d in duties):
            raise BadFileError(f"{DUTIES_FILE}：主要职责的 no 应是不重复的正整数，而不是 {no!r}")
        where = f"{DUTIES_FILE} 主要职责 {no}"
        duty = Duty(no=no, text=_text(entry, "text", where))
        duties.append(duty)
        for position, item in enumerate(_tables(entry, "items", where), start=1):
            expected = f"{no}.{position}"
            if item.get("no") != expected:
                raise BadFileError(
                    f'{where}：第 {position} 个事项的 no 应为 "{expected}"，而不是 {item.get("no")!r}'
                )
            division = _text(item, "division", f"{where} 事项 {expected}")
            if division not in divisions:
                raise BadFileError(
                    f"{where} 事项 {expected}：处室「{division}」不在 divisions 里（{'、'.join(divisions)}）"
                )
            text = _text(item, "text", f"{where} 事项 {expected}")
            items.append(DutyItem(duty_no=expected, text=text, division=divisions[division], main_duty=duty))
    return Registry(divisions=tuple(divisions.values()), duties=tuple(duties), items=tuple(items))


@cache
def load_synonyms() -> Mapping[str, tuple[str, ...]]:
    """data/synonyms.toml: a word people use → the wordings of the registry it stands for."""
    raw = _read(SYNONYMS_FILE).get("synonyms", {})
    if not isinstance(raw, dict):
        raise BadFileError(f"{SYNONYMS_FILE}：应有一个 [synonyms] 表")
    synonyms: dict[str, tuple[str, ...]] = {}
    for key, value in raw.items():
        values = [value] if isinstance(value, str) else value
        if (
            not key.strip()
            or not isinstance(values, list)
            or not all(isinstance(v, str) and v for v in values)
        ):
            raise BadFileError(f"{SYNONYMS_FILE}：「{key}」应对应一个说法或说法的列表")
        synonyms[key.strip()] = tuple(v.strip() for v in values)
    return synonyms


@cache
def load_units() -> tuple[Unit, ...]:
    """The units of data/units.toml, then the city divisions of data/duties.toml (kind division)."""
    units: list[Unit] = []
    for position, entry in enumerate(_tables(_read(UNITS_FILE), "units", UNITS_FILE), start=1):
        where = f"{UNITS_FILE} 第 {position} 个单位"
        kind_text = _text(entry, "kind", where)
        choices = [member.value for member in UnitKind if member is not UnitKind.DIVISION]
        if kind_text not in choices:
            raise BadFileError(f"{where}：kind 应为 {'、'.join(choices)} 之一（处室由 {DUTIES_FILE} 给出）")
        kind = UnitKind(kind_text)
        tier = entry.get("key_tier")
        tiers = [member.value for member in KeyTier]
        if (kind is UnitKind.KEY_COUNTY) != (tier is not None) or (tier is not None and tier not in tiers):
            raise BadFileError(f"{where}：重点县须写 key_tier（{'或'.join(tiers)}），其他单位不写")
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(alias, str) and alias.strip() for alias in aliases):
            raise BadFileError(f"{where}：aliases 应为一组名称，如 aliases = [\"阜平扶贫办\"]")
        units.append(
            Unit(
                name=_text(entry, "name", where),
                short_name=_text(entry, "short_name", where),
                kind=kind,
                key_tier=KeyTier(tier) if tier is not None else None,
                aliases=tuple(alias.strip() for alias in aliases),
            )
        )
    units += [Unit(name=d.name, short_name=d.name, kind=UnitKind.DIVISION) for d in load_registry().divisions]
    seen: set[str] = set()
    for unit in units:
        for name in {unit.name, unit.short_name}:
            if name in seen:
                raise BadFileError(f"{UNITS_FILE}：单位名称「{name}」重复")
            seen.add(name)
    clashes = alias_clashes([(unit.name, unit.short_name, unit.aliases) for unit in units])
    if clashes:
        raise BadFileError(f"{UNITS_FILE}：名称指向两个单位，请改 aliases：{'；'.join(clashes[:3])}")
    return tuple(units)


def unit_aliases() -> dict[str, str]:
    """The aliases of data/units.toml, each to its unit's full name."""
    return {alias: unit.name for unit in load_units() for alias in unit.aliases}


# --- use cases --------------------------------------------------------------------------------


def list_duties(*, division: str | None = None) -> tuple[DutyItem, ...]:
    """All work items in registry order, or those of one division (its name, or 社会扶贫 for short)."""
    registry = load_registry()
    if division is None:
        return registry.items
    found = registry.division_named(division)
    if found is None:
        choices = "、".join(d.name for d in registry.divisions)
        raise NotFoundError(f"没有「{division}」这个处室。可选：{choices}")
    return registry.items_of_division(found)


def who(*, query: str, limit: int | None = None) -> SearchResult:
    """Which division owns the work described by `query`: ranked matches, or suggestions."""
    return search(load_registry(), query, synonyms=load_synonyms(), limit=limit)


_DUTY_NO = re.compile(r"(\d+)(?:\.(\d+))?")


def show_duty(*, duty_no: str) -> DutyView:
    """A main duty and its items ("4"), or one item with its main duty ("4.3")."""
    registry = load_registry()
    wanted = _DUTY_NO.fullmatch(fold(duty_no.strip()).replace("。", "."))
    duty = registry.duty(int(wanted.group(1))) if wanted else None
    if wanted and duty is not None:
        items = registry.items_of_duty(duty)
        if wanted.group(2) is None:
            return DutyView(duty=duty, items=items)
        selected = registry.item(f"{duty.no}.{int(wanted.group(2))}")
        if selected is not None:
            return DutyView(duty=duty, items=items, selected=selected)
    duty_numbers = "、".join(str(d.no) for d in registry.duties)
    item_numbers = "、".join(item.duty_no for item in registry.items)
    raise NotFoundError(
        f"没有编号为「{duty_no}」的职责。主要职责：{duty_numbers}；具体工作事项：{item_numbers}"
    )
