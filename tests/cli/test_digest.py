"""`fupin report digest`: one self-contained HTML page whose numbers are the reports' numbers."""

import json
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest

from fupin_cli.render.cells import percent
from fupin_cli.render.digest import CLASSIFIED_TITLE, digest_html
from fupin_cli.services.digest import digest_report
from fupin_cli.services.reports import overdue_report, stats_report
from fupin_cli.settings import resolve
from tests.cli.test_report import TODAY, cases, today  # noqa: F401  (the known cases; FUPIN_TODAY set)
from tests.integration.conftest import fresh_postgres_database

VOID = {"meta", "br", "hr", "img", "input", "link", "col", "wbr", "source", "area", "base", "embed"}


class Page(HTMLParser):
    """Checks nesting as it reads, keeps every attribute, the text, and each table's rows by caption."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.tables: dict[str, list[list[str]]] = {}
        self._caption: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._in_caption = False
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.open.append(tag)
        if tag == "caption":
            self._in_caption, self._caption = True, ""
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "style":
            self._in_style = True

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-3:]}"
        self.open.pop()
        if tag == "caption":
            self._in_caption = False
            self.tables[self._caption or ""] = []
        elif tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._caption is not None:
                self.tables[self._caption].append(self._row)
            self._row = None
        elif tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            return
        self.text.append(data)
        if self._in_caption:
            self._caption = (self._caption or "") + data
        if self._cell is not None:
            self._cell.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    assert page.open == [], f"unclosed: {page.open}"
    return page


def assert_self_contained(html: str, page: Page) -> None:
    """No URL, script or fetched resource; valid HTML5 by html5lib's strict parser; lang, A4 print."""
    import html5lib

    html5lib.HTMLParser(strict=True).parse(html)  # raises ParseError on the first error
    lowered = html.lower()
    assert "http:" not in lowered and "https:" not in lowered and "//" not in lowered.replace("://", "")
    assert "<script" not in lowered and "@import" not in lowered and "url(" not in lowered
    for tag, attrs in page.tags:
        assert not {"src", "href", "srcset", "action", "onload", "onerror"} & attrs.keys(), (tag, attrs)
    assert ("html", {"lang": "zh-CN"}) in page.tags and "@media print" in html and "size:A4 portrait" in html


def check_numbers(settings, digest, page: Page) -> None:
    """The page against `report overdue` and `report stats` for the same day and database."""
    overdue = overdue_report(settings=settings, as_of=digest.as_of)
    text = "".join(page.text)
    shown = [row for caption, rows in page.tables.items() if caption.endswith(" 逾期事项") for row in rows[1:]]
    assert [row[0] for row in shown] == [item.no for item in overdue.items]
    assert [int(row[3]) for row in shown] == [item.overdue_workdays for item in overdue.items]
    assert [row[4] for row in shown] == [item.suggested_step.label for item in overdue.items]
    for row, item in zip(shown, overdue.items, strict=True):
        assert row[1] == (CLASSIFIED_TITLE if item.classified else item.title)
    urge = sum(1 for item in overdue.items if item.suggested_step.label == "催办")
    assert f"{len(overdue.items)}逾期（催办 {urge}，通报 {len(overdue.items) - urge}）" in text
    dated = type(settings)(**{**settings.__dict__, "today": digest.as_of})
    stats = stats_report(settings=dated, year=digest.year, by="unit")
    table = page.tables[f"{digest.year} 年各承办单位按时办结率"]
    assert table[1:] == [
        [g.key, str(g.received), str(g.completed), percent(g.on_time_original_rate), percent(g.on_time_rate),
         str(g.overdue_now)]
        for g in (*stats.groups, stats.total)
    ]  # fmt: skip
    red = sum(1 for item in overdue.items if item.kind == "case")
    assert f"红灯·逾期 {red} 件" in text and f"黄灯·即将到期 {len(digest.due_soon.items)} 件" in text
    assert f"{stats.total.completed}{digest.year} 年交办已办结" in text


def test_digest_of_known_cases_matches_the_reports_and_hides_the_classified(ok, cases, tmp_path, db_path):  # noqa: F811
    target = tmp_path / "简报.html"
    result = ok("report", "digest", "--output", str(target))
    assert "已写入" in result.stderr + result.stdout
    html = target.read_text(encoding="utf-8")
    page = parse(html)
    assert_self_contained(html, page)
    settings = resolve(db=str(db_path), user="测试员", today=date.fromisoformat(TODAY))
    check_numbers(settings, digest_report(settings=settings), page)
    assert "封面标题" not in html and CLASSIFIED_TITLE in html
    overdue_rows = page.tables["唐县扶贫开发办公室 逾期事项"][1:] if "唐县扶贫开发办公室 逾期事项" in page.tables else None
    assert overdue_rows is not None and overdue_rows[0][:2] == ["督查〔2026〕1号", "核查唐县雨露计划补助发放"]
    assert any(tag == "svg" for tag, _ in page.tags) and any(tag == "title" for tag, _ in page.tags)
    for tag, attrs in page.tags:
        if tag == "svg":
            assert attrs.get("role") == "img" and attrs.get("aria-labelledby")


