"""`fupin check villages`: the office's list of villages, imported from CSV (or the demo set) and listed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from fupin_cli.domain.audit import AuditAction
from fupin_cli.domain.errors import BadFileError
from fupin_cli.domain.findings import changed
from fupin_cli.domain.villages import known_county, parse_village_csv, village_fields
from fupin_cli.services.check_common import (
    DEMO_VILLAGES_FILE,
    MAX_VILLAGE_FILE_BYTES,
    VILLAGES_SUBJECT,
    county_named,
)
from fupin_cli.services.database import reading
from fupin_cli.services.files import read_bounded
from fupin_cli.settings import Settings, data_dir
from fupin_cli.storage import check_rows

if TYPE_CHECKING:
    from fupin_cli.storage.unit_of_work import UnitOfWork


# --- villages ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VillageImport:
    source: str
    added: int
    updated: int
    unchanged: int
    demo: bool = False

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged

    def __str__(self) -> str:
        what = "演示村庄（虚构）" if self.demo else f"村庄名单 {self.source}"
        return f"{what}：共 {self.total} 个村，新增 {self.added}，更新 {self.updated}，未变 {self.unchanged}"


def _read_village_file(path: Path) -> str:
    raw = read_bounded(path, limit=MAX_VILLAGE_FILE_BYTES, what="CSV 文件")
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BadFileError(f"{path} 的编码无法识别：请存为 UTF-8 或 GBK 编码的 CSV")


def import_villages(uow: UnitOfWork, *, settings: Settings, path: Path, demo: bool = False) -> VillageImport:
    """Every row checked first; then all added or updated (key: county + village) in the unit of work."""
    from fupin_cli.storage import checks as repository  # the write path's modules

    text = _read_village_file(path)
    source = path.name
    conn = uow.connection()
    records = parse_village_csv(
        text, source=source, counties=known_county(check_rows.county_aliases(uow)), today=settings.today
    )
    stored = check_rows.stored_villages(uow)
    added, updated = [], []
    unchanged = 0
    for record in records:
        key = (record.county, record.name)
        if key not in stored:
            repository.insert_village(conn, record, on=settings.today)
            added.append(village_fields(record))
            continue
        village_id, before = stored[key]
        after = replace(record, line=0)
        if after == before:
            unchanged += 1
            continue
        repository.update_village(conn, village_id, after, on=settings.today)
        old, new = changed(village_fields(before), village_fields(after))
        updated.append({"county": record.county, "name": record.name, "before": old, "after": new})
    if added or updated:
        uow.record(
            subject=VILLAGES_SUBJECT,
            action=AuditAction.VILLAGE_DEMO if demo else AuditAction.VILLAGE_IMPORT,
            effective_on=settings.today,
            before=None,
            after={"file": source, "added": added, "updated": updated},
        )
    return VillageImport(source, len(added), len(updated), unchanged, demo)


def load_demo_villages(uow: UnitOfWork, *, settings: Settings) -> VillageImport:
    """The fictional demo villages of data/demo_villages.csv (every one named 演示…村, marked 虚构)."""
    path = data_dir() / DEMO_VILLAGES_FILE
    return import_villages(uow, settings=settings, path=path, demo=True)


@dataclass(frozen=True)
class VillageView:
    id: int
    county: str
    name: str
    key_village: bool
    project_years: tuple[int, ...]
    mutual_aid_pilot: bool
    note: str | None


def list_villages(*, settings: Settings, county: str | None = None) -> list[VillageView]:
    with reading(settings) as rows:
        chosen = county_named(rows, county) if county is not None else None
        return [
            VillageView(
                id=int(row["id"]),
                county=row["county"],
                name=row["name"],
                key_village=row["key_village"],
                project_years=row["project_years"],
                mutual_aid_pilot=row["mutual_aid_pilot"],
                note=row["note"],
            )
            for row in check_rows.village_rows(rows, county=chosen)
        ]
