"""A fresh database per test, on SQLite and, where a server is there, on PostgreSQL.

`db_url` is what a test passes as --db; `database` is that database opened (created and migrated).
PostgreSQL needs FUPIN_TEST_PG_URL (a role allowed to CREATE DATABASE): each test gets its own
database `fupin_t_<random>`, dropped afterwards. Without the variable those variants are skipped
with the reason shown by `-ra`; .ci/run starts a server and sets it.
"""

import json
import os
import random
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from fupin_cli.services.unit_of_work import in_unit_of_work

PG_URL_VARIABLE = "FUPIN_TEST_PG_URL"
PG_SKIP_REASON = f"{PG_URL_VARIABLE} not set: PostgreSQL tests need a server (.ci/run starts one)"

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


def postgres_admin_url() -> str:
    url = os.environ.get(PG_URL_VARIABLE)
    if not url:
        pytest.skip(PG_SKIP_REASON)
    return url


def drop_database(conn, name: str) -> None:
    """DROP DATABASE … WITH (FORCE) on an autocommit admin connection. The test role may end only its
    own sessions: a session of another role (a clerk's, just closed) can take a moment to end on the
    server, so the drop is tried again for up to ten seconds."""
    import time

    import psycopg

    for _ in range(50):
        try:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except psycopg.errors.InsufficientPrivilege:
            time.sleep(0.2)
    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def fresh_postgres_database(*, template: str | None = None) -> Iterator[str]:
    """Create a database on the test server, empty or a copy of the database at URL `template`
    (which no one may be connected to); yield its URL; drop it (even if still in use)."""
    import psycopg
    from sqlalchemy.engine import make_url

    admin_url = postgres_admin_url()
    name = f"fupin_t_{secrets.token_hex(6)}"
    admin = make_url(admin_url)
    conninfo = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    copy = f' TEMPLATE "{make_url(template).database}"' if template else ""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{copy}')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            drop_database(conn, name)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(backend: str, tmp_path) -> Iterator[str]:
    """The --db value of a new, empty database: an SQLite file path or a postgresql:// URL."""
    if backend == "sqlite":
        yield str(tmp_path / "fupin.db")
        return
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def database(db_url: str):
    """The database of `db_url`, opened: created and migrated."""
    from fupin_cli.storage.db import open_database

    opened = open_database(db_url)
    yield opened
    opened.dispose()


def run_fupin(db: str, *args: str, today: str = "2026-10-10"):
    """The fupin command line on `db`, in this process, as 测试员 on `today`."""
    from typer.testing import CliRunner

    from fupin_cli.cli.app import app

    return CliRunner().invoke(app, ["--db", db, "--today", today, "--user", "测试员", *args])


@pytest.fixture
def private_home(tmp_path, monkeypatch) -> None:
    """A FUPIN_HOME of the test's own, and no FUPIN_DB from outside."""
    monkeypatch.setenv("FUPIN_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("FUPIN_DB", raising=False)


def settings_for(db_url: str, home: Path | str, *, user: str = "测试员", today: date = date(2026, 10, 10)):
    """The Settings a command would build from --db, --user and --today."""
    from fupin_cli.settings import Settings

    return Settings(db=db_url, user=user, today=today, home=Path(home))


def table_contents(conn) -> dict[str, list[str]]:
    """Every row of every table, in a stable order: what "unchanged" and "the same" compare."""
    from sqlalchemy import inspect, text

    return {
        table: sorted(repr(tuple(row)) for row in conn.execute(text(f'SELECT * FROM "{table}"')))
        for table in sorted(inspect(conn).get_table_names())
    }


def case_event_mismatches(conn) -> list[str]:
    """Replay the audit trail case by case and compare it with the stored cases.

    Every case has exactly one `open` event; each event's "before" state is the state the events
    before it left; the state, the due date and the number of extensions the events arrive at are
    the case's own; and no event names a case that is not there. A step whose state change was
    stored without its event, or the other way round, shows up here.
    """
    from sqlalchemy import text

    from fupin_cli.storage.events import iter_events

    stored = {
        row.id: row for row in conn.execute(text("SELECT id, year, serial, state, due FROM cases")).all()
    }
    extensions = dict(
        conn.execute(text("SELECT case_id, count(*) FROM case_extension GROUP BY case_id")).all()
    )
    replayed: dict[int, dict] = {}
    problems: list[str] = []
    for event in iter_events(conn):
        if event["case_id"] is None:
            continue
        before = json.loads(event["before"]) if event["before"] else {}
        after = json.loads(event["after"]) if event["after"] else {}
        case = replayed.setdefault(event["case_id"], {"opened": 0, "state": None, "due": None, "extends": 0})
        if event["action"] == "open":
            case["opened"] += 1
        if "state" in before and before["state"] != case["state"]:
            problems.append(
                f"event {event['id']}: before state {before['state']} but replay has {case['state']}"
            )
        case["state"] = after.get("state", case["state"])
        case["due"] = after.get("due", case["due"])
        case["extends"] += event["action"] == "extend"
    for case_id, row in stored.items():
        seen = replayed.get(case_id)
        if seen is None:
            problems.append(f"case {row.year}-{row.serial} has no events")
            continue
        due = None if row.due is None else str(row.due)
        if (seen["opened"], seen["state"], seen["due"], seen["extends"]) != (
            1,
            row.state,
            due,
            extensions.get(case_id, 0),
        ):
            problems.append(f"case {row.year}-{row.serial}: stored {row.state}/{due}, events say {seen}")
    problems += [
        f"events for case id {case_id}, which is not stored" for case_id in replayed.keys() - stored.keys()
    ]
    return problems


def walk_cases(db_url: str, home: str, seed: int, writing) -> None:
    """A writer for forked worker processes: opens cases and walks each through its steps, forever.

    Sets `writing` once its first case is stored. Run it in a process and end that process.
    """
    from fupin_cli.domain.errors import FupinError
    from fupin_cli.services import case_steps

    settings = settings_for(db_url, home, user=f"worker{seed}")
    chance = random.Random(seed)
    steps = [
        lambda n: in_unit_of_work(case_steps.approve_case, settings=settings, number=n, approver="王主任"),
        lambda n: in_unit_of_work(case_steps.assign_case, settings=settings, number=n, unit="唐县"),
        lambda n: in_unit_of_work(case_steps.accept_case, settings=settings, number=n, unit_ref="唐扶督〔2026〕1号"),
        lambda n: in_unit_of_work(case_steps.extend_case,
            settings=settings, number=n, workdays=2, reason="需补充材料", approver="王主任"
        ),
        lambda n: in_unit_of_work(case_steps.feedback_case, settings=settings, number=n, report="已核实整改"),
        lambda n: in_unit_of_work(case_steps.return_case, settings=settings, number=n, reason="材料不全"),
        lambda n: in_unit_of_work(case_steps.feedback_case, settings=settings, number=n, report="已补充材料"),
        lambda n: in_unit_of_work(case_steps.archive_case, settings=settings, number=n, location="档案室 A-3"),
    ]
    while True:
        number = in_unit_of_work(case_steps.open_case, settings=settings, title="某村扶贫资金使用情况核查", category="资金项目").no
        writing.set()
        for position, step in enumerate(steps):
            if position == 2 and chance.random() < 0.2:
                in_unit_of_work(case_steps.withdraw_case, settings=settings, number=number, reason="重复立项")
                break
            try:
                step(number)
            except FupinError as refusal:  # a bug in the walk, not a crash: stop loudly
                raise SystemExit(f"refused: {refusal.message}") from None
