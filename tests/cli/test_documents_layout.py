"""The notices' layout by GB/T 9704-2012, read from the .docx XML: 版头, red rule, 版记 and its rules,
page-number fields, the 22 × 28 grid, fonts in the East Asian slot, quote nesting, and what each
notice says about the case (主办, 协办, 主任办公会, a division by its name)."""

from datetime import date, timedelta

import pytest
from docx import Document
from docx.oxml.ns import qn

from fupin_cli.domain.dates import format_chinese
from fupin_cli.render import documents as layout
from fupin_cli.render import docx_page as page
from fupin_cli.services.documents import Document as Notice
from fupin_cli.services.documents import Letterhead

TODAY = "2026-11-20"
RED = "FF0000"


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("FUPIN_TODAY", TODAY)
    return TODAY


@pytest.fixture
def cases(ok):
    """1: quoted title, 唐县 with 阜平县 and 顺平县 assisting, late. 2: 重大, approved by the 主任办公会,
    assigned to the division 规划项目处."""
    ok("case", "open", "核查唐县“两不愁三保障”落实情况", "--category", "雨露计划", "--on", "2026-11-02")
    ok("case", "approve", "1", "--by", "王主任", "--on", "2026-11-02")
    ok(
        "case",
        "assign",
        "1",
        "--unit",
        "唐县",
        "--assist",
        "阜平县",
        "--assist",
        "顺平县",
        "--on",
        "2026-11-02",
    )
    ok("case", "open", "阜平县互助资金核查", "--category", "互助资金", "--major", "--on", "2026-11-02")
    ok("case", "approve", "2", "--meeting", "〔2026〕9号", "--on", "2026-11-03")
    ok("case", "assign", "2", "--unit", "规划项目处", "--on", "2026-11-03")


def _paragraphs(path):
    return Document(str(path)).paragraphs


def _text(path) -> str:
    return "\n".join(paragraph.text for paragraph in _paragraphs(path))


def _notice(ok, tmp_path, *args: str):
    target = tmp_path / f"{'-'.join(args)}.docx"
    ok("case", *args, "--output", str(target))
    return target


def _border(paragraph, edge: str) -> tuple[str, str] | None:
    borders = paragraph._p.pPr.find(qn("w:pBdr"))
    line = borders.find(qn(f"w:{edge}")) if borders is not None else None
    return None if line is None else (line.get(qn("w:sz")), line.get(qn("w:color")))


def _fonts(run) -> dict[str, str]:
    fonts = run._element.rPr.rFonts
    return {slot: fonts.get(qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "eastAsia")}


def test_the_letterhead_mark_in_red_35_mm_down_the_number_and_the_red_rule(ok, cases, tmp_path):
    paragraphs = _paragraphs(_notice(ok, tmp_path, "urge", "1"))
    mark, number = paragraphs[0], paragraphs[3]
    assert mark.text == "保定市扶贫开发办公室" and mark.alignment == 1  # centred
    assert round(mark.paragraph_format.space_before.mm) == 35
    assert str(mark.runs[0].font.color.rgb) == RED
    assert _fonts(mark.runs[0])["eastAsia"] == "方正小标宋简体"
    assert [p.text for p in paragraphs[1:3]] == ["", ""]  # 空二行
    assert number.text == "督查〔2026〕1号" and number.alignment == 1
    assert _border(number, "bottom") == ("8", RED)
    title = paragraphs[6]
    assert [p.text for p in paragraphs[4:6]] == ["", ""] and title.text == "督查事项催办通知书"
    assert title.runs[0].font.size.pt == 22 and _fonts(title.runs[0])["eastAsia"] == "方正小标宋简体"


