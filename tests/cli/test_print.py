"""Every xlsx fupin writes prints: title rows, as-of date, A4 landscape one page wide, the header
repeated, gridlines, margins, footer; an empty report says so; the ledger folds what it does not print."""

from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from fupin_cli.domain.dates import format_chinese

TODAY = "2026-11-20"


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("FUPIN_TODAY", TODAY)
    return TODAY


@pytest.fixture
def cases(ok):
    ok("case", "open", "核查唐县雨露计划补助发放", "--category", "雨露计划", "--on", "2026-11-02")
    ok("case", "approve", "1", "--by", "王主任", "--on", "2026-11-02")
    ok("case", "assign", "1", "--unit", "唐县", "--on", "2026-11-02")


def assert_prints(sheet, *, header_row: int) -> None:
    setup = sheet.page_setup
    assert (setup.orientation, str(setup.paperSize)) == ("landscape", "9")  # A4 landscape
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0) and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == f"${header_row}:${header_row}"
    assert sheet.print_options.gridLines
    assert sheet.page_margins.left == sheet.page_margins.right == 0.4
    assert "&P" in sheet.oddFooter.right.text and "&N" in sheet.oddFooter.right.text
    assert sheet.freeze_panes == f"A{header_row + 1}"


@pytest.mark.parametrize(
    ("command", "title"),
    [
        (("report", "overdue"), "逾期事项"),
        (("report", "due-soon", "--within", "10"), "10个工作日内到期事项"),
        (("report", "stats"), "督查事项统计（2026年1月1日至2026年12月31日交办）"),
        (("report", "ledger", "--year", "2026"), "2026年督查事项台账"),
    ],
)
def test_every_report_sheet_has_its_title_rows_and_prints_one_page_wide(ok, cases, tmp_path, command, title):
    target = tmp_path / "r.xlsx"
    extra = () if command[1] == "ledger" else ("--format", "xlsx")
    ok(*command, *extra, "--output", str(target))
    sheet = load_workbook(target).active
    assert sheet["A1"].value == title and sheet["A1"].font.b
    assert sheet["A2"].value.startswith("保定市扶贫开发办公室　截至2026年11月20日")
    assert sheet["A1"].alignment.horizontal == "centerContinuous"
    assert sheet["A3"].value in ("编号", "承办单位") and sheet["A3"].font.b
    assert sheet.auto_filter.ref.startswith("A3:")
    assert_prints(sheet, header_row=3)


def test_an_empty_overdue_report_says_so(ok, tmp_path):
    target = tmp_path / "r.xlsx"
    ok("init")
    ok("report", "overdue", "--format", "xlsx", "--output", str(target))
    sheet = load_workbook(target).active
    assert [sheet.cell(row=r, column=1).value for r in (3, 4)] == ["编号", "无逾期事项"]
    assert sheet["A2"].value.endswith("共0件")


def test_an_empty_ledger_says_so(ok, tmp_path):
    target = tmp_path / "r.xlsx"
    ok("init")
    ok("report", "ledger", "--year", "2026", "--output", str(target))
    assert load_workbook(target).active["A4"].value == "本年度尚无督查事项"


def test_the_ledger_keeps_every_field_and_folds_those_it_does_not_print(ok, cases, tmp_path):
    from fupin_cli.render.ledger import LEDGER_PRINTED

    target = tmp_path / "台账.xlsx"
    ok("report", "ledger", "--year", "2026", "--output", str(target))
    sheet = load_workbook(target).active
    header = {cell.value: cell.column_letter for cell in sheet[3]}
    assert len(header) == 38 and sheet.sheet_format.outlineLevelCol == 1
    printed = {"编号", "标题", "类别", "重大事项", "涉密", "状态", "立项日期", "主办单位", "协办单位", "交办日期",
               "原定期限", "办结期限", "延期次数", "反馈日期", "归档日期"}  # fmt: skip
    assert len(printed) == len(LEDGER_PRINTED)
    for name, letter in header.items():
        dimension = sheet.column_dimensions[letter]
        assert bool(dimension.hidden) == (name not in printed), name
        assert dimension.outline_level == (0 if name in printed else 1), name


@pytest.mark.parametrize(
    "as_of",
    [date(2026, 1, 1) + timedelta(days=n) for n in range(0, 730, 41)]
    + [date(2027, 2, 5), date(2026, 9, 30), date(2027, 1, 4)],
)
def test_the_as_of_date_heads_the_sheet_over_two_years(ok, cases, tmp_path, as_of):
    target = tmp_path / "r.xlsx"
    ok("report", "overdue", "--as-of", as_of.isoformat(), "--format", "xlsx", "--output", str(target))
    sheet = load_workbook(target).active
    assert f"截至{format_chinese(as_of)}" in sheet["A2"].value
    overdue = as_of > date(2026, 11, 16)
    assert (sheet["A4"].value == "督查〔2026〕1号") == overdue
    assert (sheet["A4"].value == "无逾期事项") == (not overdue)


def test_a_long_title_wraps_and_its_row_is_as_tall_as_its_lines(tmp_path):
    from fupin_cli.render.xlsx import ROW_HEIGHT, write_xlsx

    target = tmp_path / "t.xlsx"
    long = "核查" * 40
    write_xlsx(
        target, sheet="表", headers=["编号", "事项"], rows=[["1", long], ["2", "短"]], title="表", subtitle=""
    )
    sheet = load_workbook(target).active
    assert sheet["B4"].alignment.wrap_text
    assert sheet.row_dimensions[4].height >= 2 * ROW_HEIGHT and sheet.row_dimensions[5].height is None
    assert sheet.column_dimensions["B"].width <= 42


def test_the_coverage_workbook_prints_too(ok, tmp_path):
    target = tmp_path / "c.xlsx"
    ok("init")
    ok("check", "coverage", "--year", "2026", "--format", "xlsx", "--output", str(target))
    sheet = load_workbook(target).active
    assert sheet["A1"].alignment.horizontal == "centerContinuous"
    assert_prints(sheet, header_row=3)
