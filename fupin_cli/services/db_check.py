"""`fupin db check`: the database and its audit chain checked whole — SQLite's integrity, the schema,
the chain's links, and every row fupin owns replayed from its events. `db restore` checks a backup
with the same `verify_contents`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from fupin_cli.domain.audit import ChainBreak
from fupin_cli.domain.errors import DatabaseError, InvalidInputError
from fupin_cli.domain.numbering import CaseNumber
from fupin_cli.domain.record_fields import CASE_LABELS, FINDING_LABELS, INDICATOR_FIELDS, INSPECTION_FIELDS
from fupin_cli.domain.replay import (
    ATTACHMENT_COLUMNS,
    CASE_COLUMNS,
    EXTENSION_COLUMNS,
    FINDING_COLUMNS,
    INDICATOR_COLUMNS,
    INSPECTION_COLUMNS,
    PLAN_COLUMNS,
    VILLAGE_COLUMNS,
    VISIT_COLUMNS,
    Replayed,
    replay,
)
from fupin_cli.domain.villages import decode_years
from fupin_cli.domain.workflow import State
from fupin_cli.services.database_info import format_head
from fupin_cli.services.unit_of_work import opened
from fupin_cli.settings import Settings
from fupin_cli.storage import database_rows, maintenance, migrations
from fupin_cli.storage.events import iter_events, verify_chain
from fupin_cli.storage.session_rows import SessionRows

if TYPE_CHECKING:
    from sqlalchemy import Connection


@dataclass(frozen=True)
class CheckReport:
    """What `db check` found: all well, or it would have raised."""

    location: str
    backend: str
    integrity_checked: bool
    events: int
    counts: dict[str, int]
    head: str = "0:-"
    """COUNT:HASH of the last audit event: keep it elsewhere, give it back with --expect."""


def check_database(*, settings: Settings, expect: str | None = None) -> CheckReport:
    """The full check: SQLite's integrity and foreign keys (PostgreSQL vouches for its own), the
    schema (fupin's tables and nothing else), the audit chain, every owned row against its events,
    and, with `expect` (COUNT:HASH as an earlier check printed it), that the chain still holds it.

    Raises DatabaseError naming the first problem found.
    """
    anchor = parse_anchor(expect) if expect is not None else None
    with opened(settings) as database, database.read() as conn:
        integrity_checked = database.backend == "sqlite"
        events, head = verify_contents(
            conn, shown=f"数据库 {database.location.shown}", sqlite=integrity_checked, anchor=anchor
        )
        counts = database_rows.row_counts(SessionRows(conn))
    return CheckReport(
        location=database.location.shown,
        backend=database.backend,
        integrity_checked=integrity_checked,
        events=events,
        counts=counts,
        head=head,
    )


def verify_contents(
    conn: Connection, *, shown: str, sqlite: bool, anchor: tuple[int, str] | None = None
) -> tuple[int, str]:
    """Everything `db check` verifies on an open connection; returns the chain head (count, COUNT:HASH)."""
    if sqlite:
        problems = maintenance.sqlite_problems(conn)
        if problems:
            more = f"（另有 {len(problems) - 1} 处问题）" if len(problems) > 1 else ""
            raise DatabaseError(f"{shown} 完整性检查未通过：{problems[0]}{more}")
    found = _schema_disagrees(conn)
    if found is not None:
        raise DatabaseError(f"{shown} 中{found}：请核查谁改动了数据库结构")
    events, last_hash, broken = _chain_disagrees(conn)
    if broken is not None:
        raise DatabaseError(f"{shown}{broken}")
    if anchor is not None:
        _check_anchor(conn, anchor, shown=shown)
    disagreement = _first_disagreement(conn)
    if disagreement is not None:
        raise DatabaseError(f"{shown} 中{disagreement}（记录之外被改动过）")
    return events, format_head(events, last_hash)


def parse_anchor(text: str) -> tuple[int, str]:
    """COUNT:HASH as `db check` printed it; InvalidInputError otherwise."""
    count, _, digest = text.strip().partition(":")
    digest = digest.strip().lower()
    if not count.isdigit() or int(count) < 1 or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise InvalidInputError(
            f"无法识别的链头「{text[:80]}」：应为「条数:哈希」，例如 12:3fa4…（64 位十六进制），"
            "照 fupin db check 打印的链头抄录"
        )
    return int(count), digest


def _check_anchor(conn: Connection, anchor: tuple[int, str], *, shown: str) -> None:
    count, digest = anchor
    stored = maintenance.event_hash_at(conn, count)
    if stored is None:
        raise DatabaseError(
            f"{shown} 的审计记录少于所记链头的 {count} 条：末尾的记录被删除过"
        )
    if stored != digest:
        raise DatabaseError(
            f"{shown} 第 {count} 号审计记录的哈希与所记链头不符：审计链被改写并重算过"
        )


def _first_disagreement(conn: Connection) -> str | None:
    """The first row fupin owns that is not what its events say, or None when all agree.

    Replays the whole audit trail (domain.replay) and compares, table by table, every stored row
    with the row the events leave: a row edited, added or deleted behind fupin's back shows here.
    """
    replayed = replay(iter_events(conn))
    if replayed.problems:
        return replayed.problems[0]
    for compare in (
        _cases_disagree,
        _extensions_disagree,
        _findings_disagree,
        _inspections_disagree,
        _visits_disagree,
        _villages_disagree,
        _plans_disagree,
        _indicators_disagree,
        _counters_disagree,
        _attachments_disagree,
        _reference_disagrees,
    ):
        found = compare(conn, replayed)
        if found is not None:
            return found
    return None


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _differs(stored: dict[str, Any], expected: dict[str, Any], columns: tuple[str, ...]) -> str | None:
    """The first column whose stored value is not the one the events give."""
    for column in columns:
        if _plain(stored.get(column)) != expected.get(column):
            return column
    return None


def _keyed(
    what: str,
    stored: Mapping[Any, dict[str, Any]] | Iterable[tuple[Any, dict[str, Any]]],
    expected: dict[Any, dict[str, Any]],
    columns: tuple[str, ...],
    name: Any = str,
) -> str | None:
    """Compare stored rows (a mapping, or a stream of (key, row)) with the rows the events give."""
    seen: set[Any] = set()
    pairs = stored.items() if isinstance(stored, Mapping) else stored
    for key, row in pairs:
        seen.add(key)
        wanted = expected.get(key)
        if wanted is None:
            return f"{what} {name(key)} 没有审计记录"
        column = _differs(row, wanted, columns)
        if column is not None:
            labels = _LABELS_OF.get(what, _LABELS)
            return f"{what} {name(key)} 的{_shown_difference(column, row.get(column), wanted.get(column), labels)}"
    missing = [key for key in expected if key not in seen]
    if missing:
        return f"审计记录中的{what} {name(missing[0])} 不存在（被删除）"
    return None


_LABELS = {**CASE_LABELS, "reason": "理由"}
"""How `db check` names a column that disagrees: the field tables' labels (domain.record_fields)."""
_LABELS_OF = {
    "问题": FINDING_LABELS,
    "检查": {field.name: field.label for field in INSPECTION_FIELDS},
    "指标": {field.name: field.label for field in INDICATOR_FIELDS},
}


def _shown_difference(column: str, stored: Any, expected: Any, labels: Mapping[str, str] = _LABELS) -> str:
    """「状态是「已办结」，审计记录却是「已交办」」: the column and both values, each cut to 30 characters."""

    def shown(value: Any) -> str:
        if column == "state":
            return _state_label(value)
        text = "无" if value is None else str(_plain(value))
        return text if len(text) <= 30 else text[:29] + "…"

    label = labels.get(column, column)
    return f"{label}是「{shown(stored)}」，审计记录却是「{shown(expected)}」"


def _cases_disagree(conn: Connection, replayed: Replayed) -> str | None:
    def stored() -> Iterator[tuple[int, dict[str, Any]]]:  # streamed: 100 000 cases need not sit in memory twice
        for row in maintenance.owned_rows(conn, "cases"):
            row["assist_units"] = json.loads(row["assist_units"]) if row["assist_units"] else []
            yield int(row["id"]), row

    def number(case_id: int) -> str:
        row = replayed.cases.get(case_id) or next(
            (dict(r) for r in maintenance.owned_rows(conn, "cases") if r["id"] == case_id), {}
        )
        if isinstance(row.get("year"), int) and isinstance(row.get("serial"), int):
            return str(CaseNumber(row["year"], row["serial"]))
        return f"（内部编号 {case_id}）"

    return _keyed("督查事项", stored(), replayed.cases, CASE_COLUMNS, number)


def _extensions_disagree(conn: Connection, replayed: Replayed) -> str | None:
    stored: dict[int, list[dict[str, Any]]] = {}
    for row in maintenance.owned_rows(conn, "case_extension"):
        stored.setdefault(int(row["case_id"]), []).append(row)
    for case_id in sorted(set(stored) | {key for key, rows in replayed.extensions.items() if rows}):
        mine, wanted = stored.get(case_id, []), replayed.extensions.get(case_id, [])
        if len(mine) != len(wanted):
            return f"督查事项（内部编号 {case_id}）有 {len(mine)} 条延期记录，审计记录却是 {len(wanted)} 条"
        for position, (row, expected) in enumerate(zip(mine, wanted, strict=True), start=1):
            column = _differs(row, expected, EXTENSION_COLUMNS)
            if column is not None:
                change = _shown_difference(column, row.get(column), expected.get(column))
                return f"督查事项（内部编号 {case_id}）第 {position} 次延期的{change}"
    return None


def _by_id(conn: Connection, table: str) -> dict[int, dict[str, Any]]:
    return {int(row["id"]): row for row in maintenance.owned_rows(conn, table)}


def _findings_disagree(conn: Connection, replayed: Replayed) -> str | None:
    return _keyed("问题", _by_id(conn, "finding"), replayed.findings, FINDING_COLUMNS)


def _inspections_disagree(conn: Connection, replayed: Replayed) -> str | None:
    stored = _by_id(conn, "inspection")
    for row in stored.values():
        row["units"] = json.loads(row["units"]) if row["units"] else []
    return _keyed("检查", stored, replayed.inspections, INSPECTION_COLUMNS)


def _visits_disagree(conn: Connection, replayed: Replayed) -> str | None:
    return _keyed("检查对象登记", _by_id(conn, "inspection_visit"), replayed.visits, VISIT_COLUMNS)


def _villages_disagree(conn: Connection, replayed: Replayed) -> str | None:
    stored: dict[tuple[str, str], dict[str, Any]] = {}
    for row in maintenance.owned_rows(conn, "village"):
        row["project_years"] = list(decode_years(row["project_years"]))
        stored[(row["county"], row["name"])] = row
    expected = {
        key: {**row, "project_years": sorted(row.get("project_years") or [])}
        for key, row in replayed.villages.items()
    }
    found = _keyed("村", stored, expected, VILLAGE_COLUMNS, lambda key: f"{key[0]}{key[1]}")
    if found is None and list(stored) != list(expected):
        return "村的内部编号与导入的先后不符（记录被删除后重新插入过）"
    return found


def _plans_disagree(conn: Connection, replayed: Replayed) -> str | None:
    stored: dict[int, dict[str, Any]] = {}
    for row in maintenance.owned_rows(conn, "inspection_plan"):
        row["plan"] = json.loads(row["plan"])
        stored[int(row["year"])] = row
    expected = {
        year: {**row, "county_count": row["county_count"] if row["county_count"] is not None else stored.get(year, {}).get("county_count")}
        for year, row in replayed.plans.items()
    }
    return _keyed("检查计划", stored, expected, PLAN_COLUMNS, lambda year: f"〔{year}〕")


def _indicators_disagree(conn: Connection, replayed: Replayed) -> str | None:
    stored = {
        (int(row["year"]), row["county"], row["kind"]): row for row in maintenance.owned_rows(conn, "indicator")
    }
    return _keyed(
        "指标", stored, replayed.indicators, INDICATOR_COLUMNS, lambda key: f"〔{key[0]}〕{key[1]}·{key[2]}"
    )


def _counters_disagree(conn: Connection, replayed: Replayed) -> str | None:
    stored = {int(row["year"]): {"last_serial": row["last_serial"]} for row in maintenance.owned_rows(conn, "case_counter")}
    expected = {year: {"last_serial": serial} for year, serial in replayed.counters.items()}
    return _keyed("编号序列", stored, expected, ("last_serial",), lambda year: f"〔{year}〕")


def _attachments_disagree(conn: Connection, replayed: Replayed) -> str | None:
    """Each kept file's row is what its step's event recorded, and its chunks (read back in order)
    have that size and SHA-256; no chunk belongs to no file."""
    import hashlib

    from fupin_cli.storage import attachment_rows, attachments

    stored = _by_id(conn, "attachment")
    found = _keyed("附件", stored, replayed.attachments, ATTACHMENT_COLUMNS, lambda key: f"（内部编号 {key}）")
    if found is not None:
        return found
    for attachment_id, chunks, first, last in attachments.chunk_summary(conn):
        if attachment_id not in stored:
            return f"附件内容（内部编号 {attachment_id}）没有对应的附件"
        if (first, last) != (0, chunks - 1):
            return f"附件「{stored[attachment_id]['name']}」的内容分块不连续"
    for attachment_id, row in stored.items():
        hasher, size = hashlib.sha256(), 0
        for chunk in attachment_rows.content(SessionRows(conn), attachment_id):
            hasher.update(chunk)
            size += len(chunk)
        if (size, hasher.hexdigest()) != (row["size"], row["sha256"]):
            return f"附件「{row['name']}」的内容与审计记录登记的大小或 SHA-256 不符"
    return None


def _reference_disagrees(conn: Connection, replayed: Replayed) -> str | None:
    """Units and duty items are the shipped files' rows (when the database says it loaded these files)."""
    from fupin_cli.services import database as loader
    from fupin_cli.storage import reference

    stored_digests = reference.stored_digests(conn)
    for name, table, label in (("units", "unit", "单位"), ("duties", "duty_item", "职责事项")):
        files, rows = loader._SOURCES[name]
        if stored_digests.get(name) != loader._digest(files):
            continue  # loaded from other files: the next command reloads them whole
        shipped = sorted((sorted(row.items()) for row in rows()), key=repr)
        mine = sorted((sorted(row.items()) for row in maintenance.owned_rows(conn, table)), key=repr)
        if shipped != mine:
            return f"{label}表与随 fupin 提供的参考数据不符"
    return None


def _schema_disagrees(conn: Connection) -> str | None:
    """Only fupin's tables with fupin's columns; no view, trigger or rule fupin did not make."""
    expected = migrations.expected_tables(migrations.applied(conn))
    found = maintenance.schema_objects(conn)
    for name in sorted(found["tables"]):
        if name not in expected:
            return f"多出一张不属于 fupin 的表 {name}"
        if sorted(found["tables"][name]) != sorted(expected[name]):
            return f"表 {name} 的列与 fupin 的结构不符"
    for name in sorted(expected):
        if name not in found["tables"]:
            return f"缺少 fupin 的表 {name}"
    for kind, label in (("views", "视图"), ("triggers", "触发器"), ("rules", "规则")):
        unknown = [name for name in found[kind] if name not in maintenance.FUPIN_OBJECTS.get(kind, ())]
        if unknown:
            return f"多出一个不属于 fupin 的{label} {unknown[0]}"
    return None


def _chain_disagrees(conn: Connection) -> tuple[int, str | None, str | None]:
    """(count, last hash, problem): the chain's links and content, and ids that run 1, 2, 3…"""
    events, broken = verify_chain(conn)
    if broken is not None:
        return events, None, f"的{chain_message(broken)}"
    last_id, last_hash = database_rows.chain_head(SessionRows(conn))
    if last_id != events:
        return events, last_hash, f"的审计记录编号不连续（共 {events} 条，最后一条却是第 {last_id} 号）"
    return events, last_hash, None


def _state_label(state: str | None) -> str:
    try:
        return State(state).label
    except ValueError:
        return str(state)


def chain_message(broken: ChainBreak) -> str:
    return f"审计链在第 {broken.event_id} 号记录处断裂：{broken.reason}"
