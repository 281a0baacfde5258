"""监督检查: the five kinds, villages, inspections and their phases, findings and their orders to
correct, county indicators. Pure: standard library only; 'today' is always a parameter.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction
from typing import Any

from fupin_cli.domain.dates import check_step_day
from fupin_cli.domain.errors import (
    BadFileError,
    InvalidInputError,
    InvalidTransitionError,
    RuleViolationError,
)
from fupin_cli.domain.text import MAX_NAME_CHARS, MAX_TEXT_CHARS, free_text, single_line  # noqa: F401

FIRST_YEAR = 2004
"""The first year fupin accepts for a plan, an inspection or a project village."""
DEFAULT_ORDER_WORKDAYS = 10
"""责令限期改正: the time limit when none is given, as for a 督查事项 (一般不超过10个工作日)."""
MAX_AMOUNT_FEN = 10**15
"""A sum above ten trillion 元 is a typing mistake."""


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


# --- small readers ---------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Full-width digits and letters to half-width, spaces trimmed (also the ideographic space)."""
    return unicodedata.normalize("NFKC", text).strip()


def check_year(year: int, *, today: date, what: str = "年度") -> int:
    if not FIRST_YEAR <= year <= today.year + 1:
        raise InvalidInputError(f"{what} {year} 不在 {FIRST_YEAR}–{today.year + 1} 之间")
    return year


_AMOUNT = re.compile(r"(?P<number>[0-9][0-9,]*(?:\.[0-9]+)?)(?P<unit>万元|万|元)?")


def parse_amount(text: str) -> int:
    """An amount in 元 as typed (1234.5, 1,234.50元, 3.5万元) → whole 分."""
    cleaned = fold(text).replace("，", ",").replace(" ", "")
    match = _AMOUNT.fullmatch(cleaned)
    if match is None:
        raise InvalidInputError(f"无法识别的金额「{text[:30]}」：请写 12345.67、12345.67元 或 3.5万元")
    try:
        value = Decimal(match.group("number").replace(",", ""))
    except InvalidOperation:
        raise InvalidInputError(f"无法识别的金额「{text[:30]}」") from None
    if match.group("unit") in ("万", "万元"):
        value *= 10000
    fen = value * 100
    if fen != fen.to_integral_value():
        raise InvalidInputError(f"金额「{text[:30]}」精确到分即可（最多两位小数）")
    if fen > MAX_AMOUNT_FEN:
        raise InvalidInputError(f"金额「{text[:30]}」过大")
    return int(fen)


def format_amount(fen: int | None) -> str:
    if fen is None:
        return ""
    return f"{Decimal(fen) / 100:,.2f}"


def parse_threshold(text: str) -> Fraction:
    """0.95, 95% or 19/20 → an exact fraction in (0, 1]."""
    cleaned = fold(text).replace("％", "%")
    try:
        value = Fraction(cleaned[:-1]) / 100 if cleaned.endswith("%") else Fraction(cleaned)
    except (ValueError, ZeroDivisionError):
        raise InvalidInputError(f"无法识别的阈值「{text[:20]}」：请写 0.95 或 95%") from None
    if not 0 < value <= 1:
        raise InvalidInputError(f"阈值应大于 0、不大于 1（100%），而不是 {text[:20]}")
    return value


def percent(value: Fraction, places: int = 2) -> str:
    """19/20 → 95.00%, rounded half up on the exact value."""
    scaled = value * 100 * 10**places
    rounded = int(scaled + Fraction(1, 2)) if scaled >= 0 else -int(-scaled + Fraction(1, 2))
    whole, part = divmod(rounded, 10**places)
    return f"{whole}.{part:0{places}d}%" if places else f"{whole}%"


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


# --- findings and their orders to correct ----------------------------------------------------------


class FindingState(StrEnum):
    OPEN = "open"  # 待整改：责令限期改正，期限未到或已过
    RECTIFIED = "rectified"  # 已整改：单位报告已改正，待核实
    VERIFIED = "verified"  # 已核实：整改经核实（结束）
    HANDED_OVER = "handed_over"  # 已移交：转为督查事项办理（结束）

    @property
    def label(self) -> str:
        return {
            FindingState.OPEN: "待整改",
            FindingState.RECTIFIED: "已整改",
            FindingState.VERIFIED: "已核实",
            FindingState.HANDED_OVER: "已移交",
        }[self]


