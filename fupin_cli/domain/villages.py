"""The office's list of villages, read from CSV (headers in Chinese or English, 是/否 flags, years in
any common separator) and encoded for the database. Pure: standard library only.
"""

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from fupin_cli.domain.check_values import FIRST_YEAR, fold
from fupin_cli.domain.errors import BadFileError
from fupin_cli.domain.text import MAX_NAME_CHARS

# --- villages from CSV -----------------------------------------------------------------------------


@dataclass(frozen=True)
class VillageRecord:
    """One village of the office's list as imported."""

    county: str
    name: str
    key_village: bool
    project_years: tuple[int, ...]
    mutual_aid_pilot: bool
    note: str | None = None
    line: int = 0
    """The line of the file it came from (0 when not from a file)."""


VILLAGE_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "county": ("县", "县（市、区）", "县(市、区)", "县市区", "所在县", "county"),
    "village": ("村", "村名", "行政村", "village"),
    "key_village": ("重点村", "key_village", "key"),
    "project_years": ("项目实施村年度", "项目实施年度", "项目实施村", "project_year", "project_years"),
    "mutual_aid_pilot": ("互助资金试点村", "互助资金试点", "mutual_aid_pilot", "mutual_aid"),
    "note": ("备注", "note"),
}
REQUIRED_COLUMNS = ("county", "village", "key_village", "project_years", "mutual_aid_pilot")
COLUMN_LABELS = {
    "county": "县",
    "village": "村",
    "key_village": "重点村",
    "project_years": "项目实施村年度",
    "mutual_aid_pilot": "互助资金试点村",
    "note": "备注",
}
_TRUE = {"是", "1", "true", "yes", "y", "√"}
_FALSE = {"否", "0", "false", "no", "n"}
_YEAR_SPLIT = re.compile(r"[、,，;；/\s]+")


def _header_key(cell: str) -> str:
    return fold(cell).lower().replace(" ", "_").replace("-", "_")


_BY_HEADER = {_header_key(alias): key for key, aliases in VILLAGE_COLUMNS.items() for alias in aliases}


def parse_flag(cell: str) -> bool | None:
    cleaned = fold(cell).lower()
    if cleaned in _TRUE:
        return True
    if cleaned in _FALSE:
        return False
    return None


