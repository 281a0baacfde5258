"""The one xlsx writer of fupin's reports, and the safe way every report file is written.

A file given with --output is written to a temporary file in the same folder and then moved into
place (os.replace), so a reader never sees half a file; a symlink, or anything else that is not a
regular file, is refused rather than written through; a missing folder is refused in Chinese.
"""

import os
import tempfile
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fupin_cli.domain.errors import InvalidInputError

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


def write_xlsx(
    path: Path,
    *,
    sheet: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    percent_columns: Sequence[int] = (),
) -> None:
    """One sheet: a bold frozen header row, an autofilter, widths fitting Chinese text, real dates.

    Streamed with openpyxl's write-only mode (no cell objects kept for the whole sheet): the column
    widths are measured in a first pass over `rows`, because a write-only sheet writes them first.
    The target is checked before anything is streamed: a refused path leaves no half-built sheet.
    """
    checked_target(path)
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    rows = [[_cell_value(value) for value in row] for row in rows]
    widths = [display_width(header) for header in headers]
    for row in rows:
        for index, value in enumerate(row):
            if value is not None:
                widths[index] = max(widths[index], display_width(value))
    book = Workbook(write_only=True)
    page = book.create_sheet(sheet[:31])
    page.freeze_panes = "A2"
    for index, width in enumerate(widths):
        page.column_dimensions[get_column_letter(index + 1)].width = min(width, MAX_COLUMN_WIDTH) + 2
    bold = Font(bold=True)

    def styled(value: Any, number_format: str | None = None, font: Font | None = None) -> Any:
        cell = WriteOnlyCell(page, value=value)
        if number_format:
            cell.number_format = number_format
        if font:
            cell.font = font
        return cell

    page.append([styled(header, font=bold) for header in headers])
    percents = sorted(percent_columns)
    for row in rows:
        # A date is written as a real date formatted yyyy-mm-dd by openpyxl itself (its format for
        # datetime.date); only percentages need a cell of their own.
        for index in percents:
            if row[index] is not None:
                row[index] = styled(row[index], PERCENT_FORMAT)
        page.append(row)
    page.auto_filter.ref = f"A1:{get_column_letter(max(len(headers), 1))}{len(rows) + 1}"
    write_atomically(path, lambda temporary: book.save(temporary))


def _cell_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, tuple | list):
        return "、".join(str(item) for item in value)
    return value
