"""Notices and forms as Word files (python-docx), laid out by GB/T 9704-2012 (党政机关公文格式).

A notice: A4 with the 156 × 225 mm text block (天头 37 mm, 订口 28 mm) on a grid of 22 lines of 28
characters; the 版头 (发文机关标志 in red 35 mm below the top of the text block, the 发文字号 two lines
under it and the red rule 4 mm under that); the title in 小标宋 二号 two lines under the rule; the
主送机关 a line under the title; the text in 仿宋 三号, paragraphs indented two characters; the
发文机关署名 centred over the 成文日期 (右空四字) with two lines left for the seal; the 版记 (抄送,
印发机关 and 印发日期 in 仿宋 四号 between a thick, a thin and a thick rule) at the foot of the last page;
page numbers 「— 1 —」 in 宋体 四号 7 mm under the text block, right on odd pages and left on even.
A form (延期审批单) has the same page and fonts, its title, a table and signature lines.

Word picks a Chinese font from the run's East Asian slot (w:rFonts w:eastAsia), which python-docx's
`font.name` does not set: every run sets the ASCII, high-ANSI and East Asian slots to the same family
(so digits come in 仿宋 too), and the font table names each family's fallback (w:altName), the fonts
an office without 方正 fonts has: 仿宋, 宋体, 黑体, 楷体.
"""

import re
import unicodedata
from pathlib import Path
from typing import Any

from fupin_cli.domain.errors import InvalidInputError
from fupin_cli.services.documents import Document, Letterhead
from fupin_cli.services.output_files import checked_target, output_errors, save_zipped, write_atomically

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


def _fonts(element: Any, font: str) -> None:
    """The ASCII, high-ANSI and East Asian slots all set to `font` (hint: East Asian)."""
    from docx.oxml.ns import qn

    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), font)
    fonts.set(qn("w:hint"), "eastAsia")


def _run(paragraph: Any, text: str, *, font: str, size: float, color: str | None = None) -> Any:
    from docx.shared import Pt, RGBColor

    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    _fonts(run._element, font)
    return run


def _paragraph(container: Any, *, pitch: float = LINE_PITCH, align: Any = None) -> Any:
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


def _blank(container: Any, lines: int = 1) -> None:
    for _ in range(lines):
        _paragraph(container)


def _element(tag: str, **attributes: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _indent_chars(
    paragraph: Any, *, first: float = 0, left: float = 0, right: float = 0, size: float = BODY_SIZE
) -> None:
    """Indents in characters (w:firstLineChars etc., hundredths of a character) and in points."""
    from docx.shared import Pt

    form = paragraph.paragraph_format
    form.first_line_indent = Pt(first * size) if first else None
    form.left_indent = Pt(left * size) if left else None
    form.right_indent = Pt(right * size) if right else None
    indent = paragraph._p.get_or_add_pPr().find(_qn("w:ind"))
    if indent is not None:
        first_name = "firstLineChars" if first >= 0 else "hangingChars"
        for name, value in ((first_name, abs(first)), ("leftChars", left), ("rightChars", right)):
            if value:
                indent.set(_qn(f"w:{name}"), str(round(value * 100)))


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _border(paragraph_or_cell_properties: Any, tag: str, edges: dict[str, tuple[int, str]]) -> None:
    """w:pBdr / w:tcBorders / w:tblBorders: each edge a single line of (size in 1/8 pt, colour)."""
    borders = _element(tag)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if edge in edges:
            size, color = edges[edge]
            borders.append(_element(f"w:{edge}", val="single", sz=str(size), space="0", color=color))
        elif tag != "w:pBdr":
            borders.append(_element(f"w:{edge}", val="nil"))
    paragraph_or_cell_properties.append(borders)


def text_width(text: str) -> float:
    """Width in characters of the grid: a Chinese character 1, a half-width digit or letter 1/2."""
    return sum(1 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 0.5 for ch in text)


# --- the page ------------------------------------------------------------------------------------


def _page(doc: Any) -> None:
    from docx.shared import Mm, Pt

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = Mm(15)
    # The footer's line (四号, exactly 14 pt) starts 7 mm under the text block.
    section.footer_distance = Mm(MARGINS_MM["bottom"] - PAGE_NUMBER_GAP_MM) - Pt(SMALL_SIZE)
    properties = section._sectPr
    for old in properties.findall(_qn("w:docGrid")):
        properties.remove(old)
    properties.append(_element("w:docGrid", type="lines", linePitch=str(LINE_PITCH_TWIPS)))
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_SIZE)
    _fonts(normal.element, BODY_FONT)
    normal.paragraph_format.line_spacing = Pt(LINE_PITCH)
    normal.paragraph_format.space_after = Pt(0)
    # 28 characters of 三号 in the 156 mm line: each a quarter point closer (see CHARACTER_SPACING).
    normal.element.get_or_add_rPr().append(_element("w:spacing", val=str(CHARACTER_SPACING)))
    _font_table(doc)
    _page_numbers(doc, section)


