"""The SQL of 附件: a kept file's row and its content, written and read a chunk at a time.

Functions take the Connection of the current unit of work (`session.connection()` inside
Database.write(), or the one Database.read() yields). A file's content never sits in memory whole:
it goes in one INSERT per chunk and comes back through a streamed SELECT, on SQLite and PostgreSQL.
"""

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime

from sqlalchemy import Connection, func, insert, select, update

from fupin_cli.storage import tables

attachments = tables.Attachment.__table__  # type: ignore[attr-defined]
chunks = tables.AttachmentChunk.__table__  # type: ignore[attr-defined]


def store(
    conn: Connection, *, case_id: int, name: str, added_on: date, added_by: str, content: Iterable[bytes]
) -> int:
    """Keep a file: its row, then its chunks as `content` yields them; the row's size and SHA-256
    are set by `finish` once the content has been read. Returns the new row's id."""
    created = datetime.now(UTC).isoformat(timespec="seconds")
    result = conn.execute(
        insert(attachments).values(
            case_id=case_id, name=name, size=0, sha256="", added_on=added_on, added_by=added_by, created_at=created
        )
    )
    attachment_id = int(result.inserted_primary_key[0])
    for seq, chunk in enumerate(content):
        conn.execute(insert(chunks).values(attachment_id=attachment_id, seq=seq, data=chunk))
    return attachment_id


def finish(conn: Connection, attachment_id: int, *, size: int, sha256: str) -> None:
    conn.execute(update(attachments).where(attachments.c.id == attachment_id).values(size=size, sha256=sha256))


def chunk_summary(conn: Connection) -> Iterator[tuple[int, int, int, int]]:
    """(attachment id, chunks, their smallest number, their largest number) of every kept file."""
    query = (
        select(chunks.c.attachment_id, func.count(), func.min(chunks.c.seq), func.max(chunks.c.seq))
        .group_by(chunks.c.attachment_id)
        .order_by(chunks.c.attachment_id)
    )
    for row in conn.execute(query):
        yield int(row[0]), int(row[1]), int(row[2]), int(row[3])
