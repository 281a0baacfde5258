"""What `fupin cal` shows: a deadline line, the month grid, the status table, and their JSON/CSV records.

Functions here build Rich renderables, plain styled lines (the one-line answers, which load no Rich)
or plain records; only `fupin_cli.cli` prints them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, is_dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from fupin_cli.domain.calendar import CalendarDay, DayKind, Deadline, YearInfo, weekday_name
from fupin_cli.render.cells import Lines
from fupin_cli.render.tabular import Tabular, tabular
from fupin_cli.services.calendar import CalendarStatus, ImportResult, MonthView, Span

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.text import Text

HOLIDAY_STYLE = "bold red"
REST_STYLE = "red"
MAKEUP_STYLE = "bold yellow"
TODAY_STYLE = "reverse"
PROVISIONAL_STYLE = "yellow"
_CELL_WIDTH = 8
"""Seven columns of eight cells, with padding and borders: 78 columns, inside an 80-column terminal."""
_SHORT_NAMES = {"中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日": "抗战胜利"}
_PROVISIONAL_HINT = "国务院通知发布后，用 fupin cal import 导入该年的放假安排"


# -- records for json and csv ----------------------------------------------------------------------


def deadline_record(result: Deadline) -> dict[str, Any]:
    return {
        "start": result.start.isoformat(),
        "workdays": result.workdays,
        "due": result.due.isoformat(),
        "provisional": result.provisional,
        "provisional_years": list(result.provisional_years),
        "due_weekday": weekday_name(result.due),
    }


def span_record(span: Span) -> dict[str, Any]:
    return {
        "from": span.start.isoformat(),
        "to": span.end.isoformat(),
        "workdays": span.workdays,
        "provisional": span.provisional,
        "provisional_years": list(span.provisional_years),
    }


def year_record(info: YearInfo) -> dict[str, Any]:
    return {
        "year": info.year,
        "source": info.source,
        "provisional": info.provisional,
        "workdays": info.workdays,
        "rest_days": info.rest_days,
    }


def status_record(status: CalendarStatus) -> dict[str, Any]:
    return {
        "first_day": status.first_day.isoformat(),
        "last_day": status.last_day.isoformat(),
        "package": status.package,
        "package_years": [status.package_years.start, status.package_years.stop - 1]
        if status.package_years
        else [],
        "provisional_years": list(status.provisional_years),
        "files": [str(path) for path in status.files],
        "years": [year_record(info) for info in status.years],
    }


def month_records(view: MonthView) -> list[dict[str, Any]]:
    return [
        {
            "date": entry.day.isoformat(),
            "weekday": weekday_name(entry.day),
            "kind": entry.kind.value,
            "workday": entry.kind in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY),
            "name": entry.name,
            "provisional": view.provisional,
        }
        for entry in view.days
    ]


def import_record(result: ImportResult, changes: Sequence[Any] | None = None) -> dict[str, Any]:
    """The import; with `changes` (what the deadline recheck changed), those too under "rechecked"."""
    record: dict[str, Any] = {
        "year": result.year,
        "source": result.source,
        "patch": result.patch,
        "path": str(result.path),
        "replaced": result.replaced,
        "was_provisional": result.was_provisional,
        "workdays": result.workdays,
    }
    if changes is not None:
        record["rechecked"] = [change_record(change) for change in changes]
    return record


def change_record(change: Any) -> Any:
    if is_dataclass(change) and not isinstance(change, type):
        return {key: _plain(value) for key, value in asdict(change).items()}
    return str(change)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


MONTH_HEADERS = ("日期", "星期", "类型", "工作日", "名称", "暂定")


def month_tabular(view: MonthView) -> Tabular:
    """`cal month` as rows for every format but the grid."""
    records = month_records(view)
    keys = ("date", "weekday", "kind", "workday", "name", "provisional")
    return tabular(f"{view.year}年{view.month}月", tuple(zip(keys, MONTH_HEADERS, strict=True)), records,
                   title=f"{view.year}年{view.month}月工作日历", empty="没有日期", count_items=False)  # fmt: skip


# -- deadline and between ---------------------------------------------------------------------------


def deadline_view(result: Deadline) -> Lines:
    line = [
        (f"{result.start.isoformat()} 起 {result.workdays} 个工作日 → ", ""),
        (result.due.isoformat(), "bold"),
        (f"（{weekday_name(result.due)}）", ""),
    ]
    if result.provisional:
        line.append(("（暂定）", PROVISIONAL_STYLE))
    return Lines(tuple(line), *_provisional_note(result.provisional_years))


def span_view(span: Span) -> Lines:
    if span.workdays >= 0:
        line = [
            (f"{span.start.isoformat()} 之后至 {span.end.isoformat()}（含）共 ", ""),
            (str(span.workdays), "bold"),
            (" 个工作日", ""),
        ]
    else:
        line = [
            (f"{span.end.isoformat()} 之后至 {span.start.isoformat()}（含）共 {-span.workdays} 个工作日；", ""),
            ("终止日早于起算日，结果为 ", ""),
            (str(span.workdays), "bold"),
        ]
    if span.provisional:
        line.append(("（暂定）", PROVISIONAL_STYLE))
    return Lines(tuple(line), *_provisional_note(span.provisional_years))


def _provisional_note(years: Sequence[int]) -> list[tuple[tuple[str, str], ...]]:
    if not years:
        return []
    shown = "、".join(f"{year}年" for year in years)
    return [
        ((f"注意：{shown}的放假安排尚未收录，按法定节假日和周末推算，日期为暂定。", PROVISIONAL_STYLE),),
        ((f"{_PROVISIONAL_HINT}。", PROVISIONAL_STYLE),),
    ]


# -- the month grid ---------------------------------------------------------------------------------


def month_grid(view: MonthView) -> RenderableType:
    """Monday-to-Sunday columns; rest days marked 休, holidays named, make-up days 补班, today 今天."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    title = f"{view.year}年{view.month}月"
    if view.provisional:
        title += "（暂定）"
    table = Table(
        title=title,
        title_style="bold",
        box=box.SQUARE,
        show_lines=True,
        padding=(0, 1),
        expand=False,
    )
    for index, heading in enumerate("一二三四五六日"):
        table.add_column(
            heading,
            justify="left",
            width=_CELL_WIDTH,
            no_wrap=True,
            header_style=REST_STYLE if index >= 5 else "bold",
        )
    cells: list[RenderableType] = [Text("") for _ in range(view.days[0].day.weekday())]
    cells += [_cell(entry, view.today) for entry in view.days]
    cells += [Text("") for _ in range(-len(cells) % 7)]
    for week in range(0, len(cells), 7):
        table.add_row(*cells[week : week + 7])
    return Group(table, *_month_notes(view))


