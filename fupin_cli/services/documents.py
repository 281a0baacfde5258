"""Word documents for a 督查事项: the 核查通知书 (approved or later), the 催办通知书 (overdue) and
the 延期审批单 (one granted extension).

The wording comes from data/templates/notices.toml, so the office can change it without code.
A classified case gets no document at all (its content is handled offline, 按机要文件处理).
"""

import string
import tomllib
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from fupin_cli.domain import cases as rules
from fupin_cli.domain.cases import Case
from fupin_cli.domain.dates import format_chinese
from fupin_cli.domain.errors import BadFileError, InvalidInputError, RuleViolationError
from fupin_cli.domain.numbering import parse_case_number
from fupin_cli.domain.text import nest_quotes, plain_quotes
from fupin_cli.domain.workflow import State
from fupin_cli.services.database import reading
from fupin_cli.services.office import TEMPLATE_FILE
from fupin_cli.settings import Settings, data_dir
from fupin_cli.storage import case_rows

PLACEHOLDERS = frozenset(
    {"no", "title", "category", "unit", "assist_units", "approved_on", "assigned_on", "due", "original_due",
     "overdue_workdays", "today", "office", "extension_no", "granted_on", "old_due", "new_due", "cap",
     "reason", "approver", "addressees", "assist_clause", "you", "approval", "roles"}
)  # fmt: skip
KINDS = {"notice": "核查通知书", "urge": "催办通知书", "extension": "延期审批单"}
NOTICE_STATES = (State.APPROVED, State.ASSIGNED, State.IN_PROGRESS, State.COMPLETED, State.ARCHIVED)


@dataclass(frozen=True)
class Document:
    """A filled-in notice: what render.documents lays out as a .docx."""

    kind: str
    """"notice" (核查通知书), "urge" (催办通知书) or "extension" (延期审批单): see KINDS."""
    no: str
    title: str
    salutation: str
    paragraphs: tuple[str, ...]
    signature: str
    dated: str
    """The date under the signature: 2026年10月16日."""
    rows: tuple[tuple[str, str], ...] = ()
    """A form's lines (label, value), laid out as a two-column table before the paragraphs."""
    warnings: tuple[str, ...] = ()
    """Lines for stderr: provisional dates printed with （暂定）."""
    file_label: str = ""
    """What the document is called in a file name: 核查通知书."""
    letterhead: "Letterhead | None" = None
    """The 版头 and 版记 of a notice (GB/T 9704-2012); None for a form."""
    copy_to: tuple[str, ...] = ()
    """抄送机关 in the 版记, in order."""
    blocks: tuple[tuple[str, str, str], ...] = ()
    """A form's opinion blocks: (label, text, the signature line under it)."""


@dataclass(frozen=True)
class Letterhead:
    """The 版头 and 版记 of a notice, from the template's [letterhead] table."""

    mark: str
    """发文机关标志, printed in `color` (RRGGBB), its top `top_mm` below the top of the text block."""
    color: str
    top_mm: float
    number: str
    """发文字号."""
    printed_by: str
    """印发机关."""
    printed_on: str
    """印发日期: 2026年12月1日."""


@dataclass(frozen=True)
class UrgeBatch:
    documents: tuple[Document, ...]
    skipped_classified: tuple[str, ...]


