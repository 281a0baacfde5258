"""`fupin case notice`, `case urge` and `report urge`: Word files read back with python-docx."""

import pytest
from docx import Document
from docx.oxml.ns import qn

TODAY = "2026-11-20"


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("FUPIN_TODAY", TODAY)
    return TODAY


@pytest.fixture
def ok(cli):
    def run(*args: str):
        result = cli(*args)
        assert result.exit_code == 0, result.output
        return result

    return run


@pytest.fixture
def cases(ok):
    """1: 唐县, assigned 11-02, due 11-16, 4 working days late. 2: classified, late. 3: approved only."""
    ok("case", "open", "核查唐县雨露计划补助发放", "--category", "雨露计划", "--on", "2026-11-02")
    ok("case", "approve", "1", "--by", "王主任", "--on", "2026-11-02")
    ok("case", "assign", "1", "--unit", "唐县", "--on", "2026-11-02")
    ok("case", "open", "封面标题", "--category", "政策", "--classified", "--on", "2026-11-02")
    ok("case", "approve", "2", "--by", "王主任", "--on", "2026-11-02")
    ok("case", "assign", "2", "--unit", "顺平县", "--on", "2026-11-02")
    ok("case", "open", "顺平县搬迁核查", "--category", "易地搬迁", "--on", "2026-11-19")
    ok("case", "approve", "3", "--by", "王主任", "--on", "2026-11-19")


def _text(path) -> str:
    return "\n".join(paragraph.text for paragraph in Document(str(path)).paragraphs)


def _east_asian_font(path, index: int) -> str:
    run = Document(str(path)).paragraphs[index].runs[0]
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_urge_notice_names_the_case_unit_dates_and_days_late(ok, cases, tmp_path):
    target = tmp_path / "催办.docx"
    ok("case", "urge", "1", "--output", str(target))
    text = _text(target)
    for expected in ("督查事项催办通知书", "督查〔2026〕1号", "唐县扶贫开发办公室：", "2026年11月2日交办",
                     "办结期限为2026年11月16日", "截至2026年11月20日已逾期4个工作日", "2026年11月20日"):  # fmt: skip
        assert expected in text
    assert _east_asian_font(target, 0) == "方正小标宋简体"
    assert _east_asian_font(target, 3) == "仿宋_GB2312"


def test_check_notice_for_an_approved_case(ok, cases, tmp_path):
    target = tmp_path / "通知.docx"
    ok("case", "notice", "2026-3", "--output", str(target))
    text = _text(target)
    assert "督查事项核查通知书" in text and "督查〔2026〕3号" in text and "顺平县搬迁核查" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("case", "urge", "2"), "涉密事项，不生成任何文书"),
        (("case", "notice", "2"), "涉密事项，不生成任何文书"),
        (("case", "urge", "3"), "没有逾期，不需要催办"),
    ],
)
def test_refusals_write_nothing_and_change_nothing(cli, cases, db_dump, tmp_path, args, message):
    before = db_dump()
    target = tmp_path / "x.docx"
    result = cli(*args, "--output", str(target))
    assert result.exit_code == 1 and message in result.stderr
    assert not target.exists() and not list(tmp_path.glob("*.tmp"))
    assert db_dump() == before


def test_a_notice_before_approval_is_refused(cli, ok, tmp_path):
    ok("case", "open", "待审事项", "--category", "其他", "--on", "2026-11-19")
    result = cli("case", "notice", "1", "--output", str(tmp_path / "n.docx"))
    assert result.exit_code == 1 and "尚未立项" in result.stderr


def test_report_urge_writes_one_file_per_overdue_case_and_skips_classified(ok, cases, tmp_path):
    folder = tmp_path / "催办"
    folder.mkdir()
    result = ok("report", "urge", "--output", str(folder))
    assert sorted(p.name for p in folder.iterdir()) == ["督查〔2026〕1号催办通知书.docx"]
    assert "督查〔2026〕2号 是涉密事项" in result.stderr
    assert "逾期4个工作日" in _text(folder / "督查〔2026〕1号催办通知书.docx")


def test_report_urge_refuses_a_missing_folder(cli, cases, tmp_path):
    result = cli("report", "urge", "--output", str(tmp_path / "无此文件夹"))
    assert result.exit_code == 1 and "输出文件夹不存在" in result.stderr
