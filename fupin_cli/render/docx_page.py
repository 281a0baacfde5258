"""The page of fupin's Word documents (python-docx), by GB/T 9704-2012 (党政机关公文格式): A4 with the
156 × 225 mm text block on a grid of 22 lines of 28 characters, the fonts and sizes of the official
format, page numbers 「— 1 —」, and the WordprocessingML pieces python-docx has no API for (East
Asian font slots, borders, the schema's order of properties). render/documents.py lays the notices
and forms out on it.

Word picks a Chinese font from the run's East Asian slot (w:rFonts w:eastAsia), which python-docx's
`font.name` does not set: every run sets the ASCII, high-ANSI and East Asian slots to the same family
(so digits come in 仿宋 too), and the font table names each family's fallback (w:altName), the fonts
an office without 方正 fonts has: 仿宋, 宋体, 黑体, 楷体.
"""

import unicodedata
from typing import Any

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = ("黑体", "楷体_GB2312")
"""The first and second levels of headings (一、 and （一）)."""
PAGE_NUMBER_FONT = "宋体"
FALLBACKS = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", "楷体_GB2312": "楷体", "黑体": "SimHei", "宋体": "SimSun"}
"""The name each family goes by where the office's own font is not installed (w:altName)."""
TITLE_SIZE = 22  # 二号
BODY_SIZE = 16  # 三号
SMALL_SIZE = 14  # 四号: 版记, page numbers, the form's cells
MARK_SIZE = 36  # 小初: the 发文机关标志, smaller when the name is long
RED = "FF0000"

# GB/T 9704-2012 5.2.1: 天头 37 mm, 订口 28 mm, 版心 156 mm × 225 mm on A4.
PAGE_MM = (210, 297)
TEXT_BLOCK_MM = (156, 225)
MARGINS_MM = {"top": 37, "bottom": 297 - 37 - 225, "left": 28, "right": 210 - 28 - 156}
LINES, CHARACTERS = 22, 28
"""5.2.3: 22 lines a page, 28 characters a line."""
LINE_PITCH_TWIPS = 579
"""225 mm / 22 lines = 28.95 pt: the grid's line pitch in twentieths of a point."""
LINE_PITCH = LINE_PITCH_TWIPS / 20
CHARACTER_PITCH = TEXT_BLOCK_MM[0] / 25.4 * 72 / CHARACTERS
"""156 mm / 28 = 15.79 pt from character to character."""
CHARACTER_SPACING = -5
"""w:spacing of the text's characters, in twentieths of a point: 16 pt characters set 15.75 pt
apart, 28 to the line. (A character grid, w:docGrid linesAndChars with w:charSpace -848, does the
same in Word, but LibreOffice then gives each 16 pt character two cells of the 15.79 pt grid.)"""
PAGE_NUMBER_GAP_MM = 7
"""7.5: the dashes of the page number 7 mm under the text block."""
RULE_THICK, RULE_THIN, RED_RULE = 8, 6, 8
"""Rules in eighths of a point: 版记 0.35 mm and 0.25 mm (7.4.1); the red 分隔线 1 pt."""
IMPRINT_PITCH = 26
"""A line of the 版记 (四号), in points."""
FORM_SIZE = 12  # 小四: the form's cells and its note
FORM_LINE_PITCH = 18
"""Inside the form's table: 小四 text, so that the form and its signature lines fit on one page."""
FORM_BLOCK_MM = 28
FORM_ROW_MM = 9
"""The least height of a line of facts."""
"""The least height of an opinion block of the form: room for a handwritten opinion and signature."""


def fonts(element: Any, font: str) -> None:
    """The ASCII, high-ANSI and East Asian slots all set to `font` (hint: East Asian)."""
    from docx.oxml.ns import qn

    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), font)
    fonts.set(qn("w:hint"), "eastAsia")


def run(paragraph: Any, text: str, *, font: str, size: float, color: str | None = None) -> Any:
    from docx.shared import Pt, RGBColor

    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    fonts(run._element, font)
    return run


