"""Duty registry output: Rich tables and panels for the terminal, records for JSON and CSV.

Builds only; fupin_cli.cli prints. Tables fit an 80-column terminal: the item column wraps.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from fupin_cli.domain.duties import DutyItem, Match, SearchResult
from fupin_cli.render.tabular import Tabular, tabular
from fupin_cli.services.duties import DutyView

if TYPE_CHECKING:
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

HIGHLIGHT = "bold yellow"
ITEM_COLUMNS = ("duty_no", "main_duty_no", "main_duty", "item", "division")
MATCH_COLUMNS = ("division", "duty_no", "item", "score")


# --- records (json, csv) ----------------------------------------------------------------------


def item_record(item: DutyItem) -> dict[str, Any]:
    return {
        "duty_no": item.duty_no,
        "main_duty_no": item.main_duty.no,
        "main_duty": item.main_duty.text,
        "item": item.text,
        "division": item.division.name,
    }


def match_record(match: Match) -> dict[str, Any]:
    item = match.item
    return {"division": item.division.name, "duty_no": item.duty_no, "item": item.text, "score": match.score}


def duty_record(view: DutyView) -> dict[str, Any]:
    """One item's record for "4.3"; for "4" the main duty with its items."""
    if view.selected is not None:
        return item_record(view.selected)
    return {
        "main_duty_no": view.duty.no,
        "main_duty": view.duty.text,
        "items": [item_record(item) for item in view.items],
    }


# --- terminal ---------------------------------------------------------------------------------


def _highlighted(text: str, spans: Iterable[tuple[int, int]]) -> Text:
    from rich.text import Text

    rendered = Text(text)
    for start, end in spans:
        rendered.stylize(HIGHLIGHT, start, end)
    return rendered


def _table(title: str | None = None) -> Table:
    from rich import box
    from rich.table import Table

    return Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left")


def who_table(result: SearchResult) -> Table:
    """Ranked matches: rank, division, number, the item with the matched characters highlighted."""
    from rich.text import Text

    table = _table(f"「{result.query}」由谁负责")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("责任处室", no_wrap=True)
    table.add_column("编号", no_wrap=True)
    table.add_column("具体工作事项", overflow="fold", ratio=1)
    table.add_column("匹配", justify="right", no_wrap=True)
    for rank, match in enumerate(result.matches, start=1):
        item = _highlighted(match.item.text, match.spans)
        if match.synonym:
            item.append(f"（同义词：{match.synonym}）", style="dim")
        division = Text(match.item.division.name, style=HIGHLIGHT if match.division_matched else "")
        table.add_row(str(rank), division, match.item.duty_no, item, f"{match.score:.2f}")
    return table


def no_match_lines(result: SearchResult) -> list[str]:
    """The refusal line, then the closest items, for standard error."""
    lines = [f"没有找到与「{result.query}」相关的具体工作事项"]
    if result.suggestions:
        lines.append("最接近的事项：")
        lines += [f"  {m.item.duty_no} {m.item.division.name}：{m.item.text}" for m in result.suggestions]
    else:
        lines.append("可以用 fupin duty list 查看全部事项")
    return lines


def list_table(items: Sequence[DutyItem], *, title: str = "部门职责登记表") -> Table:
    """The items grouped under their main duties (in bold), one section per main duty."""
    from rich.text import Text

    table = _table(title)
    table.add_column("编号", no_wrap=True)
    table.add_column("主要职责 / 具体工作事项", overflow="fold", ratio=1)
    table.add_column("责任处室", no_wrap=True)
    current = None
    for item in items:
        if item.main_duty != current:
            if current is not None:
                table.add_section()
            current = item.main_duty
            table.add_row(str(current.no), Text(current.text, style="bold"), "")
        table.add_row(item.duty_no, item.text, item.division.name)
    return table


def duty_panel(view: DutyView) -> Panel:
    """One main duty with its items, or one item with the main duty it belongs to."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    if view.selected is not None:
        item = view.selected
        body = Group(
            Text(item.text),
            Text(""),
            Text.assemble(("责任处室：", "bold"), item.division.name),
            Text(f"所属主要职责（{view.duty.no}）：{view.duty.text}", style="dim"),
        )
        return Panel(body, title=f"具体工作事项 {item.duty_no}", title_align="left")
    table = _table()
    table.add_column("编号", no_wrap=True)
    table.add_column("具体工作事项", overflow="fold", ratio=1)
    table.add_column("责任处室", no_wrap=True)
    for item in view.items:
        table.add_row(item.duty_no, item.text, item.division.name)
    return Panel(Group(Text(view.duty.text), table), title=f"主要职责 {view.duty.no}", title_align="left")


ITEM_HEADERS = ("事项编号", "主要职责编号", "主要职责", "具体工作事项", "责任处室")
MATCH_HEADERS = ("责任处室", "事项编号", "具体工作事项", "相关度")


def items_tabular(items: Sequence[DutyItem], *, title: str = "部门职责登记表") -> Tabular:
    """`duty list` as rows for every format but the table."""
    return tabular("职责", tuple(zip(ITEM_COLUMNS, ITEM_HEADERS, strict=True)), [item_record(i) for i in items],
                   title=title, empty="没有职责事项")  # fmt: skip


def matches_tabular(result: SearchResult) -> Tabular:
    """`duty who` as rows for every format but the table."""
    return tabular("查询结果", tuple(zip(MATCH_COLUMNS, MATCH_HEADERS, strict=True)),
                   [match_record(match) for match in result.matches], title="谁负责这项工作", empty="没有匹配的事项")  # fmt: skip