def _font_table(doc: Any) -> None:
    """Name every family the document uses in word/fontTable.xml, with its fallback (w:altName) and
    the GB2312 character set, so that Word and WPS substitute the right kind of font."""
    from docx.oxml import parse_xml

    part = next(part for part in doc.part.package.iter_parts() if str(part.partname) == "/word/fontTable.xml")
    table = parse_xml(part.blob)
    for name, fallback in FALLBACKS.items():
        font = _element("w:font", name=name)
        font.append(_element("w:altName", val=fallback))
        font.append(_element("w:charset", val="86"))
        font.append(_element("w:family", val="modern" if name != TITLE_FONT else "roman"))
        font.append(_element("w:pitch", val="variable"))
        table.append(font)
    from lxml import etree

    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_numbers(doc: Any, section: Any) -> None:
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
        _indent_chars(paragraph, size=SMALL_SIZE, **{side: 1})
        _run(paragraph, "— ", font=PAGE_NUMBER_FONT, size=SMALL_SIZE)
        field = _run(paragraph, "", font=PAGE_NUMBER_FONT, size=SMALL_SIZE)._r
        field.append(_element("w:fldChar", fldCharType="begin"))
        instruction = _element("w:instrText")
        instruction.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        instruction.text = " PAGE "
        field.append(instruction)
        field.append(_element("w:fldChar", fldCharType="separate"))
        value = _element("w:t")
        value.text = "1"
        field.append(value)
        field.append(_element("w:fldChar", fldCharType="end"))
        _run(paragraph, " —", font=PAGE_NUMBER_FONT, size=SMALL_SIZE)


# --- a notice ------------------------------------------------------------------------------------


def _letterhead(doc: Any, head: Letterhead) -> None:
    """版头: the mark in red, 35 mm down; two lines under it the number; 4 mm under that the red rule."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    size = min(MARK_SIZE, int(TEXT_BLOCK_MM[0] / 25.4 * 72 / max(text_width(head.mark), 1)))
    mark = _paragraph(doc, pitch=size * 1.25, align=WD_ALIGN_PARAGRAPH.CENTER)
    mark.paragraph_format.space_before = Mm(head.top_mm)
    _run(mark, head.mark, font=TITLE_FONT, size=size, color=head.color)
    _blank(doc, 2)
    number = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.CENTER)
    _run(number, head.number, font=BODY_FONT, size=BODY_SIZE)
    # The rule: the number's line is 28.95 pt, its characters 16 pt in the middle of it; the border
    # lies at the foot of the line, about 4 mm under the characters.
    _border(number._p.get_or_add_pPr(), "w:pBdr", {"bottom": (RED_RULE, head.color)})
    number.paragraph_format.space_after = Pt(0)


def _signature(doc: Any, signature: str, dated: str) -> None:
    """署名 centred over the 成文日期, which stands 右空四字; two lines above left for the seal,
    which is pressed over both (7.3.5.1)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    for _ in range(2):
        _paragraph(doc).paragraph_format.keep_with_next = True
    date_right = 4
    signature_right = max(0.0, date_right + (text_width(dated) - text_width(signature)) / 2)
    lines: tuple[tuple[str, float], ...] = ((dated, date_right),)
    if signature:
        lines = ((signature, signature_right), *lines)
    for index, (text, right) in enumerate(lines):
        paragraph = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.RIGHT)
        _indent_chars(paragraph, right=right)
        paragraph.paragraph_format.keep_with_next = index < len(lines) - 1
        _run(paragraph, text, font=BODY_FONT, size=BODY_SIZE)