def test_the_grid_is_22_lines_of_28_characters_and_the_fonts_sit_in_every_slot(ok, cases, tmp_path):
    path = _notice(ok, tmp_path, "notice", "1")
    doc = Document(str(path))
    section = doc.sections[0]
    grid = section._sectPr.find(qn("w:docGrid"))
    pitch = int(grid.get(qn("w:linePitch")))  # twips
    assert grid.get(qn("w:type")) == "lines" and pitch == 579
    assert round(22 * pitch / 20 / 72 * 25.4) == 225  # 22 lines fill the 225 mm text block
    normal = doc.styles["Normal"].element.rPr
    spacing = int(normal.find(qn("w:spacing")).get(qn("w:val"))) / 20  # points
    assert normal.sz_val.pt == 16
    line = (section.page_width - section.left_margin - section.right_margin) / 12700  # EMU to points
    assert 28 * (16 + spacing) <= line < 29 * (16 + spacing)  # 28 characters to the line, not 29
    mark, *body = [p for p in doc.paragraphs if p.text and p._p.pPr.find(qn("w:framePr")) is None]
    assert mark.runs[0].font.size.pt == 36  # 小初, its own line
    for paragraph in body:
        assert paragraph.paragraph_format.line_spacing.pt == pytest.approx(28.95)
        for run in paragraph.runs:
            fonts = _fonts(run)
            assert fonts["ascii"] == fonts["hAnsi"] == fonts["eastAsia"]  # digits in the same family
            assert fonts["eastAsia"] in ("仿宋_GB2312", "方正小标宋简体")
    fonts_xml = next(
        p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"
    ).blob
    for name, fallback in (("仿宋_GB2312", "仿宋"), ("方正小标宋简体", "宋体"), ("楷体_GB2312", "楷体")):
        assert f'w:name="{name}"><w:altName w:val="{fallback}"/>' in fonts_xml.decode()


def test_page_numbers_are_page_fields_between_dashes_right_on_odd_pages_left_on_even(ok, cases, tmp_path):
    doc = Document(str(_notice(ok, tmp_path, "notice", "1")))
    assert doc.settings.odd_and_even_pages_header_footer
    section = doc.sections[0]
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        (paragraph,) = footer.paragraphs
        xml = paragraph._p.xml
        assert (
            'w:fldCharType="begin"' in xml and '<w:instrText xml:space="preserve"> PAGE </w:instrText>' in xml
        )
        assert paragraph.text == "— 1 —"
        assert all(run.font.size.pt == 14 and _fonts(run)["ascii"] == "宋体" for run in paragraph.runs)
        assert paragraph.alignment == (2 if side == "right" else 0)
        indent = paragraph._p.pPr.find(qn("w:ind"))
        assert indent.get(qn(f"w:{side}Chars")) == "100"  # 空一字
    # The dashes 7 mm under the 225 mm text block: the footer's 14 pt line ends 35 - 7 mm up.
    assert round(section.footer_distance.mm + 14 / 72 * 25.4) == 35 - 7


def test_the_imprint_holds_copy_to_and_the_printing_office_between_thick_and_thin_rules(ok, cases, tmp_path):
    paragraphs = _paragraphs(_notice(ok, tmp_path, "urge", "1"))
    framed = [p for p in paragraphs if p._p.pPr is not None and p._p.pPr.find(qn("w:framePr")) is not None]
    copy_to, printed = framed
    assert (
        copy_to.text == "抄送：唐县扶贫开发办公室主要负责同志，阜平县扶贫开发办公室，顺平县扶贫开发办公室。"
    )
    assert printed.text == "保定市扶贫开发办公室\t2026年11月20日印发"
    assert _border(copy_to, "top") == ("8", "000000") and _border(copy_to, "bottom") == ("6", "000000")
    assert _border(printed, "bottom") == ("8", "000000")
    frames = [p._p.pPr.find(qn("w:framePr")) for p in framed]
    bottom = sum(int(f.get(qn("w:y"))) for f in frames[-1:]) + int(frames[-1].get(qn("w:h")))
    assert round(bottom / 1440 * 25.4) == 225  # the last rule on the foot of the text block
    assert int(frames[0].get(qn("w:y"))) + int(frames[0].get(qn("w:h"))) == int(frames[1].get(qn("w:y")))
    assert all(run.font.size.pt == 14 for p in framed for run in p.runs)  # 四号
    indent = copy_to._p.pPr.find(qn("w:ind"))  # 回行时与冒号后的首字对齐
    assert (indent.get(qn("w:leftChars")), indent.get(qn("w:hangingChars"))) == ("400", "300")


