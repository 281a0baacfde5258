"""The schema as an ordered list of named migrations, each recorded in `schema_migration` when done.

A migration is frozen once released: it spells out its own tables with SQLAlchemy Core so that it
creates the same schema on SQLite and PostgreSQL whatever the models look like later. A database
that records a migration this fupin does not know comes from a newer fupin and is refused untouched.
"""

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    inspect,
    text,
)

from fupin_cli.domain.errors import DatabaseError


def _m001_initial(conn: Connection) -> None:
    md = MetaData()
    Table("reference_file", md, Column("name", String, primary_key=True), Column("digest", String, nullable=False))
    Table(
        "unit",
        md,
        Column("name", String, primary_key=True),
        Column("short_name", String, nullable=False, index=True),
        Column("kind", String, nullable=False),
        Column("county", String),
        Column("ordering", Integer, nullable=False),
    )
    Table(
        "duty_item",
        md,
        Column("duty_no", String, primary_key=True),
        Column("main_duty_no", Integer, nullable=False),
        Column("main_duty", Text, nullable=False),
        Column("item", Text, nullable=False),
        Column("division", String, nullable=False),
    )
    Table(
        "case_counter",
        md,
        Column("year", Integer, primary_key=True, autoincrement=False),
        Column("last_serial", Integer, nullable=False),
    )
    cases = Table(
        "cases",
        md,
        Column("id", Integer, primary_key=True),
        Column("year", Integer, nullable=False),
        Column("serial", Integer, nullable=False),
        Column("title", Text, nullable=False),
        Column("category", String, nullable=False),
        Column("source", Text),
        Column("major", Boolean, nullable=False),
        Column("classified", Boolean, nullable=False),
        Column("secret_level", String),
        Column("paper_location", Text),
        Column("state", String, nullable=False, index=True),
        Column("opened_on", Date, nullable=False),
        Column("approved_on", Date),
        Column("approver", String),
        Column("meeting_ref", String),
        Column("meeting_on", Date),
        Column("opinion", Text),
        Column("rejected_on", Date),
        Column("reject_reason", Text),
        Column("lead_unit", String, index=True),
        Column("assist_units", Text),
        Column("assigned_on", Date),
        Column("limit_workdays", Integer),
        Column("basis", Text),
        Column("original_due", Date),
        Column("due", Date, index=True),
        Column("due_provisional", Boolean, nullable=False),
        Column("accepted_on", Date),
        Column("unit_ref", String),
        Column("feedback_on", Date),
        Column("report_text", Text),
        Column("report_file", Text),
        Column("archived_on", Date),
        Column("archive_location", Text),
        Column("withdrawn_on", Date),
        Column("withdraw_reason", Text),
        Column("finding_id", Integer),
        Column("last_step_on", Date, nullable=False),
        Column("created_at", String, nullable=False),
        Column("updated_at", String, nullable=False),
        UniqueConstraint("year", "serial", name="uq_cases_year_serial"),
    )
    Index("ix_cases_open_due", cases.c.state, cases.c.due)
    Table(
        "case_extension",
        md,
        Column("id", Integer, primary_key=True),
        Column("case_id", Integer, ForeignKey("cases.id"), nullable=False, index=True),
        Column("granted_on", Date, nullable=False),
        Column("old_due", Date, nullable=False),
        Column("new_due", Date, nullable=False),
        Column("workdays", Integer),
        Column("reason", Text, nullable=False),
        Column("approver", String, nullable=False),
        Column("provisional", Boolean, nullable=False),
    )
    Table(
        "audit_event",
        md,
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("case_id", Integer, index=True),
        Column("subject", String, nullable=False),
        Column("action", String, nullable=False),
        Column("operator", String, nullable=False),
        Column("recorded_at", String, nullable=False),
        Column("effective_on", Date),
        Column("before", Text),
        Column("after", Text),
        Column("prev_hash", String, nullable=False),
        Column("hash", String, nullable=False),
    )
    md.create_all(conn)


