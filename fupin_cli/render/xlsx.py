"""The one xlsx writer of fupin's reports, and the safe way every report file is written.

A file given with --output is written to a temporary file in the same folder and then moved into
place (os.replace), so a reader never sees half a file; a symlink, or anything else that is not a
regular file, is refused rather than written through; a missing folder is refused in Chinese.
"""

import errno
import io
import math
import os
import re
import secrets
import signal
import threading
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fupin_cli.domain.errors import InvalidInputError, OutputError

DATE_FORMAT = "yyyy-mm-dd"  # what openpyxl writes a datetime.date as (FORMAT_DATE_YYYYMMDD2)
PERCENT_FORMAT = "0.0%"
MARKED_DATE_FORMAT = 'yyyy-mm-dd"*"'
"""A date resting on a provisional year: still a date to the sheet, shown with the 暂定 mark."""
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


EXPORT_MODE = 0o600
"""Exports hold case data: readable by their owner only (a stricter mode already set is kept)."""
TEMPORARY_SUFFIX = ".tmp"


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Call write(temporary path) in the target's folder, then move the result over `path`.

    The temporary file is created 0600 under a short name (a legal 255-byte target name still
    works), removed if the write fails or the run is stopped (Ctrl-C, SIGTERM), and a temporary
    file left behind by a run that was killed outright is removed by the next write.
    Operating-system errors (name too long, disk full, no permission) become one Chinese line.
    """
    with output_errors(path):
        target = checked_target(path)
        mode = _export_mode(target)
        _remove_stale_temporaries(target)
        temporary = _create_temporary(target)
        try:
            with _stopped_cleanly():
                write(temporary)
                os.chmod(temporary, mode)
                os.replace(temporary, target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise


def _export_mode(target: Path) -> int:
    try:
        existing = target.stat().st_mode & 0o777
    except FileNotFoundError:
        return EXPORT_MODE
    return existing & EXPORT_MODE


def _temporary_prefix(target: Path) -> str:
    """'.' + the target's name cut to 100 bytes (whole characters) + '.': short enough for any name."""
    stem = target.name.encode("utf-8", "surrogateescape")[:100].decode("utf-8", "ignore")
    return f".{stem}."


def _create_temporary(target: Path) -> Path:
    prefix = _temporary_prefix(target)
    for _ in range(100):
        candidate = target.parent / f"{prefix}{os.getpid()}-{secrets.token_hex(4)}{TEMPORARY_SUFFIX}"
        try:
            os.close(os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            continue
        return candidate
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(target.parent))


def _remove_stale_temporaries(target: Path) -> None:
    """Temporary files of this target whose writing process no longer runs (killed with SIGKILL)."""
    prefix = _temporary_prefix(target)
    try:
        names = [entry.name for entry in os.scandir(target.parent) if entry.name.startswith(prefix)]
    except OSError:
        return
    for name in names:
        owner, _, rest = name[len(prefix) :].partition("-")
        if not (owner.isdigit() and rest.endswith(TEMPORARY_SUFFIX)) or _is_running(int(owner)):
            continue
        try:
            (target.parent / name).unlink()
        except FileNotFoundError:
            pass


def _is_running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True
    return True


@contextmanager
def _stopped_cleanly() -> Iterator[None]:
    """While a file is written, SIGTERM stops the run as Ctrl-C does: by an exception that lets the
    temporary file be removed (the default action would kill the process and leave it behind)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(number: int, frame: object) -> None:
        raise SystemExit(128 + number)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


_OS_ERRORS = {
    errno.ENAMETOOLONG: "文件名过长（文件名最多 255 字节，一个汉字占 3 字节）：请用短一些的文件名",
    errno.ENOSPC: "磁盘空间不足，文件未写入：请清理磁盘或换一个位置",
    errno.EDQUOT: "超出磁盘配额，文件未写入：请清理磁盘或换一个位置",
    errno.EFBIG: "文件超过系统允许的大小，未写入：请换一个位置",
    errno.EACCES: "没有写入权限：请换一个文件夹或文件名",
    errno.EPERM: "没有写入权限：请换一个文件夹或文件名",
    errno.EROFS: "该位置只读，无法写入：请换一个位置",
    errno.EISDIR: "输出路径是文件夹：请给出文件名",
    errno.ENOTDIR: "输出路径中有一段不是文件夹：请检查路径",
    errno.ELOOP: "输出路径的符号链接层数过多：请给普通文件路径",
    errno.EIO: "磁盘读写错误，文件未写入：请检查磁盘",
}


@contextmanager
def output_errors(path: Path) -> Iterator[None]:
    """An operating-system error while writing `path` raised as one Chinese line (OutputError)."""
    try:
        yield
    except OSError as error:
        reason = _OS_ERRORS.get(error.errno or 0, f"写入失败（{error.strerror or error}）")
        raise OutputError(f"无法写入 {_shown(path)}：{reason}") from None


def _shown(path: Path) -> str:
    """A path as an error line shows it: control characters escaped, a huge name shortened."""
    from fupin_cli.render.safety import printable

    text = printable(os.fsdecode(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace"))
    return text if len(text) <= 80 else f"{text[:40]}…{text[-30:]}"


def save_zipped(save: Callable[[Any], None], temporary: Path) -> None:
    """An xlsx or docx (a zip) built in memory, then written by fupin: a full disk then fails in
    our own write, which closes the file, instead of inside a ZipFile left open (and complaining)."""
    from lxml.etree import SerialisationError  # python-docx's and openpyxl's XML writer

    buffer = io.BytesIO()
    try:
        save(buffer)
    except SerialisationError as failure:  # a sheet streamed to a temporary file hit the OS's limit
        code = {"IO_EFBIG": errno.EFBIG, "IO_ENOSPC": errno.ENOSPC}.get(str(failure))
        if code is None:
            raise
        raise OSError(code, os.strerror(code)) from None
    with open(temporary, "wb") as handle:
        handle.write(buffer.getbuffer())


def write_text(path: Path, text: str) -> None:
    write_atomically(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))


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
    marked: Sequence[set[int]] = (),
    note: str = "",
) -> None:
    """One sheet: the title rows (`title`, then `subtitle`: the office and the as-of date), a bold
    frozen header row with an autofilter, widths fitting Chinese text, real dates (those of a row's
    `marked` columns shown with the 暂定 mark *, still dates, and `note` under the rows), and the print
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
                marks = marked[number - header_row - 1] if marked else ()
                cells.append(styled(value, MARKED_DATE_FORMAT if index in marks else DATE_FORMAT, align=top))
            else:
                cells.append(styled(value, align=top))
        page.append(cells)
    if not rows and empty:
        page.append([styled(empty, font=bold)])
    if note:
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
