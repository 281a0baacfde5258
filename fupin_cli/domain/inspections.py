"""监督检查: the five kinds (the catalogue of data/inspections.toml), inspections and their phases, and
who checks. Findings are in domain.findings, villages in domain.villages, typed values in
domain.check_values. Pure: standard library only; 'today' is always a parameter.
"""

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from fractions import Fraction
from typing import Any

from fupin_cli.domain.check_values import check_year, fold, parse_threshold
from fupin_cli.domain.dates import check_step_day
from fupin_cli.domain.errors import (
    BadFileError,
    InvalidInputError,
    InvalidTransitionError,
)
from fupin_cli.domain.text import single_line

# --- the catalogue: five kinds, phases, indicators (from data/inspections.toml) ------------------


@dataclass(frozen=True)
class Violation:
    """One of the cases that allow an order to correct (雨露计划 Y1–Y6)."""

    code: str
    text: str


@dataclass(frozen=True)
class InspectionKind:
    no: int
    name: str
    short: str
    objects: tuple[str, ...]
    contents: tuple[str, ...]
    methods: tuple[str, ...]
    measures: tuple[str, ...]
    steps: tuple[str, ...]
    handling: tuple[str, ...]
    violations: tuple[Violation, ...] = ()

    def violation(self, code: str) -> Violation | None:
        return next((v for v in self.violations if v.code == code), None)


@dataclass(frozen=True)
class PhaseInfo:
    name: str
    work: tuple[str, ...]


@dataclass(frozen=True)
class IndicatorKind:
    name: str
    kind: int
    description: str
    key_counties_only: bool
    threshold: Fraction


@dataclass(frozen=True)
class Catalogue:
    kinds: tuple[InspectionKind, ...]
    phases: tuple[PhaseInfo, ...]
    indicators: tuple[IndicatorKind, ...]

    def kind(self, no: int) -> InspectionKind:
        found = next((kind for kind in self.kinds if kind.no == no), None)
        if found is None:
            raise InvalidInputError(f"没有第 {no} 类检查")
        return found

    def parse_kind(self, text: str) -> InspectionKind:
        """A kind from its number (1–5), its full name or its short name."""
        cleaned = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
        for kind in self.kinds:
            if cleaned in (str(kind.no), kind.name, kind.short):
                return kind
        choices = "、".join(f"{kind.no} {kind.short}" for kind in self.kinds)
        raise InvalidInputError(f"未知的检查类别「{cleaned[:40]}」：请写 {choices}（或全称）")

    def parse_indicator(self, text: str) -> IndicatorKind:
        """An indicator by its name or a part of it that names only one (互助资金 → 互助资金按期还款率)."""
        cleaned = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
        exact = [item for item in self.indicators if item.name == cleaned]
        found = exact or [item for item in self.indicators if cleaned and cleaned in item.name]
        if len(found) == 1:
            return found[0]
        choices = "、".join(item.name for item in self.indicators)
        if found:
            raise InvalidInputError(f"「{cleaned[:40]}」可指多个指标：{'、'.join(i.name for i in found)}")
        raise InvalidInputError(f"未知的指标「{cleaned[:40]}」：请写 {choices}")