def _imprint(doc: Any, document: Document, head: Letterhead) -> None:
    """版记 at the foot of the last page (7.4): 抄送 (回行时与冒号后的首字对齐) and 印发机关 with
    印发日期, each in a frame of fixed height placed from the top of the text block, so that the
    last rule lies on its bottom edge; a thick rule above, a thin one between, a thick one below."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Mm, Pt

    frames: list[tuple[str, int]] = []
    if document.copy_to:
        text = f"抄送：{'，'.join(document.copy_to)}。"
        per_line = (TEXT_BLOCK_MM[0] / 25.4 * 72 / SMALL_SIZE) - 5  # less the indents
        frames.append((text, max(1, -(-int(text_width(text) - 3) // int(per_line)))))
    frames.append((f"{head.printed_by}\t{head.printed_on}印发", 1))
    height = TEXT_BLOCK_MM[1] / 25.4 * 1440  # twips
    top = height - sum(lines for _, lines in frames) * IMPRINT_PITCH * 20
    for index, (text, lines) in enumerate(frames):
        if index:  # frames apart, or LibreOffice joins them into one and loses the place of the first
            _paragraph(doc, pitch=1)
        paragraph = _paragraph(doc, pitch=IMPRINT_PITCH)
        properties = paragraph._p.get_or_add_pPr()
        properties.append(
            _element("w:framePr", w=str(round(TEXT_BLOCK_MM[0] / 25.4 * 1440)), h=str(lines * IMPRINT_PITCH * 20),
                     hRule="exact", wrap="notBeside", hAnchor="margin", vAnchor="margin", xAlign="center",
                     y=str(round(top)))
        )  # fmt: skip
        properties.append(_element("w:snapToGrid", val="0"))
        top += lines * IMPRINT_PITCH * 20
        edges = {"bottom": (RULE_THICK if index == len(frames) - 1 else RULE_THIN, "000000")}
        if index == 0:
            edges["top"] = (RULE_THICK, "000000")
        _border(properties, "w:pBdr", edges)
        if text.startswith("抄送："):
            _indent_chars(paragraph, first=-3, left=4, right=1, size=SMALL_SIZE)
        else:
            _indent_chars(paragraph, left=1, right=1, size=SMALL_SIZE)
            paragraph.paragraph_format.tab_stops.add_tab_stop(
                Mm(TEXT_BLOCK_MM[0]) - Pt(2 * SMALL_SIZE), WD_TAB_ALIGNMENT.RIGHT
            )
        _run(paragraph, text, font=BODY_FONT, size=SMALL_SIZE)


_FIRST_LEVEL = re.compile(r"^[一二三四五六七八九十]+、")
_SECOND_LEVEL = re.compile(r"^（[一二三四五六七八九十]+）")


def _text_paragraph(doc: Any, text: str) -> None:
    """A paragraph of the text, 左空二字; a heading 一、 in 黑体, （一） in 楷体 up to its first 。."""
    paragraph = _paragraph(doc)
    _indent_chars(paragraph, first=2)
    if _FIRST_LEVEL.match(text):
        _run(paragraph, text, font=HEADING_FONTS[0], size=BODY_SIZE)
    elif _SECOND_LEVEL.match(text):
        heading, stop, rest = text.partition("。")
        _run(paragraph, heading + stop, font=HEADING_FONTS[1], size=BODY_SIZE)
        if rest:
            _run(paragraph, rest, font=BODY_FONT, size=BODY_SIZE)
    else:
        _run(paragraph, text, font=BODY_FONT, size=BODY_SIZE)


def _notice(doc: Any, document: Document, head: Letterhead) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    _letterhead(doc, head)
    _blank(doc, 2)
    title = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.CENTER)
    _run(title, document.title, font=TITLE_FONT, size=TITLE_SIZE)
    _blank(doc)
    if document.salutation.strip("：:"):  # not a bare colon: a case not yet assigned has no 主送机关
        _run(_paragraph(doc), document.salutation, font=BODY_FONT, size=BODY_SIZE)
    for text in document.paragraphs:
        _text_paragraph(doc, text)
    # The signature never stands on a page without text (7.3.5.5): the last paragraph goes with it.
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    _signature(doc, document.signature, document.dated)
    _imprint(doc, document, head)


# --- a form --------------------------------------------------------------------------------------


def _cell_text(cell: Any, text: str, *, align: Any = None, first: bool = True) -> Any:
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    form = paragraph.paragraph_format
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    form.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    form.line_spacing = Pt(FORM_LINE_PITCH)
    form.space_before = form.space_after = Pt(1)
    paragraph._p.get_or_add_pPr().append(_element("w:snapToGrid", val="0"))  # the form's own pitch
    if align is not None:
        paragraph.alignment = align
    if text:
        _run(paragraph, text, font=BODY_FONT, size=FORM_SIZE)
    return paragraph


FORM_COLUMNS_MM = (34, 44, 34, 44)
PAIRED_VALUE_CHARS = 9
"""A value this wide or narrower shares its line with the next one; a wider one takes the line."""


def _form(doc: Any, document: Document) -> None:
    """The facts two to a line where they fit, then each opinion block with its signature line."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    lines: list[list[tuple[str, str]]] = []
    for label, value in document.rows:
        narrow = text_width(value) <= PAIRED_VALUE_CHARS
        if narrow and lines and len(lines[-1]) == 1 and text_width(lines[-1][0][1]) <= PAIRED_VALUE_CHARS:
            lines[-1].append((label, value))
        else:
            lines.append([(label, value)])
    table = doc.add_table(rows=len(lines) + len(document.blocks), cols=len(FORM_COLUMNS_MM))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, FORM_COLUMNS_MM, strict=True):
        column.width = Mm(width)  # the grid: LibreOffice reads the widths from it, Word from the cells
    for row in table.rows:
        row._tr.get_or_add_trPr().append(_element("w:cantSplit"))  # a block stays on one page
        for cell, width in zip(row.cells, FORM_COLUMNS_MM, strict=True):
            cell.width = Mm(width)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for row, pairs in zip(table.rows, lines, strict=False):
        row.height = Mm(FORM_ROW_MM)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        cells = row.cells
        if len(pairs) == 1:
            cells[1].merge(cells[3])
        for (label, value), (label_cell, value_cell) in zip(
            pairs, ((cells[0], cells[1]), (cells[2], cells[3])), strict=False
        ):
            _cell_text(label_cell, label, align=WD_ALIGN_PARAGRAPH.CENTER)
            _cell_text(value_cell, value)
    for row, (label, text, signature) in zip(table.rows[len(lines) :], document.blocks, strict=True):
        row.height = Mm(FORM_BLOCK_MM)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        cells = row.cells
        _cell_text(cells[0], label, align=WD_ALIGN_PARAGRAPH.CENTER)
        block = cells[1].merge(cells[3])
        block.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
        _cell_text(block, text)
        _cell_text(block, "", first=False)
        _cell_text(block, signature, align=WD_ALIGN_PARAGRAPH.RIGHT, first=False)


