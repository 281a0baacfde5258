"""附件 use cases: a file kept in the database with the step it belongs to, listed, written back.

`keep` runs inside the unit of work of the step (反馈办结 with --report-file): the file's row and
its chunks are written in that transaction and the step's audit event records the file's name,
size and SHA-256, so `db check` can verify the content. `listing` and `opened` read.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fupin_cli.domain.attachments import (
    CHUNK_BYTES,
    Attachment,
    Digesting,
    attachment_name,
    recorded,
    refuse_too_large,
)
from fupin_cli.domain.cases import Case
from fupin_cli.domain.errors import DatabaseError, InvalidInputError, NotFoundError, RuleViolationError
from fupin_cli.services.case_views import parse_number
from fupin_cli.services.database import reading
from fupin_cli.settings import Settings
from fupin_cli.storage import attachment_rows, case_rows

if TYPE_CHECKING:
    from sqlalchemy import Connection

MAX_REPORT_TEXT_BYTES = 1024 * 1024
"""A report file up to this size that reads as UTF-8 text is stored as the report's text too."""


@dataclass(frozen=True)
class Kept:
    """A file just kept: the name it is kept under, its text when it is a small UTF-8 text file, and
    what the step's audit event records of it."""

    name: str
    text: str | None
    recorded: dict[str, Any]


def keep(conn: Connection, case: Case, typed: str, *, on: date, operator: str) -> Kept:
    """Read the file named `typed` a chunk at a time into the database, for `case`. Refused (nothing
    written) when it is missing, not a regular file, empty, over 50 MiB, or the case is classified."""
    from fupin_cli.storage import attachments as storage  # the write path's modules

    if case.classified:
        raise RuleViolationError(
            f"{case.number} 是涉密事项，附件不存入数据库：涉密材料请按机要文件线下办理，用 --location 登记纸质文件位置"
        )
    path = Path(typed).expanduser()
    name = attachment_name(typed)
    try:
        if not path.is_file():
            raise InvalidInputError(f"找不到办结报告文件：{typed}（须是普通文件）")
        size = path.stat().st_size
        refuse_too_large(name, size)
        if size == 0:
            raise InvalidInputError(f"办结报告文件「{name}」是空文件（0 字节）：请确认文件后再附上")
        head = bytearray()
        with path.open("rb") as handle:
            digesting = Digesting(name, iter(lambda: handle.read(CHUNK_BYTES), b""))

            def content() -> Iterator[bytes]:
                for chunk in digesting:
                    if len(head) <= MAX_REPORT_TEXT_BYTES:
                        head.extend(chunk[: MAX_REPORT_TEXT_BYTES + 1 - len(head)])
                    yield chunk

            assert case.id is not None
            attachment_id = storage.store(
                conn, case_id=case.id, name=name, added_on=on, added_by=operator, content=content()
            )
    except OSError as failure:
        raise InvalidInputError(f"无法读取办结报告文件 {typed}：{failure.strerror or failure}") from None
    storage.finish(conn, attachment_id, size=digesting.size, sha256=digesting.sha256)
    return Kept(name, _text(bytes(head)), recorded(attachment_id, name, digesting.size, digesting.sha256))


def _text(head: bytes) -> str | None:
    """The report's text: a file of at most MAX_REPORT_TEXT_BYTES that reads as UTF-8."""
    if len(head) > MAX_REPORT_TEXT_BYTES:
        return None
    try:
        return head.decode("utf-8").strip() or None
    except UnicodeDecodeError:
        return None


@dataclass(frozen=True)
class AttachmentList:
    """`case files`: a case's kept files; `path_only` is the report file an older fupin recorded by its
    path alone (the file itself was never kept)."""

    no: str
    items: tuple[Attachment, ...]
    path_only: str | None = None


def listing(*, settings: Settings, number: str) -> AttachmentList:
    wanted = parse_number(settings, number)
    with reading(settings) as reader:
        case = case_rows.load_case(reader, wanted)
        assert case.id is not None
        items = tuple(attachment_rows.listed(reader, case.id))
    old = case.report_file
    path_only = old if old and "/" in old and not any(item.name == old for item in items) else None
    return AttachmentList(str(wanted), items, path_only)


@contextmanager
def opened(*, settings: Settings, number: str, name: str) -> Iterator[tuple[Attachment, Iterator[bytes]]]:
    """A kept file and its content, streamed while the block runs. The content is checked as it goes:
    a size or SHA-256 other than the recorded one raises DatabaseError at its end (write it to a
    temporary file first, as write_atomically does, so that a damaged file is never left in place).
    Named by its name; of several with that name, the latest."""
    wanted = parse_number(settings, number)
    with reading(settings) as reader:
        case = case_rows.load_case(reader, wanted)
        assert case.id is not None
        matching = [item for item in attachment_rows.listed(reader, case.id) if item.name == name]
        if not matching:
            raise NotFoundError(
                f"{wanted} 没有名为「{name[:60]}」的附件：用 fupin case files {wanted.short} 查看已有附件"
            )
        item = matching[-1]
        yield item, _checked(item, attachment_rows.content(reader, item.id), shown=str(wanted))


def _checked(item: Attachment, chunks: Iterator[bytes], *, shown: str) -> Iterator[bytes]:
    digesting = Digesting(item.name, chunks)
    yield from digesting
    if (digesting.size, digesting.sha256) != (item.size, item.sha256):
        raise DatabaseError(
            f"{shown} 的附件「{item.name}」内容与登记的大小或 SHA-256 不符（数据库被改动过或已损坏），"
            "未写出：请运行 fupin db check"
        )
