"""Reading an office's Excel/CSV 台账 of 督查事项: headers, cells, and each row's history as steps.

Pure: the sheet arrives as rows of cell values (text, numbers, dates), the unit rule and the
working-day calendar as parameters. Each row becomes the case's steps through the same rules as
the `fupin case` commands, so an imported case is one fupin could have recorded step by step.
"""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from fupin_cli.domain import cases as rules
from fupin_cli.domain.cases import Case, WorkingDays
from fupin_cli.domain.categories import parse_category
from fupin_cli.domain.dates import parse_date
from fupin_cli.domain.errors import BadFileError, FupinError, InvalidInputError
from fupin_cli.domain.numbering import CaseNumber, parse_case_number

FIELDS = (
    "number", "title", "category", "source", "unit", "assist", "opened_on", "approver", "assigned_on",
    "due", "accepted_on", "extended", "extended_to", "feedback_on", "report", "archived_on",
    "archive_location", "state", "note",
)  # fmt: skip
FIELD_LABELS = {
    "number": "编号", "title": "事项名称", "category": "类别", "source": "来源", "unit": "承办单位",
    "assist": "协办单位", "opened_on": "登记日期", "approver": "审批人", "assigned_on": "交办日期",
    "due": "办结时限", "accepted_on": "承办日期", "extended": "是否延期", "extended_to": "延期至",
    "feedback_on": "办结日期", "report": "办结情况", "archived_on": "归档日期",
    "archive_location": "归档位置", "state": "办理状态", "note": "备注",
}  # fmt: skip
HEADER_SCAN_ROWS = 20
TOTAL_WORDS = ("合计", "总计", "小计", "共计")
NOT_RECORDED = "（台账未载）"
EXCEL_EPOCH = date(1899, 12, 30)
_SPACES = re.compile(r"[\s\u3000]+")
_WORKDAYS = re.compile(r"(\d{1,3})\s*个?工作日")
_YES = {"是", "已延期", "延期", "yes", "y", "1", "√"}
_NO = {"否", "未延期", "no", "n", "0", ""}
_WITHDRAWN = ("撤销", "已撤销", "撤回")


@dataclass(frozen=True)
class Mapping_:
    """Which column (0-based) holds which field, the header text of each, and headers left unused."""

    columns: dict[str, int]
    headers: dict[str, str]
    unused: tuple[str, ...]
    header_row: int
    """1-based row number of the header in the sheet."""


def normalise(header: Any) -> str:
    return _SPACES.sub("", str(header or ""))


def _matches(header: str, synonym: str) -> bool:
    return header == synonym or (header.startswith(synonym) and header[len(synonym) : len(synonym) + 1] in "（(")


def map_headers(
    rows: Sequence[Sequence[Any]], synonyms: Mapping[str, Sequence[str]], overrides: Mapping[str, str]
) -> Mapping_:
    """Find the header row (the first of the top rows naming a title column) and map its columns."""
    for field in overrides.values():
        if field not in FIELDS:
            raise InvalidInputError(f"--map 中的字段「{field}」未知：可用 {'、'.join(FIELDS)}")
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        headers = [normalise(cell) for cell in row]
        columns: dict[str, int] = {}
        for column, header in enumerate(headers):
            field = overrides.get(header)
            if field is not None and field not in columns:
                columns[field] = column
        for field, words in synonyms.items():
            if field in columns:
                continue
            for word in words:
                found = next((c for c, h in enumerate(headers) if h and _matches(h, normalise(word))), None)
                if found is not None and found not in columns.values():
                    columns[field] = found
                    break
        if "title" in columns and len(columns) >= 2:
            used = set(columns.values())
            unused = tuple(h for c, h in enumerate(headers) if h and c not in used)
            return Mapping_(columns, {f: headers[c] for f, c in columns.items()}, unused, index + 1)
    missing = [name for name in overrides if name not in {normalise(c) for r in rows[:HEADER_SCAN_ROWS] for c in r}]
    if missing:
        raise BadFileError(f"表头中没有 --map 所说的列「{missing[0][:30]}」")
    raise BadFileError(
        "找不到表头：前 20 行中没有「事项名称」（或 标题、督查事项）等列；请检查工作表，或用 --map 列名=title 指明"
    )


