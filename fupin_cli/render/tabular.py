"""One writer per output format for every list fupin prints: a list is a `Tabular` (English keys for
scripts, Chinese headers for people, values still typed) and is written as JSON, CSV, TSV, Markdown,
HTML or xlsx here and nowhere else. Builds; never prints.

- json: an array of objects (the list's `json_records` when its JSON is richer than its rows).
- csv/tsv: a header row of the keys, then rows; text a spreadsheet would take for a formula is
  neutralised (render.safety) unless `raw`; lists joined with 、, objects as JSON text.
- md, html, xlsx: the Chinese headers; 是/否 for yes and no, percentages as percentages.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from fupin_cli.render.cells import PROVISIONAL_MARK, PROVISIONAL_NOTE, percent
from fupin_cli.render.safety import neutralised

FORMATS = ("table", "json", "csv", "tsv", "md", "xlsx", "html")
"""What every list command's --format takes."""
SUFFIX_FORMATS = {".json": "json", ".tsv": "tsv", ".md": "md", ".xlsx": "xlsx", ".html": "html", ".htm": "html"}
"""The format of an --output file given without --format: by its suffix, else CSV."""
KIND_LABELS = {"case": "督查", "finding": "整改"}
"""How Markdown, xlsx and the table name an item's kind: a 督查事项, or a finding's order to correct."""


@dataclass(frozen=True)
class Tabular:
    """A list as rows: English keys for scripts, Chinese headers for people, values still typed."""

    sheet: str
    keys: tuple[str, ...]
    headers: tuple[str, ...]
    records: tuple[dict[str, Any], ...]
    percent_keys: tuple[str, ...] = ()
    title: str = ""
    """The list's name over the printed sheet: 逾期事项."""
    as_of: date | None = None
    """The day the list was taken: under the title, 截至2026年11月20日."""
    empty: str = ""
    """What an empty sheet says under its header: 无逾期事项."""
    folded_keys: tuple[str, ...] = ()
    """Columns a printed sheet leaves folded (the reader opens them with ＋)."""
    json_records: tuple[Any, ...] | None = None
    """What `--format json` writes when it says more than the rows (nested lists); else the records."""
    marked_rows: tuple[int, ...] = ()
    """Rows an xlsx sheet fills red (a quota late in the year)."""
    notes: tuple[str, ...] = ()
    """Lines under the rows of an xlsx sheet and a Markdown table."""
    md_title: bool = False
    """Markdown starts with the title as a line of its own."""
    count_items: bool = True
    """The subtitle of an xlsx sheet counts its rows (共N件)."""
    html_title: str = ""
    """The heading of an HTML page when it is not the title (a page names its table by it)."""
    marks: tuple[tuple[str, str], ...] = ()
    """(date key, flag key): a date people read (md, html, xlsx) carries the 暂定 mark * when its flag
    is true; json, csv and tsv keep the date and its `*_provisional` flag apart."""

    def marked(self, record: Mapping[str, Any]) -> frozenset[str]:
        """The date keys of `record` that carry the mark."""
        return frozenset(key for key, flag in self.marks if record.get(flag) and record.get(key) is not None)


def tabular(
    sheet: str, fields: Sequence[tuple[str, str]], records: Sequence[Mapping[str, Any]], **extra: Any
) -> Tabular:
    """A Tabular of `records` keeping the (key, header) `fields` in their order."""
    return Tabular(
        sheet,
        tuple(key for key, _ in fields),
        tuple(header for _, header in fields),
        tuple({key: record.get(key) for key, _ in fields} for record in records),
        **extra,
    )


def format_for(output_format: str, path: Path | None) -> str:
    """The format to write: the one asked for, or for an --output without --format its suffix's."""
    if path is not None and output_format == "table":
        return SUFFIX_FORMATS.get(path.suffix.lower(), "csv")
    return output_format


# --- cells ---------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


