"""The digest (督查工作简报) as one self-contained HTML page: inline CSS, inline SVG drawn here.

No scripts, fonts, images or links to anything outside the file; every text that came from the
database goes through html.escape; a classified item shows only 「涉密·线下办理」. Colours never
carry meaning alone: every light is written as its word too, every chart has a table beside it.
"""

from collections.abc import Iterable, Sequence
from datetime import date
from html import escape
from itertools import groupby
from pathlib import Path

from fupin_cli.render.cells import percent
from fupin_cli.services.digest import Digest
from fupin_cli.services.reports import OpenItem, StatsGroup

CLASSIFIED_TITLE = "「涉密·线下办理」"

STYLE = """
*{box-sizing:border-box}
body{margin:0;font:15px/1.6 "Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",
 sans-serif;color:#1a1a1a;background:#fff}
main{max-width:980px;margin:0 auto;padding:16px}
h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;border-bottom:2px solid #8b0000;padding-bottom:2px;
 margin-top:1.6em}h3{font-size:1.05em;margin:1em 0 .3em}
.meta{color:#444;margin:0}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:8px;margin:12px 0}
.card{border:1px solid #ccc;border-radius:6px;padding:8px 10px}
.card .n{font-size:1.8em;font-weight:bold;display:block;line-height:1.2}
.lights{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:8px 18px;margin:8px 0}
.light::before{content:"";display:inline-block;width:.9em;height:.9em;border-radius:50%;
 margin-right:.35em;vertical-align:-.1em;border:1px solid #555}
.red::before{background:#c62828}.yellow::before{background:#f9a825}.green::before{background:#2e7d32}
.wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;margin:.4em 0;font-size:.95em}
caption{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
th,td{border:1px solid #bbb;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f2f2f2}tbody th{white-space:nowrap;font-weight:normal}td.num,th.num{text-align:right}td.num{white-space:nowrap}
td.date{white-space:nowrap}
.step-notify{color:#8b0000;font-weight:bold}
svg{max-width:100%;height:auto;display:block}figure{margin:8px 0}figure svg{width:100%;max-width:560px}
.note{color:#555;font-size:.9em}
footer{margin-top:2em;border-top:1px solid #ccc;padding-top:6px;color:#555;font-size:.85em}
@media (max-width:600px){main{padding:8px}body{font-size:14px}
 table.items td:nth-child(3),table.items th:nth-child(3){display:none}}
@media print{@page{size:A4 portrait;margin:15mm 12mm}
 body{font-size:10.5pt}main{max-width:none;padding:0}h2{break-after:avoid}
 tr,svg,.card{break-inside:avoid}.wrap{overflow:visible}
 .cards{grid-template-columns:repeat(4,1fr)}figure svg{max-width:120mm}
 .light::before,th{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _title(item: OpenItem) -> str:
    return CLASSIFIED_TITLE if item.classified else item.title


def _table(caption: str, headers: Sequence[str], rows: Iterable[Sequence[object]], *,
           numeric: Sequence[int] = (), css: str = "") -> str:  # fmt: skip
    """A table with a caption and column headers; cells are escaped here, never before."""
    head = "".join(
        f'<th scope="col"{" class=num" if index in numeric else ""}>{_e(h)}</th>' for index, h in enumerate(headers)
    )
    body = []
    for row in rows:
        cells = []
        for index, cell in enumerate(row):
            tag = "th scope=row" if index == 0 else "td"
            cls = ' class="num"' if index in numeric else ""
            cells.append(f"<{tag}{cls}>{_e(cell)}</{tag.split()[0]}>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(headers)}">（无）</td></tr>')
    klass = f' class="{css}"' if css else ""
    return (
        f'<div class="wrap"><table{klass}><caption>{_e(caption)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


# --- charts --------------------------------------------------------------------------------------


def _svg_open(name: str, title: str, text: str, width: float, height: float) -> str:
    """An inline SVG with a title and a text equivalent; drawn at its natural size, narrower if need be."""
    return (
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{name}-t {name}-d"><title id="{name}-t">{_e(title)}</title>'
        f'<desc id="{name}-d">{_e(text)}</desc>'
    )


def _bars_svg(title: str, groups: Sequence[StatsGroup]) -> str:
    """Horizontal bars: per unit, 按时办结率 against the original and the extended due date."""
    label_w, bar_w, row_h = 96, 210, 38
    height = 34 + row_h * max(len(groups), 1)
    width = label_w + bar_w + 50
    parts = [
        _svg_open("bars", title, _bars_text(groups), width, height),
        f'<rect x="{label_w}" y="6" width="12" height="10" fill="#90a4ae"/>'
        f'<text x="{label_w + 16}" y="15" font-size="12">按原期限</text>'
        f'<rect x="{label_w + 86}" y="6" width="12" height="10" fill="#1565c0"/>'
        f'<text x="{label_w + 102}" y="15" font-size="12">按延期后期限</text>',
    ]
    for index, group in enumerate(groups):
        y = 26 + index * row_h
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 19}" font-size="13" text-anchor="end">{_e(_short(group.key, 6))}</text>'
        )
        for offset, (value, colour) in enumerate(
            ((group.on_time_original_rate, "#90a4ae"), (group.on_time_rate, "#1565c0"))
        ):
            top = y + 3 + offset * 15
            length = 0 if value is None else round(bar_w * value, 1)
            shown = "无办结" if value is None else percent(value)
            parts.append(f'<rect x="{label_w}" y="{top}" width="{length}" height="13" fill="{colour}"/>')
            parts.append(f'<text x="{label_w + length + 4}" y="{top + 11}" font-size="11">{shown}</text>')
    parts.append(f'<line x1="{label_w}" y1="24" x2="{label_w}" y2="{height - 4}" stroke="#555"/></svg>')
    return "".join(parts)


def _bars_text(groups: Sequence[StatsGroup]) -> str:
    if not groups:
        return "这一年没有交办的事项。"
    return "；".join(
        f"{g.key}：按原期限 {percent(g.on_time_original_rate)}，按延期后期限 {percent(g.on_time_rate)}"
        for g in groups
    )


def _month_keys(start: date) -> list[str]:
    first = start.year * 12 + start.month - 1
    return [f"{(first + n) // 12:04d}-{(first + n) % 12 + 1:02d}" for n in range(12)]


def _columns_svg(title: str, start: date, groups: Sequence[StatsGroup]) -> str:
    """Twelve columns, one per month of assignment: 按时办结率 against the extended due date."""
    step, chart_h, top, left = 32, 130, 22, 34
    keys = _month_keys(start)
    found = {group.key: group for group in groups}
    width = left + step * len(keys) + 6
    height = top + chart_h + 36
    base = top + chart_h
    parts = [_svg_open("cols", title, _columns_text(groups), width, height)]
    for share in (0, 50, 100):
        y = base - chart_h * share / 100
        parts.append(f'<line x1="{left}" y1="{y}" x2="{width - 4}" y2="{y}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 4}" font-size="10" text-anchor="end">{share}%</text>')
    for index, key in enumerate(keys):
        middle = left + step * index + step / 2
        group = found.get(key)
        value = group.on_time_rate if group else None
        bar = 0 if value is None else round(chart_h * value, 1)
        parts.append(f'<rect x="{middle - 10}" y="{base - bar}" width="20" height="{bar}" fill="#1565c0"/>')
        label = "—" if value is None else f"{value * 100:.0f}%"
        parts.append(f'<text x="{middle}" y="{base - bar - 4}" font-size="10" text-anchor="middle">{label}</text>')
        month = int(key[5:])
        parts.append(f'<text x="{middle}" y="{base + 14}" font-size="11" text-anchor="middle">{month}月</text>')
        if month == 1 or index == 0:
            parts.append(
                f'<text x="{middle}" y="{base + 28}" font-size="10" text-anchor="middle">{key[:4]}</text>'
            )
    parts.append(f'<line x1="{left}" y1="{base}" x2="{width - 4}" y2="{base}" stroke="#555"/></svg>')
    return "".join(parts)


def _columns_text(groups: Sequence[StatsGroup]) -> str:
    if not groups:
        return "这十二个月没有交办的事项。"
    shown = "；".join(f"{g.key}：{percent(g.on_time_rate)}（办结 {g.completed} 件）" for g in groups)
    return f"{shown}；其余月份没有交办的事项。"


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- the page ------------------------------------------------------------------------------------


def _header(digest: Digest) -> str:
    red = sum(1 for item in digest.overdue.items if item.kind == "case")
    yellow = len(digest.due_soon.items)
    green = max(digest.open_count - red - yellow, 0)
    cards = [
        ("在办事项", digest.open_count),
        (f"逾期（催办 {digest.urge_count}，通报 {digest.notify_count}）", len(digest.overdue.items)),
        ("3 个工作日内到期", yellow),
        (f"{digest.year} 年交办已办结", digest.by_unit.total.completed),
    ]
    card_html = "".join(f'<div class="card"><span class="n">{n}</span>{_e(label)}</div>' for label, n in cards)
    lights = (
        '<ul class="lights" aria-label="三色灯">'
        f'<li class="light red">红灯·逾期 {red} 件</li>'
        f'<li class="light yellow">黄灯·即将到期 {yellow} 件</li>'
        f'<li class="light green">绿灯·正常 {green} 件</li></ul>'
    )
    office = f'<p class="meta">{_e(digest.office)}</p>' if digest.office else ""
    return (
        f"<header><h1>督查工作简报</h1>{office}"
        f'<p class="meta">截至 {digest.as_of.isoformat()}（统计年度 {digest.year}）</p>'
        f'<section aria-label="概况"><div class="cards">{card_html}</div>{lights}</section></header>'
    )


def _overdue(digest: Digest) -> str:
    parts = ["<section><h2>逾期事项（按承办单位）</h2>"]
    items = digest.overdue.items
    if not items:
        parts.append("<p>没有逾期事项。</p>")
    for unit, grouped in groupby(items, key=lambda item: item.unit or "（未定）"):
        rows = [
            (item.no, _title(item), item.due.isoformat() + ("*" if item.due_provisional else ""),
             item.overdue_workdays, item.suggested_step.label if item.suggested_step else "")
            for item in grouped
        ]  # fmt: skip
        parts.append(f"<h3>{_e(unit)}（{len(rows)} 件）</h3>")
        parts.append(
            _table(f"{unit} 逾期事项", ("编号", "标题", "办结期限", "逾期工作日", "建议措施"), rows,
                   numeric=(3,), css="items")  # fmt: skip
        )
    if any(item.due_provisional for item in items):
        parts.append('<p class="note">* 期限涉及放假安排尚未公布的年份，为暂定日期。</p>')
    parts.append("</section>")
    return "".join(parts)


def _on_time(digest: Digest) -> str:
    groups = digest.by_unit.groups
    rows = [
        (g.key, g.received, g.completed, percent(g.on_time_original_rate), percent(g.on_time_rate), g.overdue_now)
        for g in (*groups, digest.by_unit.total)
    ]
    headers = ("承办单位", "交办", "办结", "按时·原期限", "按时·延期后", "当前逾期")
    title = f"{digest.year} 年各承办单位按时办结率"
    months = digest.by_month
    month_rows = [(g.key, g.received, g.completed, percent(g.on_time_original_rate), percent(g.on_time_rate))
                  for g in months.groups]  # fmt: skip
    month_title = f"近十二个月按时办结率（{months.start:%Y-%m} 至 {months.end:%Y-%m}，按交办月份）"
    return (
        f"<section><h2>按时办结率</h2><h3>{_e(title)}</h3>"
        f"<figure>{_bars_svg(title, groups)}</figure>"
        f"{_table(title, headers, rows, numeric=(1, 2, 3, 4, 5))}"
        '<p class="note">按时·原期限：在原定期限内办结的件数占已办结件数的比例；按时·延期后：按延期后的期限计。'
        "—：尚无办结的事项。</p>"
        f"<h3>{_e(month_title)}</h3><figure>{_columns_svg(month_title, months.start, months.groups)}</figure>"
        f"{_table(month_title, ('月份', '交办', '办结', '按时·原期限', '按时·延期后'), month_rows, numeric=(1, 2, 3, 4))}"
        "</section>"
    )


def _coverage(digest: Digest) -> str:
    report = digest.coverage
    parts = [f"<section><h2>{digest.year} 年检查覆盖（对照配额）</h2>"]
    if report is None:
        parts.append(f"<p>{_e(digest.coverage_note)}</p></section>")
        return "".join(parts)
    rows = []
    for row in report.rows:
        state = "已达标" if row.met else ("红·未达标" if row.late else "未达标")
        rows.append((row.county, row.kind.label, row.required, row.done, row.missing, state))
    parts.append(_table("各县配额完成情况", ("县", "配额", "应查", "已查", "差额", "状态"), rows, numeric=(2, 3, 4)))
    parts.extend(f'<p class="note">{_e(note)}</p>' for note in report.notes)
    parts.append("</section>")
    return "".join(parts)


def _footer(digest: Digest, version: str) -> str:
    provisional = (
        "、".join(str(year) for year in digest.provisional_years) + " 年的放假安排尚未公布，相关期限为暂定"
        if digest.provisional_years
        else "未用到暂定的放假安排"
    )
    return (
        f"<footer><p>由 fupin {_e(version)} 生成；数据库：{_e(digest.backend)}；{_e(provisional)}。"
        "本页不含脚本、不引用外部资源，可直接转发、打印。</p></footer>"
    )


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{STYLE}</style></head><body><main>{body}</main></body></html>\n"
    )


def digest_html(digest: Digest, *, version: str) -> str:
    """The whole page as one string."""
    return _page(
        f"督查工作简报 {digest.as_of.isoformat()}",
        f"{_header(digest)}{_overdue(digest)}{_on_time(digest)}{_coverage(digest)}{_footer(digest, version)}",
    )


def table_page(title: str, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """`report overdue/due-soon/stats --format html`: the report's table on a page of the digest's style."""
    from fupin_cli import __version__

    return _page(
        title,
        f"<h1>{_e(title)}</h1>{_table(title, headers, rows)}"
        f"<footer><p>由 fupin {_e(__version__)} 生成。本页不含脚本、不引用外部资源。</p></footer>",
    )


def save(digest: Digest, path: Path, *, version: str) -> None:
    from fupin_cli.services.output_files import write_text

    write_text(path, digest_html(digest, version=version))
