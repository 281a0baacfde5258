"""`fupin case import`: a messy 台账 (merged cells, a title row, a total row, every date form)."""

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from fupin_cli.storage.db import open_database
from tests.integration.conftest import run_fupin, table_contents

CHINESE = re.compile(r"[\u4e00-\u9fff]")
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "督查台账样例-虚构.csv"
HEADER = ["序号", "编号", "事项 名称", "责任单位", "交办时间", "办结时限（工作日）", "是否延期", "延期至", "办结时间",
          "归档时间", "备注"]  # fmt: skip


pytestmark = pytest.mark.usefixtures("private_home")
fupin = run_fupin


def ok(db: str, *args: str, today: str = "2026-10-10"):
    result = fupin(db, *args, today=today)
    assert result.exit_code == 0, result.output
    return result.stdout


def refused(result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    message = result.stderr.strip()
    assert CHINESE.search(message) and "\n" not in message, message
    return message


def contents(db: str) -> dict:
    database = open_database(db)
    try:
        with database.read() as conn:
            return table_contents(conn)
    finally:
        database.dispose()


def messy_sheet(path: Path, rows: list[list]) -> Path:
    """A title row merged across the top, the header, the rows, a blank row and a total row."""
    book = Workbook()
    sheet = book.active
    sheet.title = "2024年台账"
    sheet.append(["虚构：2024年督查事项台账"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    if len(rows) == len(ROWS) and rows[4][3] is None:  # one 责任单位 cell merged over the last two rows
        sheet.merge_cells(start_row=len(rows) + 1, start_column=4, end_row=len(rows) + 2, end_column=4)
    sheet.append([])
    sheet.append(["合计", None, f"{len(rows)}件"])
    book.save(path)
    return path


ROWS = [
    [1, "督查〔2024〕7号", "虚构：某村资金核查", "唐县", datetime(2024, 3, 4), 10, "否", None, "2024.3.15",
     "2024年3月20日", "虚构"],
    [2, "2024-9", "虚构：雨露计划核查", "阜平县", 45362, None, "是", "2024-04-10", "20240408", None, None],
    [3, 8, "虚构：搬迁进度督查", "涞源县", "2024/4/1", "15个工作日", None, None, None, None, None],
    [4, None, "虚构：互助资金检查", "顺平县", "2024-05-06", None, None, None, None, None, None],
    [5, None, "虚构：政策落实检查", None, "2024-05-06", None, None, None, None, None, None],
]  # fmt: skip


def test_a_messy_sheet_imports_with_its_history(tmp_path, backend, db_url):
    sheet = messy_sheet(tmp_path / "台账.xlsx", ROWS)
    ok(db_url, "init")
    # two rows share a unit through a vertical merge
    shown = ok(db_url, "case", "import", str(sheet))
    assert "已导入 5 件" in shown and "跳过空行 1 行、合计行 1 行" in shown
    assert "编号←「编号」" in shown and "未用的列：「序号」" in shown
    assert "2024 年下一件为 督查〔2024〕12号" in shown
    assert "顺平县扶贫开发办公室 2" in shown
    assert "按状态：" in shown and "已归档 1" in shown and "已办结 1" in shown
    listed = ok(db_url, "case", "list", "--year", "2024", "--format", "json")
    numbers = re.findall(r'"short_no": "([^"]+)"', listed)
    assert numbers == ["2024-7", "2024-8", "2024-9", "2024-10", "2024-11"]
    log = ok(db_url, "case", "log", "2024-9")
    assert "台账.xlsx 第4行" in log and "延期" in log and "2024-03-11" in log  # Excel serial 45362
    assert "台账.xlsx 第5行" in ok(db_url, "case", "log", "2024-8")
    assert "审计链：正常" in ok(db_url, "db", "check")
    # the series continues after the largest imported number
    assert "督查〔2024〕12号" in ok(db_url, "case", "open", "新事项", "-c", "政策", "--on", "2024-06-03")
    # a second import adds nothing
    before = contents(db_url)
    again = ok(db_url, "case", "import", str(sheet))
    assert "已导入 0 件" in again and "内容相同而跳过 5 件" in again
    assert contents(db_url) == before


def test_a_bad_row_refuses_the_whole_file_unchanged(tmp_path, backend, db_url):
    rows = [list(row) for row in ROWS]
    rows[3][3] = "不存在县"
    sheet = messy_sheet(tmp_path / "台账.xlsx", rows)
    ok(db_url, "init")
    before = contents(db_url)
    message = refused(fupin(db_url, "case", "import", str(sheet)))
    assert message.startswith("错误：第6行「责任单位」：未知单位「不存在县」")
    assert contents(db_url) == before
    rows = [list(row) for row in ROWS]
    rows[1][4] = "去年春天"
    message = refused(fupin(db_url, "case", "import", str(messy_sheet(tmp_path / "b.xlsx", rows))))
    assert message.startswith("错误：第4行「交办时间」：无法识别的日期「去年春天」")
    assert contents(db_url) == before


def test_dry_run_changes_nothing(tmp_path, db_path):
    sheet = messy_sheet(tmp_path / "台账.xlsx", ROWS)
    db = str(db_path)
    ok(db, "init")
    before = contents(db)
    shown = ok(db, "case", "import", str(sheet), "--dry-run")
    assert "将导入 5 件" in shown and "数据库未作任何改动" in shown and "第3行 2024-7" in shown
    assert contents(db) == before


def test_refusals(tmp_path, db_path):
    db = str(db_path)
    ok(db, "init")
    before = contents(db)
    twice = [list(ROWS[0]), list(ROWS[0])]
    twice[1][2] = "虚构：另一件"
    sheet = messy_sheet(tmp_path / "twice.xlsx", twice)
    assert "与第3行重复" in refused(fupin(db, "case", "import", str(sheet)))
    assert "找不到台账文件" in refused(fupin(db, "case", "import", str(tmp_path / "none.xlsx")))
    assert "不是普通文件" in refused(fupin(db, "case", "import", str(tmp_path)))
    (tmp_path / "x.txt").write_text("a,b")
    assert ".xlsx 或 .csv" in refused(fupin(db, "case", "import", str(tmp_path / "x.txt")))
    (tmp_path / "bad.xlsx").write_bytes(b"not a zip")
    assert "不是能读的 Excel" in refused(fupin(db, "case", "import", str(tmp_path / "bad.xlsx")))
    (tmp_path / "nohead.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    assert "找不到表头" in refused(fupin(db, "case", "import", str(tmp_path / "nohead.csv")))
    assert contents(db) == before
    # the same number with other content is refused and named
    ok(db, "case", "import", str(messy_sheet(tmp_path / "one.xlsx", [ROWS[0]])))
    changed = [list(ROWS[0])]
    changed[0][2] = "虚构：改了标题"
    before = contents(db)
    message = refused(fupin(db, "case", "import", str(messy_sheet(tmp_path / "two.xlsx", changed))))
    assert "督查〔2024〕7号 已在数据库中，内容与本行不同" in message
    assert contents(db) == before


def test_map_names_an_unknown_column_and_gb18030_csv(tmp_path, db_path):
    db = str(db_path)
    ok(db, "init")
    text = "编号,工作内容,牵头单位,交办时间\n2024-3,虚构：核查,唐县,2024-03-04\n"
    (tmp_path / "gbk.csv").write_bytes(text.encode("gb18030"))
    refused(fupin(db, "case", "import", str(tmp_path / "gbk.csv")))
    shown = ok(db, "case", "import", str(tmp_path / "gbk.csv"), "--map", "工作内容=title", "--map", "牵头单位=unit")
    assert "事项名称←「工作内容」" in shown and "已导入 1 件" in shown


def test_the_shipped_sample_imports(db_path):
    db = str(db_path)
    ok(db, "init")
    shown = ok(db, "case", "import", str(SAMPLE), today="2025-10-10")
    assert "已导入 4 件" in shown and "跳过空行 1 行、合计行 1 行" in shown
    assert "2025 年下一件为 督查〔2025〕7号" in shown


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (datetime(2024, 3, 1, 9, 30), date(2024, 3, 1)),
        (45352, date(2024, 3, 1)),
        (45352.0, date(2024, 3, 1)),
        ("45352", date(2024, 3, 1)),
        ("2024.3.1", date(2024, 3, 1)),
        ("2024-03-01 00:00:00", date(2024, 3, 1)),
        ("2024年3月1日", date(2024, 3, 1)),
        ("20240301", date(2024, 3, 1)),
        ("２０２４／３／１", date(2024, 3, 1)),
        (None, None),
        ("  ", None),
    ],
)
def test_every_date_form(typed, expected):
    from fupin_cli.domain.ledger import read_date

    assert read_date(typed, today=date(2026, 10, 10)) == expected


def test_skip_bad_imports_the_good_rows_and_writes_the_rejects(tmp_path, db_path):
    db = str(db_path)
    ok(db, "init")
    rows = [list(row) for row in ROWS]
    rows[0][3] = "不存在县"
    rows[2][4] = "某天"
    sheet = messy_sheet(tmp_path / "台账.xlsx", rows)
    shown = ok(db, "case", "import", str(sheet), "--skip-bad")
    assert "已导入 3 件" in shown and "未导入的行 2 行" in shown
    rejects = (tmp_path / "台账.rejects.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rejects[0] == "行号,原因"
    assert rejects[1].startswith("3,第3行「责任单位」：未知单位「不存在县」") and "虚构：某村资金核查" in rejects[1]
    assert rejects[2].startswith("5,第5行「交办时间」")
    assert "审计链：正常" in ok(db, "db", "check")
