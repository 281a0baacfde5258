"""What every 监督检查 use case shares: the catalogue of kinds (data/inspections.toml), opening the
database, the calendar, and resolving a unit, county or village as typed.
"""

from __future__ import annotations

import tomllib
from functools import cache
from typing import Any

from fupin_cli.domain.calendar import WorkCalendar
from fupin_cli.domain.categories import CATEGORIES
from fupin_cli.domain.errors import BadFileError, InvalidInputError, NotFoundError
from fupin_cli.domain.inspections import Catalogue, catalogue_from
from fupin_cli.domain.text import single_line
from fupin_cli.settings import Settings, data_dir
from fupin_cli.storage import check_rows
from fupin_cli.storage.rows import Rows

INSPECTIONS_FILE = "inspections.toml"
DEMO_VILLAGES_FILE = "demo_villages.csv"
DEFAULT_SEED_LIMIT = 10**6
"""A seed fupin makes up itself has at most six digits: easy to read out and to type again."""
MAX_VILLAGE_FILE_BYTES = 20 * 1024 * 1024
PLAN_SUBJECT = "计划〔{year}〕"
VILLAGES_SUBJECT = "村庄名单"

# --- the catalogue -------------------------------------------------------------------------------


@cache
def load_catalogue() -> Catalogue:
    """data/inspections.toml, checked: the five kinds, the phases, the indicators."""
    path = data_dir() / INSPECTIONS_FILE
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except FileNotFoundError:
        raise BadFileError(f"找不到参考数据文件 {path}：请重新安装 fupin") from None
    except tomllib.TOMLDecodeError as problem:
        raise BadFileError(f"{path} 不是有效的 TOML 文件：{problem}") from None
    categories = {c.kind_no: (c.name, c.short) for c in CATEGORIES if c.kind_no is not None}
    return catalogue_from(raw, where=INSPECTIONS_FILE, categories=categories)


# --- plumbing ------------------------------------------------------------------------------------


def working_calendar(settings: Settings) -> WorkCalendar:
    from fupin_cli.services.calendar import load_calendar

    return load_calendar(settings)


def county_named(rows: Rows, text: str) -> str:
    county = check_rows.county_aliases(rows).get(text.strip())
    if county is None:
        raise NotFoundError(f"未知的县（市、区）「{text.strip()[:40]}」：请写 唐县 这样的名称")
    return county


def village_named(rows: Rows, name: str, county: str | None) -> dict[str, Any]:
    cleaned = single_line(name, what="村名", required=True) or ""
    found = check_rows.find_villages(rows, cleaned, county=county)
    if len(found) == 1:
        return found[0]
    where = f"{county}" if county else ""
    if not found:
        raise NotFoundError(f"{where}没有名为「{cleaned}」的村：fupin check villages list 列出已导入的村")
    counties = "、".join(row["county"] for row in found)
    raise InvalidInputError(f"{counties}都有「{cleaned}」：请用 --county 指明哪个县")


def inspection_subject(inspection_id: int) -> str:
    return f"检查 {inspection_id}"


# --- kinds ---------------------------------------------------------------------------------------


def kinds() -> Catalogue:
    """The five kinds of inspection with their objects, contents, methods, steps and measures."""
    return load_catalogue()
