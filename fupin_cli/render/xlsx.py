"""The one xlsx writer of fupin's reports, and the safe way every report file is written.

A file given with --output is written to a temporary file in the same folder and then moved into
place (os.replace), so a reader never sees half a file; a symlink, or anything else that is not a
regular file, is refused rather than written through; a missing folder is refused in Chinese.
"""

import math
import os
import tempfile
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fupin_cli.domain.errors import InvalidInputError

DATE_FORMAT = "yyyy-mm-dd"  # what openpyxl writes a datetime.date as (FORMAT_DATE_YYYYMMDD2)
PERCENT_FORMAT = "0.0%"
MAX_COLUMN_WIDTH = 60


def checked_target(path: Path) -> Path:
    """The path a report may be written to, or InvalidInputError saying why not."""
    if path.is_symlink():
        raise InvalidInputError(f"输出文件 {path} 是符号链接：为安全起见不通过链接写入，请给普通文件路径")
    if path.exists() and not path.is_file():
        raise InvalidInputError(f"输出路径 {path} 不是普通文件（是文件夹或设备）：请换一个文件名")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InvalidInputError(f"输出文件所在的文件夹不存在：{folder}（请先建立它）")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InvalidInputError(f"没有在文件夹 {folder} 中写文件的权限")
    return path


def refuse_database_files(path: Path, protected: Sequence[Path]) -> None:
    """InvalidInputError if writing `path` would replace the database or one of its companions:
    the same name (through any symlinked folder) or the same file (a hard link or a symlink)."""
    target = path.expanduser()
    named = target.resolve(strict=False)
    try:
        status = target.stat()
    except OSError:
        status = None
    for guarded in protected:
        same_name = named == guarded.resolve(strict=False)
        same_file = False
        if status is not None:
            try:
                guarded_status = guarded.stat()
            except OSError:
                guarded_status = None
            same_file = guarded_status is not None and (status.st_dev, status.st_ino) == (
                guarded_status.st_dev,
                guarded_status.st_ino,
            )
        if same_name or same_file:
            raise InvalidInputError(
                f"输出文件 {path} 就是 fupin 的数据库文件（{guarded.name}）：写入会毁掉全部记录，请换一个文件名"
            )


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Call write(temporary path) in the target's folder, then move the result over `path`."""
    target = checked_target(path)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(descriptor)
    try:
        write(Path(temporary))
        os.chmod(temporary, 0o644 & ~_umask())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    write_atomically(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


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
) -> None:
    """One sheet: the title rows (`title`, then `subtitle`: the office and the as-of date), a bold
    frozen header row with an autofilter, widths fitting Chinese text, real dates, and the print
    set-up of print_setup. An empty report says `empty` under its header. Columns in
    `folded_columns` are grouped and folded (an outline the reader opens with ＋); folded, they do not
    print.

    Streamed with openpyxl's write-only mode (no cell objects kept for the whole sheet): the column
    widths are measured in a first pass over `rows`, because a write-only sheet writes them first.
    The target is checked before anything is streamed: a refused path leaves no half-built sheet.
    """
    checked_target(path)
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
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
                cells.append(styled(value, DATE_FORMAT, align=top))
            else:
                cells.append(styled(value, align=top))
        page.append(cells)
    if not rows and empty:
        page.append([styled(empty, font=bold)])
    page.auto_filter.ref = f"A{header_row}:{last}{header_row + max(len(rows), 1)}"
    write_atomically(path, lambda temporary: book.save(temporary))


def _lines(value: Any) -> int:
    """Lines a long text takes in a column of PRINT_MAX_WIDTH: a Chinese character takes about 1.8
    widths of a digit in the sheet's font, not the 2 display_width counts."""
    return max(1, math.ceil(display_width(value) * 0.9 / (PRINT_MAX_WIDTH + 2)))


def _cell_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, tuple | list):
        return "、".join(str(item) for item in value)
    return value