def paragraph(container: Any, *, pitch: float = LINE_PITCH, align: Any = None) -> Any:
    """A paragraph with exact line spacing `pitch` (points) and no space around it."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    paragraph = container.add_paragraph()
    form = paragraph.paragraph_format
    form.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    form.line_spacing = Pt(pitch)
    form.space_before = form.space_after = Pt(0)
    if align is not None:
        paragraph.alignment = align
    return paragraph


def blank(container: Any, lines: int = 1) -> None:
    for _ in range(lines):
        paragraph(container)


def element(tag: str, **attributes: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


def indent_chars(
    paragraph: Any, *, first: float = 0, left: float = 0, right: float = 0, size: float = BODY_SIZE
) -> None:
    """Indents in characters (w:firstLineChars etc., hundredths of a character) and in points."""
    from docx.shared import Pt

    form = paragraph.paragraph_format
    form.first_line_indent = Pt(first * size) if first else None
    form.left_indent = Pt(left * size) if left else None
    form.right_indent = Pt(right * size) if right else None
    indent = paragraph._p.get_or_add_pPr().find(qn("w:ind"))
    if indent is not None:
        first_name = "firstLineChars" if first >= 0 else "hangingChars"
        for name, value in ((first_name, abs(first)), ("leftChars", left), ("rightChars", right)):
            if value:
                indent.set(qn(f"w:{name}"), str(round(value * 100)))


def qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def border(paragraph_or_cell_properties: Any, tag: str, edges: dict[str, tuple[int, str]]) -> None:
    """w:pBdr / w:tcBorders / w:tblBorders: each edge a single line of (size in 1/8 pt, colour)."""
    borders = element(tag)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if edge in edges:
            size, color = edges[edge]
            borders.append(element(f"w:{edge}", val="single", sz=str(size), space="0", color=color))
        elif tag != "w:pBdr":
            borders.append(element(f"w:{edge}", val="nil"))
    paragraph_or_cell_properties.append(borders)


def text_width(text: str) -> float:
    """Width in characters of the grid: a Chinese character 1, a half-width digit or letter 1/2."""
    return sum(1 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 0.5 for ch in text)


# --- the page ------------------------------------------------------------------------------------


def page(doc: Any) -> None:
    from docx.shared import Mm, Pt

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = Mm(15)
    # The footer's line (四号, exactly 14 pt) starts 7 mm under the text block.
    section.footer_distance = Mm(MARGINS_MM["bottom"] - PAGE_NUMBER_GAP_MM) - Pt(SMALL_SIZE)
    properties = section._sectPr
    for old in properties.findall(qn("w:docGrid")):
        properties.remove(old)
    properties.append(element("w:docGrid", type="lines", linePitch=str(LINE_PITCH_TWIPS)))
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_SIZE)
    fonts(normal.element, BODY_FONT)
    normal.paragraph_format.line_spacing = Pt(LINE_PITCH)
    normal.paragraph_format.space_after = Pt(0)
    # 28 characters of 三号 in the 156 mm line: each a quarter point closer (see CHARACTER_SPACING).
    normal.element.get_or_add_rPr().append(element("w:spacing", val=str(CHARACTER_SPACING)))
    font_table(doc)
    page_numbers(doc, section)


def font_table(doc: Any) -> None:
    """Name every family the document uses in word/fontTable.xml, with its fallback (w:altName) and
    the GB2312 character set, so that Word and WPS substitute the right kind of font."""
    from docx.oxml import parse_xml

    part = next(part for part in doc.part.package.iter_parts() if str(part.partname) == "/word/fontTable.xml")
    table = parse_xml(part.blob)
    for name, fallback in FALLBACKS.items():
        font = element("w:font", name=name)
        font.append(element("w:altName", val=fallback))
        font.append(element("w:charset", val="86"))
        font.append(element("w:family", val="modern" if name != TITLE_FONT else "roman"))
        font.append(element("w:pitch", val="variable"))
        table.append(font)
    from lxml import etree

    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def page_numbers(doc: Any, section: Any) -> None:
    """「— 1 —」: 宋体 四号 half-width digits between dashes, 右空一字 on odd pages, 左空一字 on even."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align, side in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        paragraph.paragraph_format.line_spacing = None
        indent_chars(paragraph, size=SMALL_SIZE, **{side: 1})
        run(paragraph, "— ", font=PAGE_NUMBER_FONT, size=SMALL_SIZE)
        field = run(paragraph, "", font=PAGE_NUMBER_FONT, size=SMALL_SIZE)._r
        field.append(element("w:fldChar", fldCharType="begin"))
        instruction = element("w:instrText")
        instruction.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        instruction.text = " PAGE "
        field.append(instruction)
        field.append(element("w:fldChar", fldCharType="separate"))
        value = element("w:t")
        value.text = "1"
        field.append(value)
        field.append(element("w:fldChar", fldCharType="end"))
        run(paragraph, " —", font=PAGE_NUMBER_FONT, size=SMALL_SIZE)


ORDER = {
    "pPr": ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
            "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
            "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
            "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
            "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
            "sectPr", "pPrChange"),
    "tblPr": ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
              "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar",
              "tblLook", "tblCaption", "tblDescription", "tblPrChange"),
    "rPr": ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
            "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
            "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
            "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath"),
}  # fmt: skip
"""The order WordprocessingML's schema gives the children of these elements (Word refuses others)."""


def schema_order(doc: Any) -> None:
    for name, order in ORDER.items():
        rank = {qn(f"w:{child}"): index for index, child in enumerate(order)}
        for part in (doc.part, doc.part._styles_part, *(item.part for item in footers(doc))):
            for element in part.element.iter(qn(f"w:{name}")):
                element[:] = sorted(element, key=lambda child: rank.get(child.tag, len(rank)))


def footers(doc: Any) -> list[Any]:
    section = doc.sections[0]
    return [section.footer, section.even_page_footer]
