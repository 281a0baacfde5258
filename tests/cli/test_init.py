"""`fupin init` makes the database ready; `--demo` adds the fictional set once."""

import json

from tests.conftest import dump_database

TODAY = "2026-11-26"


def test_init_creates_the_database_with_its_reference_data(cli, db_path):
    result = cli("init")
    assert result.exit_code == 0, result.output
    assert "32 个单位" in result.stdout and "16 项具体工作事项" in result.stdout
    assert db_path.stat().st_mode & 0o777 == 0o600


def test_demo_cases_cover_every_light_and_load_only_once(cli, fupin_environment, db_path):
    assert cli("--today", TODAY, "init", "--demo").exit_code == 0
    assert not db_path.exists()  # the office's database is not touched
    demo_db = fupin_environment / "demo.db"
    rows = json.loads(cli("--today", TODAY, "--demo", "case", "list", "--format", "json").stdout)
    assert all(row["title"].startswith("演示") or row["title"].startswith("「涉密") for row in rows)
    assert {row["light"] for row in rows} >= {"red", "yellow", "green"}
    before = dump_database(demo_db)
    again = cli("--today", TODAY, "init", "--demo")
    assert again.exit_code == 0 and "未重复添加" in again.stdout
    assert dump_database(demo_db) == before
