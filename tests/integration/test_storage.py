"""Opening, migrating and writing the database, on SQLite and PostgreSQL; the files SQLite leaves."""

import hashlib
import os
import re
import stat
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from typer.testing import CliRunner

from fupin_cli.cli.app import app
from fupin_cli.domain.errors import DatabaseError
from fupin_cli.services.unit_of_work import in_unit_of_work
from fupin_cli.storage import events, migrations
from fupin_cli.storage.db import open_database
from fupin_cli.storage.tables import CaseCounter, SQLModel

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def snapshot(database) -> dict:
    """Every table's name, columns and rows: what "left untouched" compares."""
    with database.read() as conn:
        inspector = inspect(conn)
        content = {}
        for table in sorted(inspector.get_table_names()):
            columns = [column["name"] for column in inspector.get_columns(table)]
            rows = conn.execute(text(f'SELECT * FROM "{table}"')).all()
            content[table] = (columns, sorted(map(repr, rows)))
    return content


def test_migrations_create_the_schema_and_record_themselves(database):
    with database.read() as conn:
        tables = set(inspect(conn).get_table_names())
        recorded = migrations.applied(conn)
    assert recorded == [name for name, _ in migrations.MIGRATIONS]
    assert {"schema_migration", "cases", "audit_event", "case_counter", "case_extension"} <= tables


def test_opening_again_changes_nothing(database, db_url):
    before = snapshot(database)
    again = open_database(db_url)
    try:
        assert snapshot(again) == before
    finally:
        again.dispose()


def test_a_database_from_a_newer_fupin_is_refused_untouched(database, db_url, backend):
    with database.write() as session:
        session.execute(
            text("INSERT INTO schema_migration (name, applied_at) VALUES ('999_from_the_future', 'x')")
        )
    before = snapshot(database)
    database.dispose()
    file_digest = _file_digest(db_url) if backend == "sqlite" else None

    with pytest.raises(DatabaseError, match="更新版本") as refusal:
        open_database(db_url)
    assert "999_from_the_future" in refusal.value.message

    if file_digest is not None:
        assert _file_digest(db_url) == file_digest
    assert snapshot(database) == before


def _file_digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_a_unit_of_work_that_raises_rolls_back_whole(database):
    class Interrupted(Exception):
        pass

    with pytest.raises(Interrupted), database.write() as session:
        session.add(CaseCounter(year=2026, last_serial=7))
        events.append_event(
            session,
            subject="case",
            action="open",
            operator="测试",
            effective_on=date(2026, 10, 10),
            before=None,
            after={},
        )
        session.flush()
        raise Interrupted

    with database.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM case_counter")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM audit_event")).scalar() == 0


def test_the_migrated_schema_matches_the_models(database):
    with database.read() as conn:
        inspector = inspect(conn)
        migrated = {
            table: {column["name"]: column["nullable"] for column in inspector.get_columns(table)}
            for table in inspector.get_table_names()
        }
    modelled = {
        table.name: {column.name: bool(column.nullable) for column in table.columns}
        for table in SQLModel.metadata.sorted_tables
    }
    assert set(migrated) >= set(modelled)
    for table, columns in modelled.items():
        assert migrated[table] == columns, table


def test_the_default_database_is_private(tmp_path, monkeypatch):
    from fupin_cli.services.database import connect
    from fupin_cli.settings import resolve

    monkeypatch.setenv("FUPIN_HOME", str(tmp_path / "share" / "fupin"))
    settings = resolve(db=None, user="测试", today=date(2026, 10, 10))
    assert settings.is_default_db
    connect(settings).dispose()

    assert stat.S_IMODE(settings.home.stat().st_mode) == 0o700
    assert stat.S_IMODE(Path(settings.db).stat().st_mode) == 0o600


def test_a_database_named_by_the_user_is_private_too(tmp_path):
    open_database(str(tmp_path / "own.db")).dispose()
    assert stat.S_IMODE((tmp_path / "own.db").stat().st_mode) == 0o600


def test_sqlite_runs_in_wal_mode(tmp_path):
    database = open_database(str(tmp_path / "fupin.db"))
    try:
        with database.read() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        database.dispose()