def load_template(kind: str, path: Path | None = None) -> dict[str, Any]:
    """One section of the template file, checked: its keys present, its form rows pairs of text, and
    only known placeholders used."""
    source = path or data_dir() / TEMPLATE_FILE
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as failure:
        raise BadFileError(f"无法读取文书模板 {source}：{failure}") from None
    section = data.get(kind)
    if not isinstance(section, dict):
        raise BadFileError(f"文书模板 {source} 缺少 [{kind}] 一节")
    for key in ("title", "paragraphs", "signature"):
        if key not in section:
            raise BadFileError(f"文书模板 {source} 的 [{kind}] 缺少 {key}")
    rows = section.get("rows", [])
    if not isinstance(section["paragraphs"], list) or not isinstance(rows, list):
        raise BadFileError(f"文书模板 {source} 的 [{kind}] 中 paragraphs 和 rows 须是列表 [ … ]")
    if not all(isinstance(row, list) and len(row) == 2 for row in rows):
        raise BadFileError(f"文书模板 {source} 的 [{kind}] 中 rows 的每一行须是 [\"栏目\", \"内容\"] 两项")
    copy_to = section.get("copy_to", [])
    blocks = section.get("blocks", [])
    if not isinstance(copy_to, list) or not all(isinstance(item, str) for item in copy_to):
        raise BadFileError(f"文书模板 {source} 的 [{kind}] 中 copy_to 须是文字的列表 [\"…\", …]")
    if not isinstance(blocks, list) or not all(isinstance(block, list) and len(block) == 3 for block in blocks):
        raise BadFileError(f"文书模板 {source} 的 [{kind}] 中 blocks 的每一项须是 [\"栏目\", \"内容\", \"签字行\"] 三项")
    letterhead = data.get("letterhead", {})
    if not isinstance(letterhead, dict) or not isinstance(letterhead.get("top_mm", 35), int | float):
        raise BadFileError(f"文书模板 {source} 的 [letterhead] 须是一节，其中 top_mm 是毫米数")
    texts = [section["title"], section.get("salutation", ""), section["signature"], *section["paragraphs"]]
    texts += [*copy_to, *(str(value) for key, value in letterhead.items() if key != "top_mm")]
    for text in [*texts, *(cell for row in rows for cell in row), *(cell for block in blocks for cell in block)]:
        try:
            names = [name for _, name, _, _ in string.Formatter().parse(str(text)) if name is not None]
        except ValueError:
            raise BadFileError(
                f"文书模板 {source} 的 [{kind}] 有不成对的花括号：「{str(text)[:40]}」（占位符写成 {{no}}）"
            ) from None
        for name in names:
            if name not in PLACEHOLDERS:
                raise BadFileError(
                    f"文书模板 {source} 的 [{kind}] 用了未知的占位符 {{{name}}}：可用 {'、'.join(sorted(PLACEHOLDERS))}"
                )
    return {**section, "office": data.get("office", ""), "letterhead": letterhead}


def _values(
    case: Case,
    *,
    today: date,
    overdue_workdays: int = 0,
    extension: rules.Extension | None = None,
    extension_no: int = 0,
    cap: date | None = None,
) -> dict[str, str]:
    """Every placeholder's text for this case (empty where it does not apply), dates as 2026年10月16日."""

    def day(value: date | None) -> str:
        return format_chinese(value) if value else ""

    from fupin_cli.domain.categories import category_named

    assist = "、".join(case.assist_units)
    if case.meeting_ref:
        meeting = f"{format_chinese(case.meeting_on)}" if case.meeting_on else ""
        minutes = case.meeting_ref if "纪要" in case.meeting_ref else f"纪要{case.meeting_ref}"
        approval = f"经{meeting}主任办公会审定（{minutes}）"
    else:
        approval = "经审定"
    return {
        "no": str(case.number),
        "title": plain_quotes(case.title),
        "addressees": "、".join(unit for unit in (case.lead_unit, *case.assist_units) if unit),
        "assist_clause": f"，{assist}协办" if assist else "",
        "roles": f"本事项由{case.lead_unit}主办{f'，{assist}协办' if assist else ''}。" if case.lead_unit else "",
        "you": case.lead_unit if case.lead_unit and _is_division(case.lead_unit) else "你单位",
        "approval": approval,
        "category": category_named(case.category).name,
        "unit": case.lead_unit or "",
        "assist_units": assist,
        "approved_on": day(case.approved_on),
        "assigned_on": day(case.assigned_on),
        "due": day(case.due),
        "original_due": day(case.original_due),
        "overdue_workdays": str(overdue_workdays),
        "today": day(today),
        "extension_no": str(extension_no) if extension else "",
        "granted_on": day(extension.granted_on) if extension else "",
        "old_due": day(extension.old_due) if extension else "",
        "new_due": day(extension.new_due) if extension else "",
        "cap": day(cap),
        "reason": extension.reason if extension else "",
        "approver": extension.approver if extension else "",
    }


