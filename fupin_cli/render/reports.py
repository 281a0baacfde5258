"""`fupin report overdue`, `due-soon` and `stats` as people read them on a terminal, and as the rows
(render.tabular) that every other format is written from. The ledger is render.ledger. Builds; never
prints.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from fupin_cli.domain.dates import format_chinese
from fupin_cli.render.cells import PROVISIONAL_MARK, PROVISIONAL_NOTE, cell_len, pad, percent, styled, wrap
from fupin_cli.render.labels import LIGHT_STYLES
from fupin_cli.render.safety import printable
from fupin_cli.render.tabular import KIND_LABELS, Tabular, tabular

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.text import Text

from fupin_cli.services.reports import OpenItem, OpenItemsReport, StatsGroup, StatsReport

# --- overdue and due-soon ------------------------------------------------------------------------

# The keys in the order the issue gives them; Chinese headers for Markdown and xlsx.
_OVERDUE_FIELDS = (
    ("no", "编号"),
    ("title", "事项"),
    ("classified", "涉密"),
    ("unit", "承办单位"),
    ("assigned_on", "交办日期"),
    ("original_due", "原定期限"),
    ("original_due_provisional", "原定期限暂定"),
    ("due", "办结期限"),
    ("due_provisional", "期限暂定"),
    ("overdue_workdays", "逾期工作日"),
    ("extensions", "延期次数"),
    ("suggested_step", "建议措施"),
    ("kind", "类型"),
)
_DUE_SOON_FIELDS = (
    *_OVERDUE_FIELDS[:9],
    ("days_left", "剩余工作日"),
    ("light", "预警"),
    ("extensions", "延期次数"),
    ("kind", "类型"),
)


def _open_record(item: OpenItem) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "no": item.no,
        "title": item.title,
        "classified": item.classified,
        "unit": item.unit,
        "unit_short": item.unit_short,
        "assigned_on": item.assigned_on,
        "due": item.due,
        "original_due": item.original_due,
        "original_due_provisional": item.original_due_provisional,
        "overdue_workdays": item.overdue_workdays,
        "days_left": item.days_left,
        "light": item.light.label if item.light else None,
        "extensions": item.extensions,
        "suggested_step": item.suggested_step.label if item.suggested_step else None,
        "due_provisional": item.due_provisional,
    }


def overdue_tabular(report: OpenItemsReport) -> Tabular:
    return tabular("逾期事项", _OVERDUE_FIELDS, [_open_record(item) for item in report.items],
                   title="逾期事项", as_of=report.as_of, empty="无逾期事项", html_title="逾期事项",
                   marks=OPEN_MARKS)  # fmt: skip


def due_soon_tabular(report: OpenItemsReport) -> Tabular:
    return tabular("即将到期", _DUE_SOON_FIELDS, [_open_record(item) for item in report.items],
                   title=f"{report.within}个工作日内到期事项", as_of=report.as_of, empty="无即将到期事项",
                   html_title="即将到期的事项", marks=OPEN_MARKS)  # fmt: skip


OPEN_MARKS = (("original_due", "original_due_provisional"), ("due", "due_provisional"))
"""The dates of an open item that carry the 暂定 mark where people read them."""


def _due_cell(item: OpenItem) -> str:
    return item.due.isoformat() + (PROVISIONAL_MARK if item.due_provisional else "")


WIDE_TABLE = 110
"""From this terminal width on, the overdue table also shows the assignment date."""
NARROW_TABLE = 80
"""Below this width the original due date and the extension count have no column."""
COLUMN_GAP = 3
"""Cells between two columns of a SIMPLE_HEAD table: padding, rule, padding."""


def overdue_table(report: OpenItemsReport, *, width: int, color: bool = False) -> Iterator[str]:
    """The overdue report as the lines of a table that fits `width` cells, written as it goes (no
    layout engine: each column is measured once). Grouped by unit: a line with the unit and its count,
    its items, and the total at the foot. The original due date gets a column when some item was
    extended (from 80 cells), the assignment date from 110 cells. 编号, 期限, 逾期 and 建议 are never cut:
    a title that does not fit takes a second line (ending in … if it needs more)."""
    if not report.items:
        yield f"截至 {report.as_of}，没有逾期的事项。"
        return
    items = report.items
    narrow = width < NARROW_TABLE
    wide = width >= WIDE_TABLE
    extended = not narrow and any(item.original_due for item in items)
    provisional = any(item.due_provisional for item in items)
    marked = narrow and any(item.original_due for item in items)
    late_width = max(cell_len("逾期"), *(len(str(item.overdue_workdays)) + 2 for item in items))
    # (header, width, right-aligned) of every column; the title's width is what the others leave.
    columns: list[tuple[str, int, bool]] = [("编号", max(cell_len("合计"), *(cell_len(item.no) for item in items)), False)]
    columns.append(("事项", 0, False))
    if wide:
        columns.append(("交办", 10, False))
    if extended:
        columns.append(("原期限", 10 + any(item.original_due_provisional for item in items), False))
    columns.append(("期限", 10 + (1 if provisional else 0) + (3 if marked else 0), False))
    columns.append(("逾期", late_width, True))
    if not narrow:
        columns.append(("延期", max(cell_len("延期"), *(len(str(item.extensions)) for item in items)), True))
    columns.append(("建议", cell_len("建议"), False))
    others = sum(cells for _, cells, _ in columns) + COLUMN_GAP * (len(columns) - 1)
    longest = max(cell_len("事项"), *(cell_len(printable(_plain_title(item))) for item in items))
    title_width = max(min(longest, width - others), 4)
    columns[1] = ("事项", title_width, False)
    total_width = others + title_width
    gap = " " * COLUMN_GAP

    def line(cells: Sequence[str], styles: Sequence[str] = ()) -> str:
        parts = []
        for index, (text, (_, cells_wide, right)) in enumerate(zip(cells, columns, strict=True)):
            style = styles[index] if index < len(styles) else ""
            padded = pad(text, cells_wide, right=right)
            parts.append(styled(padded, style, color=color) if style and text else padded)
        return gap.join(parts).rstrip()

    yield line([header for header, _, _ in columns], ["bold"] * len(columns))
    yield "─" * total_width
    counts = _unit_counts(items)
    late_at = [header for header, _, _ in columns].index("逾期")
    current: str | None = None
    blank = [""] * len(columns)
    for item in items:
        unit = item.unit or "（未定）"
        if unit != current:
            if current is not None:
                yield ""
            current = unit
            yield styled(f"{item.unit_short or unit}（{counts[unit]}件）", "bold", color=color)
        step = item.suggested_step
        prefix = f"〔{KIND_LABELS['finding']}〕" if item.kind == "finding" else ""
        title_lines = wrap(printable(prefix + item.title), title_width)
        cells = [item.no, title_lines[0]]
        if wide:
            cells.append(item.assigned_on.isoformat() if item.assigned_on else "")
        if extended:
            cells.append(
                item.original_due.isoformat() + (PROVISIONAL_MARK if item.original_due_provisional else "")
                if item.original_due
                else ""
            )
        cells.append(_due_cell(item) + (" 延" if item.original_due and narrow else ""))
        cells.append(f"{item.overdue_workdays}日")
        if not narrow:
            cells.append(str(item.extensions) if item.extensions else "")
        cells.append(step.label if step else "")
        styles = [""] * len(cells)
        styles[-1] = "bold red" if step and step.value == "notify" else ""
        styles[late_at] = LIGHT_STYLES[item.light] if item.light else ""
        written = line(cells, styles)
        yield written.replace(prefix, styled(prefix, "magenta", color=True), 1) if prefix and color else written
        for more in title_lines[1:]:
            yield line(["", more, *blank[2:]])
    yield ""
    footer = ["合计", *blank[1:]]
    footer[late_at] = f"{len(items)}件"
    yield line(footer)
    yield f"截至 {report.as_of}，逾期 {len(items)} 件"
    if provisional:
        yield from wrap(PROVISIONAL_NOTE, width, lines=4)


def _plain_title(item: OpenItem) -> str:
    return (f"〔{KIND_LABELS['finding']}〕" if item.kind == "finding" else "") + item.title


def due_soon_table(report: OpenItemsReport, *, width: int, color: bool = False) -> Iterator[str]:
    """The due-soon report as the lines of a plain table that fits `width` cells, as the overdue one:
    编号, the title and the unit cut with … where they do not fit, 期限 (延 when extended), and the
    working days left coloured by their light; the count and any provisional note at the foot."""
    items = report.items
    if not items:
        yield f"截至 {report.as_of}，没有 {report.within} 个工作日内到期的事项。"
        return
    numbers = max(cell_len("编号"), *(cell_len(item.no) for item in items))
    title_room = max(width - (numbers + 12 + 14 + 4) - COLUMN_GAP * 4, 6)
    titles = [wrap(printable(_plain_title(item)), title_room, lines=1)[0] for item in items]
    units = [wrap(printable(item.unit_short or ""), 12, lines=1)[0] for item in items]
    dues = [_due_cell(item) + (" 延" if item.original_due else "") for item in items]
    lefts = [f"{item.days_left}日" for item in items]
    widths = [numbers, max(cell_len("事项"), *map(cell_len, titles)), max(cell_len("承办单位"), *map(cell_len, units)),
              max(14, *map(cell_len, dues)), max(4, *map(cell_len, lefts))]  # fmt: skip
    gap = " " * COLUMN_GAP

    def line(cells: Sequence[str], styles: Sequence[str] = ("",) * 5) -> str:
        parts = [pad(text, cells_wide, right=index == 4) for index, (text, cells_wide) in enumerate(zip(cells, widths, strict=True))]
        return gap.join(styled(part, style, color=color) if style else part for part, style in zip(parts, styles, strict=True)).rstrip()

    yield line(["编号", "事项", "承办单位", "期限", "剩余"], ["bold"] * 5)
    yield "─" * (sum(widths) + COLUMN_GAP * 4)
    finding = f"〔{KIND_LABELS['finding']}〕"
    for item, title, unit, due, left in zip(items, titles, units, dues, lefts, strict=True):
        written = line([item.no, title, unit, due, left], ["", "", "", "", LIGHT_STYLES[item.light] if item.light else ""])
        prefixed = item.kind == "finding" and title.startswith(finding)
        yield written.replace(finding, styled(finding, "magenta", color=True), 1) if prefixed and color else written
    yield f"截至 {report.as_of}，{report.within} 个工作日内到期 {len(items)} 件"
    if any(item.due_provisional for item in items):
        yield from wrap(PROVISIONAL_NOTE, width, lines=4)


def _unit_counts(items: Sequence[OpenItem]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        key = item.unit or "（未定）"
        counts[key] = counts.get(key, 0) + 1
    return counts


# --- stats ---------------------------------------------------------------------------------------

_STATS_FIELDS = (
    ("group", "分组"),
    ("received", "交办"),
    ("completed", "办结"),
    ("completion_rate", "办结率"),
    ("on_time_rate_original", "按时率(原期限)"),
    ("on_time_rate", "按时率(延期后)"),
    ("overdue_now", "当前逾期"),
    ("median_workdays", "办结用时中位数(工作日)"),
    ("extensions", "延期次数"),
    ("withdrawn", "撤销"),
)
_BY_LABELS = {"unit": "承办单位", "category": "类别", "month": "交办月份"}


def _stats_record(group: StatsGroup) -> dict[str, Any]:
    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 4)

    return {
        "group": group.key,
        "received": group.received,
        "completed": group.completed,
        "completion_rate": rounded(group.completion_rate),
        "on_time_rate_original": rounded(group.on_time_original_rate),
        "on_time_rate": rounded(group.on_time_rate),
        "overdue_now": group.overdue_now,
        "median_workdays": group.median_workdays,
        "extensions": group.extensions,
        "withdrawn": group.withdrawn,
    }


def stats_tabular(report: StatsReport) -> Tabular:
    fields = (("group", _BY_LABELS[report.by]), *_STATS_FIELDS[1:])
    records = [_stats_record(group) for group in (*report.groups, report.total)]
    return tabular(
        "统计", fields, records, percent_keys=("completion_rate", "on_time_rate_original", "on_time_rate"),
        title=f"督查事项统计（{format_chinese(report.start)}至{format_chinese(report.end)}交办）",
        as_of=report.as_of, html_title="督查事项统计",
    )  # fmt: skip


def _bar(value: float | None, cells: int = 8) -> Text:
    from rich.text import Text

    if value is None:
        return Text("")
    filled = round(value * cells)
    return Text("█" * filled, style="green") + Text("░" * (cells - filled), style="dim")


def stats_table(report: StatsReport, *, width: int) -> RenderableType:
    from rich import box
    from rich.cells import cell_len as rich_cell_len
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, padding=(0, 0, 0, 1), pad_edge=False, show_edge=False, show_footer=True)
    total = report.total
    label = _BY_LABELS[report.by]
    table.add_column(label, no_wrap=True, overflow="ellipsis", max_width=10, footer="合计")
    before_bar = (
        ("交办", str(total.received)),
        ("办结", str(total.completed)),
        ("办结率", percent(total.completion_rate)),
    )
    after_bar = (
        ("按时·原", percent(total.on_time_original_rate)),
        ("按时·延", percent(total.on_time_rate)),
        ("逾期", str(total.overdue_now)),
        ("用时", _median(total.median_workdays)),
        ("延期", str(total.extensions)),
        ("撤销", str(total.withdrawn)),
    )
    # The totals are the widest numbers: the bar gives up cells (down to none) so that the numbers fit.
    numbers = before_bar + after_bar
    first = min(10, max(rich_cell_len(text) for text in (label, "合计", *(g.key for g in report.groups))))
    used = first + sum(max(rich_cell_len(header), len(footer), 6 if "率" in header or "按时" in header else 0)
                       for header, footer in numbers) + 2 * len(numbers)  # fmt: skip
    # Between two columns: the (blank) divider and the left padding.
    bar_cells = min(8, width - used - 2)
    bar = bar_cells >= 3
    for header, footer in before_bar:
        table.add_column(header, justify="right", no_wrap=True, footer=footer)
    if bar:
        table.add_column("", no_wrap=True, footer=_bar(total.completion_rate, bar_cells))
    for header, footer in after_bar:
        table.add_column(header, justify="right", no_wrap=True, footer=footer)
    for group in report.groups:
        table.add_row(
            group.key,
            str(group.received),
            str(group.completed),
            percent(group.completion_rate),
            *([_bar(group.completion_rate, bar_cells)] if bar else []),
            percent(group.on_time_original_rate),
            percent(group.on_time_rate),
            str(group.overdue_now),
            _median(group.median_workdays),
            str(group.extensions),
            str(group.withdrawn),
        )
    table.caption = "\n".join(
        (
            f"{report.start} 至 {report.end} 交办的事项；逾期：截至 {report.as_of} 仍逾期",
            "撤销：已撤销的事项，不计入交办、办结和各项比率",
            "按时·原、按时·延：按原定期限、延期后期限的按时办结率",
            "用时：从交办到办结反馈的工作日数（中位数）",
        )
    )
    table.caption_justify = "left"
    return table


def _median(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:g}"
