"""`db check` against edits made behind fupin's back, on SQLite and on PostgreSQL.

One database holding every kind of row fupin owns (cases walked through their steps, an extension,
villages, a plan, an inspection with a visit and findings, one handed over, an indicator) is built
once per backend and copied for each test; each test makes one edit as the file's owner would by
hand and expects `db check` to refuse, naming what it found.
"""

import re
import secrets
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from fupin_cli.domain.audit import GENESIS, event_hash
from fupin_cli.services.unit_of_work import in_unit_of_work
from fupin_cli.storage.db import open_database
from fupin_cli.storage.events import iter_events
from tests.integration.conftest import BACKENDS, drop_database, postgres_admin_url, run_fupin, settings_for

CHINESE = re.compile(r"[\u4e00-\u9fff]")
TITLE = "某村扶贫资金使用情况核查ABCDEFGH"


def _populate(db_url: str, home: Path) -> None:
    from fupin_cli.services import (
        case_steps,
        check_findings,
        check_indicators,
        check_plans,
        check_villages,
        checks,
    )

    settings = settings_for(db_url, home, today=date(2026, 3, 20))
    first = in_unit_of_work(case_steps.open_case, settings=settings, title=TITLE, category="资金项目", on=date(2026, 3, 2)).no
    in_unit_of_work(case_steps.approve_case, settings=settings, number=first, approver="王主任", on=date(2026, 3, 3))
    in_unit_of_work(case_steps.assign_case, settings=settings, number=first, unit="唐县", on=date(2026, 3, 4))
    in_unit_of_work(case_steps.accept_case, settings=settings, number=first, unit_ref="唐扶督〔2026〕1号", on=date(2026, 3, 5))
    in_unit_of_work(case_steps.extend_case,
        settings=settings, number=first, workdays=2, reason="需补充材料", approver="王主任", on=date(2026, 3, 6)
    )
    in_unit_of_work(case_steps.open_case, settings=settings, title="第二件", category="资金项目", on=date(2026, 3, 9))
    in_unit_of_work(check_villages.load_demo_villages, settings=settings)
    in_unit_of_work(check_plans.plan_year, settings=settings, year=2026, seed=7)
    inspection = in_unit_of_work(checks.open_inspection,
        settings=settings, kind="资金项目", year=2026, title="资金项目检查", on=date(2026, 3, 10)
    ).inspection
    village = check_villages.list_villages(settings=settings)[0]
    in_unit_of_work(checks.record_visit,
        settings=settings, inspection_id=inspection.id, by="市", village=village.name,
        county=village.county, on=date(2026, 3, 11),
    )  # fmt: skip
    in_unit_of_work(checks.change_phase, settings=settings, inspection_id=inspection.id, phase="实施检查", on=date(2026, 3, 11))
    found = in_unit_of_work(check_findings.record_finding,
        settings=settings, inspection_id=inspection.id, text="项目未按期完工", unit="唐县",
        amount="1200", on=date(2026, 3, 12),
    )  # fmt: skip
    in_unit_of_work(check_findings.rectify_finding, settings=settings, finding_id=found.finding.id, on=date(2026, 3, 13))
    other = in_unit_of_work(check_findings.record_finding,
        settings=settings, inspection_id=inspection.id, text="资金拨付滞后", unit="唐县", on=date(2026, 3, 12)
    )
    in_unit_of_work(check_findings.hand_over_finding, settings=settings, finding_id=other.finding.id, on=date(2026, 3, 16))
    in_unit_of_work(check_indicators.record_indicator,
        settings=settings, county="唐县", year=2025, kind="识别精准率", numerator=98, denominator=100,
        on=date(2026, 3, 17),
    )  # fmt: skip


