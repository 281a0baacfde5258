"""The tables, as SQLModel classes. Only storage/ imports this module.

Dates are `date` columns; free text stays NULL when absent. The schema itself is created and
changed by storage/migrations.py; tests check that the two agree.
"""

from datetime import date

from sqlalchemy import BigInteger, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class SchemaMigration(SQLModel, table=True):
    __tablename__ = "schema_migration"
    name: str = Field(primary_key=True)
    applied_at: str


class ReferenceFile(SQLModel, table=True):
    """Digest of each shipped reference file as last loaded, so a changed file is reloaded."""

    __tablename__ = "reference_file"
    name: str = Field(primary_key=True)
    digest: str


class Unit(SQLModel, table=True):
    """A unit inspected or assigned work: county offices, civil-affairs bureaus, city divisions."""

    __tablename__ = "unit"
    name: str = Field(primary_key=True)
    short_name: str = Field(index=True)
    kind: str
    county: str | None = None
    ordering: int = 0


class DutyItem(SQLModel, table=True):
    """One 具体工作事项 of the duty registry with its 责任处室."""

    __tablename__ = "duty_item"
    duty_no: str = Field(primary_key=True)
    main_duty_no: int
    main_duty: str
    item: str
    division: str


class CaseCounter(SQLModel, table=True):
    """The last serial taken in each year's 督查 number series."""

    __tablename__ = "case_counter"
    year: int = Field(primary_key=True)
    last_serial: int


class CaseRecord(SQLModel, table=True):
    """A 督查事项. Its state and dates; every change to it is also an AuditEvent."""

    __tablename__ = "cases"
    id: int | None = Field(default=None, primary_key=True)
    year: int
    serial: int
    title: str
    category: str
    source: str | None = None
    major: bool = False
    classified: bool = False
    secret_level: str | None = None
    paper_location: str | None = None
    state: str = Field(index=True)
    opened_on: date
    approved_on: date | None = None
    approver: str | None = None
    meeting_ref: str | None = None
    meeting_on: date | None = None
    opinion: str | None = None
    rejected_on: date | None = None
    reject_reason: str | None = None
    lead_unit: str | None = Field(default=None, index=True)
    assist_units: str | None = None
    assigned_on: date | None = Field(default=None, index=True)
    limit_workdays: int | None = None
    basis: str | None = None
    original_due: date | None = None
    due: date | None = Field(default=None, index=True)
    due_provisional: bool = False
    accepted_on: date | None = None
    unit_ref: str | None = None
    feedback_on: date | None = None
    report_text: str | None = None
    report_file: str | None = None
    archived_on: date | None = None
    archive_location: str | None = None
    withdrawn_on: date | None = None
    withdraw_reason: str | None = None
    finding_id: int | None = None
    last_step_on: date
    created_at: str
    updated_at: str


class CaseExtension(SQLModel, table=True):
    """One granted extension: the due date before and after, why, who approved, when."""

    __tablename__ = "case_extension"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    granted_on: date
    old_due: date
    new_due: date
    workdays: int | None = None
    reason: str
    approver: str
    provisional: bool = False


class AuditEvent(SQLModel, table=True):
    """An append-only, hash-chained record of one change. Never updated, never deleted."""

    __tablename__ = "audit_event"
    id: int = Field(primary_key=True)
    case_id: int | None = Field(default=None, index=True)
    subject: str
    action: str
    operator: str
    recorded_at: str
    effective_on: date | None = None
    before: str | None = None
    after: str | None = None
    prev_hash: str
    hash: str


# --- 监督检查 (migration 002_inspections) -----------------------------------------------------------


class Village(SQLModel, table=True):
    """A village of the office's list: 重点村, 项目实施村 (by year), 互助资金试点村. Key: county + name."""

    __tablename__ = "village"
    __table_args__ = (UniqueConstraint("county", "name", name="uq_village_county_name"),)
    id: int | None = Field(default=None, primary_key=True)
    county: str = Field(index=True)
    name: str
    key_village: bool = False
    project_years: str | None = None
    """The years it is a 项目实施村, ascending, comma-separated: "2025,2026"."""
    mutual_aid_pilot: bool = False
    note: str | None = None
    updated_on: date


class InspectionPlan(SQLModel, table=True):
    """The year's 扶贫资金项目 sampling plan: its seed, what it drew (JSON), the villages it drew from."""

    __tablename__ = "inspection_plan"
    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(unique=True)
    period_year: int
    seed: str
    county_count: int
    plan: str
    villages_digest: str
    drawn_on: date
    drawn_by: str


class Inspection(SQLModel, table=True):
    """One inspection of one of the five kinds, with the day each phase began."""

    __tablename__ = "inspection"
    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    kind: int
    title: str
    method: str | None = None
    units: str | None = None
    """The units inspected, full names, as a JSON list."""
    phase: str
    opened_on: date
    preparation_on: date | None = None
    inspection_on: date | None = None
    summary_on: date | None = None


class InspectionVisit(SQLModel, table=True):
    """A village or a unit checked in an inspection, and by whom: the city, the county itself, or a peer."""

    __tablename__ = "inspection_visit"
    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    village_id: int | None = Field(default=None, foreign_key="village.id", index=True)
    unit: str | None = None
    checked_by: str
    visited_on: date


class Finding(SQLModel, table=True):
    """A problem found (问题) and the order to correct it within a number of working days."""

    __tablename__ = "finding"
    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    unit: str
    village_id: int | None = Field(default=None, foreign_key="village.id")
    text: str
    code: str | None = None
    amount_fen: int | None = Field(default=None, sa_type=BigInteger)
    ordered_on: date
    workdays: int
    due: date
    due_provisional: bool = False
    rectified_on: date | None = None
    verified_on: date | None = None
    handed_over_on: date | None = None
    case_id: int | None = None


class Indicator(SQLModel, table=True):
    """A county's rate for a year (识别精准率, 脱贫率…) as numerator over denominator."""

    __tablename__ = "indicator"
    __table_args__ = (UniqueConstraint("year", "county", "kind", name="uq_indicator_year_county_kind"),)
    id: int | None = Field(default=None, primary_key=True)
    year: int
    county: str
    kind: str
    numerator: int
    denominator: int
    recorded_on: date


# --- 附件 (migration 005_attachments) --------------------------------------------------------------


class Attachment(SQLModel, table=True):
    """A file kept in the database (a 办结报告 given as a file): its name, size and SHA-256; the
    content is in its AttachmentChunk rows. Written with the audit event of its step."""

    __tablename__ = "attachment"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    name: str = Field(sa_type=Text)
    size: int = Field(sa_type=BigInteger)
    sha256: str
    added_on: date
    added_by: str
    created_at: str


class AttachmentChunk(SQLModel, table=True):
    """One piece (1 MiB, the last one shorter) of a kept file's content, numbered from 0."""

    __tablename__ = "attachment_chunk"
    attachment_id: int = Field(foreign_key="attachment.id", primary_key=True)
    seq: int = Field(primary_key=True)
    data: bytes = Field(sa_type=LargeBinary)
