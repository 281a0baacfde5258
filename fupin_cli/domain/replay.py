"""The record is the events: every row fupin owns, as its audit events say it should be.

`replay` walks the audit trail once, in order, and rebuilds from it the rows of the tables fupin
keeps (cases and their extensions, inspections and visits, findings and their steps, villages, the
yearly plans, indicators, the number series). `db check` compares what is stored with what this
returns; a row edited, added or deleted behind fupin's back disagrees with it.

Values are spelled as the events spell them (dates as YYYY-MM-DD, lists as lists). Columns the
events do not record (the row timestamps created_at and updated_at) are not rebuilt.
"""

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import MISSING, dataclass, field, fields
from datetime import date
from typing import Any

from fupin_cli.domain.case_model import Case, plain
from fupin_cli.domain.record_fields import FINDING_FIELDS, INDICATOR_FIELDS, INSPECTION_FIELDS

CASE_COLUMNS = tuple(f.name for f in fields(Case) if f.name not in ("id", "extensions"))
EXTENSION_COLUMNS = ("granted_on", "old_due", "new_due", "workdays", "reason", "approver", "provisional")
FINDING_COLUMNS = tuple(field.name for field in FINDING_FIELDS)
INSPECTION_COLUMNS = tuple(field.name for field in INSPECTION_FIELDS)
VISIT_COLUMNS = ("inspection_id", "village_id", "unit", "checked_by", "visited_on")
VILLAGE_COLUMNS = ("county", "name", "key_village", "project_years", "mutual_aid_pilot", "note", "updated_on")
PLAN_COLUMNS = ("period_year", "seed", "county_count", "plan", "villages_digest", "drawn_on", "drawn_by")
INDICATOR_COLUMNS = tuple(field.name for field in INDICATOR_FIELDS)
ATTACHMENT_COLUMNS = ("case_id", "name", "size", "sha256", "added_on", "added_by")

_FINDING_SUBJECT = re.compile(r"^问题 (\d+)$")
_INSPECTION_SUBJECT = re.compile(r"^检查 (\d+)$")
_PLAN_SUBJECT = re.compile(r"^计划〔(\d+)〕$")
_INDICATOR_SUBJECT = re.compile(r"^指标〔(\d+)〕(.+)·(.+)$")
VILLAGES_SUBJECT = "村庄名单"


def _case_defaults() -> dict[str, Any]:
    defaults: dict[str, Any] = {}
    for f in fields(Case):
        if f.name in CASE_COLUMNS:
            defaults[f.name] = plain(f.default) if f.default is not MISSING else None
    return defaults


@dataclass
class Replayed:
    """The rows the events describe, keyed as the tables key them."""

    cases: dict[int, dict[str, Any]] = field(default_factory=dict)
    extensions: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    findings: dict[int, dict[str, Any]] = field(default_factory=dict)
    inspections: dict[int, dict[str, Any]] = field(default_factory=dict)
    visits: dict[int, dict[str, Any]] = field(default_factory=dict)
    villages: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    """In the order the villages were first imported (which is their id order)."""
    plans: dict[int, dict[str, Any]] = field(default_factory=dict)
    indicators: dict[tuple[int, str, str], dict[str, Any]] = field(default_factory=dict)
    counters: dict[int, int] = field(default_factory=dict)
    attachments: dict[int, dict[str, Any]] = field(default_factory=dict)
    """Files kept with a case's step, by id: name, size and SHA-256 as the step's event recorded them."""
    problems: list[str] = field(default_factory=list)
    """Events that cannot follow the ones before them (a step on a case never opened...)."""


def _json(raw: Any) -> dict[str, Any]:
    if not raw:
        return {}
    value = json.loads(raw) if isinstance(raw, str) else raw
    return value if isinstance(value, dict) else {}


def _day(value: Any) -> str | None:
    if isinstance(value, date):
        return value.isoformat()
    return None if value is None else str(value)


def replay(events: Iterable[Mapping[str, Any]]) -> Replayed:
    """Every owned row as the events, taken in order, leave it."""
    state = Replayed()
    for event in events:
        _apply(state, event)
    return state


def _apply(state: Replayed, event: Mapping[str, Any]) -> None:
    subject = str(event.get("subject") or "")
    action = str(event.get("action") or "")
    after = _json(event.get("after"))
    before = _json(event.get("before"))
    if (match := _FINDING_SUBJECT.match(subject)) is not None:
        _apply_finding(state, int(match.group(1)), event, action, after)
    elif (match := _INSPECTION_SUBJECT.match(subject)) is not None:
        _apply_inspection(state, int(match.group(1)), event, action, after)
    elif subject == VILLAGES_SUBJECT and action in ("village_import", "village_demo"):
        _apply_villages(state, event, after)
    elif (match := _PLAN_SUBJECT.match(subject)) is not None and action in ("plan_draw", "plan_redraw"):
        _apply_plan(state, int(match.group(1)), event, after)
    elif (match := _INDICATOR_SUBJECT.match(subject)) is not None and action == "indicator":
        key = (int(match.group(1)), match.group(2), match.group(3))
        state.indicators[key] = {
            "numerator": after.get("numerator"),
            "denominator": after.get("denominator"),
            "recorded_on": _day(event.get("effective_on")),
        }
    elif event.get("case_id") is not None:
        _apply_case(state, int(event["case_id"]), event, action, before, after)


