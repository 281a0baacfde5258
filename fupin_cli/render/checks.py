"""What `fupin check kinds` and `check villages` show. The rest of `fupin check` is drawn beside this
module: check_formats (shared text and record formats), check_plan_views, check_inspection_views,
check_indicator_views and check_coverage_views. Builds; never prints.
"""

from collections.abc import Sequence
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from fupin_cli.domain.inspections import Catalogue
from fupin_cli.render.check_formats import flag_text, new_table
from fupin_cli.render.tabular import Tabular, tabular
from fupin_cli.services.check_villages import VillageView

# --- kinds ---------------------------------------------------------------------------------------


def kind_records(catalogue: Catalogue) -> list[dict[str, Any]]:
    return [
        {
            "no": kind.no,
            "name": kind.name,
            "short": kind.short,
            "objects": list(kind.objects),
            "contents": list(kind.contents),
            "methods": list(kind.methods),
            "measures": list(kind.measures),
            "steps": list(kind.steps),
            "handling": list(kind.handling),
            "violations": [{"code": v.code, "text": v.text} for v in kind.violations],
        }
        for kind in catalogue.kinds
    ]


KIND_COLUMNS = ("no", "name", "short", "objects", "contents", "methods", "measures", "steps", "handling")


def kind_csv_records(catalogue: Catalogue) -> list[dict[str, Any]]:
    records = kind_records(catalogue)
    for record in records:
        record["violations"] = [f"{v['code']} {v['text']}" for v in record["violations"]]
    return records


def kinds_view(catalogue: Catalogue) -> RenderableType:
    parts: list[RenderableType] = []
    for kind in catalogue.kinds:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        grid.add_row("对象", "；".join(kind.objects))
        grid.add_row("内容", "；".join(kind.contents))
        grid.add_row("方式", "、".join(kind.methods))
        grid.add_row("措施", "；".join(kind.measures))
        grid.add_row("程序", " → ".join(kind.steps))
        grid.add_row("处理", "；".join(kind.handling))
        for violation in kind.violations:
            grid.add_row(violation.code, violation.text)
        parts.append(
            Panel(grid, title=f"{kind.no} {kind.name}（{kind.short}）", title_align="left", box=box.ROUNDED)
        )
    phases = Table.grid(padding=(0, 1))
    phases.add_column(style="bold", no_wrap=True)
    phases.add_column(overflow="fold")
    for phase in catalogue.phases:
        phases.add_row(phase.name, "、".join(phase.work))
    parts.append(Panel(phases, title="检查阶段", title_align="left", box=box.ROUNDED))
    return Group(*parts)


# --- villages ------------------------------------------------------------------------------------


def village_record(view: VillageView) -> dict[str, Any]:
    return {
        "id": view.id,
        "county": view.county,
        "village": view.name,
        "key_village": view.key_village,
        "project_years": list(view.project_years),
        "mutual_aid_pilot": view.mutual_aid_pilot,
        "note": view.note,
    }


VILLAGE_COLUMNS = ("id", "county", "village", "key_village", "project_years", "mutual_aid_pilot", "note")


def village_table(views: Sequence[VillageView]) -> RenderableType:
    if not views:
        return Text(
            "还没有村庄：用 fupin check villages import FILE.csv 导入（fupin init --demo 载入虚构演示村）"
        )
    table = new_table(f"村庄 {len(views)} 个")
    for header in ("县", "村", "重点村", "项目年度", "互助资金试点", "备注"):
        table.add_column(header, overflow="fold", no_wrap=header != "备注")
    for view in views:
        table.add_row(
            view.county,
            view.name,
            flag_text(view.key_village),
            "、".join(str(y) for y in view.project_years),
            flag_text(view.mutual_aid_pilot),
            view.note or "",
        )
    return table




VILLAGE_HEADERS = ("编号", "县", "村", "重点村", "项目年度", "互助资金试点", "备注")
KIND_HEADERS = ("编号", "名称", "简称", "对象", "内容", "方式", "措施", "程序", "处理", "可责令纠正的情形")


def village_tabular(views: Sequence[VillageView]) -> Tabular:
    """`check villages list` as rows for every format but the table."""
    return tabular("村庄", tuple(zip(VILLAGE_COLUMNS, VILLAGE_HEADERS, strict=True)),
                   [village_record(view) for view in views], title="村庄名单", empty="还没有村庄")  # fmt: skip


def kinds_tabular(catalogue: Catalogue) -> Tabular:
    """`check kinds` as rows (violations as text); JSON keeps each violation's code and text apart."""
    return tabular("检查类别", tuple(zip((*KIND_COLUMNS, "violations"), KIND_HEADERS, strict=True)),
                   kind_csv_records(catalogue), title="五类监督检查", empty="没有检查类别",
                   json_records=tuple(kind_records(catalogue)))  # fmt: skip
