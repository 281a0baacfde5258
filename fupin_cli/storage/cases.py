"""The case repository: the only SQL for 督查事项, their extensions and their number series.

Functions take the Connection of the current unit of work (`session.connection()` inside
Database.write()). The reads both paths share (a case, the case list, units) are storage.case_rows,
on storage.rows.Rows: the write path reaches them through storage.session_rows.SessionRows.
"""

import json
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, or_, select, update

from fupin_cli.domain.cases import Case, Extension
from fupin_cli.storage.case_rows import CASE_COLUMNS, EXTENSIONS_OF_CASE, case_from_row
from fupin_cli.storage.session_rows import SessionRows
from fupin_cli.storage.tables import CaseCounter, CaseExtension, CaseRecord

cases = CaseRecord.__table__  # type: ignore[attr-defined]
extensions = CaseExtension.__table__  # type: ignore[attr-defined]
counters = CaseCounter.__table__  # type: ignore[attr-defined]



def _now() -> str:
    return datetime.now(UTC).astimezone().isoformat(timespec="seconds")


# --- the number series ---------------------------------------------------------------------------


def next_serial(conn: Connection, year: int) -> int:
    """Take the next serial of `year`'s series. Call inside the unit of work (Database.write()): its
    lock makes this atomic.

    The counter never goes back, and never below a serial already used, so no number is reused.
    """
    last = conn.execute(select(counters.c.last_serial).where(counters.c.year == year)).scalar()
    used = conn.execute(select(func.max(cases.c.serial)).where(cases.c.year == year)).scalar()
    serial = max(last or 0, used or 0) + 1
    if last is None:
        conn.execute(insert(counters).values(year=year, last_serial=serial))
    else:
        conn.execute(update(counters).where(counters.c.year == year).values(last_serial=serial))
    return serial


# --- rows <-> cases ------------------------------------------------------------------------------


def _encode(name: str, value: Any) -> Any:
    if name == "assist_units":
        return json.dumps(list(value), ensure_ascii=False) if value else None
    if name == "state":
        return str(value)
    return value


def _extension_values(extension: Extension) -> dict[str, Any]:
    return {
        "granted_on": extension.granted_on,
        "old_due": extension.old_due,
        "new_due": extension.new_due,
        "workdays": extension.workdays,
        "reason": extension.reason,
        "approver": extension.approver,
        "provisional": extension.provisional,
    }


def _new_id(result: Any) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def insert_case(conn: Connection, case: Case) -> Case:
    now = _now()
    values = {name: _encode(name, getattr(case, name)) for name in CASE_COLUMNS}
    result = conn.execute(insert(cases).values(**values, created_at=now, updated_at=now))
    return replace(case, id=_new_id(result))


def save_case(conn: Connection, before: Case, after: Case) -> Case:
    """Write what changed from `before` to `after`: its columns, new extensions, recomputed ones."""
    assert before.id is not None and before.id == after.id
    changed = {
        name: _encode(name, getattr(after, name))
        for name in CASE_COLUMNS
        if getattr(before, name) != getattr(after, name)
    }
    if changed:
        conn.execute(update(cases).where(cases.c.id == before.id).values(**changed, updated_at=_now()))
    old_by_id = {extension.id: extension for extension in before.extensions}
    saved: list[Extension] = []
    for extension in after.extensions:
        if extension.id is None:
            result = conn.execute(
                insert(extensions).values(case_id=before.id, **_extension_values(extension))
            )
            extension = replace(extension, id=_new_id(result))
        elif old_by_id.get(extension.id) != extension:
            conn.execute(
                update(extensions)
                .where(extensions.c.id == extension.id)
                .values(**_extension_values(extension))
            )
        saved.append(extension)
    return replace(after, extensions=tuple(saved))


def iter_provisional_cases(conn: Connection) -> Iterator[Case]:
    """Cases with a deadline computed on a provisional year: the case's flag or an extension's."""
    flagged = select(extensions.c.case_id).where(extensions.c.provisional.is_(True))
    query = (
        select(cases)
        .where(or_(cases.c.due_provisional.is_(True), cases.c.id.in_(flagged)))
        .order_by(cases.c.year, cases.c.serial)
    )
    rows = SessionRows(conn)
    for row in list(conn.execute(query).mappings()):
        yield case_from_row(row, rows.mappings(EXTENSIONS_OF_CASE, {"id": row["id"]}))


# --- imports -------------------------------------------------------------------------------------


def cases_in_years(conn: Connection, years: Iterable[int]) -> dict[tuple[int, int], Case]:
    """(year, serial) → the stored case (without its extensions) of every case of those years."""
    query = select(cases).where(cases.c.year.in_(sorted(set(years))))
    return {(row["year"], row["serial"]): case_from_row(row, ()) for row in conn.execute(query).mappings()}


def last_serials(conn: Connection, years: Iterable[int]) -> dict[int, int]:
    """The last serial taken (counter or stored case, whichever is larger) of each of those years."""
    wanted = sorted(set(years))
    found: dict[int, int] = dict.fromkeys(wanted, 0)
    for year, last in conn.execute(select(counters.c.year, counters.c.last_serial).where(counters.c.year.in_(wanted))):
        found[year] = max(found[year], last)
    used = select(cases.c.year, func.max(cases.c.serial)).where(cases.c.year.in_(wanted)).group_by(cases.c.year)
    for year, last in conn.execute(used):
        found[year] = max(found[year], last)
    return found


def raise_counter(conn: Connection, year: int, serial: int) -> None:
    """Make `year`'s series continue after `serial` (never moving it back)."""
    last = conn.execute(select(counters.c.last_serial).where(counters.c.year == year)).scalar()
    if last is None:
        conn.execute(insert(counters).values(year=year, last_serial=serial))
    elif last < serial:
        conn.execute(update(counters).where(counters.c.year == year).values(last_serial=serial))


def insert_whole_cases(conn: Connection, whole: list[Case]) -> list[Case]:
    """Store cases as they stand after several steps, with their extensions, many per statement."""
    now = _now()
    stored: list[Case] = []
    for start in range(0, len(whole), 500):
        chunk = whole[start : start + 500]
        rows = [
            {**{name: _encode(name, getattr(case, name)) for name in CASE_COLUMNS}, "created_at": now, "updated_at": now}
            for case in chunk
        ]
        query = insert(cases).returning(cases.c.id, sort_by_parameter_order=True)
        ids = [row[0] for row in conn.execute(query, rows)]
        stored += [replace(case, id=case_id) for case, case_id in zip(chunk, ids, strict=True)]
    added = [
        {"case_id": case.id, **_extension_values(extension)} for case in stored for extension in case.extensions
    ]
    if added:
        conn.execute(insert(extensions), added)
    return stored