def _form_document(doc: Any, document: Document) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    title = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.CENTER)
    _run(title, document.title, font=TITLE_FONT, size=TITLE_SIZE)
    _blank(doc)
    _form(doc, document)
    for text in document.paragraphs:
        paragraph = _paragraph(doc, pitch=FORM_LINE_PITCH)
        paragraph._p.get_or_add_pPr().append(_element("w:snapToGrid", val="0"))
        _indent_chars(paragraph, first=2, size=FORM_SIZE)
        _run(paragraph, text, font=BODY_FONT, size=FORM_SIZE)
    if document.signature:
        _signature(doc, document.signature, document.dated)


_ORDER = {
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


def _schema_order(doc: Any) -> None:
    for name, order in _ORDER.items():
        rank = {_qn(f"w:{child}"): index for index, child in enumerate(order)}
        for part in (doc.part, doc.part._styles_part, *(item.part for item in _footers(doc))):
            for element in part.element.iter(_qn(f"w:{name}")):
                element[:] = sorted(element, key=lambda child: rank.get(child.tag, len(rank)))


def _footers(doc: Any) -> list[Any]:
    section = doc.sections[0]
    return [section.footer, section.even_page_footer]


def build(document: Document) -> Any:
    from docx import Document as new_document

    doc = new_document()
    _page(doc)
    body = doc.element.body
    for paragraph in list(body.iterchildren(_qn("w:p"))):  # the template's empty first paragraph
        body.remove(paragraph)
    if document.letterhead is not None:
        _notice(doc, document, document.letterhead)
    else:
        _form_document(doc, document)
    _schema_order(doc)
    return doc


def save(document: Document, path: Path) -> None:
    """Write the document to `path` atomically (never through a symlink)."""
    if path.suffix.lower() != ".docx":
        raise InvalidInputError(f"文书文件名须以 .docx 结尾：{path}")
    doc = build(document)
    write_atomically(path, lambda temporary: save_zipped(doc.save, temporary))


def file_name(document: Document) -> str:
    return f"{document.no}{document.file_label}.docx"


def save_all(documents: tuple[Document, ...], folder: Path) -> list[Path]:
    """Every document into `folder` (which must exist), named by its case number; all checked first."""
    with output_errors(folder):
        if not folder.is_dir():
            raise InvalidInputError(f"输出文件夹不存在：{folder}（请先建立它）")
        targets = [checked_target(folder / file_name(document)) for document in documents]
    for document, target in zip(documents, targets, strict=True):
        save(document, target)
    return targets
