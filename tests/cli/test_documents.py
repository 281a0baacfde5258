"""`fupin case notice`, `case urge`, `case extension-form` and `report urge`: Word files read back
with python-docx."""

import pytest
from docx import Document
from docx.oxml.ns import qn

TODAY = "2026-11-20"


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("FUPIN_TODAY", TODAY)
    return TODAY


@pytest.fixture
def cases(ok, scenarios, db_path):
    scenarios.sqlite("documents-cases", lambda: _build_cases(ok), into=db_path)


def _build_cases(ok):
    """1: 唐县, assigned 11-02, due 11-16, 4 working days late. 2: classified, late. 3: approved only.
    4: 阜平县, assigned 11-02 (due 11-16), extended on 11-10 to 11-23, then on 11-20 to 11-30."""
    ok("case", "open", "核查唐县雨露计划补助发放", "--category", "雨露计划", "--on", "2026-11-02")
    ok("case", "approve", "1", "--by", "王主任", "--on", "2026-11-02")
    ok("case", "assign", "1", "--unit", "唐县", "--on", "2026-11-02")
    ok("case", "open", "封面标题", "--category", "政策", "--classified", "--on", "2026-11-02")
    ok("case", "approve", "2", "--by", "王主任", "--on", "2026-11-02")
    ok("case", "assign", "2", "--unit", "顺平县", "--on", "2026-11-02")
    ok("case", "open", "顺平县搬迁核查", "--category", "易地搬迁", "--on", "2026-11-19")
    ok("case", "approve", "3", "--by", "王主任", "--on", "2026-11-19")
    ok("case", "open", "阜平县互助资金核查", "--category", "互助资金", "--on", "2026-11-02")
    ok("case", "approve", "4", "--by", "王主任", "--on", "2026-11-02")
    ok("case", "assign", "4", "--unit", "阜平县", "--assist", "唐县", "--on", "2026-11-02")
    ok("case", "extend", "4", "--to", "2026-11-23", "--reason", "涉及村多", "--by", "李处长", "--on", "2026-11-10")
    ok("case", "extend", "4", "--to", "2026-11-30", "--reason", "补充材料", "--by", "王主任", "--on", "2026-11-20")


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
    # Not yet assigned: no 主送机关 line of a bare colon, no sentence naming an empty 主办单位.
    assert "\n：\n" not in f"\n{text}\n" and "由主办" not in text and "本事项由" not in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("case", "urge", "2"), "涉密事项，不生成任何文书"),
        (("case", "notice", "2"), "涉密事项，不生成任何文书"),
        (("case", "urge", "3"), "没有逾期，不需要催办"),
        (("case", "extension-form", "2"), "涉密事项，不生成任何文书"),
        (("case", "extension-form", "1"), "没有延期记录"),
        (("case", "extension-form", "4", "--extension", "3"), "只有 2 次延期"),
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


def test_report_urge_leaves_overdue_findings_out(ok, cases, tmp_path):
    ok("check", "new", "雨露计划", "--title", "雨露计划专项检查", "--unit", "唐县", "--on", "2026-10-29")
    ok("check", "finding", "1", "--text", "未公示补助对象", "--unit", "唐县", "--code", "Y2", "--on", "2026-10-30")
    assert "finding" in ok("report", "overdue", "--format", "csv").stdout
    folder = tmp_path / "催办"
    folder.mkdir()
    ok("report", "urge", "--output", str(folder))
    assert sorted(p.name for p in folder.iterdir()) == ["督查〔2026〕1号催办通知书.docx"]


def test_report_urge_refuses_a_missing_folder(cli, cases, tmp_path):
    result = cli("report", "urge", "--output", str(tmp_path / "无此文件夹"))
    assert result.exit_code == 1 and "输出文件夹不存在" in result.stderr


def _form(path) -> dict[str, str]:
    """The form's label → value, from lines of two pairs, of one pair, and of opinion blocks."""
    (table,) = Document(str(path)).tables
    form: dict[str, str] = {}
    for row in table.rows:
        cells = row.cells
        form[cells[0].text] = cells[1].text
        if cells[2]._tc is not cells[1]._tc:
            form[cells[2].text] = cells[3].text
    return form


def test_extension_form_for_the_latest_extension(ok, cases, tmp_path):
    target = tmp_path / "延期.docx"
    ok("case", "extension-form", "4", "--output", str(target))
    form = _form(target)
    assert form["督查编号"] == "督查〔2026〕4号" and form["事项名称"] == "阜平县互助资金核查"
    assert form["承办单位"] == "阜平县扶贫开发办公室" and form["协办单位"] == "唐县扶贫开发办公室"
    assert (form["原定期限"], form["延期前期限"], form["申请延期至"]) == ("2026年11月16日", "2026年11月23日", "2026年11月30日")
    assert form["申请理由"].startswith("补充材料")
    assert (form["延期次数"], form["批准人"], form["批准日期"]) == (
        "第2次", "王主任", "2026年11月20日"
    )
    text = _text(target)
    assert "督查事项延期审批单" in text and "2026年12月16日" in text  # the cap: original due + 1 month
    cell_run = Document(str(target)).tables[0].rows[0].cells[1].paragraphs[0].runs[0]
    assert cell_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_extension_form_for_an_earlier_extension_is_dated_when_it_was_granted(ok, cases, tmp_path):
    target = tmp_path / "延期1.docx"
    ok("case", "extension-form", "2026-4", "--extension", "1", "--output", str(target))
    form = _form(target)
    assert (form["延期前期限"], form["申请延期至"], form["延期次数"]) == ("2026年11月16日", "2026年11月23日", "第1次")
    assert form["批准日期"] == "2026年11月10日"


