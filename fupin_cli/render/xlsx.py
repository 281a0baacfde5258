"""The one xlsx writer of fupin's lists and reports. Files are written the safe way of
services.output_files (a temporary file moved into place, never through a symlink).
"""

import math
import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fupin_cli.services.output_files import checked_target, output_errors, save_zipped, write_atomically

DATE_FORMAT = "yyyy-mm-dd"  # what openpyxl writes a datetime.date as (FORMAT_DATE_YYYYMMDD2)
PERCENT_FORMAT = "0.0%"
MARKED_DATE_FORMAT = 'yyyy-mm-dd"*"'
"""A date resting on a provisional year: still a date to the sheet, shown with the 暂定 mark."""
MARKED_FILL = "FFC7CE"
"""The fill of a row that needs attention (a quota not met late in the year)."""
MAX_COLUMN_WIDTH = 60


def display_width(value: Any) -> int:
    """Cells a value takes in a spreadsheet column: CJK and full-width characters count 2."""
    if isinstance(value, date):
        return len("yyyy-mm-dd")
    text = str(value)
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


PRINT_MAX_WIDTH = 40
"""A column wider than this is cut to it and its text wrapped, so that a printed page stays legible."""
ROW_HEIGHT = 15
"""Points a line of text takes in a row (the default row of an 11 pt font)."""
TITLE_ROWS = 2
"""Above the header: the report's name, then the office and the as-of date."""


def print_setup(page: Any, *, header_row: int, title: str) -> None:
    """How every sheet fupin writes prints: A4 landscape, one page wide (as many tall as it takes),
    the header row repeated on every page, gridlines, narrow margins, the report's name and
    「第 N 页，共 M 页」 at the foot of each page."""
    page.page_setup.paperSize = "9"  # A4
    page.page_setup.orientation = "landscape"
    page.page_setup.fitToWidth = 1
    page.page_setup.fitToHeight = 0
    page.sheet_properties.pageSetUpPr.fitToPage = True
    page.print_options.gridLines = True
    page.print_options.horizontalCentered = True
    margins = page.page_margins
    margins.left = margins.right = 0.4  # inches: 1 cm
    margins.top, margins.bottom = 0.6, 0.7
    margins.header, margins.footer = 0.3, 0.3
    page.print_title_rows = f"{header_row}:{header_row}"
    page.oddFooter.left.text = title.replace("&", "&&")
    page.oddFooter.left.size = 9
    page.oddFooter.right.text = "第 &P 页，共 &N 页"
    page.oddFooter.right.size = 9