def _m002_inspections(conn: Connection) -> None:
    """监督检查: villages, the yearly sampling plans, inspections, visits, findings, indicators."""
    md = MetaData()
    Table(
        "village",
        md,
        Column("id", Integer, primary_key=True),
        Column("county", String, nullable=False, index=True),
        Column("name", String, nullable=False),
        Column("key_village", Boolean, nullable=False),
        Column("project_years", String),
        Column("mutual_aid_pilot", Boolean, nullable=False),
        Column("note", Text),
        Column("updated_on", Date, nullable=False),
        UniqueConstraint("county", "name", name="uq_village_county_name"),
    )
    Table(
        "inspection_plan",
        md,
        Column("id", Integer, primary_key=True),
        Column("year", Integer, nullable=False, unique=True),
        Column("period_year", Integer, nullable=False),
        Column("seed", String, nullable=False),
        Column("county_count", Integer, nullable=False),
        Column("plan", Text, nullable=False),
        Column("villages_digest", String, nullable=False),
        Column("drawn_on", Date, nullable=False),
        Column("drawn_by", String, nullable=False),
    )
    Table(
        "inspection",
        md,
        Column("id", Integer, primary_key=True),
        Column("year", Integer, nullable=False, index=True),
        Column("kind", Integer, nullable=False),
        Column("title", Text, nullable=False),
        Column("method", String),
        Column("units", Text),
        Column("phase", String, nullable=False),
        Column("opened_on", Date, nullable=False),
        Column("preparation_on", Date),
        Column("inspection_on", Date),
        Column("summary_on", Date),
    )
    Table(
        "inspection_visit",
        md,
        Column("id", Integer, primary_key=True),
        Column("inspection_id", Integer, ForeignKey("inspection.id"), nullable=False, index=True),
        Column("village_id", Integer, ForeignKey("village.id"), index=True),
        Column("unit", String),
        Column("checked_by", String, nullable=False),
        Column("visited_on", Date, nullable=False),
    )
    findings = Table(
        "finding",
        md,
        Column("id", Integer, primary_key=True),
        Column("inspection_id", Integer, ForeignKey("inspection.id"), nullable=False, index=True),
        Column("unit", String, nullable=False),
        Column("village_id", Integer, ForeignKey("village.id")),
        Column("text", Text, nullable=False),
        Column("code", String),
        Column("amount_fen", BigInteger),
        Column("ordered_on", Date, nullable=False),
        Column("workdays", Integer, nullable=False),
        Column("due", Date, nullable=False),
        Column("due_provisional", Boolean, nullable=False),
        Column("rectified_on", Date),
        Column("verified_on", Date),
        Column("handed_over_on", Date),
        Column("case_id", Integer),
    )
    Index("ix_finding_open_due", findings.c.rectified_on, findings.c.due)
    Table(
        "indicator",
        md,
        Column("id", Integer, primary_key=True),
        Column("year", Integer, nullable=False),
        Column("county", String, nullable=False),
        Column("kind", String, nullable=False),
        Column("numerator", Integer, nullable=False),
        Column("denominator", Integer, nullable=False),
        Column("recorded_on", Date, nullable=False),
        UniqueConstraint("year", "county", "kind", name="uq_indicator_year_county_kind"),
    )
    md.create_all(conn)


def _m003_report_indexes(conn: Connection) -> None:
    """`report stats` and the ledger select cases by assignment date."""
    conn.execute(text("CREATE INDEX ix_cases_assigned_on ON cases (assigned_on)"))


RECORDED_TABLES = (
    "cases",
    "case_counter",
    "case_extension",
    "village",
    "inspection_plan",
    "inspection",
    "inspection_visit",
    "finding",
    "indicator",
)
RECORDED_TRIGGER = "fupin_recorded"


def _m004_recorded_writes(conn: Connection) -> None:
    """PostgreSQL: a change to fupin's tables by any role but their owner must come with the audit
    event of the same transaction (fupin's own writes always do), checked at commit; otherwise the
    transaction fails as a privilege error. SQLite has no roles: its file's owner can do anything,
    and `db check` is what finds it."""
    if conn.dialect.name != "postgresql":
        return
    conn.execute(
        text(
            """
            CREATE FUNCTION fupin_change_recorded() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
                    RETURN NULL;
                END IF;
                IF NOT EXISTS (
                    SELECT 1 FROM (SELECT xmin FROM audit_event ORDER BY id DESC LIMIT 1) AS last
                    WHERE last.xmin = pg_current_xact_id()::xid
                ) THEN
                    RAISE EXCEPTION 'fupin: % changed without its audit event', TG_TABLE_NAME
                        USING ERRCODE = 'insufficient_privilege';
                END IF;
                RETURN NULL;
            END $$
            """
        )
    )
    for table in RECORDED_TABLES:
        conn.execute(
            text(
                f"CREATE CONSTRAINT TRIGGER {RECORDED_TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON {table}"
                " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fupin_change_recorded()"
            )
        )