def _apply_case(
    state: Replayed,
    case_id: int,
    event: Mapping[str, Any],
    action: str,
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    if action == "open":
        if case_id in state.cases:
            state.problems.append(f"第 {event['id']} 号审计记录再次立项已有的督查事项（内部编号 {case_id}）")
            return
        row = _case_defaults()
        row.update({key: value for key, value in after.items() if key in CASE_COLUMNS})
        state.cases[case_id] = row
        state.extensions[case_id] = []
        year, serial = row.get("year"), row.get("serial")
        if isinstance(year, int) and isinstance(serial, int):
            state.counters[year] = max(state.counters.get(year, 0), serial)
        return
    row = state.cases.get(case_id)
    if row is None:
        state.problems.append(f"第 {event['id']} 号审计记录所改的督查事项（内部编号 {case_id}）没有立项记录")
        return
    row.update({key: value for key, value in after.items() if key in CASE_COLUMNS})
    kept = after.get("attachment")
    if isinstance(kept, dict) and isinstance(kept.get("id"), int):
        state.attachments[kept["id"]] = {
            "case_id": case_id,
            "name": kept.get("name"),
            "size": kept.get("size"),
            "sha256": kept.get("sha256"),
            "added_on": _day(event.get("effective_on")),
            "added_by": event.get("operator"),
        }
    granted = after.get("extension")
    if isinstance(granted, dict):
        state.extensions[case_id].append({key: granted.get(key) for key in EXTENSION_COLUMNS})
    _move_extensions(state.extensions[case_id], before.get("extensions"), after.get("extensions"))


def _move_extensions(current: list[dict[str, Any]], old: Any, new: Any) -> None:
    """A recheck records the extensions it moved (before and after), in their order."""
    if not isinstance(old, list) or not isinstance(new, list):
        return
    position = 0
    for was, now in zip(old, new, strict=False):
        wanted = {key: was.get(key) for key in EXTENSION_COLUMNS}
        while position < len(current) and current[position] != wanted:
            position += 1
        if position == len(current):
            return  # the events disagree with themselves; the row comparison will show it
        current[position] = {key: now.get(key) for key in EXTENSION_COLUMNS}
        position += 1


def _apply_finding(
    state: Replayed, finding_id: int, event: Mapping[str, Any], action: str, after: dict[str, Any]
) -> None:
    if action == "finding":
        state.findings[finding_id] = {key: after.get(key) for key in FINDING_COLUMNS}
        return
    row = state.findings.get(finding_id)
    if row is None:
        state.problems.append(f"第 {event['id']} 号审计记录所改的问题 {finding_id} 没有登记记录")
        return
    row.update({key: value for key, value in after.items() if key in FINDING_COLUMNS})
    case_id = event.get("case_id")
    if action == "handover" and case_id is not None and int(case_id) in state.cases:
        state.cases[int(case_id)]["finding_id"] = finding_id


def _apply_inspection(
    state: Replayed, inspection_id: int, event: Mapping[str, Any], action: str, after: dict[str, Any]
) -> None:
    if action == "inspection_open":
        state.inspections[inspection_id] = {key: after.get(key) for key in INSPECTION_COLUMNS}
        return
    if action == "visit":
        state.visits[int(after.get("visit_id") or 0)] = {
            "inspection_id": inspection_id,
            "village_id": after.get("village_id"),
            "unit": after.get("unit"),
            "checked_by": after.get("checked_by"),
            "visited_on": _day(event.get("effective_on")),
        }
        return
    row = state.inspections.get(inspection_id)
    if row is None:
        state.problems.append(f"第 {event['id']} 号审计记录所改的检查 {inspection_id} 没有登记记录")
        return
    row.update({key: value for key, value in after.items() if key in INSPECTION_COLUMNS})


def _apply_villages(state: Replayed, event: Mapping[str, Any], after: dict[str, Any]) -> None:
    on = _day(event.get("effective_on"))
    for added in after.get("added") or []:
        key = (added.get("county"), added.get("name"))
        state.villages[key] = {**{name: added.get(name) for name in VILLAGE_COLUMNS}, "updated_on": on}
    for updated in after.get("updated") or []:
        key = (updated.get("county"), updated.get("name"))
        row = state.villages.get(key)
        if row is None:
            state.problems.append(f"第 {event['id']} 号审计记录所改的村 {key[0]}{key[1]} 没有导入记录")
            continue
        changes = updated.get("after") or {}
        row.update({name: value for name, value in changes.items() if name in VILLAGE_COLUMNS})
        row["updated_on"] = on


def _apply_plan(state: Replayed, year: int, event: Mapping[str, Any], after: dict[str, Any]) -> None:
    plan = after.get("plan") or {}
    previous = state.plans.get(year, {})
    state.plans[year] = {
        "period_year": plan.get("period_year"),
        "seed": str(after.get("seed")),
        "county_count": after.get("county_count", previous.get("county_count")),
        "plan": plan,
        "villages_digest": after.get("villages_digest"),
        "drawn_on": _day(event.get("effective_on")),
        "drawn_by": event.get("operator"),
    }
