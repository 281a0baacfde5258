"""附件: a file kept in the database itself (a 办结报告 given with --report-file), never a path.

A file is kept whole: its name (without the folder it came from), size, SHA-256 and content, the
content in chunks of CHUNK_BYTES so that it is written and read back a piece at a time on every
backend. Pure: standard library only.
"""

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from fupin_cli.domain.errors import InvalidInputError, RuleViolationError

MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
"""The largest file kept: 50 MiB (52 428 800 bytes); one byte more is refused."""
CHUNK_BYTES = 1024 * 1024
"""One stored piece of a file's content."""
MAX_NAME_BYTES = 255
"""A file name as file systems take it."""
SHORT_DIGEST = 12
"""How many hex digits of the SHA-256 a listing shows."""


@dataclass(frozen=True)
class Attachment:
    """A kept file as it is listed: no content."""

    id: int
    case_id: int
    name: str
    size: int
    sha256: str
    added_on: date
    added_by: str

    @property
    def short_sha256(self) -> str:
        return self.sha256[:SHORT_DIGEST]


def attachment_name(typed: str) -> str:
    """The name a file is kept under: the last part of the path as typed (曲阳报告.txt)."""
    name = typed.replace("\\", "/").rstrip("/").rpartition("/")[2]
    if not name or name in (".", ".."):
        raise InvalidInputError(f"附件须是一个文件，收到「{typed[:60]}」")
    if len(name.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES:
        raise InvalidInputError("附件的文件名过长（最多 255 字节，一个汉字占 3 字节）：请改短文件名后再附上")
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in name):
        raise InvalidInputError("附件的文件名含有控制字符：请改名后再附上")
    return name


def refuse_too_large(name: str, size: int) -> None:
    """RuleViolationError for a file over MAX_ATTACHMENT_BYTES, saying the limit and what to do."""
    if size > MAX_ATTACHMENT_BYTES:
        raise RuleViolationError(
            f"附件「{name}」有 {shown_size(size)}（{size} 字节），超过每个文件 50 MB 的上限，未作任何更改："
            "请压缩或拆分后再附上，或只用 --report 写报告内容、纸质文件用 --location 登记存放位置"
        )


def shown_size(size: int) -> str:
    """A size as people read it: 812 B, 3.4 KB, 49.0 MB (1 KB = 1024 字节)."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


class Digesting:
    """Chunks passed through while their size and SHA-256 are counted; refuses past the limit
    (a file that grew while it was read is refused too)."""

    def __init__(self, name: str, chunks: Iterable[bytes]) -> None:
        self.name = name
        self._chunks = chunks
        self._hasher = hashlib.sha256()
        self.size = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._chunks:
            self.size += len(chunk)
            refuse_too_large(self.name, self.size)
            self._hasher.update(chunk)
            yield chunk

    @property
    def sha256(self) -> str:
        return self._hasher.hexdigest()


def recorded(attachment_id: int, name: str, size: int, sha256: str) -> dict[str, object]:
    """What the audit event keeps of a file (db check verifies the stored rows against it)."""
    return {"id": attachment_id, "name": name, "size": size, "sha256": sha256}