def _flat(value: Any) -> Any:
    """A value one cell can hold: lists joined with 、, objects as JSON text, dates as YYYY-MM-DD."""
    if isinstance(value, list | tuple):
        return "、".join(str(_flat(item)) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return _plain(value)


def cell_text(value: Any) -> str:
    """A value as CSV writes it: empty for nothing, true/false, lists joined with 、."""
    value = _flat(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def human(key: str, value: Any) -> Any:
    """A value as Markdown, HTML and xlsx show it to people: 是/否, 督查/整改; others unchanged."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if key == "kind":
        return KIND_LABELS.get(value, value)
    return value


def _md_cell(key: str, value: Any, table: Tabular) -> str:
    if key in table.percent_keys:
        return percent(value)
    return cell_text(human(key, value)).replace("|", "\\|").replace("\n", " ")


# --- the writers ---------------------------------------------------------------------------------


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=_plain)


def as_text(table: Tabular, output_format: str, *, raw: bool = False) -> str:
    """The list as json, csv, tsv, md or html text."""
    return "".join(text_chunks(table, output_format, raw=raw))


_CHUNK_ROWS = 512
"""Rows of CSV/TSV written at a time: the output keeps up with the rows, never held whole."""


def text_chunks(table: Tabular, output_format: str, *, raw: bool = False) -> Iterator[str]:
    """The text of `as_text` in pieces as the records come: JSON a record at a time (the same bytes as
    one json.dumps of the whole array), CSV/TSV some hundred rows at a time, md and html whole."""
    if output_format == "json":
        records: Iterable[Any] = (
            table.json_records
            if table.json_records is not None
            else ({key: _plain(value) for key, value in record.items()} for record in table.records)
        )
        separator = "[\n  "
        for record in records:
            yield separator + to_json(record).replace("\n", "\n  ")
            separator = ",\n  "
        yield "[]" if separator.startswith("[") else "\n]"
        return
    if output_format in ("csv", "tsv"):
        out = io.StringIO()
        writer = csv.writer(out, delimiter="\t" if output_format == "tsv" else ",", lineterminator="\n")
        writer.writerow(table.keys)
        for number, record in enumerate(table.records, start=1):
            cells = (cell_text(record[key]) for key in table.keys)
            writer.writerow([cell if raw else neutralised(cell) if isinstance(_flat(record[key]), str) else cell
                             for key, cell in zip(table.keys, cells, strict=True)])  # fmt: skip
            if number % _CHUNK_ROWS == 0:
                yield out.getvalue()
                out.seek(0)
                out.truncate()
        yield out.getvalue()
        return
    yield _whole_text(table, output_format)


def _whole_text(table: Tabular, output_format: str) -> str:
    if output_format == "md":
        lines = [f"{table.title}", ""] if table.md_title and table.title else []
        lines += ["| " + " | ".join(table.headers) + " |", "|" + "---|" * len(table.headers)]
        for record in table.records:
            marked = table.marked(record)
            cells = [_md_cell(key, record[key], table) + (PROVISIONAL_MARK if key in marked else "")
                     for key in table.keys]  # fmt: skip
            lines.append("| " + " | ".join(cells) + " |")
        if table.notes:
            lines += ["", *table.notes]
        return "\n".join(lines) + "\n"
    if output_format == "html":
        from fupin_cli.render.digest import CLASSIFIED_TITLE, table_page

        def shown(key: str, record: dict[str, Any]) -> str:
            if key == "title" and record.get("classified") is True:
                return CLASSIFIED_TITLE
            if key in table.percent_keys:
                return percent(record[key])
            return cell_text(human(key, record[key])) + (PROVISIONAL_MARK if key in table.marked(record) else "")

        rows = [[shown(key, record) for key in table.keys] for record in table.records]
        return table_page(table.html_title or table.title or table.sheet, table.headers, rows)
    raise ValueError(output_format)


def _subtitle(table: Tabular) -> str:
    """Under a sheet's title: the office, the as-of date and the count."""
    from fupin_cli.domain.dates import format_chinese
    from fupin_cli.services.office import office_name

    parts = [office_name()]
    if table.as_of:
        parts.append(f"截至{format_chinese(table.as_of)}")
    if table.empty and table.count_items:  # a list of items (not the statistics)
        parts.append(f"共{len(table.records)}件")
    return "　".join(part for part in parts if part)


def save(table: Tabular, output_format: str, path: Path, *, raw: bool = False) -> None:
    """Write the list to `path` (atomically; never through a symlink)."""
    from fupin_cli.render.xlsx import write_xlsx
    from fupin_cli.services.output_files import write_text

    if output_format == "xlsx":
        write_xlsx(
            path,
            sheet=table.sheet,
            headers=table.headers,
            rows=[[human(key, _xlsx_value(record[key])) for key in table.keys] for record in table.records],
            percent_columns=[table.keys.index(key) for key in table.percent_keys],
            title=table.title,
            subtitle=_subtitle(table),
            empty=table.empty,
            folded_columns=[table.keys.index(key) for key in table.folded_keys],
            marked_rows=table.marked_rows,
            notes=_xlsx_notes(table),
            marked_dates=[{table.keys.index(key) for key in table.marked(record)} for record in table.records],
        )
    else:
        write_text(path, as_text(table, output_format, raw=raw))


def _xlsx_notes(table: Tabular) -> tuple[str, ...]:
    """The sheet's notes, and what the mark * means when a date carries it."""
    if any(table.marked(record) for record in table.records) and PROVISIONAL_NOTE not in table.notes:
        return (*table.notes, PROVISIONAL_NOTE)
    return table.notes


def _xlsx_value(value: Any) -> Any:
    """Lists joined, objects as text; dates stay dates (the sheet writes them as real dates)."""
    if isinstance(value, list | tuple | dict):
        return _flat(value)
    return value


def records_csv(records: Sequence[Mapping[str, Any]], columns: Sequence[str], *, raw: bool = False) -> str:
    """Records of a shown object (not a list command's) as CSV under its English keys."""
    return as_text(tabular("", tuple((column, column) for column in columns), records), "csv", raw=raw)
