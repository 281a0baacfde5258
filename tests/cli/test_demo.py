"""The demo in its own file demo.db: built all or nothing, on any day, never in the office's database."""

import sqlite3

import pytest

from tests.conftest import dump_database

# Every holiday eve of 2026–2027 (春节, 清明, 劳动节, 端午, 中秋, 国庆), the first working days after
# 春节 and 国庆, weekends, Mondays and Tuesdays, and the turn of the year.
SAMPLE_DAYS = [
    "2026-01-01", "2026-01-05", "2026-02-13", "2026-02-16", "2026-02-24", "2026-04-03", "2026-04-30",
    "2026-06-18", "2026-09-24", "2026-09-30", "2026-10-09", "2026-11-28", "2026-12-01", "2026-12-31",
    "2027-01-04", "2027-02-05", "2027-02-15", "2027-04-02", "2027-04-30", "2027-06-08", "2027-09-14",
    "2027-09-30", "2027-10-08", "2027-12-06", "2027-12-31",
]


def _records(path) -> int:
    if not path.exists():
        return 0
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT (SELECT count(*) FROM cases) + (SELECT count(*) FROM audit_event)").fetchone()[0]


@pytest.mark.parametrize("today", SAMPLE_DAYS)
def test_the_demo_loads_on_every_sampled_day_and_shows_both_steps(ok, fupin_environment, db_path, today):
    built = ok("--today", today, "init", "--demo")
    assert "演示督查事项：8 件" in built.stdout
    overdue = ok("--today", today, "--demo", "report", "overdue").stdout
    assert "催办" in overdue and "通报" in overdue and "「涉密·线下办理」" in overdue
    assert (fupin_environment / "demo.db").exists()
    assert _records(db_path) == 0


def test_the_office_database_stays_empty_and_a_second_load_adds_nothing(ok, fupin_environment, db_path):
    ok("--today", "2026-12-01", "init")
    ok("--today", "2026-12-01", "init", "--demo")
    ok("--today", "2026-12-01", "--demo", "report", "overdue")
    assert _records(db_path) == 0
    demo_db = fupin_environment / "demo.db"
    before = dump_database(demo_db)
    again = ok("--today", "2026-12-02", "init", "--demo")
    assert "未重复添加" in again.stdout
    assert dump_database(demo_db) == before
    assert sorted(p.name for p in fupin_environment.iterdir() if p.name.startswith(".demo")) == []


def test_demo_option_builds_the_file_when_missing(ok, fupin_environment, db_path):
    listed = ok("--today", "2026-12-01", "--demo", "case", "list")
    assert "演示" in listed.stdout and (fupin_environment / "demo.db").exists()
    assert _records(db_path) == 0


def test_demo_with_db_is_refused_with_exit_2(cli, tmp_path, fupin_environment):
    result = cli("--demo", "--db", str(tmp_path / "other.db"), "case", "list")
    assert result.exit_code == 2 and "--demo 与 --db 不能同时使用" in result.stderr
    assert not (tmp_path / "other.db").exists() and not (fupin_environment / "demo.db").exists()


def test_init_demo_into_a_named_database(ok, cli, tmp_path, fupin_environment, db_path):
    named = tmp_path / "named.db"
    ok("--today", "2026-12-01", "--db", str(named), "init", "--demo")
    assert _records(named) > 0 and not (fupin_environment / "demo.db").exists()
    before = dump_database(named)
    assert "未重复添加" in ok("--today", "2026-12-01", "--db", str(named), "init", "--demo").stdout
    assert dump_database(named) == before


def test_init_demo_refuses_a_database_with_records(ok, cli, db_path):
    ok("--today", "2026-12-01", "case", "open", "某村核查", "--category", "资金项目")
    before = dump_database(db_path)
    refused = cli("--today", "2026-12-01", "--db", str(db_path), "init", "--demo")
    assert refused.exit_code == 1 and "已有督查事项记录" in refused.stderr
    assert dump_database(db_path) == before


@pytest.mark.postgres
def test_init_demo_into_a_postgresql_database_whole_and_once(ok, cli, fupin_environment):
    from tests.integration.conftest import fresh_postgres_database

    with fresh_postgres_database() as url:
        loaded = ok("--db", url, "--today", "2027-02-05", "init", "--demo")
        assert "演示督查事项：8 件" in loaded.stdout
        overdue = ok("--db", url, "--today", "2027-02-05", "report", "overdue").stdout
        assert "催办" in overdue and "通报" in overdue
        before = ok("--db", url, "--today", "2027-02-05", "case", "list", "--format", "json").stdout
        again = ok("--db", url, "--today", "2027-02-05", "init", "--demo")
        assert "未重复添加" in again.stdout
        assert ok("--db", url, "--today", "2027-02-05", "case", "list", "--format", "json").stdout == before
    assert [p.name for p in fupin_environment.iterdir() if "demo" in p.name] == []


def test_a_failed_load_leaves_nothing(cli, fupin_environment, db_path):
    # Before the calendar's first year the story cannot be dated: the load fails half-way through.
    failed = cli("--today", "2004-01-05", "init", "--demo")
    assert failed.exit_code == 1 and failed.stderr.startswith("错误：")
    assert sorted(p.name for p in fupin_environment.iterdir() if "demo" in p.name) == []
    assert _records(db_path) == 0
