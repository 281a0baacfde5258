"""The hash chain of the audit trail: each event carries the hash of the one before it."""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

GENESIS = "0" * 64


class AuditAction(StrEnum):
    """The audit events that are not a step of a case's workflow (domain.workflow.Action) nor of a
    finding's (domain.inspections.FindingAction). Stored as their value; never renamed."""

    OPEN = "open"  # 拟办: a case is opened
    RECHECK = "recheck"  # 期限重算
    VILLAGE_IMPORT = "village_import"
    VILLAGE_DEMO = "village_demo"
    PLAN_DRAW = "plan_draw"
    PLAN_REDRAW = "plan_redraw"
    INSPECTION_OPEN = "inspection_open"
    INSPECTION_PHASE = "inspection_phase"
    VISIT = "visit"
    FINDING = "finding"
    INDICATOR = "indicator"

CHAINED_FIELDS = (
    "id",
    "case_id",
    "subject",
    "action",
    "operator",
    "recorded_at",
    "effective_on",
    "before",
    "after",
)


def canonical_json(value: Any) -> str:
    """The one JSON spelling used inside events: sorted keys, no spaces, non-ASCII kept."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def event_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    body = canonical_json({name: fields.get(name) for name in CHAINED_FIELDS})
    return hashlib.sha256((prev_hash + "\n" + body).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    reason: str


def first_break(events: Iterable[Mapping[str, Any]]) -> ChainBreak | None:
    """Walk the events in id order; name the first whose link or content does not hold."""
    previous = GENESIS
    for event in events:
        if event["prev_hash"] != previous:
            return ChainBreak(int(event["id"]), "与前一条记录的链接不符（前面的记录被改动或删除）")
        if event_hash(previous, event) != event["hash"]:
            return ChainBreak(int(event["id"]), "内容与其哈希不符（这条记录被改动）")
        previous = event["hash"]
    return None
