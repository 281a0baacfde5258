"""The one xlsx writer of fupin's reports, and the safe way every report file is written.

A file given with --output is written to a temporary file in the same folder and then moved into
place (os.replace), so a reader never sees half a file; a symlink, or anything else that is not a
regular file, is refused rather than written through; a missing folder is refused in Chinese.
"""

import os
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fupin_cli.domain.errors import InvalidInputError

DATE_FORMAT = "yyyy-mm-dd"
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
    text = value.isoformat() if isinstance(value, date) else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def write_xlsx(
    path: Path,
    *,
    sheet: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    percent_columns: Sequence[int] = (),
) -> None:
    """One sheet: a bold frozen header row, an autofilter, widths fitting Chinese text, real dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    page = book.active
    page.title = sheet[:31]
    page.append(list(headers))
    for cell in page[1]:
        cell.font = Font(bold=True)
    widths = [display_width(header) for header in headers]
    count = 0
    for row in rows:
        count += 1
        values = [_cell_value(value) for value in row]
        page.append(values)
        for index, value in enumerate(values):
            if value is not None:
                widths[index] = max(widths[index], display_width(value))
    for index in range(len(headers)):
        letter = get_column_letter(index + 1)
        page.column_dimensions[letter].width = min(widths[index], MAX_COLUMN_WIDTH) + 2
        for (cell,) in page.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1):
            if isinstance(cell.value, datetime):
                cell.number_format = DATE_FORMAT
            elif index in percent_columns and cell.value is not None:
                cell.number_format = "0.0%"
    page.freeze_panes = "A2"
    page.auto_filter.ref = f"A1:{get_column_letter(max(len(headers), 1))}{count + 1}"
    write_atomically(path, lambda temporary: book.save(temporary))


def _cell_value(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, tuple | list):
        return "、".join(str(item) for item in value)
    return value