def _is_division(unit: str) -> bool:
    """Whether `unit` is one of the office's own divisions (办内处室), addressed by its name."""
    from fupin_cli.domain.duties import UnitKind
    from fupin_cli.services.duties import load_units

    return any(known.name == unit and known.kind is UnitKind.DIVISION for known in load_units())


def _fill(
    kind: str, case: Case, values: dict[str, str], dated: date, template: dict[str, Any] | None = None
) -> Document:
    """The document of `kind` for `case`; `template` when the caller read it already (a batch)."""
    template = template if template is not None else load_template(kind)
    values = {**values, "office": str(template["office"])}

    def text(value: Any) -> str:
        return nest_quotes(str(value).format(**values))

    letterhead = None
    if kind != "extension":
        head = template["letterhead"]
        letterhead = Letterhead(
            mark=text(head.get("mark", values["office"])),
            color=str(head.get("color", "FF0000")),
            top_mm=float(head.get("top_mm", 35)),
            number=text(head.get("number", "{no}")),
            printed_by=text(head.get("printed_by", values["office"])),
            printed_on=format_chinese(dated),
        )
    return Document(
        kind=kind,
        no=str(case.number),
        title=text(template["title"]),
        salutation=text(template.get("salutation", "")),
        paragraphs=tuple(text(p) for p in template["paragraphs"]),
        signature=text(template["signature"]),
        dated=format_chinese(dated),
        rows=tuple((text(label), text(value)) for label, value in template.get("rows", [])),
        file_label=KINDS[kind],
        letterhead=letterhead,
        copy_to=tuple(organ for entry in template.get("copy_to", []) for organ in text(entry).split("、") if organ),
        blocks=tuple((text(a), text(b), text(c)) for a, b, c in template.get("blocks", [])),
    )


def _refuse_classified(case: Case) -> None:
    if case.classified:
        raise RuleViolationError(f"{case.number} 是涉密事项，不生成任何文书：请按机要文件线下办理")


def _load(settings: Settings, number: str) -> Case:
    wanted = parse_case_number(number, current_year=settings.today.year)
    with reading(settings) as reader:
        return case_rows.load_case(reader, wanted)


def notice_document(*, settings: Settings, number: str, reissue: bool = False) -> Document:
    """核查通知书 for a case approved (立项) and not yet accepted by its unit; after acceptance only
    as a 补发 (`reissue`), dated as the original was (交办, else 立项) and saying so in its title."""
    case = _load(settings, number)
    _refuse_classified(case)
    if case.state not in NOTICE_STATES:
        raise RuleViolationError(
            f"{case.number} 当前状态为「{case.state.label}」，尚未立项（或不予立项、已撤销），不能出具核查通知书"
        )
    if case.accepted_on is not None and not reissue:
        raise RuleViolationError(
            f"{case.number} 已于 {case.accepted_on} 承办登记（当前「{case.state.label}」），不再出具核查通知书；"
            "如需补发原通知，请加 --reissue"
        )
    if not reissue:
        return _provisional(case, _fill("notice", case, _values(case, today=settings.today), settings.today), settings)
    dated = case.assigned_on or case.approved_on or settings.today
    made = _fill("notice", case, _values(case, today=dated), dated)
    return _provisional(case, replace(made, title=f"{made.title}（补发）"), settings)