def catalogue_from(
    raw: Mapping[str, Any], *, where: str, categories: Mapping[int, tuple[str, str]]
) -> Catalogue:
    """Check data/inspections.toml as read; `categories` maps 1–5 to the case categories' (name, short)."""

    def texts(table: Mapping[str, Any], key: str, place: str, *, required: bool = True) -> tuple[str, ...]:
        value = table.get(key, [] if not required else None)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise BadFileError(f"{place}：{key} 应是非空文字的列表")
        if required and not value:
            raise BadFileError(f"{place}：{key} 不能为空")
        return tuple(v.strip() for v in value)

    def text(table: Mapping[str, Any], key: str, place: str) -> str:
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            raise BadFileError(f"{place}：缺少 {key}，或 {key} 不是非空的文字")
        return value.strip()

    def tables(key: str) -> list[Mapping[str, Any]]:
        value = raw.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
            raise BadFileError(f"{where}：缺少 [[{key}]] 条目")
        return value

    kinds = []
    for position, entry in enumerate(tables("kinds"), start=1):
        no = entry.get("no")
        place = f"{where} 第 {position} 类检查"
        if no != position or isinstance(no, bool):
            raise BadFileError(f"{place}：no 应为 {position}，而不是 {no!r}")
        name, short = text(entry, "name", place), text(entry, "short", place)
        if categories.get(position) != (name, short):
            expected = categories.get(position, ("?", "?"))
            raise BadFileError(f"{place}：名称应与督查事项类别一致：{expected[0]}（{expected[1]}）")
        violations = []
        raw_violations = entry.get("violations", [])
        if not isinstance(raw_violations, list) or not all(isinstance(v, dict) for v in raw_violations):
            raise BadFileError(f"{place}：violations 应是 [[kinds.violations]] 条目")
        for number, violation in enumerate(raw_violations, start=1):
            code = text(violation, "code", f"{place} 第 {number} 种情形")
            if re.fullmatch(r"[A-Z]\d{1,2}", code) is None or any(v.code == code for v in violations):
                raise BadFileError(f"{place} 第 {number} 种情形：code 应是不重复的 Y1 这样的编号")
            violations.append(Violation(code, text(violation, "text", f"{place} {code}")))
        kinds.append(
            InspectionKind(
                no=position,
                name=name,
                short=short,
                objects=texts(entry, "objects", place),
                contents=texts(entry, "contents", place),
                methods=texts(entry, "methods", place),
                measures=texts(entry, "measures", place),
                steps=texts(entry, "steps", place),
                handling=texts(entry, "handling", place),
                violations=tuple(violations),
            )
        )
    if len(kinds) != len(categories):
        raise BadFileError(f"{where}：应列出 {len(categories)} 类检查，而不是 {len(kinds)} 类")

    phases = tuple(
        PhaseInfo(
            text(entry, "name", f"{where} 第 {n} 个阶段"), texts(entry, "work", f"{where} 第 {n} 个阶段")
        )
        for n, entry in enumerate(tables("phases"), start=1)
    )
    if tuple(phase.name for phase in phases) != tuple(p.label for p in Phase):
        raise BadFileError(f"{where}：阶段应依次为 {'、'.join(p.label for p in Phase)}")

    indicators: list[IndicatorKind] = []
    for n, entry in enumerate(tables("indicators"), start=1):
        place = f"{where} 第 {n} 个指标"
        name = text(entry, "name", place)
        kind = entry.get("kind")
        if not isinstance(kind, int) or isinstance(kind, bool) or kind not in categories:
            raise BadFileError(f"{place}：kind 应是 1–{len(categories)} 的检查类别编号")
        counties = entry.get("counties")
        if counties not in ("key", "all"):
            raise BadFileError(f'{place}：counties 应为 "key"（重点县）或 "all"（全部县市区）')
        try:
            threshold = parse_threshold(str(entry.get("threshold")))
        except InvalidInputError as problem:
            raise BadFileError(f"{place}：{problem.message}") from None
        if any(item.name == name for item in indicators):
            raise BadFileError(f"{place}：指标「{name}」重复")
        indicators.append(
            IndicatorKind(name, kind, text(entry, "description", place), counties == "key", threshold)
        )
    return Catalogue(tuple(kinds), phases, tuple(indicators))


# --- phases and who checks -------------------------------------------------------------------------


class Phase(StrEnum):
    PREPARATION = "preparation"  # 前期准备：制定检查方案、组织检查人员培训
    INSPECTION = "inspection"  # 实施检查：听汇报、查资料、核账目、看现场、验实体
    SUMMARY = "summary"  # 检查总结：交换意见、综合评价、形成报告

    @property
    def label(self) -> str:
        return _PHASE_LABELS[self]

    @property
    def order(self) -> int:
        return list(Phase).index(self)