def write_xlsx(
    path: Path,
    *,
    sheet: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    percent_columns: Sequence[int] = (),
    title: str = "",
    subtitle: str = "",
    empty: str = "",
    folded_columns: Sequence[int] = (),
    marked_rows: Sequence[int] = (),
    notes: Sequence[str] = (),
    marked_dates: Sequence[set[int]] = (),
) -> None:
    """One sheet: the title rows (`title`, then `subtitle`: the office and the as-of date), a bold
    frozen header row with an autofilter, widths fitting Chinese text, real dates (those in a row's
    `marked_dates` columns shown with the 暂定 mark *, still dates), and the print
    set-up of print_setup. An empty report says `empty` under its header. Columns in
    `folded_columns` are grouped and folded (an outline the reader opens with ＋); folded, they do not
    print.

    Streamed with openpyxl's write-only mode (no cell objects kept for the whole sheet): the column
    widths are measured in a first pass over `rows`, because a write-only sheet writes them first.
    The target is checked before anything is streamed: a refused path leaves no half-built sheet.
    """
    with output_errors(path):
        checked_target(path)
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    rows = [[_cell_value(value) for value in row] for row in rows]
    # A header may take two lines: a column is as wide as its values or half its header.
    widths = [max(4, -(-display_width(header) // 2)) for header in headers]
    for row in rows:
        for index, value in enumerate(row):
            if value is not None:
                widths[index] = max(widths[index], display_width(value))
    book = Workbook(write_only=True)
    page = book.create_sheet(sheet[:31])
    header_row = TITLE_ROWS + 1 if title else 1
    page.freeze_panes = f"A{header_row + 1}"
    wrapped = {index for index, width in enumerate(widths) if width > PRINT_MAX_WIDTH}
    folded = set(folded_columns)
    for index, width in enumerate(widths):
        dimension = page.column_dimensions[get_column_letter(index + 1)]
        dimension.width = min(width, PRINT_MAX_WIDTH, MAX_COLUMN_WIDTH) + 2
        if index in folded:
            dimension.outlineLevel = 1
            dimension.hidden = True
    if folded:  # a write-only sheet writes its format before the columns that would tell it
        page.column_dimensions.max_outline = 1
    print_setup(page, header_row=header_row, title=title or sheet)  # before the first row is written
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    last = get_column_letter(max(len(headers), 1))

    def styled(value: Any, number_format: str | None = None, font: Font | None = None, align: Any = None) -> Any:
        cell = WriteOnlyCell(page, value=value)
        as_text(cell)
        if number_format:
            cell.number_format = number_format
        if font:
            cell.font = font
        if align:
            cell.alignment = align
        return cell

    if title:
        across = Alignment(horizontal="centerContinuous", vertical="center")
        page.append([styled(title, font=Font(bold=True, size=16), align=across)]
                    + [styled(None, align=across) for _ in headers[1:]])  # fmt: skip
        page.append([styled(subtitle, align=across)] + [styled(None, align=across) for _ in headers[1:]])
    header_align = Alignment(horizontal="center", vertical="center", wrap_text=True)
    if any(display_width(header) > min(width, PRINT_MAX_WIDTH) for header, width in zip(headers, widths, strict=True)):
        page.row_dimensions[header_row].height = ROW_HEIGHT * 2
    page.append([styled(header, font=bold, align=header_align) for header in headers])
    percents = set(percent_columns)
    marked = set(marked_rows)
    red = PatternFill("solid", fgColor=MARKED_FILL)
    for number, row in enumerate(rows, start=header_row + 1):
        # A date is written as a real date formatted yyyy-mm-dd by openpyxl itself (its format for
        # datetime.date); percentages and long texts need a cell of their own. A row with wrapped
        # text is given the height of its lines (neither LibreOffice nor a printer measures it).
        lines = max((_lines(row[index]) for index in wrapped if row[index] is not None), default=1)
        if lines > 1:
            page.row_dimensions[number].height = ROW_HEIGHT * lines
        cells = []
        for index, value in enumerate(row):
            if value is None:
                cells.append(None)
            elif index in percents:
                cells.append(styled(value, PERCENT_FORMAT, align=top))
            elif index in wrapped:
                cells.append(styled(value, align=wrap))
            elif isinstance(value, date):
                marks = marked_dates[number - header_row - 1] if marked_dates else ()
                cells.append(styled(value, MARKED_DATE_FORMAT if index in marks else DATE_FORMAT, align=top))
            else:
                cells.append(styled(value, align=top))
        if number - header_row - 1 in marked:
            cells = [styled(None) if cell is None else cell for cell in cells]
            for cell in cells:
                cell.fill = red
        page.append(cells)
    if not rows and empty:
        page.append([styled(empty, font=bold)])
    for note in notes:
        page.append([styled(note)])
    page.auto_filter.ref = f"A{header_row}:{last}{header_row + max(len(rows), 1)}"
    write_atomically(path, lambda temporary: save_zipped(book.save, temporary))


def _lines(value: Any) -> int:
    """Lines a long text takes in a column of PRINT_MAX_WIDTH: a Chinese character takes about 1.8
    widths of a digit in the sheet's font, not the 2 display_width counts."""
    return max(1, math.ceil(display_width(value) * 0.9 / (PRINT_MAX_WIDTH + 2)))


def _cell_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, tuple | list):
        return "、".join(str(item) for item in value)
    if isinstance(value, str):
        return xlsx_text(value)
    return value


def xlsx_text(text: str) -> str:
    """Text an xlsx file can hold: characters XML forbids (NUL, ESC, ...) shown escaped."""
    from fupin_cli.render.safety import printable

    return printable(text, keep_newlines=True) if _ILLEGAL_XML.search(text) else text


_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def as_text(cell: Any) -> Any:
    """A cell whose text stays text: openpyxl makes a formula of any str starting with '=' (and an
    error value of '#N/A' and the like) unless the cell is told it holds a string."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell
