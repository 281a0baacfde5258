"""Builds a realistic fupin database of N cases for the benchmarks, through fupin's own storage code.

    python -m bench.generate --cases 100000 --output /tmp/fupin-100k.db [--today 2026-11-26]

The database is migrated by fupin itself (storage.db.open_database); rows go in through the
SQLModel tables' metadata in batches; every case gets its hash-chained audit event(s) through
domain.audit, so `fupin db check` passes on the result. The spread, seeded and reproducible:
cases over the ten years before `today`, the 25 units, the six categories; closed cases for the
past years, and among the open ones (已交办 / 承办中) about 40% overdue; about 8% of the assigned
cases extended once.
"""

import argparse
import random
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402

from fupin_cli.domain.audit import GENESIS, canonical_json, event_hash  # noqa: E402
from fupin_cli.services import duties  # noqa: E402
from fupin_cli.services.calendar import build_calendar  # noqa: E402
from fupin_cli.services.database import sync_reference_data  # noqa: E402
from fupin_cli.storage.db import open_database  # noqa: E402
from fupin_cli.storage.tables import AuditEvent, CaseCounter, CaseExtension, CaseRecord  # noqa: E402

CATEGORIES = ("政策措施督促检查", "扶贫资金项目监督检查", "易地扶贫搬迁监督检查", "互助资金项目监督检查", "雨露计划监督检查", "其他")
BATCH = 20_000


def _state(rng: random.Random, opened: date, today: date) -> str:
    age = (today - opened).days
    if age > 120:
        return rng.choices(["archived", "completed", "withdrawn", "rejected"], [80, 12, 5, 3])[0]
    if age > 20:
        return rng.choices(["archived", "completed", "in_progress", "assigned", "withdrawn"], [40, 20, 22, 14, 4])[0]
    return rng.choices(["proposed", "approved", "assigned", "in_progress", "completed"], [10, 10, 35, 35, 10])[0]


def generate(count: int, output: Path | str, today: date, seed: int = 20261126) -> None:
    """Fill a new database: `output` is an SQLite file that does not exist yet, or the URL of an empty
    PostgreSQL database."""
    rng = random.Random(seed)
    calendar = build_calendar()
    units = [unit.name for unit in duties.load_units() if str(unit.kind) != "division"]
    if "://" not in str(output) and Path(output).exists():
        raise SystemExit(f"{output} exists: choose a new path")
    database = open_database(str(output))
    sync_reference_data(database)
    first = date(today.year - 9, 1, 1)
    span = (today - first).days
    # Open cases are the recent ones: spread their assignment over the last ~30 days so that
    # about 40% of them are past their 10-working-day limit on `today`.
    openings = sorted(first + timedelta(days=rng.randrange(span)) for _ in range(count))
    serials: dict[int, int] = {}
    stamp = datetime.now(UTC).astimezone().isoformat(timespec="seconds")
    prev_hash, event_id = GENESIS, 0
    cases_table = CaseRecord.__table__  # type: ignore[attr-defined]
    events_table = AuditEvent.__table__  # type: ignore[attr-defined]
    extensions_table = CaseExtension.__table__  # type: ignore[attr-defined]
    blank = {column.name: None for column in cases_table.columns}
    batch_cases: list[dict] = []
    batch_events: list[dict] = []
    batch_extensions: list[dict] = []

    def flush() -> None:
        with database.write() as session:
            if batch_cases:
                session.execute(insert(cases_table), batch_cases)
            if batch_extensions:
                session.execute(insert(extensions_table), batch_extensions)
            if batch_events:
                session.execute(insert(events_table), batch_events)
        batch_cases.clear()
        batch_events.clear()
        batch_extensions.clear()

    for case_id, opened in enumerate(openings, start=1):
        state = _state(rng, opened, today)
        if state in ("assigned", "in_progress"):
            opened = today - timedelta(days=rng.randrange(1, 32))
        year = opened.year
        serials[year] = serials.get(year, 0) + 1
        row: dict = {
            "id": case_id,
            "year": year,
            "serial": serials[year],
            "title": f"{rng.choice(units)[:3]}某村扶贫项目资金使用情况核查（第{case_id}件）",
            "category": rng.choice(CATEGORIES),
            "source": rng.choice(["群众来信", "审计移交", "领导交办", None]),
            "major": rng.random() < 0.03,
            "classified": rng.random() < 0.01,
            "state": state,
            "opened_on": opened,
            "last_step_on": opened,
            "due_provisional": False,
            "created_at": stamp,
            "updated_at": stamp,
        }
        if state not in ("proposed", "rejected"):
            row.update(approved_on=opened, approver="王主任")
        if state in ("assigned", "in_progress", "completed", "archived") or (state == "withdrawn" and rng.random() < 0.5):
            assigned = min(opened + timedelta(days=rng.randrange(0, 3)), today)
            deadline = calendar.deadline(assigned, 10)
            row.update(
                lead_unit=rng.choice(units),
                assigned_on=assigned,
                limit_workdays=10,
                original_due=deadline.due,
                due=deadline.due,
                due_provisional=deadline.provisional,
                last_step_on=assigned,
            )
            if rng.random() < 0.08:
                new_due = calendar.deadline(deadline.due, 5).due
                row["due"] = new_due
                batch_extensions.append(
                    {
                        "case_id": case_id,
                        "granted_on": deadline.due,
                        "old_due": deadline.due,
                        "new_due": new_due,
                        "workdays": 5,
                        "reason": "需补充核查材料",
                        "approver": "王主任",
                        "provisional": False,
                    }
                )
            if state in ("completed", "archived"):
                done = min(calendar.deadline(assigned, rng.randrange(3, 16)).due, today)
                row.update(feedback_on=done, report_text="已核实整改", last_step_on=done)
                if state == "archived":
                    row.update(archived_on=done, archive_location="档案室")
        if state == "in_progress":
            row["accepted_on"] = row["assigned_on"]
        batch_cases.append({**blank, **row})
        # the events db check replays: the case as opened (every field it holds), then its extension
        extended = batch_extensions[-1] if batch_extensions and batch_extensions[-1]["case_id"] == case_id else None
        recorded = {
            key: value.isoformat() if isinstance(value, date) else value
            for key, value in row.items()
            if key not in ("id", "created_at", "updated_at") and value is not None
        }
        steps = [("open", opened, recorded)]
        if extended is not None:
            recorded["due"] = extended["old_due"].isoformat()
            extension = {k: v.isoformat() if isinstance(v, date) else v for k, v in extended.items() if k != "case_id"}
            steps.append(("extend", extended["granted_on"], {"due": extension["new_due"], "extension": extension}))
        for action, effective, after in steps:
            event_id += 1
            fields = {
                "id": event_id,
                "case_id": case_id,
                "subject": f"督查〔{year}〕{serials[year]}号",
                "action": action,
                "operator": "bench",
                "recorded_at": stamp,
                "effective_on": effective.isoformat(),
                "before": None,
                "after": canonical_json(after),
            }
            digest = event_hash(prev_hash, fields)
            batch_events.append({**fields, "effective_on": effective, "prev_hash": prev_hash, "hash": digest})
            prev_hash = digest
        if len(batch_cases) >= BATCH:
            flush()
    flush()
    with database.write() as session:
        session.execute(insert(CaseCounter.__table__), [{"year": y, "last_serial": n} for y, n in serials.items()])  # type: ignore[attr-defined]
    database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, required=True)
    parser.add_argument("--output", required=True, help="a new SQLite file, or an empty PostgreSQL database's URL")
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 26))
    options = parser.parse_args()
    generate(options.cases, options.output, options.today)


if __name__ == "__main__":
    main()