class FindingAction(StrEnum):
    RECTIFY = "rectify"
    VERIFY = "verify"
    HANDOVER = "handover"

    @property
    def label(self) -> str:
        return {FindingAction.RECTIFY: "整改", FindingAction.VERIFY: "核实", FindingAction.HANDOVER: "移交"}[
            self
        ]


FINDING_MOVES: Mapping[FindingState, Mapping[FindingAction, FindingState]] = {
    FindingState.OPEN: {
        FindingAction.RECTIFY: FindingState.RECTIFIED,
        FindingAction.HANDOVER: FindingState.HANDED_OVER,
    },
    FindingState.RECTIFIED: {
        FindingAction.VERIFY: FindingState.VERIFIED,
        FindingAction.HANDOVER: FindingState.HANDED_OVER,
    },
    FindingState.VERIFIED: {},
    FindingState.HANDED_OVER: {},
}


@dataclass(frozen=True)
class Finding:
    id: int | None
    inspection_id: int
    unit: str
    village_id: int | None
    text: str
    code: str | None
    amount_fen: int | None
    ordered_on: date
    workdays: int
    due: date
    due_provisional: bool
    rectified_on: date | None = None
    verified_on: date | None = None
    handed_over_on: date | None = None
    case_id: int | None = None

    @property
    def state(self) -> FindingState:
        if self.handed_over_on is not None:
            return FindingState.HANDED_OVER
        if self.verified_on is not None:
            return FindingState.VERIFIED
        if self.rectified_on is not None:
            return FindingState.RECTIFIED
        return FindingState.OPEN

    @property
    def last_step_on(self) -> date:
        return max(d for d in (self.ordered_on, self.rectified_on, self.verified_on) if d is not None)


def finding_code(code: str | None, kind: InspectionKind) -> str | None:
    """--code: one of the kind's violations (雨露计划 Y1–Y6); other kinds have none."""
    if code is None:
        return None
    cleaned = fold(code).upper()
    if not kind.violations:
        raise RuleViolationError(
            f"{kind.name}没有违规情形编号：--code 只用于 {'、'.join(_kinds_with_codes(kind))}"
        )
    if kind.violation(cleaned) is None:
        raise InvalidInputError(
            f"未知的情形编号「{cleaned[:10]}」：请写 {'、'.join(v.code for v in kind.violations)}"
        )
    return cleaned


def _kinds_with_codes(kind: InspectionKind) -> list[str]:
    return ["雨露计划监督检查"] if kind.no != 5 else [kind.name]


def check_workdays(workdays: int) -> int:
    if not 1 <= workdays <= 250:
        raise InvalidInputError(f"整改时限应为 1 至 250 个工作日，而不是 {workdays}")
    return workdays


def finding_step(finding: Finding, action: FindingAction, *, on: date, today: date) -> Finding:
    """整改, 核实 or 移交: refused unless the table allows it from the finding's state and `on` fits."""
    moves = FINDING_MOVES[finding.state]
    if action not in moves:
        allowed = "、".join(move.label for move in moves) or "无（已结束）"
        raise InvalidTransitionError(
            f"问题 {finding.id} 当前为「{finding.state.label}」，不能{action.label}；可做：{allowed}"
        )
    check_step_day(on, today=today, after=finding.last_step_on, after_what="上一步的日期")
    if action is FindingAction.RECTIFY:
        return replace(finding, rectified_on=on)
    if action is FindingAction.VERIFY:
        return replace(finding, verified_on=on)
    return replace(finding, handed_over_on=on)


