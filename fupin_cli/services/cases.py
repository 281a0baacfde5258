"""Listing 督查事项 (`fupin case list`); the steps that change a case are services.case_steps."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fupin_cli.domain import cases as rules
from fupin_cli.domain.cases import DeadlineStatus, WorkingDays
from fupin_cli.domain.categories import category_named
from fupin_cli.domain.errors import InvalidInputError
from fupin_cli.domain.numbering import CaseNumber
from fupin_cli.domain.units import resolve_unit
from fupin_cli.domain.workflow import STATE_LABELS, State
from fupin_cli.services.case_views import CaseRow, calendar_source
from fupin_cli.services.database import warn_if_calendar_changed
from fupin_cli.services.unit_of_work import opened
from fupin_cli.settings import Settings
from fupin_cli.storage import cases as repository
from fupin_cli.storage.reference import stored_digests

if TYPE_CHECKING:
    from sqlalchemy import Connection


def _resolve_unit(conn: Connection, text: str) -> str:
    """A unit as typed (any form domain.units knows, or an alias of data/units.toml) → its full name."""
    from fupin_cli.services.duties import unit_aliases

    return resolve_unit(repository.unit_names(conn), text, unit_aliases())


# --- reading -------------------------------------------------------------------------------------


OPEN_WORDS = ("在办", "open")
"""`--state 在办` (or open): 已交办 and 承办中 together, the cases whose deadline runs."""


def parse_states(text: str) -> list[State]:
    """`--state` as typed: Chinese labels or English values, several joined by , or 、."""
    by_word = {label: state for state, label in STATE_LABELS.items()}
    by_word.update({state.value: state for state in State})
    chosen: list[State] = []
    for word in text.replace("、", ",").replace("，", ",").split(","):
        cleaned = word.strip().lower() if word.strip().isascii() else word.strip()
        if not cleaned:
            continue
        if cleaned in OPEN_WORDS:
            chosen += [State.ASSIGNED, State.IN_PROGRESS]
        elif cleaned in by_word:
            chosen.append(by_word[cleaned])
        else:
            choices = "、".join(STATE_LABELS.values())
            raise InvalidInputError(
                f"未知的状态「{cleaned[:20]}」：请写 {choices}、在办（或英文 {', '.join(State)}）"
            )
    if not chosen:
        raise InvalidInputError("--state 不能为空")
    return list(dict.fromkeys(chosen))


def list_cases(
    *,
    settings: Settings,
    state: str | None = None,
    unit: str | None = None,
    year: int | None = None,
    overdue: bool = False,
    due_within: int | None = None,
) -> list[CaseRow]:
    """Cases in number order. The filters narrow together; --overdue and --due-within look at open cases."""
    states: list[State] | None = parse_states(state) if state is not None else None
    if due_within is not None and due_within < 0:
        raise InvalidInputError("--due-within 须是 0 或正整数（工作日数）")
    if overdue or due_within is not None:
        open_states = [State.ASSIGNED, State.IN_PROGRESS]
        states = [s for s in (states or open_states) if s in open_states]
    today = settings.today
    calendar = calendar_source(settings)
    with opened(settings) as database, database.read() as conn:
        changed = warn_if_calendar_changed(stored_digests(conn), settings)
        lead = _resolve_unit(conn, unit) if unit is not None else None
        rows = repository.list_rows(
            conn,
            states=[str(s) for s in states] if states is not None else None,
            unit=lead,
            year=year,
            due_before=today if overdue and not changed else None,
            due_from=today if due_within is not None and not changed else None,
        )
        if changed:  # answer on the new calendar; the next write stores the recheck
            rows = [_on_new_calendar(conn, row, calendar()) for row in rows]
            rows = [
                row
                for row in rows
                if (not overdue or (row["due"] is not None and row["due"] < today))
                and (due_within is None or (row["due"] is not None and row["due"] >= today))
            ]
    found: list[CaseRow] = []
    for row in rows:
        status = DeadlineStatus(None, None, 0, None, None)
        if row["due"] is not None:
            status = rules.status_of(
                state=State(row["state"]),
                due=row["due"],
                original_due=row["original_due"],
                feedback_on=row["feedback_on"],
                today=today,
                calendar=calendar(),
            )
        if due_within is not None and (status.days_left is None or status.days_left > due_within):
            continue
        original = rules.original_due_provisional(
            original_due=row["original_due"],
            due_provisional=bool(row["due_provisional"]),
            extensions=int(row["extensions"]),
            calendar=calendar(),
        ) if row["due_provisional"] else False  # fmt: skip
        found.append(_row(row, status, original))
    return found


def _on_new_calendar(conn: Connection, row: dict[str, Any], calendar: WorkingDays) -> dict[str, Any]:
    """A listed case with its provisional deadline computed on `calendar` (nothing written)."""
    if not row["due_provisional"]:
        return row
    case = rules.recompute_deadlines(
        repository.load_case(conn, CaseNumber(row["year"], row["serial"])), calendar=calendar
    )
    return {**row, "original_due": case.original_due, "due": case.due, "due_provisional": case.due_provisional}


def _row(row: dict[str, Any], status: DeadlineStatus, original_provisional: bool = False) -> CaseRow:
    number = CaseNumber(row["year"], row["serial"])
    classified = bool(row["classified"])
    return CaseRow(
        no=str(number),
        short_no=number.short,
        title=rules.display_title(row["title"], classified),
        classified=classified,
        state=State(row["state"]),
        category=category_named(row["category"]),
        unit=row["lead_unit"],
        unit_short=row["unit_short"] or row["lead_unit"],
        assigned_on=row["assigned_on"],
        original_due=row["original_due"],
        due=row["due"],
        due_provisional=bool(row["due_provisional"]),
        light=status.light,
        days_left=status.days_left,
        overdue_workdays=status.overdue_workdays,
        on_time=status.on_time,
        extensions=int(row["extensions"]),
        original_due_provisional=original_provisional,
    )
