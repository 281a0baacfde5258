"""`fupin case import`: an office's Excel or CSV 台账 of past 督查事项, imported in one unit of work.

Every row is read and built before anything is kept: one bad row refuses the whole file with its
row number, column and reason, and the database stays as it was. `dry_run` does all of it, checks
included, and rolls back.
"""

from __future__ import annotations

import csv
import io
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fupin_cli.domain import cases as rules
from fupin_cli.domain import ledger
from fupin_cli.domain.errors import BadFileError, InvalidInputError
from fupin_cli.domain.numbering import CaseNumber
from fupin_cli.domain.units import resolve_unit
from fupin_cli.services.case_views import calendar_source
from fupin_cli.services.files import read_sheet
from fupin_cli.settings import Settings, data_dir

if TYPE_CHECKING:
    from fupin_cli.storage.unit_of_work import UnitOfWork

HEADERS_FILE = "import_headers.toml"
SHOWN_ROWS = 5


@dataclass(frozen=True)
class ImportedRow:
    line: int
    number: str
    title: str
    unit: str | None
    state: str


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, on a dry run, would do)."""

    file: str
    sheet: str | None
    mapping: dict[str, str]
    """field → the sheet's header text."""
    unused: tuple[str, ...]
    imported: int
    already: int
    blank: int
    totals: int
    events: int
    by_year: dict[int, int]
    by_unit: dict[str, int]
    by_state: dict[str, int]
    next_numbers: dict[int, str]
    dry_run: bool
    first_rows: list[ImportedRow] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    """(row, reason) of each row left out with --skip-bad."""
    rejects_file: str | None = None


def load_synonyms() -> dict[str, list[str]]:
    """The header synonyms the office keeps in data/import_headers.toml."""
    path = data_dir() / HEADERS_FILE
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))["headers"]
    except (OSError, KeyError, tomllib.TOMLDecodeError) as failure:
        raise BadFileError(f"表头同义词文件 {path} 无法读取：{failure}") from None
    unknown = [name for name in table if name not in ledger.FIELDS]
    if unknown:
        raise BadFileError(f"表头同义词文件 {path} 中的字段「{unknown[0]}」未知：可用 {'、'.join(ledger.FIELDS)}")
    return {name: [str(word) for word in words] for name, words in table.items()}


def parse_maps(typed: list[str]) -> dict[str, str]:
    """`--map 列名=字段` as typed, several allowed: header (spaces removed) → field."""
    overrides: dict[str, str] = {}
    for item in typed:
        header, sep, name = item.partition("=")
        if not sep or not header.strip() or not name.strip():
            raise InvalidInputError(f"--map 请写成 列名=字段，例如 --map 牵头单位=unit（写的是「{item[:40]}」）")
        overrides[ledger.normalise(header)] = name.strip()
    return overrides