def parse_village_csv(
    text: str, *, source: str, counties: Callable[[str], str | None], today: date
) -> list[VillageRecord]:
    """Every row of a village CSV, checked; the first problem is refused naming its line and column.

    Lines whose first cell starts with # are comments. `counties` maps what a row says of its county
    (唐县, or a unit's full name) to the county's name, or None when it is not a known county.
    """
    reader = csv.reader(io.StringIO(text))
    header: dict[int, str] | None = None
    records: list[VillageRecord] = []
    seen: dict[tuple[str, str], int] = {}
    try:
        for row in reader:
            line = reader.line_num
            if not row or all(not cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
                continue
            if header is None:
                header = _read_header(row, source=source, line=line)
                continue
            record = _read_row(row, header, source=source, line=line, counties=counties, today=today)
            key = (record.county, record.name)
            if key in seen:
                raise BadFileError(
                    f"{source} 第 {line} 行：{record.county}{record.name} 与第 {seen[key]} 行重复"
                )
            seen[key] = line
            records.append(record)
    except csv.Error as problem:
        raise BadFileError(f"{source} 第 {reader.line_num} 行：不是有效的 CSV（{problem}）") from None
    if header is None or not records:
        raise BadFileError(
            f"{source}：没有村庄数据（首行应为表头：{'、'.join(COLUMN_LABELS[c] for c in REQUIRED_COLUMNS)}）"
        )
    return records


def _read_header(row: Sequence[str], *, source: str, line: int) -> dict[int, str]:
    header: dict[int, str] = {}
    for position, cell in enumerate(row):
        if not cell.strip():
            continue
        key = _BY_HEADER.get(_header_key(cell))
        if key is None:
            known = "、".join(COLUMN_LABELS.values())
            raise BadFileError(
                f"{source} 第 {line} 行第 {position + 1} 列：不认识的列名「{cell.strip()[:20]}」（应为 {known}）"
            )
        if key in header.values():
            raise BadFileError(f"{source} 第 {line} 行：「{COLUMN_LABELS[key]}」列出现了两次")
        header[position] = key
    missing = [COLUMN_LABELS[key] for key in REQUIRED_COLUMNS if key not in header.values()]
    if missing:
        raise BadFileError(f"{source} 第 {line} 行：表头缺少 {'、'.join(missing)} 列")
    return header


def _read_row(
    row: Sequence[str],
    header: Mapping[int, str],
    *,
    source: str,
    line: int,
    counties: Callable[[str], str | None],
    today: date,
) -> VillageRecord:
    cells = {key: (row[position] if position < len(row) else "") for position, key in header.items()}
    extra = [cell for position, cell in enumerate(row) if position not in header and cell.strip()]
    if extra:
        raise BadFileError(f"{source} 第 {line} 行：多出表头没有的数据「{extra[0].strip()[:20]}」")

    def problem(key: str, reason: str) -> BadFileError:
        return BadFileError(f"{source} 第 {line} 行「{COLUMN_LABELS[key]}」列：{reason}")

    def name(key: str) -> str:
        value = fold(cells[key])
        if not value:
            raise problem(key, "不能为空")
        if len(value) > MAX_NAME_CHARS or any(not ch.isprintable() for ch in value):
            raise problem(key, f"「{value[:20]}」不是一个名称（至多 {MAX_NAME_CHARS} 字、一行）")
        return value

    def flag(key: str) -> bool:
        value = parse_flag(cells[key])
        if value is None:
            raise problem(key, f"「{cells[key].strip()[:10]}」应为 是 或 否（也可写 1/0、true/false）")
        return value

    typed_county = name("county")
    county = counties(typed_county)
    if county is None:
        raise problem("county", f"「{typed_county[:20]}」不是已知的县（市、区）")
    years: set[int] = set()
    for part in _YEAR_SPLIT.split(fold(cells["project_years"])):
        cleaned = part.removesuffix("年")
        if not cleaned:
            continue
        if not cleaned.isdigit() or not FIRST_YEAR <= int(cleaned) <= today.year + 1:
            raise problem(
                "project_years",
                f"「{part[:10]}」应是 {FIRST_YEAR}–{today.year + 1} 之间的年份，不是项目实施村则留空",
            )
        years.add(int(cleaned))
    note = fold(cells.get("note", "")) or None
    if note is not None and len(note) > 200:
        raise problem("note", "过长（至多 200 字）")
    if note is not None and any(not ch.isprintable() for ch in note):
        raise problem("note", "含有换行或控制字符（如 NUL、ESC、响铃）：备注只能是一行文字")
    return VillageRecord(
        county=county,
        name=name("village"),
        key_village=flag("key_village"),
        project_years=tuple(sorted(years)),
        mutual_aid_pilot=flag("mutual_aid_pilot"),
        note=note,
        line=line,
    )


def encode_years(years: Iterable[int]) -> str | None:
    ordered = sorted(set(years))
    return ",".join(str(year) for year in ordered) if ordered else None


def decode_years(stored: str | None) -> tuple[int, ...]:
    return tuple(int(part) for part in stored.split(",")) if stored else ()


def village_fields(record: VillageRecord) -> dict[str, Any]:
    return {
        "county": record.county,
        "name": record.name,
        "key_village": record.key_village,
        "project_years": list(record.project_years),
        "mutual_aid_pilot": record.mutual_aid_pilot,
        "note": record.note,
    }


def known_county(aliases: Mapping[str, str]) -> Callable[[str], str | None]:
    """A lookup for parse_village_csv from {what may be typed: county}."""
    folded = {fold(key): value for key, value in aliases.items()}
    return lambda typed: folded.get(fold(typed))
