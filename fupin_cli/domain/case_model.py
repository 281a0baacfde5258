"""A 督查事项 as the rules see it: the Case and its Extensions, and how the audit trail spells them.

Pure: standard library only. The rules that change a case are in domain/cases.py; its deadlines and
warning light in domain/deadlines.py.
"""

from dataclasses import dataclass, fields
from datetime import date
from enum import StrEnum
from typing import Any

from fupin_cli.domain.numbering import CaseNumber
from fupin_cli.domain.workflow import State

CLASSIFIED_MARK = "「涉密·线下办理」"


@dataclass(frozen=True)
class Extension:
    """One granted extension (延期): the due date before and after, why, who approved, when."""

    granted_on: date
    old_due: date
    new_due: date
    reason: str
    approver: str
    workdays: int | None = None
    """Set when asked as N working days after the old due date (recomputed if provisional)."""
    provisional: bool = False
    id: int | None = None


@dataclass(frozen=True)
class Case:
    """A 督查事项 as the rules see it. Mirrors the `cases` table; extensions in the order granted."""

    year: int
    serial: int
    title: str
    category: str
    state: State
    opened_on: date
    last_step_on: date
    source: str | None = None
    major: bool = False
    classified: bool = False
    secret_level: str | None = None
    paper_location: str | None = None
    approved_on: date | None = None
    approver: str | None = None
    meeting_ref: str | None = None
    meeting_on: date | None = None
    opinion: str | None = None
    rejected_on: date | None = None
    reject_reason: str | None = None
    lead_unit: str | None = None
    assist_units: tuple[str, ...] = ()
    assigned_on: date | None = None
    limit_workdays: int | None = None
    basis: str | None = None
    original_due: date | None = None
    due: date | None = None
    due_provisional: bool = False
    """Some link of the deadline (the original or an extension) was computed on a provisional year."""
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
    extensions: tuple[Extension, ...] = ()
    id: int | None = None

    @property
    def number(self) -> CaseNumber:
        return CaseNumber(self.year, self.serial)

    @property
    def display_title(self) -> str:
        """The title as listings show it: a classified case is marked and shows its cover title only."""
        return display_title(self.title, self.classified)


def display_title(title: str, classified: bool) -> str:
    """A title as listings show it: a classified case's cover title behind 「涉密·线下办理」."""
    return f"{CLASSIFIED_MARK}{title}" if classified else title


# --- what changed --------------------------------------------------------------------------------

_NOT_AUDITED = ("id", "extensions")


def plain(value: Any) -> Any:
    """A value as the audit trail and JSON spell it."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [plain(item) for item in value]
    if isinstance(value, StrEnum):
        return value.value
    return value


def recorded_fields(case: Case) -> dict[str, Any]:
    """Every field that holds a value, for the event that opens a case."""
    return {
        f.name: plain(getattr(case, f.name))
        for f in fields(Case)
        if f.name not in _NOT_AUDITED and getattr(case, f.name) not in (None, ())
    }


def changed_fields(before: Case, after: Case) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields that differ, as (before, after)."""
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    for f in fields(Case):
        if f.name in _NOT_AUDITED:
            continue
        a, b = getattr(before, f.name), getattr(after, f.name)
        if a != b:
            old[f.name], new[f.name] = plain(a), plain(b)
    return old, new


def extension_fields(extension: Extension) -> dict[str, Any]:
    return {
        "granted_on": extension.granted_on.isoformat(),
        "old_due": extension.old_due.isoformat(),
        "new_due": extension.new_due.isoformat(),
        "workdays": extension.workdays,
        "reason": extension.reason,
        "approver": extension.approver,
        "provisional": extension.provisional,
    }