@pytest.fixture(scope="module", params=BACKENDS)
def template(request, tmp_path_factory) -> Iterator[tuple[str, str]]:
    """(backend, --db of a populated database that tests copy and never touch)."""
    home = tmp_path_factory.mktemp("home")
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("template") / "fupin.db"
        _populate(str(path), home)
        with closing(sqlite3.connect(path)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        yield "sqlite", str(path)
        return
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(postgres_admin_url())
    conninfo = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"fupin_tpl_{secrets.token_hex(6)}"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        _populate(admin.set(database=name).render_as_string(hide_password=False), home)
        yield "postgresql", name
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            drop_database(conn, name)


@pytest.fixture
def copy(template, tmp_path) -> Iterator[str]:
    """--db of a fresh copy of the populated database."""
    backend, source = template
    if backend == "sqlite":
        target = tmp_path / "fupin.db"
        shutil.copyfile(source, target)
        yield str(target)
        return
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(postgres_admin_url())
    conninfo = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"fupin_t_{secrets.token_hex(6)}"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            drop_database(conn, name)


def fupin(db: str, *args: str):
    return run_fupin(db, *args, today="2026-03-20")


def refused(result) -> str:
    assert result.exit_code == 1, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    message = result.stderr.strip()
    assert CHINESE.search(message) and "\n" not in message, message
    return message


def by_hand(db: str, *statements: str) -> None:
    """What the owner of the file or the tables does with a database tool: plain SQL, no fupin."""
    database = open_database(db)
    try:
        with database.engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        database.dispose()


def head(db: str) -> str:
    result = fupin(db, "db", "check")
    assert result.exit_code == 0, result.output
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("链头：")]
    return line.removeprefix("链头：")


def rechain(db: str, *, title: str) -> None:
    """Rewrite the first case's title in the row and in its open event, and recompute every hash."""
    database = open_database(db)
    try:
        with database.engine.begin() as conn:
            previous = GENESIS
            for event in list(iter_events(conn)):
                if event["action"] == "open" and TITLE in (event["after"] or ""):
                    event["after"] = event["after"].replace(TITLE, title)
                digest = event_hash(previous, event)
                conn.execute(
                    text('UPDATE audit_event SET "after" = :a, prev_hash = :p, hash = :h WHERE id = :i'),
                    {"a": event["after"], "p": previous, "h": digest, "i": event["id"]},
                )
                previous = digest
            conn.execute(text("UPDATE cases SET title = :t WHERE serial = 1"), {"t": title})
    finally:
        database.dispose()


EDITS = {
    "case-title": ["UPDATE cases SET title = '某村扶贫资金使用情况核查（已改）' WHERE serial = 1"],
    "case-unit-ref": ["UPDATE cases SET unit_ref = '唐扶督〔2026〕9号' WHERE serial = 1"],
    "case-state": ["UPDATE cases SET state = 'archived' WHERE serial = 1"],
    "case-due": ["UPDATE cases SET due = '2027-01-01' WHERE serial = 1"],
    "case-deleted": ["DELETE FROM cases WHERE serial = 2"],
    "case-added": [
        "INSERT INTO cases (id, year, serial, title, category, major, classified, state, opened_on, due_provisional,"
        " last_step_on, created_at, updated_at) VALUES (99, 2026, 9, '凭空', '资金项目', false, false, 'proposed',"
        " '2026-03-01', false, '2026-03-01', 'x', 'x')"
    ],
    "extension-edited": ["UPDATE case_extension SET reason = '领导同意'"],
    "extension-deleted": ["DELETE FROM case_extension"],
    "finding-edited": ["UPDATE finding SET text = '无问题' WHERE id = 1"],
    "finding-deleted": ["DELETE FROM finding WHERE id = 1"],
    "indicator-edited": ["UPDATE indicator SET numerator = 100"],
    "village-edited": ["UPDATE village SET key_village = NOT key_village WHERE id = 1"],
    "event-edited": ["UPDATE audit_event SET operator = '别人' WHERE id = 3"],
    "event-deleted": ["DELETE FROM audit_event WHERE id = 3"],
    "last-events-deleted": ["DELETE FROM audit_event WHERE id > (SELECT max(id) - 3 FROM audit_event)"],
    "trigger-added": None,  # backend-specific, below
    "table-added": ["CREATE TABLE notes (id integer primary key, body text)"],
    # beyond the list: the other owned tables
    "visit-edited": ["UPDATE inspection_visit SET checked_by = 'peer'"],
    "inspection-edited": ["UPDATE inspection SET title = '别的检查'"],
    "plan-edited": ["UPDATE inspection_plan SET seed = '8'"],
    "counter-edited": ["UPDATE case_counter SET last_serial = 1"],
    "unit-edited": ["UPDATE unit SET short_name = '别县' WHERE short_name = '唐县'"],
    "view-added": ["CREATE VIEW open_cases AS SELECT * FROM cases"],
}