def _cell(entry: CalendarDay, today: date) -> Text:
    from rich.text import Text

    is_today = entry.day == today
    cell = Text()
    cell.append(f"{entry.day.day:>2}", style=TODAY_STYLE if is_today else _number_style(entry.kind))
    if is_today:
        cell.append(" 今天", style="bold")
    cell.append("\n")
    if entry.kind is DayKind.HOLIDAY:
        cell.append(_short(entry.name or "假日"), style=HOLIDAY_STYLE)
    elif entry.kind is DayKind.MAKEUP_WORKDAY:
        cell.append("补班", style=MAKEUP_STYLE)
    elif entry.kind is DayKind.WEEKEND:
        cell.append("休", style=REST_STYLE)
    return cell


def _number_style(kind: DayKind) -> str:
    return {
        DayKind.HOLIDAY: HOLIDAY_STYLE,
        DayKind.WEEKEND: REST_STYLE,
        DayKind.MAKEUP_WORKDAY: MAKEUP_STYLE,
    }.get(kind, "")


def _short(name: str) -> str:
    """A holiday's name in at most four characters: 国庆节, 春节补假 → 补假, 国庆节、中秋 → 国庆中秋."""
    if name in _SHORT_NAMES:
        return _SHORT_NAMES[name]
    if name.endswith("补假"):
        return "补假"
    parts = name.split("、")
    if len(parts) > 1:
        return "".join(part[:2] for part in parts)[:4]
    return name[:4]


def _month_notes(view: MonthView) -> list[Text]:
    """The month's holidays and make-up days in words, then where the data comes from."""
    from rich.text import Text

    notes: list[Text] = []
    periods: list[tuple[date, date, str, DayKind]] = []
    for entry in view.days:
        if entry.kind not in (DayKind.HOLIDAY, DayKind.MAKEUP_WORKDAY):
            continue
        name = entry.name or ""
        last = periods[-1] if periods else None
        if (
            last
            and last[2] == name
            and last[3] is entry.kind
            and entry.kind is DayKind.HOLIDAY
            and (entry.day - last[1]).days == 1
        ):
            periods[-1] = (last[0], entry.day, name, entry.kind)
        else:
            periods.append((entry.day, entry.day, name, entry.kind))
    for first, last, name, kind in periods:
        when = f"{first.month}月{first.day}日" + (f"–{last.day}日" if last != first else "")
        if kind is DayKind.HOLIDAY:
            notes.append(Text(f"{when} 放假：{name}", style=HOLIDAY_STYLE))
        else:
            notes.append(Text(f"{when}（{weekday_name(first)}）上班：{name or '调休'}", style=MAKEUP_STYLE))
    notes.append(Text(f"休＝周末休息　补班＝调休上班　今天＝{view.today.isoformat()}", style="dim"))
    source = Text(f"来源：{view.source}", style=PROVISIONAL_STYLE if view.provisional else "dim")
    notes.append(source)
    if view.provisional:
        notes.append(Text("暂定：按法定节假日和周末推算，未含调休。", style=PROVISIONAL_STYLE))
        notes.append(Text(f"{_PROVISIONAL_HINT}。", style=PROVISIONAL_STYLE))
    return notes