def import_ledger(
    uow: UnitOfWork,
    *,
    settings: Settings,
    file: str,
    sheet: str | None = None,
    maps: list[str] | None = None,
    dry_run: bool = False,
    skip_bad: bool = False,
) -> ImportReport:
    """Import every row of the 台账 as a case with its history, or refuse the whole file.

    With `skip_bad` the rows that cannot be imported are left out and written, with the reason, to
    FILE.rejects.csv beside the file; the good rows are imported.
    """
    from fupin_cli.storage import case_rows
    from fupin_cli.storage import cases as repository

    path = Path(file).expanduser()
    overrides = parse_maps(maps or [])
    rows, sheet_name = read_sheet(path, sheet)
    mapping = ledger.map_headers(rows, load_synonyms(), overrides)
    today = settings.today
    rejected: list[tuple[int, str]] = []

    def bad(line: int, refusal: BadFileError) -> None:
        if not skip_bad:
            raise refusal
        rejected.append((line, refusal.message))

    read: list[ledger.LedgerRow] = []
    opened: dict[int, Any] = {}
    blank = totals = 0
    for offset, row in enumerate(rows[mapping.header_row :]):
        line = mapping.header_row + offset + 1
        if ledger.is_blank(row):
            blank += 1
            continue
        if ledger.is_total(row):
            totals += 1
            continue
        values = {name: (row[column] if column < len(row) else None) for name, column in mapping.columns.items()}
        try:
            found = ledger.read_number(ledger.LedgerRow(line, values), mapping.headers, today=today)
            opened[line] = ledger.opening_day(found, mapping.headers, today=today)
        except BadFileError as refusal:
            bad(line, refusal)
            continue
        read.append(found)
    taken: dict[CaseNumber, int] = {}
    for row in list(read):
        if row.number is None:
            continue
        if row.number in taken:
            read.remove(row)
            column = mapping.headers["number"]
            bad(row.line, BadFileError(f"第{row.line}行「{column}」：编号 {row.number} 与第{taken[row.number]}行重复"))
            continue
        taken[row.number] = row.line
    if not read and not rejected:
        raise BadFileError(f"{path.name} 中没有可导入的行（表头在第 {mapping.header_row} 行）")
    calendar = calendar_source(settings)
    conn = uow.connection()
    units = case_rows.unit_names(uow)
    years = {number.year for number in taken} | {day.year for day in opened.values()}
    stored = repository.cases_in_years(conn, years)
    by_title = {(case.year, case.title, case.opened_on): case.serial for case in stored.values()}
    last = repository.last_serials(conn, years)
    for number in taken:
        last[number.year] = max(last[number.year], number.serial)
    report = _Counts()
    pending: list[list[ledger.Step]] = []
    for row in read:
        number = row.number
        if number is None:
            day = opened[row.line]
            known = by_title.get((day.year, ledger.text_of(row.values.get("title")), day))
            number = CaseNumber(day.year, known if known is not None else last[day.year] + 1)
        try:
            steps = ledger.build_history(
                row,
                mapping.headers,
                number=number,
                today=today,
                resolve_unit=lambda text: resolve_unit(units, text),
                calendar=calendar,
                marker=f"{path.name} 第{row.line}行",
            )
            existing = stored.get((number.year, number.serial))
            if existing is not None and not ledger.same_content(existing, steps[-1].after):
                column = mapping.headers.get("number", "编号")
                raise BadFileError(
                    f"第{row.line}行「{column}」：{number} 已在数据库中，内容与本行不同；请核对后改正编号或去掉本行"
                )
        except BadFileError as refusal:
            bad(row.line, refusal)
            continue
        if existing is not None:
            report.already += 1
            continue
        last[number.year] = max(last[number.year], number.serial)
        pending.append(steps)
        report.count(row.line, steps[-1].after)
    saved_cases = repository.insert_whole_cases(conn, [steps[-1].after for steps in pending])
    for saved, steps in zip(saved_cases, pending, strict=True):
        for step in steps:
            if step.before is None:
                before, after = None, rules.recorded_fields(step.after)
            else:
                before, after = rules.changed_fields(step.before, step.after)
            uow.record(
                subject=str(saved.number),
                action=step.action,
                effective_on=step.on,
                before=before,
                after={**after, **step.extra},
                case_id=saved.id,
            )
    for year, serial in last.items():
        if serial:
            repository.raise_counter(conn, year, serial)
    written = uow.flush_events()
    rejected.sort()
    rejects_file = None
    if rejected and not dry_run:
        rejects_file = _write_rejects(path, rows, rejected)
    result = ImportReport(
        file=str(path),
        sheet=sheet_name,
        mapping=mapping.headers,
        unused=mapping.unused,
        imported=len(pending),
        already=report.already,
        blank=blank,
        totals=totals,
        events=written,
        by_year=dict(sorted(report.years.items())),
        by_unit=dict(report.units.most_common()),
        by_state=dict(report.states.most_common()),
        next_numbers={year: str(CaseNumber(year, serial + 1)) for year, serial in sorted(last.items())},
        dry_run=dry_run,
        first_rows=report.first,
        rejected=rejected,
        rejects_file=rejects_file,
    )
    if dry_run:
        uow.rehearse()  # a dry run: everything rolled back
    return result


def rejects_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.rejects.csv")


def _write_rejects(path: Path, rows: list[list[Any]], rejected: list[tuple[int, str]]) -> str:
    """The rows left out, as they were in the sheet, each after its row number and the reason."""
    from fupin_cli.services.output_files import write_text

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["行号", "原因"])
    for line, reason in rejected:
        writer.writerow([line, reason, *(ledger.text_of(cell) or "" for cell in rows[line - 1])])
    target = rejects_path(path)
    write_text(target, "\ufeff" + buffer.getvalue())
    return str(target)


class _Counts:
    def __init__(self) -> None:
        self.already = 0
        self.years: Counter[int] = Counter()
        self.units: Counter[str] = Counter()
        self.states: Counter[str] = Counter()
        self.first: list[ImportedRow] = []

    def count(self, line: int, case: rules.Case) -> None:
        self.years[case.year] += 1
        self.units[case.lead_unit or "（未交办）"] += 1
        self.states[case.state.label] += 1
        if len(self.first) < SHOWN_ROWS:
            self.first.append(ImportedRow(line, case.number.short, case.title, case.lead_unit, case.state.label))