def test_documents_are_a4_with_the_gbt9704_text_block(ok, cases, tmp_path):
    target = tmp_path / "通知.docx"
    ok("case", "notice", "1", "--output", str(target))
    section = Document(str(target)).sections[0]

    def mm(length) -> float:  # Word stores twips: millimetres to within 0.05
        return round(length / 36000, 1)  # EMU per millimetre

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.top_margin), mm(section.left_margin)) == (37, 28)
    assert mm(section.page_width - section.left_margin - section.right_margin) == 156


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ('[notice]\ntitle = "通知"\nparagraphs = ["{unit"]\nsignature = ""', "不成对的花括号"),
        ('[notice]\ntitle = "通知"\nparagraphs = ["{secret}"]\nsignature = ""', "未知的占位符 {secret}"),
        ('[notice]\ntitle = "通知"\nparagraphs = []\nrows = [["只有一项"]]\nsignature = ""', "两项"),
        ('[notice]\ntitle = "通知"\nsignature = ""', "缺少 paragraphs"),
        ("[urge]", "缺少 [notice] 一节"),
        ('[notice]\ntitle = "通知"\nparagraphs = []\nsignature = ""\ncopy_to = "甲"', "copy_to 须是文字的列表"),
        ('[notice]\ntitle = "通知"\nparagraphs = []\nsignature = ""\nblocks = [["意见", ""]]', "三项"),
        ('[notice]\ntitle = "通知"\nparagraphs = []\nsignature = ""\ncopy_to = ["{boss}"]', "未知的占位符 {boss}"),
        ('[letterhead]\ntop_mm = "三十五"\n[notice]\ntitle = "通知"\nparagraphs = []\nsignature = ""', "top_mm 是毫米数"),
        ('[letterhead]\nmark = "{nope}"\n[notice]\ntitle = "通知"\nparagraphs = []\nsignature = ""', "未知的占位符 {nope}"),
    ],
)
def test_a_broken_template_is_refused_in_chinese(tmp_path, section, message):
    from fupin_cli.domain.errors import BadFileError
    from fupin_cli.services.documents import load_template

    path = tmp_path / "notices.toml"
    path.write_text(section, encoding="utf-8")
    with pytest.raises(BadFileError, match=message.replace("[", r"\[").replace("{", r"\{")):
        load_template("notice", path)


def test_no_notice_after_acceptance_unless_reissued_then_dated_as_the_original(ok, cli, cases, tmp_path, db_dump):
    ok("case", "accept", "1", "--on", "2026-11-03")
    ok("case", "feedback", "1", "--report", "已核实", "--on", "2026-11-19")
    target = tmp_path / "n.docx"
    before = db_dump()
    result = cli("case", "notice", "1", "--output", str(target))
    assert result.exit_code == 1 and "--reissue" in result.stderr and not target.exists()
    assert db_dump() == before
    ok("case", "notice", "1", "--reissue", "--output", str(target))
    text = _text(target)
    assert "补发" in text and "2026年11月2日" in text and "2026年11月20日" not in text


def test_provisional_due_dates_are_marked_in_documents_with_a_warning(ok, tmp_path, monkeypatch):
    from fupin_cli.services.calendar import load_calendar
    from tests.integration.conftest import settings_for

    calendar = load_calendar(settings_for(str(tmp_path / "fupin.db"), tmp_path))
    if not calendar.provisional_years:
        pytest.skip("no provisional year in this calendar")
    year = calendar.provisional_years[0]
    day = f"{year - 1}-12-24"
    monkeypatch.setenv("FUPIN_TODAY", day)
    ok("case", "open", "核查唐县雨露计划补助发放", "--category", "雨露计划", "--on", day)
    ok("case", "approve", "1", "--by", "王主任", "--on", day)
    ok("case", "assign", "1", "--unit", "唐县", "--on", day)
    target = tmp_path / "n.docx"
    result = ok("case", "notice", "1", "--output", str(target))
    assert "暂定" in result.stderr and "（暂定）" in _text(target) + "".join(
        cell.text for table in Document(str(target)).tables for row in table.rows for cell in row.cells
    )


def test_report_urge_opens_the_database_once_and_reads_the_template_once(ok, cases, tmp_path, monkeypatch):
    from fupin_cli.services import database, documents
    from fupin_cli.storage import plain

    for serial in (5, 6):  # two more overdue cases: three notices from one opening
        ok("case", "open", f"第{serial}件核查", "--category", "政策", "--on", "2026-11-02")
        ok("case", "approve", str(serial), "--by", "王主任", "--on", "2026-11-02")
        ok("case", "assign", str(serial), "--unit", "唐县", "--on", "2026-11-02")
    counted = {"reader": 0, "connect": 0, "template": 0}

    def counting(name, real):
        def call(*args, **kwargs):
            counted[name] += 1
            return real(*args, **kwargs)

        return call

    monkeypatch.setattr(plain, "open_reader", counting("reader", plain.open_reader))
    monkeypatch.setattr(database, "connect", counting("connect", database.connect))
    monkeypatch.setattr(documents, "load_template", counting("template", documents.load_template))
    folder = tmp_path / "催办"
    folder.mkdir()
    ok("report", "urge", "--output", str(folder))
    assert len(list(folder.iterdir())) == 3
    assert counted == {"reader": 1, "connect": 0, "template": 1}
