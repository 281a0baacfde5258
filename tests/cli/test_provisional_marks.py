"""暂定 everywhere (issue 12): every date that rests on a year whose holidays are not yet published
carries the mark in every format — the card (原定期限, 当前期限, 延期上限, each extension), the step
line, case list, the overdue and due-soon reports (table, md, html, xlsx; json and csv by
`*_provisional` keys), the ledger, and the Word documents (（暂定）) — over a sweep of days into
January of the provisional year."""

import json
from datetime import date, timedelta

import pytest
from docx import Document
from openpyxl import load_workbook


def _ok(cli, db: str, today: str, *args: str):
    result = cli("--db", db, "--today", today, *args)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def year(tmp_path) -> int:
    from fupin_cli.services.calendar import load_calendar
    from tests.integration.conftest import settings_for

    calendar = load_calendar(settings_for(str(tmp_path / "fupin.db"), tmp_path))
    if not calendar.provisional_years:
        pytest.skip("no provisional year in this calendar")
    return calendar.provisional_years[0]


def _assigned(cli, db: str, on: str, *extra: str) -> str:
    number = _ok(cli, db, on, "case", "open", "核查阜平县易地搬迁", "-c", "易地搬迁", "--on", on).stdout.split(" ", 1)[0]
    _ok(cli, db, on, "case", "approve", number, "--by", "王主任", "--on", on)
    _ok(cli, db, on, "case", "assign", number, "--unit", "阜平县", "--on", on, *extra)
    return number


def test_every_provisional_date_is_marked_in_every_format_over_a_sweep(cli, tmp_path, year):
    db = str(tmp_path / "fupin.db")
    before = year - 1
    # A: due typed on the last day of the published year, extended into the provisional one.
    a = _assigned(cli, db, f"{before}-12-01", "--due", f"{before}-12-31", "--basis", "专项通知")
    _ok(cli, db, f"{before}-12-15", "case", "extend", a, "--to", f"{year}-01-15", "--reason", "补材料",
        "--by", "李处长", "--on", f"{before}-12-15")  # fmt: skip
    # C: ten working days counted into the provisional year, then extended by five more.
    c = _assigned(cli, db, f"{before}-12-21")
    line = _ok(cli, db, f"{before}-12-28", "case", "extend", c, "--days", "5", "--reason", "补材料",
               "--by", "李处长", "--on", f"{before}-12-28").stdout  # fmt: skip
    shown_c = json.loads(_ok(cli, db, f"{before}-12-28", "case", "show", c, "-f", "json").stdout)
    assert f"（原定 {shown_c['original_due']}*）" in line, line

    day, last = date(before, 12, 28), date(year, 2, 12)
    seen: dict[str, set[int]] = {"overdue": set(), "due-soon": set()}
    while day <= last:
        today = day.isoformat()
        card_a = json.loads(_ok(cli, db, today, "case", "show", a, "-f", "json").stdout)
        card_c = json.loads(_ok(cli, db, today, "case", "show", c, "-f", "json").stdout)
        assert (card_a["original_due_provisional"], card_a["due_provisional"]) == (False, True), today
        assert card_a["extension_cap_provisional"] is True  # 2026-12-31 + 1 month lies in the provisional year
        assert [e["old_due_provisional"] for e in card_a["extensions"]] == [False]
        assert (card_c["original_due_provisional"], card_c["due_provisional"]) == (True, True), today
        assert [(e["old_due_provisional"], e["provisional"]) for e in card_c["extensions"]] == [(True, True)]
        table_c = _ok(cli, db, today, "case", "show", c).stdout
        assert f"原定期限  {card_c['original_due']}*" in table_c, today
        assert f"当前期限  {card_c['due']}*" in table_c and f"延期上限  {card_c['extension_cap']}*" in table_c
        table_a = _ok(cli, db, today, "case", "show", a).stdout
        assert f"原定期限  {card_a['original_due']} " in table_a and f"当前期限  {card_a['due']}*" in table_a
        listed = {row["no"]: row for row in json.loads(_ok(cli, db, today, "case", "list", "-f", "json").stdout)}
        assert (listed[card_a["no"]]["original_due_provisional"], listed[card_c["no"]]["original_due_provisional"]) == (
            False, True)  # fmt: skip
        assert ",original_due_provisional," in _ok(cli, db, today, "case", "list", "-f", "csv").stdout
        overdue = json.loads(_ok(cli, db, today, "report", "overdue", "-f", "json").stdout)
        md = _ok(cli, db, today, "report", "overdue", "-f", "md").stdout
        for item in overdue:
            assert item["due_provisional"] is True and f"| {item['due']}* |" in md, today
            if item["original_due"]:
                mark = "*" if item["original_due_provisional"] else ""
                assert f"| {item['original_due']}{mark} |" in md, today
        if overdue:
            assert f"{overdue[0]['due']}*" in _ok(cli, db, today, "report", "overdue").stdout
        soon = json.loads(_ok(cli, db, today, "report", "due-soon", "-f", "json").stdout)
        soon_html = _ok(cli, db, today, "report", "due-soon", "-f", "html").stdout
        for item in soon:
            assert f"{item['due']}*" in soon_html, today
        seen["overdue"] |= {day.month} if overdue else set()
        seen["due-soon"] |= {day.month} if soon else set()
        day += timedelta(days=3)
    assert 1 in seen["overdue"] and 1 in seen["due-soon"], "the sweep must meet January's reports"

    ledger = tmp_path / "台账.xlsx"
    _ok(cli, db, f"{year}-01-20", "report", "ledger", "--year", str(before), "--output", str(ledger))
    sheet = load_workbook(ledger).active
    header = [cell.value for cell in sheet[3]]
    rows = {row[0].value: {h: cell for h, cell in zip(header, row, strict=False)} for row in sheet.iter_rows(min_row=4)}
    assert rows[card_c["no"]]["原定期限"].number_format == 'yyyy-mm-dd"*"'
    assert rows[card_a["no"]]["原定期限"].number_format == "yyyy-mm-dd"
    assert rows[card_a["no"]]["办结期限"].number_format == 'yyyy-mm-dd"*"'
    assert rows[card_a["no"]]["原定期限暂定"].value == "否" and rows[card_c["no"]]["原定期限暂定"].value == "是"
    assert any("暂定日期" in str(row[0].value) for row in sheet.iter_rows(min_row=4))

    form = tmp_path / "延期审批单.docx"
    result = _ok(cli, db, f"{before}-12-28", "case", "extension-form", c, "--output", str(form))
    text = "\n".join(cell.text for table in Document(str(form)).tables for row in table.rows for cell in row.cells)
    for key in ("original_due", "due", "extension_cap"):
        shown = date.fromisoformat(card_c[key])
        assert f"{shown.year}年{shown.month}月{shown.day}日（暂定）" in text, key
    assert "（暂定）" in result.stderr
    form_a = tmp_path / "延期审批单A.docx"
    _ok(cli, db, f"{before}-12-28", "case", "extension-form", a, "--output", str(form_a))
    text_a = "\n".join(cell.text for table in Document(str(form_a)).tables for row in table.rows for cell in row.cells)
    assert f"{before}年12月31日（暂定）" not in text_a and f"{before}年12月31日" in text_a
    assert f"{year}年1月15日（暂定）" in text_a
