"""`fupin db check | backup | restore | info` as a user types them."""

import json
import re
import shutil
import sqlite3
import stat
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from fupin_cli.cli.app import app
from fupin_cli.storage import events
from fupin_cli.storage.db import open_database
from tests.integration.conftest import fresh_postgres_database

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _private_home(tmp_path, monkeypatch):
    monkeypatch.setenv("FUPIN_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("FUPIN_DB", raising=False)


def fupin(*args: str):
    return CliRunner().invoke(app, ["--today", "2026-10-10", "--user", "测试员", *args])


def refused(result, *, code: int = 1) -> str:
    assert result.exit_code == code, (result.exit_code, result.output)
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    message = result.stderr.strip()
    assert CHINESE.search(message) and "\n" not in message, message
    return message


def record(db: str, count: int = 3) -> None:
    """Put `count` chained events in the database (events about no stored case, like reference data changes)."""
    database = open_database(db)
    try:
        with database.write() as session:
            for number in range(count):
                events.append_event(
                    session,
                    subject=f"督查〔2026〕{number + 1}号",
                    action="open",
                    operator="王科员",
                    effective_on=date(2026, 10, 9),
                    before=None,
                    after={"title": "某村资金核查 ' OR 1=1; --", "n": number},
                )
    finally:
        database.dispose()


def rows(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT id, operator, hash FROM audit_event ORDER BY id").fetchall()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_check_reports_counts(tmp_path):
    db = str(tmp_path / "fupin.db")
    record(db, 4)
    result = fupin("--db", db, "db", "check")
    assert result.exit_code == 0, result.output
    assert "审计链：正常，共 4 条记录" in result.stdout
    assert "完整性与外键检查：正常" in result.stdout


def test_check_names_the_first_edited_event(tmp_path):
    db = tmp_path / "fupin.db"
    record(str(db), 5)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE audit_event SET effective_on = '2026-01-01' WHERE id = 2")
    assert "第 2 号" in refused(fupin("--db", str(db), "db", "check"))


def test_check_reports_a_dangling_reference(tmp_path):
    db = tmp_path / "fupin.db"
    record(str(db), 1)
    with sqlite3.connect(db) as conn:  # foreign keys are off in a plain sqlite3 session
        conn.execute(
            "INSERT INTO case_extension (case_id, granted_on, old_due, new_due, reason, approver, provisional)"
            " VALUES (999, '2026-10-01', '2026-10-02', '2026-10-03', 'r', 'a', 0)"
        )
    assert "case_extension" in refused(fupin("--db", str(db), "db", "check"))


def test_backup_writes_a_private_self_contained_copy(tmp_path):
    db, copy = tmp_path / "fupin.db", tmp_path / "备份 2026.db"
    record(str(db))
    result = fupin("--db", str(db), "db", "backup", str(copy))
    assert result.exit_code == 0, result.output
    assert mode(copy) == 0o600
    assert rows(copy) == rows(db)
    assert not Path(f"{copy}-wal").exists() and not Path(f"{copy}-journal").exists()
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_backup_refuses_an_existing_file_unless_forced(tmp_path):
    db, copy = tmp_path / "fupin.db", tmp_path / "copy.db"
    record(str(db))
    copy.write_bytes(b"the office's own file")
    copy.chmod(0o644)
    assert "--force" in refused(fupin("--db", str(db), "db", "backup", str(copy)))
    assert copy.read_bytes() == b"the office's own file"

    assert fupin("--db", str(db), "db", "backup", "--force", str(copy)).exit_code == 0
    assert rows(copy) == rows(db)
    assert mode(copy) == 0o600


@pytest.mark.parametrize("force", [[], ["--force"]], ids=["plain", "forced"])
def test_backup_never_writes_through_a_symbolic_link(tmp_path, force):
    db, victim, link = tmp_path / "fupin.db", tmp_path / "victim.txt", tmp_path / "link.db"
    record(str(db))
    victim.write_text("keep me")
    link.symlink_to(victim)
    assert "符号链接" in refused(fupin("--db", str(db), "db", "backup", *force, str(link)))
    assert victim.read_text() == "keep me" and link.is_symlink()

    dangling = tmp_path / "dangling.db"
    dangling.symlink_to(tmp_path / "would-be-created.db")
    assert "符号链接" in refused(fupin("--db", str(db), "db", "backup", *force, str(dangling)))
    assert not (tmp_path / "would-be-created.db").exists()


def test_backup_refuses_the_database_itself_a_folder_and_a_missing_folder(tmp_path):
    db = tmp_path / "fupin.db"
    record(str(db))
    before = rows(db)
    refused(fupin("--db", str(db), "db", "backup", "--force", str(db)))
    refused(fupin("--db", str(db), "db", "backup", "--force", str(tmp_path)))
    refused(fupin("--db", str(db), "db", "backup", str(tmp_path / "no" / "such" / "folder.db")))
    assert rows(db) == before


def test_restore_into_an_empty_database(tmp_path):
    db, copy, fresh = tmp_path / "fupin.db", tmp_path / "copy.db", tmp_path / "new" / "fupin.db"
    record(str(db), 6)
    assert fupin("--db", str(db), "db", "backup", str(copy)).exit_code == 0
    fresh.parent.mkdir()
    result = fupin("--db", str(fresh), "db", "restore", str(copy))
    assert result.exit_code == 0, result.output
    assert rows(fresh) == rows(db)
    assert mode(fresh) == 0o600
    assert fupin("--db", str(fresh), "db", "check").exit_code == 0


def test_restore_over_a_database_with_records_is_refused_unchanged(tmp_path):
    db, copy, other = tmp_path / "fupin.db", tmp_path / "copy.db", tmp_path / "other.db"
    record(str(db), 2)
    fupin("--db", str(db), "db", "backup", str(copy))
    record(str(other), 1)
    before = rows(other)
    assert "空数据库" in refused(fupin("--db", str(other), "db", "restore", str(copy)))
    assert rows(other) == before


def test_restore_refuses_what_is_not_a_fupin_backup(tmp_path):
    fresh = str(tmp_path / "fresh.db")
    not_sqlite = tmp_path / "notes.txt"
    not_sqlite.write_text("not a database")
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE something (x)")
    assert "不存在" in refused(fupin("--db", fresh, "db", "restore", str(tmp_path / "missing.db")))
    refused(fupin("--db", fresh, "db", "restore", str(not_sqlite)))
    assert "schema_migration" in refused(fupin("--db", fresh, "db", "restore", str(foreign)))


def test_restore_refuses_a_backup_from_a_newer_fupin_or_with_a_broken_chain(tmp_path):
    db, newer, broken = tmp_path / "fupin.db", tmp_path / "newer.db", tmp_path / "broken.db"
    record(str(db), 3)
    fupin("--db", str(db), "db", "backup", str(newer))
    fupin("--db", str(db), "db", "backup", str(broken))
    with sqlite3.connect(newer) as conn:
        conn.execute("INSERT INTO schema_migration VALUES ('999_from_the_future', 'x')")
    with sqlite3.connect(broken) as conn:
        conn.execute("UPDATE audit_event SET operator = 'x' WHERE id = 2")
    target = tmp_path / "target.db"
    assert "更新版本" in refused(fupin("--db", str(target), "db", "restore", str(newer)))
    assert "第 2 号" in refused(fupin("--db", str(target), "db", "restore", str(broken)))
    assert not target.exists()


def test_info_as_json(tmp_path):
    db = tmp_path / "fupin.db"
    record(str(db), 2)
    result = fupin("--db", str(db), "db", "info", "--format", "json")
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert info["backend"] == "sqlite" and info["journal_mode"] == "wal"
    assert info["counts"]["audit_events"] == 2
    assert info["migrations"] == info["known_migrations"]


@pytest.mark.postgres
def test_postgresql_check_runs_the_chain_and_backup_points_to_pg_dump(tmp_path):
    with fresh_postgres_database() as url:
        record(url, 3)
        result = fupin("--db", url, "db", "check")
        assert result.exit_code == 0, result.output
        assert "PostgreSQL" in result.stdout and "共 3 条" in result.stdout
        assert "pg_dump" in refused(fupin("--db", url, "db", "backup", str(tmp_path / "x.db")))
        assert "pg_restore" in refused(fupin("--db", url, "db", "restore", str(tmp_path / "x.db")))
        assert not (tmp_path / "x.db").exists()
        database = open_database(url)
        with database.write() as session:
            session.execute(text("UPDATE audit_event SET action = 'approve' WHERE id = 3"))
        database.dispose()
        assert "第 3 号" in refused(fupin("--db", url, "db", "check"))


def test_check_finds_a_case_edited_behind_fupins_back(tmp_path):
    db = tmp_path / "fupin.db"
    for args in (
        ["case", "open", "某村资金核查", "--category", "资金项目"],
        ["case", "open", "另一件", "--category", "政策"],
        ["case", "approve", "2", "--by", "王主任"],
        ["case", "assign", "2", "--unit", "唐县"],
    ):
        assert fupin("--db", str(db), *args).exit_code == 0
    assert fupin("--db", str(db), "db", "check").exit_code == 0

    edits = [
        (
            "UPDATE cases SET state = 'completed' WHERE serial = 2",
            "督查〔2026〕2号 的状态是「已办结」，审计记录却是「已交办」",
        ),
        ("UPDATE cases SET due = '2026-12-31' WHERE serial = 2", "督查〔2026〕2号 的办结期限是「2026-12-31」"),
        (
            "INSERT INTO cases SELECT 99, year, 3, title, category, source, major, classified, secret_level,"
            " paper_location, state, opened_on, approved_on, approver, meeting_ref, meeting_on, opinion,"
            " rejected_on, reject_reason, lead_unit, assist_units, assigned_on, limit_workdays, basis,"
            " original_due, due, due_provisional, accepted_on, unit_ref, feedback_on, report_text,"
            " report_file, archived_on, archive_location, withdrawn_on, withdraw_reason, finding_id,"
            " last_step_on, created_at, updated_at FROM cases WHERE serial = 1",
            "督查〔2026〕3号 没有审计记录",
        ),
    ]
    for number, (edit, named) in enumerate(edits):
        edited = tmp_path / f"edited-{number}.db"
        shutil.copyfile(db, edited)
        with closing(sqlite3.connect(edited)) as conn, conn:
            conn.execute(edit)
        assert named in refused(fupin("--db", str(edited), "db", "check"))