def _refused_by_the_cli(db: str) -> str:
    result = CliRunner().invoke(app, ["--db", db, "db", "check"])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    message = result.stderr.strip()
    assert message.count("\n") == 0 and CHINESE.search(message), message
    return message


def test_a_database_in_a_missing_folder_is_refused(tmp_path):
    missing = tmp_path / "nowhere" / "fupin.db"
    with pytest.raises(DatabaseError, match="文件夹不存在"):
        open_database(str(missing))
    assert "文件夹不存在" in _refused_by_the_cli(str(missing))
    assert not missing.parent.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"not a database, only some words " * 40,
        bytes(range(256)) * 16,
        b"SQLite format 3\x00" + b"\xff" * 4080,
    ],
    ids=["text", "binary", "bad-header"],
)
def test_a_file_that_is_not_sqlite_is_refused_unchanged(tmp_path, content):
    path = tmp_path / "other.db"
    path.write_bytes(content)
    with pytest.raises(DatabaseError) as refusal:
        open_database(str(path))
    assert CHINESE.search(refusal.value.message)
    assert str(path) in _refused_by_the_cli(str(path))
    assert path.read_bytes() == content


def test_a_folder_that_is_not_a_file_is_refused(tmp_path):
    assert "不是一个文件" in _refused_by_the_cli(str(tmp_path))


@pytest.fixture
def unwritable_folder(tmp_path):
    """A folder nobody may create files in: chmod 0500, or (for root, who ignores modes) chattr +i."""
    folder = tmp_path / "locked"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o500)
        yield folder
        folder.chmod(0o700)
        return
    locked = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False)
    if locked.returncode != 0:
        pytest.skip("running as root and chattr +i is not available here: cannot make a folder unwritable")
    try:
        yield folder
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_a_folder_without_write_permission_is_refused(unwritable_folder):
    path = unwritable_folder / "fupin.db"
    with pytest.raises(DatabaseError, match="没有写权限"):
        open_database(str(path))
    assert "没有写权限" in _refused_by_the_cli(str(path))
    assert not path.exists()


def test_the_audit_chain_verifies_and_names_the_row_edited_behind_fupins_back(database, db_url):
    with database.write() as session:
        for number in range(1, 6):
            events.append_event(
                session,
                subject=f"督查〔2026〕{number}号",
                action="open",
                operator="王科员",
                effective_on=date(2026, 10, number),
                before=None,
                after={"title": f"第{number}件", "state": "proposed"},
            )
    with database.read() as conn:
        assert events.verify_chain(conn) == (5, None)
    assert CliRunner().invoke(app, ["--db", db_url, "db", "check"]).exit_code == 0

    with database.write() as session:
        session.execute(text("UPDATE audit_event SET operator = '李科员' WHERE id = 3"))
    with database.read() as conn:
        count, broken = events.verify_chain(conn)
    assert broken is not None and broken.event_id == 3
    message = _refused_by_the_cli(db_url)
    assert "第 3 号" in message

    with database.write() as session:  # an edit that also rewrites the hash breaks the next link
        session.execute(text("UPDATE audit_event SET operator = '王科员' WHERE id = 3"))
        session.execute(text("UPDATE audit_event SET after = '{}', hash = :h WHERE id = 4"), {"h": "f" * 64})
    with database.read() as conn:
        assert events.verify_chain(conn)[1].event_id == 4
    with database.write() as session:
        session.execute(text("DELETE FROM audit_event WHERE id = 4"))
    with database.read() as conn:
        assert events.verify_chain(conn)[1].event_id == 5


def test_the_chain_is_kept_in_order_by_the_write_lock(database):
    with database.write() as session:
        first = events.append_event(
            session, subject="s", action="a", operator="o", effective_on=None, before=None, after=None
        )
    with database.write() as session:
        second = events.append_event(
            session, subject="s", action="b", operator="o", effective_on=None, before={"x": 1}, after={"x": 2}
        )
    assert (first.id, second.id) == (1, 2)
    assert second.prev_hash == first.hash
    with database.read() as conn:
        rows = conn.execute(text("SELECT id FROM audit_event ORDER BY id")).scalars().all()
    assert rows == [1, 2]