def _provisional(case: Case, made: Document, settings: Settings) -> Document:
    """A document printing dates that rest on a provisional holiday schedule (the due date, the
    original one, an extension's, the cap): （暂定） after each wherever it is printed, and a warning
    for stderr."""
    if case.original_due is None:
        return made
    from fupin_cli.services.calendar import load_calendar

    calendar = load_calendar(settings)
    days = sorted(rules.provisional_dates(case, calendar).marked(case, rules.extension_cap(case.original_due, calendar)))
    printed = "\n".join((*made.paragraphs, *(value for _, value in made.rows)))
    days = [day for day in days if format_chinese(day) in printed]
    if not days:
        return made

    def mark(text: str) -> str:
        for day in days:
            shown = format_chinese(day)
            marked = f"{shown}（暂定）"
            if marked not in text:
                text = text.replace(shown, marked)
        return text

    listed = "、".join(day.isoformat() for day in days)
    return replace(
        made,
        paragraphs=tuple(mark(p) for p in made.paragraphs),
        rows=tuple((label, mark(value)) for label, value in made.rows),
        warnings=(*made.warnings, f"注意：{case.number} 的日期 {listed} 涉及放假安排尚未公布的年份，文书中标为（暂定）"),
    )


def _overdue_workdays(case: Case, settings: Settings) -> int | None:
    if not case.state.is_open or case.due is None:
        return None
    from fupin_cli.services.calendar import load_calendar

    status = rules.deadline_status(case, today=settings.today, calendar=load_calendar(settings))
    return status.overdue_workdays if status.light is rules.Light.RED else None


def urge_document(*, settings: Settings, number: str) -> Document:
    """催办通知书 for an open case past its (extended) due date."""
    return _urge(_load(settings, number), settings, load_template("urge"))


def _urge(case: Case, settings: Settings, template: dict[str, Any]) -> Document:
    _refuse_classified(case)
    late = _overdue_workdays(case, settings)
    if late is None:
        due = f"（期限 {case.due}）" if case.due else ""
        raise RuleViolationError(f"{case.number} 当前状态为「{case.state.label}」{due}，没有逾期，不需要催办")
    values = _values(case, today=settings.today, overdue_workdays=late)
    return _provisional(case, _fill("urge", case, values, settings.today, template), settings)


def urge_all(*, settings: Settings, unit: str | None = None) -> UrgeBatch:
    """催办通知书 for every overdue case; classified ones are named and skipped. Overdue orders to
    correct (整改) in the same report are not 督查事项 and get none."""
    from fupin_cli.services.database import reading
    from fupin_cli.services.reports import overdue_in
    from fupin_cli.storage import case_rows

    documents: list[Document] = []
    template: dict[str, Any] | None = None
    with reading(settings, checked=True) as reader:  # the database opened once for the whole batch
        report = overdue_in(reader, settings=settings, unit=unit)
        wanted = [item for item in report.items if item.kind == "case"]
        skipped = [item.no for item in wanted if item.classified]
        for item in wanted:
            if not item.classified:
                template = template if template is not None else load_template("urge")  # read once
                case = case_rows.load_case(reader, parse_case_number(item.no, current_year=settings.today.year))
                documents.append(_urge(case, settings, template))
    return UrgeBatch(tuple(documents), tuple(skipped))


def extension_document(*, settings: Settings, number: str, which: int | None = None) -> Document:
    """延期审批单 for one granted extension of a case: the latest, or the `which`-th (1 = the first)."""
    case = _load(settings, number)
    _refuse_classified(case)
    if not case.extensions:
        raise RuleViolationError(f"{case.number} 没有延期记录，不能出具延期审批单（先用 fupin case extend 登记延期）")
    count = len(case.extensions)
    chosen = count if which is None else which
    if not 1 <= chosen <= count:
        raise InvalidInputError(f"{case.number} 只有 {count} 次延期：--extension 请写 1 到 {count}")
    extension = case.extensions[chosen - 1]
    from fupin_cli.services.calendar import load_calendar

    cap = rules.extension_cap(case.original_due, load_calendar(settings)) if case.original_due else None
    values = _values(case, today=settings.today, extension=extension, extension_no=chosen, cap=cap)
    return _provisional(case, _fill("extension", case, values, extension.granted_on), settings)