# -- status ----------------------------------------------------------------------------------------


def status_view(status: CalendarStatus) -> RenderableType:
    """Consecutive years with the same source on one row."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=f"工作日历：{status.first_day.isoformat()} 至 {status.last_day.isoformat()}",
        title_style="bold",
        box=box.SIMPLE_HEAD,
    )
    table.add_column("年份", no_wrap=True)
    table.add_column("数据来源", overflow="fold")
    table.add_column("工作日", justify="right", no_wrap=True)
    table.add_column("暂定", no_wrap=True)
    for group in _groups(status.years):
        first, last = group[0], group[-1]
        years = str(first.year) if first is last else f"{first.year}–{last.year}"
        counts = sorted({info.workdays for info in group})
        workdays = str(counts[0]) if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"
        style = PROVISIONAL_STYLE if first.provisional else ""
        table.add_row(years, first.source, workdays, "暂定" if first.provisional else "", style=style)
    notes = [table]
    if status.provisional_years:
        notes.append(Text("暂定年份按法定节假日和周末推算，不含调休。", style=PROVISIONAL_STYLE))
        notes.append(Text(f"{_PROVISIONAL_HINT}。", style=PROVISIONAL_STYLE))
    if status.files:
        notes.append(Text("覆盖文件：" + "；".join(str(path) for path in status.files), style="dim"))
    return Group(*notes)


def _groups(years: Sequence[YearInfo]) -> list[list[YearInfo]]:
    groups: list[list[YearInfo]] = []
    for info in years:
        if groups and groups[-1][-1].source == info.source and groups[-1][-1].provisional == info.provisional:
            groups[-1].append(info)
        else:
            groups.append([info])
    return groups


# -- import ----------------------------------------------------------------------------------------


def import_view(result: ImportResult) -> RenderableType:
    from rich.console import Group
    from rich.text import Text

    kind = "补丁" if result.patch else "放假安排"
    line = Text()
    line.append(f"已导入{result.year}年{kind}", style="bold green")
    line.append(f"（{result.source}）")
    if result.replaced:
        line.append("，替换了原先导入的文件")
    lines: list[RenderableType] = [
        line,
        Text(f"保存为：{result.path}", overflow="fold"),
        Text(f"{result.year}年共{result.workdays}个工作日。"),
    ]
    if result.was_provisional:
        lines.append(Text(f"{result.year}年不再是暂定年份。"))
    return Group(*lines)


def import_and_recheck_view(result: ImportResult, changes: Sequence[Any]) -> RenderableType:
    from rich.console import Group

    return Group(import_view(result), recheck_view(changes))


def recheck_view(changes: Sequence[Any]) -> RenderableType:
    """What recomputing the stored provisional deadlines changed, one line per case."""
    from rich.console import Group
    from rich.text import Text

    if not changes:
        return Text("没有需要重算的暂定期限。")
    lines: list[RenderableType] = [Text(f"重算了{len(changes)}件督查事项的暂定期限：", style="bold")]
    for change in changes:
        lines.append(Text(_change_line(change)))
    return Group(*lines)


def _change_line(change: Any) -> str:
    if isinstance(change, str):
        return change
    record = change_record(change)
    if not isinstance(record, dict):
        return str(record)
    parts = [f"{record.get('no', '')} {record.get('title', '')}".strip()]
    if record.get("original_due_before") != record.get("original_due_after"):
        parts.append(f"原定期限 {record.get('original_due_before')} → {record.get('original_due_after')}")
    if record.get("due_before") != record.get("due_after"):
        parts.append(f"期限 {record.get('due_before')} → {record.get('due_after')}")
    if len(parts) == 1:
        parts.append(f"期限 {record.get('due_after')} 不变")
    if record.get("provisional_after"):
        parts.append("仍为暂定")
    return "：".join(parts[:2]) + "".join(f"；{part}" for part in parts[2:])