def _documented_grants() -> str:
    """The grants block of docs/postgresql.md, exactly as the office would run it."""
    document = (Path(__file__).resolve().parents[2] / "docs" / "postgresql.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sql\n(.*?)```", document, flags=re.S)
    (grants,) = [block for block in blocks if block.startswith("-- grants:")]
    return grants


@pytest.mark.postgres
def test_the_documented_postgresql_grants(tmp_path):
    """A clerk can do a case's steps but can neither rewrite nor delete the audit trail; a reader only reads."""
    import psycopg
    from sqlalchemy.engine import make_url

    from fupin_cli.services.setup import initialise
    from fupin_cli.settings import Settings
    from tests.integration.conftest import fresh_postgres_database, postgres_admin_url

    postgres_admin_url()  # skips, with the reason, when no server is given
    suffix = os.urandom(4).hex()
    clerk, reader = f"fupin_clerk_{suffix}", f"fupin_reader_{suffix}"
    admin = make_url(os.environ["FUPIN_TEST_PG_URL"]).set(drivername="postgresql")
    admin_conninfo = admin.render_as_string(hide_password=False)
    with psycopg.connect(admin_conninfo, autocommit=True) as conn:
        for role in (clerk, reader):
            conn.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'pw'")
    try:
        with fresh_postgres_database() as owner_url:
            name = make_url(owner_url).database
            settings = Settings(db=owner_url, user="管理员", today=date(2026, 10, 10), home=tmp_path)
            initialise(settings=settings, demo=False)  # `fupin init` as the owner: schema, reference data, calendar
            grants = _documented_grants().replace("fupin_clerk", clerk).replace("fupin_reader", reader)
            with psycopg.connect(
                make_url(owner_url).set(drivername="postgresql").render_as_string(hide_password=False),
                autocommit=True,
            ) as conn:
                conn.execute(f'GRANT CONNECT ON DATABASE "{name}" TO {clerk}, {reader}')
                conn.execute(grants)

            def as_role(role: str) -> str:
                return (
                    make_url(owner_url)
                    .set(username=role, password="pw")
                    .render_as_string(hide_password=False)
                )

            from fupin_cli.services import case_steps

            clerk_settings = Settings(db=as_role(clerk), user="经办人", today=date(2026, 10, 10), home=tmp_path)
            opened = in_unit_of_work(case_steps.open_case, settings=clerk_settings, title="某村资金核查", category="资金项目")
            in_unit_of_work(case_steps.approve_case, settings=clerk_settings, number=opened.no, approver="王主任")
            in_unit_of_work(case_steps.assign_case, settings=clerk_settings, number=opened.no, unit="唐县")
            in_unit_of_work(case_steps.extend_case,
                settings=clerk_settings, number=opened.no, workdays=2, reason="需补充材料", approver="王主任"
            )
            in_unit_of_work(case_steps.accept_case, settings=clerk_settings, number=opened.no)
            report = tmp_path / "办结报告.pdf"
            report.write_bytes(os.urandom(3 * 1024 * 1024 + 5))
            in_unit_of_work(case_steps.feedback_case, settings=clerk_settings, number=opened.no, report_file=str(report))
            from fupin_cli.services import check_findings, checks

            inspection = in_unit_of_work(checks.open_inspection,
                settings=clerk_settings, kind="资金项目", year=2026, title="资金项目检查"
            ).inspection
            in_unit_of_work(check_findings.record_finding,
                settings=clerk_settings, inspection_id=inspection.id, text="项目未按期完工", unit="唐县"
            )
            clerk_db = open_database(as_role(clerk))
            try:
                for forbidden in (
                    "UPDATE audit_event SET operator = '别人'",
                    "DELETE FROM audit_event",
                    "DELETE FROM cases",
                    "UPDATE unit SET kind = 'x'",
                    # the clerk may write these tables, but only together with the audit event
                    "UPDATE cases SET title = '改过的标题'",
                    "UPDATE case_extension SET reason = '改过的理由'",
                    "UPDATE finding SET text = '改过的问题'",
                    "UPDATE cases SET title = '改过的标题' WHERE id = -1; UPDATE indicator SET numerator = 0;"
                    " INSERT INTO village (county, name, key_village, mutual_aid_pilot, updated_on)"
                    " VALUES ('唐县', '凭空村', false, false, '2026-10-10')",
                    "INSERT INTO case_counter (year, last_serial) VALUES (2030, 5)",
                    "UPDATE attachment_chunk SET data = ''",
                    "DELETE FROM attachment_chunk",
                    "UPDATE attachment SET name = '别的文件.pdf'",
                ):
                    with pytest.raises(DatabaseError, match="没有权限"), clerk_db.write() as session:
                        session.execute(text(forbidden))
            finally:
                clerk_db.dispose()

            reader_result = CliRunner().invoke(app, ["--db", as_role(reader), "db", "check"])
            assert reader_result.exit_code == 0, reader_result.output
            assert "共 8 条" in reader_result.stdout

            owner_db = open_database(owner_url)  # the owner may edit by hand; db check then says so
            try:
                with owner_db.write() as session:
                    session.execute(text("UPDATE cases SET title = '所有者改过'"))
            finally:
                owner_db.dispose()
            owner_check = CliRunner().invoke(app, ["--db", as_role(reader), "db", "check"])
            assert owner_check.exit_code == 1 and "标题" in owner_check.stderr, owner_check.output
            reader_db = open_database(as_role(reader))
            try:
                with pytest.raises(DatabaseError, match="没有权限"), reader_db.write() as session:
                    session.execute(text("UPDATE cases SET title = 'x'"))
            finally:
                reader_db.dispose()
    finally:
        with psycopg.connect(admin_conninfo, autocommit=True) as conn:
            for role in (clerk, reader):
                conn.execute(f"DROP ROLE IF EXISTS {role}")


