"""Every read command, table-driven (tests/read_commands.py): on a damaged database it says one
Chinese line and exits 1, never a traceback; a PostgreSQL role that may only read can run every
one; and a read leaves the database byte for byte as it was."""

import os
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fupin_cli.cli.app import app
from fupin_cli.storage import versions
from tests.read_commands import READ_COMMANDS, READ_TODAY, build_read_scenario, filled

IDS = [" ".join(command[:3]) for command in READ_COMMANDS]
RECORD_TABLES = [name for name in versions.TABLES if name not in ("schema_migration", "reference_file")]


def _run(db: str, command: tuple[str, ...], out: Path):
    out.mkdir(exist_ok=True)
    return CliRunner().invoke(app, ["--db", db, "--today", READ_TODAY, *filled(command, str(out))])


def _refused_in_one_line(result) -> str:
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误："), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def _ok(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def read_db(scenarios, db_path, monkeypatch) -> Path:
    monkeypatch.setenv("FUPIN_TODAY", READ_TODAY)
    return scenarios.sqlite("reads", lambda: build_read_scenario(_ok), into=db_path)


def _garbage_over_the_schema(path: Path) -> None:
    """Bytes of noise over the first page after its header: the schema SQLite reads before anything."""
    with path.open("r+b") as handle:
        handle.seek(100)
        handle.write(bytes((index * 37 + 11) % 256 for index in range(3000)))


def _garbage_over_every_page_but_the_first(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        page = conn.execute("PRAGMA page_size").fetchone()[0]
    size = path.stat().st_size
    with path.open("r+b") as handle:
        for start in range(page, size, page):
            handle.seek(start)
            handle.write(b"\xa5" * page)


def _drop_the_record_tables(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn, conn:
        for table in RECORD_TABLES:
            conn.execute(f'DROP TABLE "{table}"')


DAMAGE = {
    "garbage-in-the-schema-page": _garbage_over_the_schema,
    "garbage-in-every-data-page": _garbage_over_every_page_but_the_first,
    "tables-dropped": _drop_the_record_tables,
}


@pytest.mark.parametrize("damage", list(DAMAGE))
@pytest.mark.parametrize("command", READ_COMMANDS, ids=IDS)
def test_a_damaged_sqlite_database_gives_every_read_one_line(command, damage, read_db, tmp_path):
    DAMAGE[damage](read_db)
    before = read_db.read_bytes()
    line = _refused_in_one_line(_run(str(read_db), command, tmp_path / "out"))
    assert str(read_db) in line or "数据库" in line
    assert read_db.read_bytes() == before


@pytest.mark.parametrize("command", READ_COMMANDS, ids=IDS)
def test_a_read_leaves_the_sqlite_database_byte_for_byte(command, read_db, tmp_path):
    """The file unchanged to the byte, and nothing in a write-ahead log (SQLite's readers of a WAL
    database may make the empty -wal and the -shm index beside it: those hold no data)."""
    before = read_db.read_bytes()
    result = _run(str(read_db), command, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert read_db.read_bytes() == before
    wal = read_db.with_name(read_db.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


@pytest.mark.parametrize("command", READ_COMMANDS, ids=IDS)
def test_a_read_on_a_missing_database_names_fupin_init_and_makes_nothing(command, tmp_path):
    path = tmp_path / "absent" / "fupin.db"
    path.parent.mkdir()
    line = _refused_in_one_line(_run(str(path), command, tmp_path / "out"))
    assert "fupin init" in line
    assert list(path.parent.iterdir()) == []


def test_a_read_on_an_old_database_names_fupin_init_and_changes_nothing(read_db, tmp_path):
    with closing(sqlite3.connect(read_db)) as conn, conn:
        conn.execute("DELETE FROM schema_migration WHERE name = :name", {"name": versions.SCHEMA[-1]})
    before = read_db.read_bytes()
    for command in READ_COMMANDS:
        line = _refused_in_one_line(_run(str(read_db), command, tmp_path / "out"))
        assert "fupin init" in line and versions.SCHEMA[-1] in line
    assert read_db.read_bytes() == before


def test_changed_reference_files_are_warned_about_and_the_read_answers_unchanged(read_db, tmp_path, monkeypatch):
    """Stale reference data (a units file edited since it was loaded): one warning line, the answer
    from what is stored, nothing written; the next write reloads."""
    from fupin_cli.services import database as database_service
    from fupin_cli.services import duties
    from fupin_cli.settings import data_dir

    copied = tmp_path / "data"
    shutil.copytree(data_dir(), copied)
    units = copied / duties.UNITS_FILE
    units.write_text(units.read_text(encoding="utf-8") + "\n# 改过\n", encoding="utf-8")
    monkeypatch.setattr(database_service, "data_dir", lambda: copied)
    before = read_db.read_bytes()
    result = _run(str(read_db), ("report", "overdue"), tmp_path / "out")
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if "参考数据" in line]
    assert len(notes) == 1 and "fupin init" in notes[0]
    assert read_db.read_bytes() == before


# --- PostgreSQL ------------------------------------------------------------------------------------


@pytest.fixture
def read_pg(scenarios, tmp_path, monkeypatch):
    monkeypatch.setenv("FUPIN_TODAY", READ_TODAY)
    with scenarios.database("reads", "postgresql", _build_pg, folder=tmp_path) as url:
        yield url


def _build_pg(url: str) -> None:
    def ok(*args: str):
        args = tuple(a for a in args if a not in ("--db", os.environ.get("FUPIN_DB", "\0")))
        return _ok("--db", url, "--today", READ_TODAY, *args)

    build_read_scenario(ok)


def _conninfo(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.mark.postgres
def test_a_read_only_postgresql_role_runs_every_read(read_pg, tmp_path):
    import psycopg
    from sqlalchemy.engine import make_url

    suffix = os.urandom(4).hex()
    role = f"fupin_looker_{suffix}"
    url = make_url(read_pg)
    with psycopg.connect(_conninfo(read_pg), autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'pw'")
        conn.execute(f"ALTER ROLE {role} SET default_transaction_read_only = on")
        conn.execute(f'GRANT CONNECT ON DATABASE "{url.database}" TO {role}')
        conn.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    try:
        as_role = url.set(username=role, password="pw").render_as_string(hide_password=False)
        for command in READ_COMMANDS:
            result = _run(as_role, command, tmp_path / "out")
            assert result.exit_code == 0, (command, result.output)
    finally:
        with psycopg.connect(_conninfo(read_pg), autocommit=True) as conn:
            conn.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}")
            conn.execute(f"REVOKE ALL ON SCHEMA public FROM {role}")
            conn.execute(f'REVOKE ALL ON DATABASE "{url.database}" FROM {role}')
            conn.execute(f"DROP ROLE IF EXISTS {role}")


@pytest.mark.postgres
def test_dropped_postgresql_tables_give_every_read_one_line(read_pg, tmp_path):
    import psycopg

    with psycopg.connect(_conninfo(read_pg), autocommit=True) as conn:
        for table in RECORD_TABLES:
            conn.execute(f'DROP TABLE "{table}" CASCADE')
    for command in READ_COMMANDS:
        line = _refused_in_one_line(_run(read_pg, command, tmp_path / "out"))
        assert "数据库" in line, (command, line)