def finding_fields(finding: Finding) -> dict[str, Any]:
    """What an audit event records of a finding."""
    return {
        "inspection_id": finding.inspection_id,
        "unit": finding.unit,
        "village_id": finding.village_id,
        "text": finding.text,
        "code": finding.code,
        "amount_fen": finding.amount_fen,
        "ordered_on": finding.ordered_on.isoformat(),
        "workdays": finding.workdays,
        "due": finding.due.isoformat(),
        "due_provisional": finding.due_provisional,
        "rectified_on": finding.rectified_on.isoformat() if finding.rectified_on else None,
        "verified_on": finding.verified_on.isoformat() if finding.verified_on else None,
        "handed_over_on": finding.handed_over_on.isoformat() if finding.handed_over_on else None,
        "case_id": finding.case_id,
        "state": finding.state.value,
    }


def changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


# --- indicators ------------------------------------------------------------------------------------


def check_rate(numerator: int, denominator: int) -> Fraction:
    if denominator <= 0:
        raise InvalidInputError(f"分母应大于 0，而不是 {denominator}")
    if numerator < 0:
        raise InvalidInputError(f"分子不能为负数（{numerator}）")
    if numerator > denominator:
        raise InvalidInputError(f"分子 {numerator} 大于分母 {denominator}：比率不能超过 100%")
    return Fraction(numerator, denominator)


# --- villages from CSV -----------------------------------------------------------------------------


@dataclass(frozen=True)
class VillageRecord:
    """One village of the office's list as imported."""

    county: str
    name: str
    key_village: bool
    project_years: tuple[int, ...]
    mutual_aid_pilot: bool
    note: str | None = None
    line: int = 0
    """The line of the file it came from (0 when not from a file)."""


VILLAGE_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "county": ("县", "县（市、区）", "县(市、区)", "县市区", "所在县", "county"),
    "village": ("村", "村名", "行政村", "village"),
    "key_village": ("重点村", "key_village", "key"),
    "project_years": ("项目实施村年度", "项目实施年度", "项目实施村", "project_year", "project_years"),
    "mutual_aid_pilot": ("互助资金试点村", "互助资金试点", "mutual_aid_pilot", "mutual_aid"),
    "note": ("备注", "note"),
}
REQUIRED_COLUMNS = ("county", "village", "key_village", "project_years", "mutual_aid_pilot")
COLUMN_LABELS = {
    "county": "县",
    "village": "村",
    "key_village": "重点村",
    "project_years": "项目实施村年度",
    "mutual_aid_pilot": "互助资金试点村",
    "note": "备注",
}
_TRUE = {"是", "1", "true", "yes", "y", "√"}
_FALSE = {"否", "0", "false", "no", "n"}
_YEAR_SPLIT = re.compile(r"[、,，;；/\s]+")


def _header_key(cell: str) -> str:
    return fold(cell).lower().replace(" ", "_").replace("-", "_")


_BY_HEADER = {_header_key(alias): key for key, aliases in VILLAGE_COLUMNS.items() for alias in aliases}


def parse_flag(cell: str) -> bool | None:
    cleaned = fold(cell).lower()
    if cleaned in _TRUE:
        return True
    if cleaned in _FALSE:
        return False
    return None