def test_a_notice_without_copies_has_the_printing_line_alone(ok, cases, tmp_path):
    paragraphs = _paragraphs(_notice(ok, tmp_path, "notice", "2"))
    framed = [p for p in paragraphs if p._p.pPr is not None and p._p.pPr.find(qn("w:framePr")) is not None]
    assert [p.text for p in framed] == ["保定市扶贫开发办公室\t2026年11月20日印发"]
    assert _border(framed[0], "top") == ("8", "000000") and _border(framed[0], "bottom") == ("8", "000000")


def test_the_notice_names_lead_and_assisting_units_and_nests_quotes(ok, cases, tmp_path):
    text = _text(_notice(ok, tmp_path, "notice", "1"))
    assert "唐县扶贫开发办公室、阜平县扶贫开发办公室、顺平县扶贫开发办公室：" in text  # 主送机关
    assert "本事项由唐县扶贫开发办公室主办，阜平县扶贫开发办公室、顺平县扶贫开发办公室协办。" in text
    assert "“核查唐县‘两不愁三保障’落实情况”" in text and "“两不愁" not in text
    assert "经审定" in text and "主任办公会" not in text


def test_a_major_case_names_the_directors_meeting_and_a_division_is_addressed_by_name(ok, cases, tmp_path):
    text = _text(_notice(ok, tmp_path, "notice", "2"))
    assert "经2026年11月3日主任办公会审定（纪要〔2026〕9号）" in text
    assert "规划项目处：" in text and "请规划项目处按照职责" in text and "你单位" not in text


def test_signature_centred_over_the_date_which_stands_four_characters_from_the_right(ok, cases, tmp_path):
    paragraphs = [p for p in _paragraphs(_notice(ok, tmp_path, "notice", "1")) if p.text]
    signature, dated = [p for p in paragraphs if p.text in ("保定市扶贫开发办公室", "2026年11月20日")][-2:]
    assert paragraphs.index(dated) == paragraphs.index(signature) + 1
    right = {
        p.text: int(p._p.pPr.find(qn("w:ind")).get(qn("w:rightChars"))) / 100 for p in (signature, dated)
    }
    assert right["2026年11月20日"] == 4
    centre = 4 + page.text_width("2026年11月20日") / 2
    assert right["保定市扶贫开发办公室"] + 10 / 2 == pytest.approx(centre)  # the same centre
    assert signature.paragraph_format.keep_with_next
    last_text = paragraphs[paragraphs.index(signature) - 1]
    assert last_text.text == "特此通知。" and last_text.paragraph_format.keep_with_next  # never alone
    everything = _paragraphs(_notice(ok, tmp_path, "notice", "1"))
    at = next(i for i, p in enumerate(everything) if p.text == "保定市扶贫开发办公室" and i > 3)
    assert [p.text for p in everything[at - 2 : at]] == ["", ""]  # room for the seal


def _sample(day: date, *, copy_to: tuple[str, ...] = ("甲单位",)) -> Notice:
    dated = format_chinese(day)
    head = Letterhead(mark="保定市扶贫开发办公室", color=RED, top_mm=35, number="督查〔2026〕1号",
                      printed_by="保定市扶贫开发办公室", printed_on=dated)  # fmt: skip
    return Notice(kind="urge", no="督查〔2026〕1号", title="督查事项催办通知书", salutation="甲单位：",
                  paragraphs=("正文。",), signature="保定市扶贫开发办公室", dated=dated, file_label="催办通知书",
                  letterhead=head, copy_to=copy_to)  # fmt: skip


