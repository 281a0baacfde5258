"""Findings (问题) of an inspection and their orders to correct (整改): states, moves, codes and the
fields an audit event records. Pure: standard library only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from fupin_cli.domain.check_values import fold
from fupin_cli.domain.dates import check_step_day
from fupin_cli.domain.errors import (
    InvalidInputError,
    InvalidTransitionError,
    RuleViolationError,
)

if TYPE_CHECKING:  # annotations only: case show's labels import this module, not the catalogue
    from fupin_cli.domain.inspections import InspectionKind

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


def finding_subject(finding_id: int) -> str:
    """How a finding is named in the audit trail."""
    return f"问题 {finding_id}"