def parse_village_csv(
    text: str, *, source: str, counties: Callable[[str], str | None], today: date
) -> list[VillageRecord]:
    """Every row of a village CSV, checked; the first problem is refused naming its line and column.

    Lines whose first cell starts with # are comments. `counties` maps what a row says of its county
    (唐县, or a unit's full name) to the county's name, or None when it is not a known county.
    """
    reader = csv.reader(io.StringIO(text))
    header: dict[int, str] | None = None
    records: list[VillageRecord] = []
    seen: dict[tuple[str, str], int] = {}
    try:
        for row in reader:
            line = reader.line_num
            if not row or all(not cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
                continue
            if header is None:
                header = _read_header(row, source=source, line=line)
                continue
            record = _read_row(row, header, source=source, line=line, counties=counties, today=today)
            key = (record.county, record.name)
            if key in seen:
                raise BadFileError(
                    f"{source} 第 {line} 行：{record.county}{record.name} 与第 {seen[key]} 行重复"
                )
            seen[key] = line
            records.append(record)
    except csv.Error as problem:
        raise BadFileError(f"{source} 第 {reader.line_num} 行：不是有效的 CSV（{problem}）") from None
    if header is None or not records:
        raise BadFileError(
            f"{source}：没有村庄数据（首行应为表头：{'、'.join(COLUMN_LABELS[c] for c in REQUIRED_COLUMNS)}）"
        )
    return records


def _read_header(row: Sequence[str], *, source: str, line: int) -> dict[int, str]:
    header: dict[int, str] = {}
    for position, cell in enumerate(row):
        if not cell.strip():
            continue
        key = _BY_HEADER.get(_header_key(cell))
        if key is None:
            known = "、".join(COLUMN_LABELS.values())
            raise BadFileError(
                f"{source} 第 {line} 行第 {position + 1} 列：不认识的列名「{cell.strip()[:20]}」（应为 {known}）"
            )
        if key in header.values():
            raise BadFileError(f"{source} 第 {line} 行：「{COLUMN_LABELS[key]}」列出现了两次")
        header[position] = key
    missing = [COLUMN_LABELS[key] for key in REQUIRED_COLUMNS if key not in header.values()]
    if missing:
        raise BadFileError(f"{source} 第 {line} 行：表头缺少 {'、'.join(missing)} 列")
    return header


def _read_row(
    row: Sequence[str],
    header: Mapping[int, str],
    *,
    source: str,
    line: int,
    counties: Callable[[str], str | None],
    today: date,
) -> VillageRecord:
    cells = {key: (row[position] if position < len(row) else "") for position, key in header.items()}
    extra = [cell for position, cell in enumerate(row) if position not in header and cell.strip()]
    if extra:
        raise BadFileError(f"{source} 第 {line} 行：多出表头没有的数据「{extra[0].strip()[:20]}」")

    def problem(key: str, reason: str) -> BadFileError:
        return BadFileError(f"{source} 第 {line} 行「{COLUMN_LABELS[key]}」列：{reason}")

    def name(key: str) -> str:
        value = fold(cells[key])
        if not value:
            raise problem(key, "不能为空")
        if len(value) > MAX_NAME_CHARS or any(not ch.isprintable() for ch in value):
            raise problem(key, f"「{value[:20]}」不是一个名称（至多 {MAX_NAME_CHARS} 字、一行）")
        return value

    def flag(key: str) -> bool:
        value = parse_flag(cells[key])
        if value is None:
            raise problem(key, f"「{cells[key].strip()[:10]}」应为 是 或 否（也可写 1/0、true/false）")
        return value

    typed_county = name("county")
    county = counties(typed_county)
    if county is None:
        raise problem("county", f"「{typed_county[:20]}」不是已知的县（市、区）")
    years: set[int] = set()
    for part in _YEAR_SPLIT.split(fold(cells["project_years"])):
        cleaned = part.removesuffix("年")
        if not cleaned:
            continue
        if not cleaned.isdigit() or not FIRST_YEAR <= int(cleaned) <= today.year + 1:
            raise problem(
                "project_years",
                f"「{part[:10]}」应是 {FIRST_YEAR}–{today.year + 1} 之间的年份，不是项目实施村则留空",
            )
        years.add(int(cleaned))
    note = fold(cells.get("note", "")) or None
    if note is not None and len(note) > 200:
        raise problem("note", "过长（至多 200 字）")
    return VillageRecord(
        county=county,
        name=name("village"),
        key_village=flag("key_village"),
        project_years=tuple(sorted(years)),
        mutual_aid_pilot=flag("mutual_aid_pilot"),
        note=note,
        line=line,
    )


def encode_years(years: Iterable[int]) -> str | None:
    ordered = sorted(set(years))
    return ",".join(str(year) for year in ordered) if ordered else None


def decode_years(stored: str | None) -> tuple[int, ...]:
    return tuple(int(part) for part in stored.split(",")) if stored else ()


def village_fields(record: VillageRecord) -> dict[str, Any]:
    return {
        "county": record.county,
        "name": record.name,
        "key_village": record.key_village,
        "project_years": list(record.project_years),
        "mutual_aid_pilot": record.mutual_aid_pilot,
        "note": record.note,
    }


def known_county(aliases: Mapping[str, str]) -> Callable[[str], str | None]:
    """A lookup for parse_village_csv from {what may be typed: county}."""
    folded = {fold(key): value for key, value in aliases.items()}
    return lambda typed: folded.get(fold(typed))
