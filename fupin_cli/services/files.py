"""Files a user hands to fupin (a village list, a holiday file, a 台账 in .xlsx or .csv), read with bounds.

Only a regular file is read (a device such as /dev/zero, a FIFO, a socket or a folder is refused
before a byte is read: opening is non-blocking, so a FIFO with no writer cannot hang the command),
and never more than the stated limit: a huge file is refused instead of filling the memory.
TOML is parsed depth-safely: a deeply nested file is a refusal, not a RecursionError.
"""

import csv
import io
import os
import stat
import tomllib
from pathlib import Path
from typing import Any

from fupin_cli.domain.errors import BadFileError, InvalidInputError

MAX_FILE_BYTES = 20 * 1024 * 1024
"""The largest 台账 file read."""
MAX_ROWS = 100_000
"""The most rows of a 台账 sheet read."""


def read_bounded(path: Path, *, limit: int, what: str, folder_word: str = "文件夹") -> bytes:
    """The bytes of the regular file `path` (at most `limit` bytes), or BadFileError in Chinese.

    `what` names the file in messages (假日文件, CSV 文件); `folder_word` how a folder is called."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise BadFileError(f"找不到{what} {path}") from None
    except IsADirectoryError:
        raise BadFileError(f"{path} 是{folder_word}，不是{what}") from None
    except OSError as failure:
        raise BadFileError(f"无法读取{what} {path}：{failure.strerror}") from None
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode):
        os.close(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise BadFileError(f"{path} 是{folder_word}，不是{what}")
        raise BadFileError(f"{path} 不是普通文件（是设备、管道或套接字）：请给出保存在磁盘上的{what}")
    with os.fdopen(descriptor, "rb") as handle:
        too_big = BadFileError(f"{path} 过大（超过 {_size(limit)}），不像{what}")
        if info.st_size > limit:
            raise too_big
        try:
            data = handle.read(limit + 1)
        except OSError as failure:
            raise BadFileError(f"无法读取{what} {path}：{failure.strerror}") from None
    if len(data) > limit:
        raise too_big
    return data


def _size(limit: int) -> str:
    return f"{limit // 1024 // 1024} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"


def parse_toml(text: str, *, name: str) -> dict[str, Any]:
    """tomllib.loads, with nesting too deep for the parser refused in Chinese (TOMLDecodeError is
    left to the caller, which knows how to name the line)."""
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise BadFileError(f"{name}：嵌套层数过多，不是 fupin 能读的 TOML 文件") from None


# --- a 台账: .xlsx or .csv ------------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    """The file's bytes: a regular file (not a folder, device or pipe) of at most MAX_FILE_BYTES."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise InvalidInputError(f"{path} 不是普通文件：请给出 .xlsx 或 .csv 台账文件")
        if info.st_size > MAX_FILE_BYTES:
            raise InvalidInputError(f"台账文件过大（{info.st_size // 1024 // 1024} MB，最多 20 MB）：{path}")
        with open(path, "rb") as handle:
            content = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise InvalidInputError(f"找不到台账文件：{path}") from None
    except OSError as failure:
        raise InvalidInputError(f"无法读取台账文件 {path}：{failure.strerror}") from None
    if len(content) > MAX_FILE_BYTES:
        raise InvalidInputError(f"台账文件过大（最多 20 MB）：{path}")
    return content


def read_sheet(path: Path, sheet: str | None) -> tuple[list[list[Any]], str | None]:
    """The sheet's rows as cell values (merged cells filled from their first cell), and its name."""
    content = _read_bytes(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        if sheet is not None:
            raise InvalidInputError("CSV 文件没有工作表：请去掉 --sheet")
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise BadFileError(f"{path.name} 既不是 UTF-8 也不是 GB18030 编码的 CSV")
        rows: list[list[Any]] = [list(row) for row in csv.reader(io.StringIO(text))]
        return rows[: MAX_ROWS + 1], None
    if suffix not in (".xlsx", ".xlsm"):
        raise InvalidInputError(f"只能导入 .xlsx 或 .csv 文件（给的是「{path.suffix or path.name}」）")
    return _read_workbook(path, content, sheet)


def _read_workbook(path: Path, content: bytes, sheet: str | None) -> tuple[list[list[Any]], str | None]:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as failure:
        raise BadFileError(f"{path.name} 不是能读的 Excel（.xlsx）文件：{str(failure)[:80]}") from None
    if sheet is not None and sheet not in book.sheetnames:
        raise InvalidInputError(f"{path.name} 中没有工作表「{sheet[:30]}」：有 {'、'.join(book.sheetnames)}")
    worksheet = book[sheet] if sheet is not None else book.worksheets[0]
    if worksheet.max_row > MAX_ROWS:
        raise BadFileError(f"工作表「{worksheet.title}」有 {worksheet.max_row} 行，超过 {MAX_ROWS} 行的上限")
    rows = [list(row) for row in worksheet.iter_rows(values_only=True)]
    for merged in worksheet.merged_cells.ranges:
        value = rows[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
            for c in range(merged.min_col - 1, merged.max_col):
                if c < len(rows[r]):
                    rows[r][c] = value
    return rows, worksheet.title