def is_blank(row: Sequence[Any]) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in row)


def is_total(row: Sequence[Any]) -> bool:
    return any(isinstance(cell, str) and normalise(cell).startswith(TOTAL_WORDS) for cell in row)


def text_of(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    cleaned = str(value).strip()
    return cleaned or None


def read_date(value: Any, *, today: date) -> date | None:
    """A date as a sheet holds it: a date cell, an Excel serial number, or any text fupin reads."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(float(value))
    text = str(value).strip().split(" ")[0].split("T")[0]
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return _serial(float(text))
    return parse_date(text, today=today)


def _serial(number: float) -> date:
    if not 1 <= number < 2958466:
        raise InvalidInputError(f"无法识别的日期「{number:g}」")
    return EXCEL_EPOCH + timedelta(days=int(number))


@dataclass(frozen=True)
class LedgerRow:
    """One row as read: its sheet row number and its fields as typed."""

    line: int
    values: dict[str, Any]
    number: CaseNumber | None = None


@dataclass(frozen=True)
class Step:
    action: str
    on: date
    before: Case | None
    after: Case
    extra: dict[str, Any]


def _failed(row: LedgerRow, field: str, headers: Mapping[str, str], message: str) -> BadFileError:
    column = headers.get(field, FIELD_LABELS[field])
    return BadFileError(f"第{row.line}行「{column}」：{message}")


def read_number(row: LedgerRow, headers: Mapping[str, str], *, today: date) -> LedgerRow:
    """The row with its 督查编号 read (a bare 7 takes its year from the 登记 or 交办 date)."""
    typed = text_of(row.values.get("number"))
    if typed is None:
        return row
    try:
        number = parse_case_number(typed, current_year=0)
    except FupinError as refusal:
        raise _failed(row, "number", headers, refusal.message) from None
    if number.year == 0:  # a bare 7: the year of its 登记 or 交办 date
        number = CaseNumber(opening_day(row, headers, today=today).year, number.serial)
    return replace(row, number=number)


def opening_day(row: LedgerRow, headers: Mapping[str, str], *, today: date) -> date:
    """The day the case was opened: 登记日期, else 交办日期, else the year of its number's 1 January."""
    for field in ("opened_on", "assigned_on"):
        try:
            day = read_date(row.values.get(field), today=today)
        except FupinError as refusal:
            raise _failed(row, field, headers, refusal.message) from None
        if day is not None:
            return day
    raise _failed(row, "assigned_on", headers, "登记日期和交办日期都没有填，无法确定事项的年份和日期")


def build_history(
    row: LedgerRow,
    headers: Mapping[str, str],
    *,
    number: CaseNumber,
    today: date,
    resolve_unit: Callable[[str], str],
    calendar: Callable[[], WorkingDays],
    marker: str,
) -> list[Step]:
    """The row's case, step by step through the rules: 拟办, 立项, and as far as the row tells,
    交办, 承办, 延期, 办结, 归档 or 撤销. Each step's extra names the row it came from."""
    values = row.values
    field = "title"

    def day(name: str) -> date | None:
        nonlocal field
        field = name
        return read_date(values.get(name), today=today)

    def text(name: str) -> str | None:
        return text_of(values.get(name))

    steps: list[Step] = []
    extra = {"imported_from": marker}

    def step(action: str, on: date, after: Case, more: dict[str, Any] | None = None) -> Case:
        steps.append(Step(action, on, steps[-1].after if steps else None, after, {**(more or {}), **extra}))
        return after

    try:
        field = "opened_on"
        opened_on = opening_day(row, headers, today=today)
        field = "category"
        category = parse_category(text("category") or "其他").name
        field = "title"
        note = text("note")
        case = step(
            "open",
            opened_on,
            rules.open_case(
                year=number.year,
                serial=number.serial,
                title=text("title") or "",
                category=category,
                on=opened_on,
                today=today,
                source=text("source"),
            ),
            {"note": note} if note else None,
        )
        field = "approver"
        case = step("approve", opened_on, rules.approve(
            case, on=opened_on, today=today, approver=text("approver") or NOT_RECORDED
        ))
        withdrawn = (text("state") or "") in _WITHDRAWN
        unit_text = text("unit")
        assigned_on = day("assigned_on")
        if unit_text is None and assigned_on is not None:
            field = "unit"
            raise InvalidInputError("有交办日期却没有承办单位")
        if unit_text is not None:
            if assigned_on is None:
                raise InvalidInputError("有承办单位却没有交办日期")
            field = "unit"
            names = [part for part in re.split(r"[、，,;；/]", unit_text) if part.strip()]
            lead = resolve_unit(names[0])
            assist = [resolve_unit(name) for name in names[1:]]
            field = "assist"
            assist += [resolve_unit(p) for p in re.split(r"[、，,;；/]", text("assist") or "") if p.strip()]
            field = "due"
            due_value = values.get("due")
            due_text = text_of(due_value) or ""
            workdays, due = None, None
            counted = _WORKDAYS.fullmatch(due_text)
            if counted:
                workdays = int(counted.group(1))
            elif due_text.isdigit() and int(due_text) <= rules.MAX_LIMIT_WORKDAYS:
                workdays = int(due_text)
            elif due_text:
                due = read_date(due_value, today=today)
            explicit = due is not None or (workdays is not None and workdays != rules.DEFAULT_LIMIT_WORKDAYS)
            case = step("assign", assigned_on, rules.assign(
                case,
                on=assigned_on,
                today=today,
                lead_unit=lead,
                assist_units=tuple(dict.fromkeys(a for a in assist if a != lead)),
                workdays=workdays,
                due=due,
                basis=f"台账记载（{due_text}）" if explicit else None,
                calendar=calendar(),
            ))
            accepted_on = day("accepted_on")
            feedback_on = day("feedback_on")
            extended_to = day("extended_to")
            field = "extended"
            flag = (text("extended") or "").lower()
            if flag not in _YES | _NO:
                raise InvalidInputError(f"请写 是 或 否（写的是「{flag[:20]}」）")
            if flag in _YES and extended_to is None:
                field = "extended_to"
                raise InvalidInputError("写了延期，却没有写延期后的期限（延期至）")
            if accepted_on is not None or feedback_on is not None:
                field = "accepted_on"
                on = accepted_on or assigned_on
                case = step("accept", on, rules.accept(case, on=on, today=today))
            if extended_to is not None:
                field = "extended_to"
                assert case.due is not None
                on = max(case.last_step_on, min(case.due, today, feedback_on or case.due))
                extended = rules.extend(
                    case, on=on, today=today, reason="台账记载延期", approver=NOT_RECORDED, to=extended_to,
                    calendar=calendar(),
                )
                case = step("extend", on, extended, {"extension": rules.extension_fields(extended.extensions[-1])})
            if feedback_on is not None:
                field = "feedback_on"
                report = text("report") or "台账记载已办结"
                case = step("feedback", feedback_on, rules.feedback(case, on=feedback_on, today=today, report_text=report))
            archived_on = day("archived_on")
            if archived_on is not None:
                case = step("archive", archived_on, rules.archive(
                    case, on=archived_on, today=today, location=text("archive_location")
                ))
        elif day("archived_on") is not None or day("feedback_on") is not None:
            raise InvalidInputError("有办结或归档日期，却没有承办单位和交办日期")
        if withdrawn:
            field = "state"
            on = case.last_step_on
            case = step("withdraw", on, rules.withdraw(case, on=on, today=today, reason=note or "台账记载已撤销"))
    except FupinError as refusal:
        raise _failed(row, field, headers, refusal.message) from None
    return steps


def same_content(stored: Case, built: Case) -> bool:
    """Whether a case already stored is the one a row builds (a second import of the same sheet)."""
    keys = ("title", "category", "state", "lead_unit", "assist_units", "assigned_on", "due", "feedback_on",
            "archived_on", "withdrawn_on", "opened_on")  # fmt: skip
    return all(getattr(stored, key) == getattr(built, key) for key in keys)