@pytest.mark.parametrize(
    "name",
    ["\udcff\udcfe.db", "长" * 200 + ".db"],
    ids=["non-utf8-byte", "name-too-long"],
)
def test_a_file_name_sqlite_cannot_take_is_refused_before_anything_is_created(tmp_path, name):
    with pytest.raises(DatabaseError) as refusal:
        open_database(str(tmp_path / name))
    assert CHINESE.search(refusal.value.message)
    _refused_by_the_cli(str(tmp_path / name))
    assert list(tmp_path.iterdir()) == []


def _family(column_type) -> str:
    """A column's type as both backends can be compared on: int, text, date, datetime, bool, number, binary."""
    from sqlalchemy import types

    if isinstance(column_type, types.TypeDecorator):  # SQLModel's AutoString is a String underneath
        column_type = column_type.impl_instance
    checks = (
        (types.Boolean, "bool"),
        (types.Integer, "int"),
        (types.DateTime, "datetime"),
        (types.Date, "date"),
        (types.Float, "number"),
        (types.Numeric, "number"),
        (types.String, "text"),
        (types.LargeBinary, "binary"),
    )
    for kind, family in checks:
        if isinstance(column_type, kind):
            return family
    return type(column_type).__name__


def test_the_migrated_schema_is_the_models_column_for_column(database, backend):
    """Every migration run from empty gives exactly the tables of the SQLModel classes: the same
    columns, nullability, primary keys and types (as families: a SQLModel str is VARCHAR on one
    backend and TEXT on the other). A boolean stored as an integer on SQLite counts as bool."""
    with database.read() as conn:
        inspector = inspect(conn)
        migrated = {}
        for table in inspector.get_table_names():
            columns = inspector.get_columns(table)
            primary = set(inspector.get_pk_constraint(table)["constrained_columns"])
            migrated[table] = {
                column["name"]: (_family(column["type"]), bool(column["nullable"]) and column["name"] not in primary,
                                 column["name"] in primary)
                for column in columns
            }  # fmt: skip
    modelled = {
        table.name: {
            column.name: (_family(column.type), bool(column.nullable) and not column.primary_key, column.primary_key)
            for column in table.columns
        }
        for table in SQLModel.metadata.sorted_tables
    }
    assert set(migrated) == set(modelled)
    for table, columns in modelled.items():
        found = migrated[table]
        if backend == "sqlite":  # SQLite has no boolean type: a migration may have written INTEGER
            found = {
                name: ("bool", *rest) if columns.get(name, ("",))[0] == "bool" and family == "int" else (family, *rest)
                for name, (family, *rest) in found.items()
            }
        assert found == columns, table
