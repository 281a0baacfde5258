"""`fupin case files` as people and scripts read it: a table, and every --format through Tabular.
Builds; never prints."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fupin_cli.domain.attachments import Attachment, shown_size
from fupin_cli.domain.text import printable
from fupin_cli.render.tabular import Tabular, tabular

if TYPE_CHECKING:
    from rich.console import RenderableType

    from fupin_cli.services.attachments import AttachmentList

FIELDS = (
    ("name", "名称"),
    ("size", "大小（字节）"),
    ("sha256", "SHA-256"),
    ("added_on", "日期"),
    ("added_by", "登记人"),
)


def _record(item: Attachment) -> dict[str, Any]:
    return {
        "name": item.name,
        "size": item.size,
        "sha256": item.sha256,
        "added_on": item.added_on,
        "added_by": item.added_by,
    }


def files_tabular(listing: AttachmentList) -> Tabular:
    """The kept files with their full SHA-256 and size in bytes (the table shortens both)."""
    return tabular("附件", FIELDS, [_record(item) for item in listing.items], title=f"{listing.no} 的附件", empty="无附件")


def files_table(listing: AttachmentList) -> RenderableType:
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    if not listing.items:
        return Text(f"{listing.no} 没有存入数据库的附件。")
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, title=f"{listing.no} 的附件")
    table.add_column("名称", overflow="fold", ratio=1)
    table.add_column("大小", justify="right", no_wrap=True)
    table.add_column("SHA-256", no_wrap=True)
    table.add_column("日期", no_wrap=True)
    table.add_column("登记人", overflow="fold")
    for item in listing.items:
        table.add_row(
            printable(item.name), shown_size(item.size), item.short_sha256, item.added_on.isoformat(), printable(item.added_by)
        )
    return Group(table)


def path_only_note(listing: AttachmentList) -> str | None:
    """For a report file an older fupin recorded by its path alone: one line saying so."""
    if listing.path_only is None:
        return None
    return f"另：办结报告文件只登记了路径 {listing.path_only}（文件本身未存入数据库）"