TRIGGER = {
    "sqlite": [
        "CREATE TRIGGER rewrite AFTER INSERT ON audit_event BEGIN UPDATE cases SET title = 'x'; END"
    ],
    "postgresql": [
        "CREATE FUNCTION rewrite() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE cases SET title = 'x';"
        " RETURN NEW; END $$",
        "CREATE TRIGGER rewrite AFTER INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION rewrite()",
    ],
}


def test_the_untouched_database_checks_and_prints_its_head(copy):
    result = fupin(copy, "db", "check")
    assert result.exit_code == 0, result.output
    assert "与审计记录逐行相符" in result.stdout
    count, digest = head(copy).split(":")
    assert int(count) > 15 and len(digest) == 64
    info = fupin(copy, "db", "info")
    assert f"链头：{count}:{digest}" in info.stdout
    assert fupin(copy, "db", "check", "--expect", f"{count}:{digest}").exit_code == 0


@pytest.mark.parametrize("kind", list(EDITS))
def test_an_edit_behind_fupins_back_is_caught(template, copy, kind):
    statements = EDITS[kind] if EDITS[kind] is not None else TRIGGER[template[0]]
    by_hand(copy, *statements)
    refused(fupin(copy, "db", "check"))


def test_a_rechained_history_is_caught_by_the_recorded_head(copy):
    anchor = head(copy)
    rechain(copy, title="某村扶贫资金使用情况核查（重写）")
    assert fupin(copy, "db", "check").exit_code == 0  # consistent with itself: only the anchor tells
    assert "重算" in refused(fupin(copy, "db", "check", "--expect", anchor))


def test_the_last_events_deleted_are_caught_by_the_recorded_head_too(copy):
    anchor = head(copy)
    by_hand(copy, "DELETE FROM audit_event WHERE id > (SELECT max(id) - 3 FROM audit_event)")
    assert "删除" in refused(fupin(copy, "db", "check", "--expect", anchor))


@pytest.mark.parametrize("anchor", ["", "12", "x:y", "3:" + "g" * 64, "0:" + "a" * 64, "5:abc"])
def test_an_unreadable_anchor_is_a_usage_error(copy, anchor):
    result = fupin(copy, "db", "check", "--expect", anchor)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_a_byte_flipped_in_a_title_is_caught(template, copy):
    if template[0] != "sqlite":
        pytest.skip("a byte in a file: SQLite only (PostgreSQL's pages are the server's)")
    raw = Path(copy).read_bytes()
    places = [match.start() for match in re.finditer(b"ABCDEFGH", raw)]
    assert len(places) >= 2  # the case row and its open event at least
    for place in places:
        damaged = bytearray(raw)
        damaged[place] ^= 0x02  # 'A' → 'C': still valid text, still a sound page
        Path(copy).write_bytes(bytes(damaged))
        refused(fupin(copy, "db", "check"))
    Path(copy).write_bytes(raw)
    assert fupin(copy, "db", "check").exit_code == 0


# --- damage is loud ---------------------------------------------------------------------------------

ENTRY_POINTS = [
    ["case", "list"],
    ["db", "check"],
    ["report", "overdue"],
    ["case", "open", "某村资金核查", "--category", "资金项目"],
]


