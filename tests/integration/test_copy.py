"""`fupin db copy`: a whole database moved between SQLite and PostgreSQL, chain, ids and series intact."""

import re
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from fupin_cli.storage.db import open_database
from tests.conftest import dump_database
from tests.integration.conftest import fresh_postgres_database, run_fupin, table_contents

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "督查台账样例-虚构.csv"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


pytestmark = pytest.mark.usefixtures("private_home")
fupin = run_fupin


def ok(db: str, *args: str, today: str = "2026-10-10"):
    result = fupin(db, *args, today=today)
    assert result.exit_code == 0, result.output
    return result


def refused(result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    message = result.stderr.strip()
    assert CHINESE.search(message) and "\n" not in message, message
    return message


def populated(db: str) -> None:
    """The demo set, an imported-looking case walked to the end, and an inspection with a visit."""
    ok(db, "init", "--demo")
    ok(db, "case", "import", str(SAMPLE), today="2025-10-10")
    ok(db, "case", "open", "某县资金核查", "-c", "资金项目", "--on", "2026-03-02")
    ok(db, "check", "new", "资金项目", "--title", "重点督查", "--method", "重点督查", "--unit", "易县",
       "--on", "2026-03-02")
    ok(db, "check", "phase", "1", "实施检查", "--on", "2026-03-10")
    ok(db, "check", "visit", "1", "--village", "演示易三村", "--by", "市", "--on", "2026-03-11")


def last_serial(path: Path, year: int) -> int:
    """The largest number of `year` in an SQLite file: where the series goes on."""
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT max(serial) FROM cases WHERE year = ?", (year,)).fetchone()[0]


def contents(db: str) -> dict:
    database = open_database(db)
    try:
        with database.read() as conn:
            return table_contents(conn)
    finally:
        database.dispose()


@pytest.mark.postgres
def test_sqlite_to_postgresql_and_back_row_for_row(tmp_path):
    first, second = str(tmp_path / "first.db"), str(tmp_path / "second.db")
    populated(first)
    before = dump_database(Path(first))
    with fresh_postgres_database() as url:
        shown = ok(first, "db", "copy", "--to", url).stdout
        assert "已通过 fupin db check" in shown and "audit_event" in shown
        assert "审计链：正常" in ok(url, "db", "check").stdout
        ok(url, "db", "copy", "--to", second)
        assert "审计链：正常" in ok(second, "db", "check").stdout
        # the copy goes on where the source stopped: next number, next ids, the chain continues
        expected = f"督查〔2026〕{last_serial(Path(first), 2026) + 1}号"
        assert expected in ok(url, "case", "open", "复制后新开", "-c", "政策").stdout
        ok(url, "check", "new", "资金项目", "--title", "再查", "--method", "重点督查", "--unit", "唐县",
           "--on", "2026-03-02")
        assert "审计链：正常" in ok(url, "db", "check").stdout
    assert dump_database(Path(first)) == before
    assert dump_database(Path(second)) == before


@pytest.mark.postgres
def test_a_non_empty_postgresql_target_is_refused_unchanged(tmp_path):
    source = str(tmp_path / "source.db")
    populated(source)
    with fresh_postgres_database() as url:
        ok(url, "init")  # prepared by init: schema and reference data only, still empty
        ok(url, "case", "open", "已有的事项", "-c", "政策")
        kept = contents(url)
        message = refused(fupin(source, "db", "copy", "--to", url))
        assert "已有记录" in message and "cases" in message
        assert contents(url) == kept


@pytest.mark.postgres
def test_a_target_prepared_by_init_counts_as_empty(tmp_path):
    source = str(tmp_path / "source.db")
    populated(source)
    with fresh_postgres_database() as url:
        ok(url, "init")
        ok(source, "db", "copy", "--to", url)
        copied, original = contents(url), contents(source)
        assert {name: len(rows) for name, rows in copied.items()} == {
            name: len(rows) for name, rows in original.items()
        }
        assert "审计链：正常" in ok(url, "db", "check").stdout


def test_sqlite_to_sqlite_and_refusals(tmp_path):
    source, target = str(tmp_path / "source.db"), str(tmp_path / "target.db")
    populated(source)
    ok(source, "db", "copy", "--to", target)
    assert contents(target) == contents(source)
    kept = dump_database(Path(target))
    assert "已有记录" in refused(fupin(source, "db", "copy", "--to", target))
    assert dump_database(Path(target)) == kept
    assert "本身" in refused(fupin(source, "db", "copy", "--to", source))


def test_a_broken_chain_is_not_copied_and_leaves_no_file(tmp_path):
    source, target = str(tmp_path / "source.db"), tmp_path / "target.db"
    populated(source)
    database = open_database(source)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET operator = '冒名' WHERE id = 3"))
    database.dispose()
    message = refused(fupin(source, "db", "copy", "--to", str(target)))
    assert "第 3 号记录" in message
    assert not target.exists()


@pytest.mark.postgres
def test_an_interrupted_copy_leaves_the_target_empty(tmp_path, monkeypatch):
    from fupin_cli.services.copying import copy_database
    from fupin_cli.storage import copying
    from tests.integration.conftest import settings_for

    source = str(tmp_path / "source.db")
    populated(source)
    real = copying.insert_rows
    calls = []

    def interrupted(conn, table, rows):  # the operator presses Ctrl-C after a few tables
        calls.append(table.name)
        if len(calls) > 3:
            raise KeyboardInterrupt
        real(conn, table, rows)

    monkeypatch.setattr(copying, "insert_rows", interrupted)
    with fresh_postgres_database() as url:
        with pytest.raises(KeyboardInterrupt):
            copy_database(settings=settings_for(source, tmp_path / "home"), target=url)
        assert {name: rows for name, rows in contents(url).items() if name != "schema_migration"} == {
            name: [] for name in contents(url) if name != "schema_migration"
        }
        monkeypatch.setattr(copying, "insert_rows", real)
        ok(source, "db", "copy", "--to", url)  # and it can be copied afterwards
        assert "审计链：正常" in ok(url, "db", "check").stdout
    sqlite_target = tmp_path / "target.db"
    monkeypatch.setattr(copying, "insert_rows", interrupted)
    calls.clear()
    with pytest.raises(KeyboardInterrupt):
        copy_database(settings=settings_for(source, tmp_path / "home"), target=str(sqlite_target))
    assert not sqlite_target.exists()