def _m005_attachments(conn: Connection) -> None:
    """Files kept in the database itself (附件): one row per file, its content in chunks of 1 MiB
    (`attachment_chunk`, numbered from 0), so that both backends write and read it a piece at a time.
    On PostgreSQL both tables are under the rule of 004_recorded_writes."""
    md = MetaData()
    Table("cases", md, Column("id", Integer, primary_key=True))
    Table(
        "attachment",
        md,
        Column("id", Integer, primary_key=True),
        Column("case_id", Integer, ForeignKey("cases.id"), nullable=False, index=True),
        Column("name", Text, nullable=False),
        Column("size", BigInteger, nullable=False),
        Column("sha256", String, nullable=False),
        Column("added_on", Date, nullable=False),
        Column("added_by", String, nullable=False),
        Column("created_at", String, nullable=False),
    )
    Table(
        "attachment_chunk",
        md,
        Column("attachment_id", Integer, ForeignKey("attachment.id"), primary_key=True, autoincrement=False),
        Column("seq", Integer, primary_key=True, autoincrement=False),
        Column("data", LargeBinary, nullable=False),
    )
    md.create_all(conn, tables=[md.tables["attachment"], md.tables["attachment_chunk"]])
    if conn.dialect.name != "postgresql":
        return
    for table in ("attachment", "attachment_chunk"):
        conn.execute(
            text(
                f"CREATE CONSTRAINT TRIGGER {RECORDED_TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON {table}"
                " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fupin_change_recorded()"
            )
        )


Migration = tuple[str, Callable[[Connection], None]]

MIGRATIONS: list[Migration] = [
    ("001_initial", _m001_initial),
    ("002_inspections", _m002_inspections),
    ("003_report_indexes", _m003_report_indexes),
    ("004_recorded_writes", _m004_recorded_writes),
    ("005_attachments", _m005_attachments),
]


def _ledger(conn: Connection) -> Table:
    md = MetaData()
    return Table(
        "schema_migration",
        md,
        Column("name", String, primary_key=True),
        Column("applied_at", String, nullable=False),
    )


def applied(conn: Connection) -> list[str]:
    if not inspect(conn).has_table("schema_migration"):
        return []
    return [row[0] for row in conn.execute(text("SELECT name FROM schema_migration ORDER BY name"))]


def refuse_if_newer(names: list[str]) -> None:
    known = {name for name, _ in MIGRATIONS}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise DatabaseError(
            f"数据库由更新版本的 fupin 建立（含本版本不认识的结构变更 {unknown[0]}），"
            "本版本不会改动它：请升级 fupin 后再用"
        )


def pending(names: list[str]) -> list[Migration]:
    done = set(names)
    return [migration for migration in MIGRATIONS if migration[0] not in done]


def apply(conn: Connection, todo: list[Migration]) -> None:
    ledger = _ledger(conn)
    ledger.create(conn, checkfirst=True)
    for name, migrate in todo:
        migrate(conn)
        conn.execute(ledger.insert().values(name=name, applied_at=datetime.now(UTC).isoformat(timespec="seconds")))


def expected_tables(names: list[str]) -> dict[str, list[str]]:
    """The tables and columns the migrations `names` create, found by running them on an empty
    in-memory SQLite database: what `db check` expects to find, and nothing more."""
    from sqlalchemy import create_engine

    engine = create_engine("sqlite://")
    try:
        with engine.begin() as conn:
            done = set(names)
            apply(conn, [migration for migration in MIGRATIONS if migration[0] in done])
            found = [row[0] for row in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")]
            return {
                name: [row[1] for row in conn.exec_driver_sql(f'PRAGMA table_info("{name}")')]
                for name in found
                if not name.startswith("sqlite_")
            }
    finally:
        engine.dispose()
