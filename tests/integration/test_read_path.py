"""The light read path (driver only, no SQLAlchemy) gives the same answers on SQLite and PostgreSQL."""

import json
from pathlib import Path

from typer.testing import CliRunner

from fupin_cli.cli.app import app
from fupin_cli.storage import migrations, versions
from fupin_cli.storage.reports import LEDGER_COLUMNS
from fupin_cli.storage.tables import CaseRecord


def test_the_light_path_knows_every_migration():
    assert versions.SCHEMA == tuple(name for name, _ in migrations.MIGRATIONS)


def test_the_ledger_has_every_stored_field_of_a_case():
    stored = [column.name for column in CaseRecord.__table__.columns]  # type: ignore[attr-defined]
    assert list(LEDGER_COLUMNS[:-1]) == [name for name in stored if name not in ("id", "created_at", "updated_at")]


def test_overdue_report_on_both_backends(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("FUPIN_HOME", str(tmp_path / "home"))

    def run(*args):
        result = CliRunner().invoke(app, ["--db", db_url, "--today", "2026-10-19", "--user", "测试员", *args])
        assert result.exit_code in (0, 1), result.output
        return result

    # A read never creates the database: it names the command that does, and leaves nothing behind.
    first = run("report", "overdue", "--format", "json")
    assert first.exit_code == 1 and "fupin init" in first.stderr and len(first.stderr.strip().splitlines()) == 1
    if "://" not in db_url:
        assert not Path(db_url).exists()
    run("init")
    assert json.loads(run("report", "overdue", "--format", "json").stdout) == []
    run("case", "open", "核查事项", "--category", "资金项目", "--on", "2026-09-25")
    run("case", "approve", "1", "--by", "王主任", "--on", "2026-09-25")
    run("case", "assign", "1", "--unit", "唐县", "--on", "2026-09-28")
    rows = json.loads(run("report", "overdue", "--format", "json").stdout)
    assert [(r["no"], r["unit"], r["due"], r["overdue_workdays"], r["suggested_step"]) for r in rows] == [
        ("督查〔2026〕1号", "唐县扶贫开发办公室", "2026-10-16", 1, "催办")
    ]
    assert run("report", "overdue", "--unit", "唐县", "--fail-if-any", "--format", "tsv").exit_code == 1
    stats = json.loads(run("report", "stats", "--year", "2026", "--format", "json").stdout)
    assert stats[-1]["received"] == 1 and stats[-1]["overdue_now"] == 1


def test_the_write_path_reads_rows_as_the_light_reader_does(db_url, tmp_path, monkeypatch):
    """SessionRows (a write's connection) and PlainReader give the same values of the same types for
    every row of every table of a demo database: dates as date, flags as bool, on both backends."""
    from fupin_cli.storage import plain
    from fupin_cli.storage.db import open_database
    from fupin_cli.storage.session_rows import SessionRows

    monkeypatch.setenv("FUPIN_HOME", str(tmp_path / "home"))
    built = CliRunner().invoke(app, ["--db", db_url, "--today", "2025-06-10", "init", "--demo"])
    assert built.exit_code == 0, built.output
    database = open_database(db_url)
    reader = plain.open_reader(db_url)
    assert reader is not None
    try:
        with database.write() as session:
            through_session = SessionRows(session.connection())
            assert through_session.backend == reader.backend
            for table in versions.TABLES:
                query = f'SELECT * FROM "{table}" ORDER BY 1'
                light = [tuple((type(v), v) for v in row) for row in reader.rows(query)]
                heavy = [tuple((type(v), v) for v in row) for row in through_session.rows(query)]
                assert heavy == light, table
                assert through_session.mappings(query) == reader.mappings(query), table
            dates = list(through_session.rows("SELECT assigned_on, major FROM cases WHERE assigned_on IS NOT NULL"))
            assert dates and all(type(on).__name__ == "date" and type(major) is bool for on, major in dates)
    finally:
        reader.close()
        database.dispose()