_PHASE_LABELS = {Phase.PREPARATION: "前期准备", Phase.INSPECTION: "实施检查", Phase.SUMMARY: "检查总结"}


def parse_phase(text: str) -> Phase:
    cleaned = fold(text).lower()
    for phase in Phase:
        if cleaned in (phase.value, phase.label):
            return phase
    choices = "、".join(phase.label for phase in Phase)
    raise InvalidInputError(f"未知的阶段「{cleaned[:20]}」：请写 {choices}")


class CheckedBy(StrEnum):
    CITY = "city"  # 市扶贫办检查、抽查
    COUNTY = "county"  # 县（单位、村）自查
    MUTUAL = "mutual"  # 互查

    @property
    def label(self) -> str:
        return {CheckedBy.CITY: "市", CheckedBy.COUNTY: "县自查", CheckedBy.MUTUAL: "互查"}[self]


_CHECKED_BY_WORDS = {
    "city": CheckedBy.CITY,
    "市": CheckedBy.CITY,
    "市扶贫办": CheckedBy.CITY,
    "市抽查": CheckedBy.CITY,
    "county": CheckedBy.COUNTY,
    "县": CheckedBy.COUNTY,
    "县自查": CheckedBy.COUNTY,
    "自查": CheckedBy.COUNTY,
    "mutual": CheckedBy.MUTUAL,
    "互查": CheckedBy.MUTUAL,
}


def parse_checked_by(text: str) -> CheckedBy:
    found = _CHECKED_BY_WORDS.get(fold(text).lower())
    if found is None:
        raise InvalidInputError(
            f"未知的检查方「{text[:20]}」：请写 city（市）、county（县自查）或 mutual（互查）"
        )
    return found


@dataclass(frozen=True)
class Inspection:
    id: int | None
    year: int
    kind: int
    title: str
    method: str | None
    units: tuple[str, ...]
    phase: Phase
    opened_on: date
    phase_days: Mapping[Phase, date]
    """The day each phase reached so far began (a skipped phase has none)."""

    @property
    def phase_on(self) -> date:
        return self.phase_days.get(self.phase, self.opened_on)


def new_inspection(
    *,
    kind: InspectionKind,
    year: int,
    title: str,
    method: str | None,
    units: Sequence[str],
    phase: Phase,
    on: date,
    today: date,
) -> Inspection:
    check_year(year, today=today)
    check_step_day(on, today=today)
    chosen = single_line(method, what="检查方式")
    if chosen is not None and chosen not in kind.methods:
        raise InvalidInputError(
            f"{kind.name}的检查方式应为 {'、'.join(kind.methods)} 之一，而不是「{chosen[:20]}」"
        )
    return Inspection(
        id=None,
        year=year,
        kind=kind.no,
        title=single_line(title, what="检查名称", required=True, limit=200) or "",
        method=chosen,
        units=tuple(dict.fromkeys(units)),
        phase=phase,
        opened_on=on,
        phase_days={phase: on},
    )


def move_phase(inspection: Inspection, phase: Phase, *, on: date, today: date) -> Inspection:
    """Phases only go forward (a phase may be skipped); the new one begins on `on`."""
    if phase.order <= inspection.phase.order:
        later = [p.label for p in Phase if p.order > inspection.phase.order]
        allowed = f"只能进入 {'、'.join(later)}" if later else "已是最后一个阶段"
        raise InvalidTransitionError(
            f"检查 {inspection.id} 当前阶段为「{inspection.phase.label}」，不能转为「{phase.label}」：{allowed}"
        )
    check_step_day(
        on, today=today, after=inspection.phase_on, after_what=f"「{inspection.phase.label}」开始的日期"
    )
    return replace(inspection, phase=phase, phase_days={**inspection.phase_days, phase: on})