def test_hostile_title_is_escaped(ok, cli, tmp_path):
    ok("--today", TODAY, "case", "open", "<script>alert(1)</script>&<img src=x onerror=y>",
       "--category", "雨露计划", "--on", "2026-11-02")  # fmt: skip
    ok("--today", TODAY, "case", "approve", "督查〔2026〕1号", "--by", "王主任", "--on", "2026-11-02")
    ok("--today", TODAY, "case", "assign", "督查〔2026〕1号", "--unit", "唐县", "--on", "2026-11-02")
    target = tmp_path / "x.html"
    ok("--today", TODAY, "report", "digest", "-o", str(target))
    html = target.read_text(encoding="utf-8")
    page = parse(html)
    assert_self_contained(html, page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;&lt;img src=x onerror=y&gt;" in html
    assert "<script>alert(1)</script>&<img src=x onerror=y>" in "".join(page.text)


def test_empty_database_renders(ok, tmp_path):
    target = tmp_path / "x.html"
    ok("init")
    ok("--today", TODAY, "report", "digest", "-o", str(target))
    html = target.read_text(encoding="utf-8")
    page = parse(html)
    assert_self_contained(html, page)
    assert "没有逾期事项" in html and "红灯·逾期 0 件" in html


def test_refused_output_leaves_database_and_folder_unchanged(ok, cli, cases, tmp_path, db_dump):  # noqa: F811
    before = db_dump()
    result = cli("report", "digest", "--output", str(tmp_path / "无此目录" / "x.html"))
    assert result.exit_code == 1 and "文件夹不存在" in result.stderr and "Traceback" not in result.output
    (tmp_path / "link.html").symlink_to(tmp_path / "elsewhere.html")
    assert cli("report", "digest", "-o", str(tmp_path / "link.html")).exit_code == 1
    assert not (tmp_path / "elsewhere.html").exists()
    assert db_dump() == before
    bad_day = cli("report", "digest", "-o", str(tmp_path / "x.html"), "--as-of", "2026-13-01")
    assert bad_day.exit_code in (1, 2) and "Traceback" not in bad_day.output and not (tmp_path / "x.html").exists()


def _sweep() -> list[date]:
    days = [date(2026, 1, 1) + timedelta(days=7 * n) for n in range(105)]
    eves = [date(2026, 2, 13), date(2026, 9, 30), date(2027, 2, 5), date(2027, 9, 30), date(2028, 1, 14)]
    return sorted({*days, *eves})


def test_demo_digest_over_a_sweep_of_days_matches_the_reports(ok, db_path):
    ok("--db", str(db_path), "--today", "2026-11-20", "init", "--demo")
    base = resolve(db=str(db_path), user="测试员", today=date(2026, 11, 20))
    seen_overdue = 0
    for day in _sweep():
        settings = type(base)(**{**base.__dict__, "today": day})
        digest = digest_report(settings=settings, as_of=day)
        html = digest_html(digest, version="test")
        page = parse(html)
        assert_self_contained(html, page)
        check_numbers(settings, digest, page)
        seen_overdue += len(digest.overdue.items)
    assert seen_overdue > 0


@pytest.mark.postgres
def test_digest_on_postgresql_matches_the_reports(cli, tmp_path):
    with fresh_postgres_database() as url:
        result = cli("--db", url, "--today", "2026-11-20", "init", "--demo")
        assert result.exit_code == 0, result.output
        target = tmp_path / "pg.html"
        result = cli("--db", url, "--today", "2026-11-20", "report", "digest", "-o", str(target))
        assert result.exit_code == 0, result.output
        html = target.read_text(encoding="utf-8")
        page = parse(html)
        assert_self_contained(html, page)
        settings = resolve(db=url, user="测试员", today=date(2026, 11, 20))
        check_numbers(settings, digest_report(settings=settings), page)
        assert "数据库：PostgreSQL" in html


def test_format_html_for_overdue_due_soon_stats_and_coverage(ok, cases, tmp_path):  # noqa: F811
    overdue_json = json.loads(ok("report", "overdue", "--format", "json").stdout)
    html = ok("report", "overdue", "--format", "html").stdout
    page = parse(html)
    assert_self_contained(html, page)
    rows = page.tables["逾期事项"][1:]
    assert [row[0] for row in rows] == [record["no"] for record in overdue_json]
    assert [int(row[9]) for row in rows] == [record["overdue_workdays"] for record in overdue_json]
    assert rows[1][1] == CLASSIFIED_TITLE and "封面标题" not in html
    stats = json.loads(ok("report", "stats", "--format", "json").stdout)
    stats_rows = parse(ok("report", "stats", "--format", "html").stdout).tables["督查事项统计"][1:]
    assert [(row[0], row[1]) for row in stats_rows] == [(r["group"], str(r["received"])) for r in stats]
    assert [row[5] for row in stats_rows] == [percent(r["on_time_rate"]) for r in stats]
    ok("report", "due-soon", "-o", str(tmp_path / "soon.html"))
    soon = parse((tmp_path / "soon.html").read_text(encoding="utf-8")).tables["即将到期的事项"][1:]
    assert [row[0] for row in soon] == ["督查〔2026〕4号"]
    coverage = ok("check", "coverage", "--year", "2026", "--format", "html").stdout
    assert_self_contained(coverage, parse(coverage))


def test_digest_to_standard_output_and_never_over_the_database(ok, cli, cases, db_path, db_dump):  # noqa: F811
    html = ok("report", "digest", "--output", "-").stdout
    page = parse(html)
    assert_self_contained(html, page)
    assert "督查〔2026〕1号" in html and "已写入" not in html
    before, size = db_dump(), db_path.stat().st_size
    refused = cli("report", "digest", "--output", str(db_path))
    assert refused.exit_code in (1, 2) and "Traceback" not in refused.output and refused.stderr.strip()
    assert db_dump() == before and db_path.stat().st_size == size
    assert cli("report", "digest").exit_code == 2  # --output is required