@pytest.mark.parametrize(
    "day",
    [date(2026, 1, 1) + timedelta(days=n) for n in range(0, 731, 23)]
    + [date(2027, 2, 5), date(2026, 9, 30), date(2027, 1, 4), date(2026, 12, 31)],
)
def test_dates_in_arabic_numerals_without_padding_and_the_signature_centred_on_them(day):
    doc = layout.build(_sample(day))
    texts = [p.text for p in doc.paragraphs if p.text]
    dated = f"{day.year}年{day.month}月{day.day}日"
    assert dated in texts and f"保定市扶贫开发办公室\t{dated}印发" in texts
    assert "年0" not in "".join(texts) and "月0" not in "".join(texts)
    signature = next(p for p in doc.paragraphs if p.text == "保定市扶贫开发办公室" and p.alignment == 2)
    date_paragraph = next(p for p in doc.paragraphs if p.text == dated)

    def right(paragraph) -> float:
        return int(paragraph._p.pPr.find(qn("w:ind")).get(qn("w:rightChars"))) / 100

    centre = right(date_paragraph) + page.text_width(dated) / 2
    assert right(signature) + page.text_width("保定市扶贫开发办公室") / 2 == pytest.approx(centre, abs=0.01)


def test_headings_of_the_first_and_second_levels_in_heiti_and_kaiti():
    notice = _sample(date(2026, 11, 20))
    doc = layout.build(
        Notice(**{**notice.__dict__, "paragraphs": ("一、总体要求", "（一）核查范围。全市各县。", "正文。")})
    )
    first = next(p for p in doc.paragraphs if p.text == "一、总体要求")
    second = next(p for p in doc.paragraphs if p.text.startswith("（一）"))
    assert _fonts(first.runs[0])["eastAsia"] == "黑体"
    assert _fonts(second.runs[0])["eastAsia"] == "楷体_GB2312" and second.runs[0].text == "（一）核查范围。"
    assert _fonts(second.runs[1])["eastAsia"] == "仿宋_GB2312"


def test_the_xml_keeps_the_schema_order_word_requires(ok, cases, tmp_path):
    doc = Document(str(_notice(ok, tmp_path, "urge", "1")))
    order = page.ORDER["pPr"]
    for properties in doc.element.body.iter(qn("w:pPr")):
        names = [child.tag.split("}")[1] for child in properties]
        assert names == sorted(names, key=order.index)


def test_the_extension_form_has_opinion_blocks_with_signature_lines(ok, tmp_path):
    ok("case", "open", "阜平县互助资金核查", "--category", "互助资金", "--on", "2026-11-02")
    ok("case", "approve", "1", "--by", "王主任", "--on", "2026-11-02")
    ok("case", "assign", "1", "--unit", "阜平县", "--on", "2026-11-02")
    ok(
        "case",
        "extend",
        "1",
        "--to",
        "2026-11-23",
        "--reason",
        "涉及村多",
        "--by",
        "李处长",
        "--on",
        "2026-11-10",
    )
    doc = Document(str(_notice(ok, tmp_path, "extension-form", "1")))
    (table,) = doc.tables
    blocks = {row.cells[0].text: row.cells[1] for row in table.rows[-4:]}
    assert list(blocks) == ["申请理由", "承办单位意见", "监督检查处意见", "领导审批意见"]
    assert blocks["申请理由"].paragraphs[0].text == "涉及村多"
    for label, cell in blocks.items():
        signature = cell.paragraphs[-1]
        assert signature.text.endswith("年　　月　　日") and signature.alignment == 2, label
    assert "负责人（签字）" in blocks["监督检查处意见"].paragraphs[-1].text
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    assert not any(
        p._p.pPr is not None and p._p.pPr.find(qn("w:framePr")) is not None for p in doc.paragraphs
    )


@pytest.mark.parametrize(
    ("text", "nested"),
    [
        ("“核查“两不愁”落实”", "“核查‘两不愁’落实”"),
        ("“甲“乙“丙”乙”甲”", "“甲‘乙“丙”乙’甲”"),
        ("“甲‘乙’甲”", "“甲‘乙’甲”"),
        ("无引号", "无引号"),
        ("多余的”", "多余的”"),
    ],
)
def test_quotes_nest_by_the_rule(text, nested):
    from fupin_cli.domain.text import nest_quotes

    assert nest_quotes(text) == nested


def test_ascii_quotes_in_pairs_become_chinese_ones():
    from fupin_cli.domain.text import plain_quotes

    assert plain_quotes('落实"两不愁"情况') == "落实“两不愁”情况"
    assert plain_quotes('只有一个"引号') == '只有一个"引号'