def _everything_beside(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.parent.iterdir()) if p.is_file()}


@pytest.mark.parametrize("args", ENTRY_POINTS, ids=lambda a: "-".join(a[:2]))
def test_a_zero_length_database_file_is_refused_untouched(tmp_path, args):
    path = tmp_path / "fupin.db"
    path.write_bytes(b"")
    before = _everything_beside(path)
    assert "空文件" in refused(fupin(str(path), *args))
    assert _everything_beside(path) == before  # no header written, no -wal or -shm made


@pytest.mark.parametrize("args", ENTRY_POINTS, ids=lambda a: "-".join(a[:2]))
def test_another_programs_sqlite_file_is_refused_before_any_write(tmp_path, args):
    path = tmp_path / "other.db"
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("CREATE TABLE contacts (name text, phone text)")
        conn.execute("INSERT INTO contacts VALUES ('张三', '123')")
    before = _everything_beside(path)
    assert "不是 fupin 的" in refused(fupin(str(path), *args))
    assert _everything_beside(path) == before
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)


def test_a_new_database_is_never_seen_empty_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "fupin.db"
    result = fupin(str(path), "init")
    assert result.exit_code == 0, result.output
    assert path.stat().st_size > 0 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


CHEAPLY_CAUGHT = {
    "table-added": ["CREATE TABLE notes (id integer primary key, body text)"],
    "view-added": ["CREATE VIEW open_cases AS SELECT * FROM cases"],
    "last-event-edited": ["UPDATE audit_event SET operator = '别人' WHERE id = (SELECT max(id) FROM audit_event)"],
    "last-event-deleted-and-relinked": [
        "DELETE FROM audit_event WHERE id = (SELECT max(id) - 1 FROM audit_event)",
    ],
    "table-dropped": ["DROP TABLE indicator"],
}


@pytest.mark.parametrize("kind", [*CHEAPLY_CAUGHT, "trigger-added"])
def test_the_cron_report_fails_on_a_damaged_database(template, copy, kind):
    assert fupin(copy, "report", "overdue").exit_code == 0
    by_hand(copy, *(CHEAPLY_CAUGHT[kind] if kind in CHEAPLY_CAUGHT else TRIGGER[template[0]]))
    assert "db check" in refused(fupin(copy, "report", "overdue"))


def test_the_light_path_knows_the_tables_the_migrations_make():
    from fupin_cli.storage import migrations, versions

    assert sorted(migrations.expected_tables(list(versions.SCHEMA))) == sorted(versions.TABLES)


@pytest.mark.parametrize("kind", ["case-title", "extension-edited", "trigger-added", "table-added"])
def test_restore_refuses_a_backup_that_fails_the_full_check(template, copy, tmp_path, kind):
    if template[0] != "sqlite":
        pytest.skip("db backup and db restore are SQLite's (PostgreSQL: pg_dump)")
    backup = tmp_path / "backup.db"
    assert fupin(copy, "db", "backup", str(backup)).exit_code == 0
    with closing(sqlite3.connect(backup)) as conn, conn:
        for statement in EDITS[kind] or TRIGGER["sqlite"]:
            conn.execute(statement)
    target = tmp_path / "restored.db"
    assert "不予恢复" in refused(fupin(str(target), "db", "restore", str(backup)))
    assert not target.exists() or fupin(str(target), "case", "list").stdout.count("督查〔") == 0


def test_restore_takes_a_sound_backup(template, copy, tmp_path):
    if template[0] != "sqlite":
        pytest.skip("db backup and db restore are SQLite's (PostgreSQL: pg_dump)")
    backup, target = tmp_path / "backup.db", tmp_path / "restored.db"
    assert fupin(copy, "db", "backup", str(backup)).exit_code == 0
    result = fupin(str(target), "db", "restore", str(backup))
    assert result.exit_code == 0, result.output
    assert head(str(target)) == head(copy)
