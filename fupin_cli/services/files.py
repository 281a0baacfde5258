"""Files a user hands to fupin (a village list, a holiday file), read with bounds.

Only a regular file is read (a device such as /dev/zero, a FIFO, a socket or a folder is refused
before a byte is read: opening is non-blocking, so a FIFO with no writer cannot hang the command),
and never more than the stated limit: a huge file is refused instead of filling the memory.
TOML is parsed depth-safely: a deeply nested file is a refusal, not a RecursionError.
"""

import os
import stat
import tomllib
from pathlib import Path
from typing import Any

from fupin_cli.domain.errors import BadFileError


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
