"""Reading 附件 on either path (storage.rows.Rows): a case's kept files, and a file's content one
chunk per query, so that no more than one chunk of it is in memory however large the file."""

from collections.abc import Iterator

from fupin_cli.domain.attachments import Attachment
from fupin_cli.storage.rows import Rows

_COLUMNS = "id, case_id, name, size, sha256, added_on, added_by"


def listed(rows: Rows, case_id: int) -> list[Attachment]:
    """A case's kept files, in the order they were added."""
    found = rows.rows(f"SELECT {_COLUMNS} FROM attachment WHERE case_id = :case_id ORDER BY id", {"case_id": case_id})
    return [
        Attachment(id=int(i), case_id=int(c), name=n, size=int(s), sha256=h, added_on=on, added_by=by)
        for i, c, n, s, h, on, by in found
    ]


def content(rows: Rows, attachment_id: int) -> Iterator[bytes]:
    """A kept file's chunks in order, fetched one at a time."""
    seq = 0
    while True:
        found = list(
            rows.rows(
                "SELECT data FROM attachment_chunk WHERE attachment_id = :id AND seq = :seq",
                {"id": attachment_id, "seq": seq},
            )
        )
        if not found:
            return
        yield bytes(found[0][0])
        seq += 1
