"""The tables, as SQLModel classes. Only storage/ imports this module.

Dates are `date` columns; free text stays NULL when absent. The schema itself is created and
changed by storage/migrations.py; tests check that the two agree.
"""

from datetime import date

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
    assigned_on: date | None = None
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
