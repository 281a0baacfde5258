"""Notices and forms as Word files (python-docx), laid out by GB/T 9704-2012 (党政机关公文格式).

A notice: A4 with the 156 × 225 mm text block (天头 37 mm, 订口 28 mm) on a grid of 22 lines of 28
characters; the 版头 (发文机关标志 in red 35 mm below the top of the text block, the 发文字号 two lines
under it and the red rule 4 mm under that); the title in 小标宋 二号 two lines under the rule; the
主送机关 a line under the title; the text in 仿宋 三号, paragraphs indented two characters; the
发文机关署名 centred over the 成文日期 (右空四字) with two lines left for the seal; the 版记 (抄送,
印发机关 and 印发日期 in 仿宋 四号 between a thick, a thin and a thick rule) at the foot of the last page;
page numbers 「— 1 —」 in 宋体 四号 7 mm under the text block, right on odd pages and left on even.
A form (延期审批单) has the same page and fonts, its title, a table and signature lines.

The page itself (fonts, grid, page numbers, the WordprocessingML pieces) is render/docx_page.py.
"""

import re
from pathlib import Path
from typing import Any

from fupin_cli.domain.errors import InvalidInputError
from fupin_cli.render import docx_page as official
from fupin_cli.services.documents import Document, Letterhead
from fupin_cli.services.output_files import checked_target, output_errors, save_zipped, write_atomically

# --- a notice ------------------------------------------------------------------------------------


def _letterhead(doc: Any, head: Letterhead) -> None:
    """版头: the mark in red, 35 mm down; two lines under it the number; 4 mm under that the red rule."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    size = min(official.MARK_SIZE, int(official.TEXT_BLOCK_MM[0] / 25.4 * 72 / max(official.text_width(head.mark), 1)))
    mark = official.paragraph(doc, pitch=size * 1.25, align=WD_ALIGN_PARAGRAPH.CENTER)
    mark.paragraph_format.space_before = Mm(head.top_mm)
    official.run(mark, head.mark, font=official.TITLE_FONT, size=size, color=head.color)
    official.blank(doc, 2)
    number = official.paragraph(doc, align=WD_ALIGN_PARAGRAPH.CENTER)
    official.run(number, head.number, font=official.BODY_FONT, size=official.BODY_SIZE)
    # The rule: the number's line is 28.95 pt, its characters 16 pt in the middle of it; the border
    # lies at the foot of the line, about 4 mm under the characters.
    official.border(number._p.get_or_add_pPr(), "w:pBdr", {"bottom": (official.RED_RULE, head.color)})
    number.paragraph_format.space_after = Pt(0)


def _signature(doc: Any, signature: str, dated: str) -> None:
    """署名 centred over the 成文日期, which stands 右空四字; two lines above left for the seal,
    which is pressed over both (7.3.5.1)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    for _ in range(2):
        official.paragraph(doc).paragraph_format.keep_with_next = True
    date_right = 4
    signature_right = max(0.0, date_right + (official.text_width(dated) - official.text_width(signature)) / 2)
    lines: tuple[tuple[str, float], ...] = ((dated, date_right),)
    if signature:
        lines = ((signature, signature_right), *lines)
    for index, (text, right) in enumerate(lines):
        paragraph = official.paragraph(doc, align=WD_ALIGN_PARAGRAPH.RIGHT)
        official.indent_chars(paragraph, right=right)
        paragraph.paragraph_format.keep_with_next = index < len(lines) - 1
        official.run(paragraph, text, font=official.BODY_FONT, size=official.BODY_SIZE)


def _imprint(doc: Any, document: Document, head: Letterhead) -> None:
    """版记 at the foot of the last page (7.4): 抄送 (回行时与冒号后的首字对齐) and 印发机关 with
    印发日期, each in a frame of fixed height placed from the top of the text block, so that the
    last rule lies on its bottom edge; a thick rule above, a thin one between, a thick one below."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Mm, Pt

    frames: list[tuple[str, int]] = []
    if document.copy_to:
        text = f"抄送：{'，'.join(document.copy_to)}。"
        per_line = (official.TEXT_BLOCK_MM[0] / 25.4 * 72 / official.SMALL_SIZE) - 5  # less the indents
        frames.append((text, max(1, -(-int(official.text_width(text) - 3) // int(per_line)))))
    frames.append((f"{head.printed_by}\t{head.printed_on}印发", 1))
    height = official.TEXT_BLOCK_MM[1] / 25.4 * 1440  # twips
    top = height - sum(lines for _, lines in frames) * official.IMPRINT_PITCH * 20
    for index, (text, lines) in enumerate(frames):
        if index:  # frames apart, or LibreOffice joins them into one and loses the place of the first
            official.paragraph(doc, pitch=1)
        paragraph = official.paragraph(doc, pitch=official.IMPRINT_PITCH)
        properties = paragraph._p.get_or_add_pPr()
        properties.append(
            official.element("w:framePr", w=str(round(official.TEXT_BLOCK_MM[0] / 25.4 * 1440)), h=str(lines * official.IMPRINT_PITCH * 20),
                     hRule="exact", wrap="notBeside", hAnchor="margin", vAnchor="margin", xAlign="center",
                     y=str(round(top)))
        )  # fmt: skip
        properties.append(official.element("w:snapToGrid", val="0"))
        top += lines * official.IMPRINT_PITCH * 20
        edges = {"bottom": (official.RULE_THICK if index == len(frames) - 1 else official.RULE_THIN, "000000")}
        if index == 0:
            edges["top"] = (official.RULE_THICK, "000000")
        official.border(properties, "w:pBdr", edges)
        if text.startswith("抄送："):
            official.indent_chars(paragraph, first=-3, left=4, right=1, size=official.SMALL_SIZE)
        else:
            official.indent_chars(paragraph, left=1, right=1, size=official.SMALL_SIZE)
            paragraph.paragraph_format.tab_stops.add_tab_stop(
                Mm(official.TEXT_BLOCK_MM[0]) - Pt(2 * official.SMALL_SIZE), WD_TAB_ALIGNMENT.RIGHT
            )
        official.run(paragraph, text, font=official.BODY_FONT, size=official.SMALL_SIZE)


_FIRST_LEVEL = re.compile(r"^[一二三四五六七八九十]+、")
_SECOND_LEVEL = re.compile(r"^（[一二三四五六七八九十]+）")


def _text_paragraph(doc: Any, text: str) -> None:
    """A paragraph of the text, 左空二字; a heading 一、 in 黑体, （一） in 楷体 up to its first 。."""
    paragraph = official.paragraph(doc)
    official.indent_chars(paragraph, first=2)
    if _FIRST_LEVEL.match(text):
        official.run(paragraph, text, font=official.HEADING_FONTS[0], size=official.BODY_SIZE)
    elif _SECOND_LEVEL.match(text):
        heading, stop, rest = text.partition("。")
        official.run(paragraph, heading + stop, font=official.HEADING_FONTS[1], size=official.BODY_SIZE)
        if rest:
            official.run(paragraph, rest, font=official.BODY_FONT, size=official.BODY_SIZE)
    else:
        official.run(paragraph, text, font=official.BODY_FONT, size=official.BODY_SIZE)


def _notice(doc: Any, document: Document, head: Letterhead) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    _letterhead(doc, head)
    official.blank(doc, 2)
    title = official.paragraph(doc, align=WD_ALIGN_PARAGRAPH.CENTER)
    official.run(title, document.title, font=official.TITLE_FONT, size=official.TITLE_SIZE)
    official.blank(doc)
    if document.salutation.strip("：:"):  # not a bare colon: a case not yet assigned has no 主送机关
        official.run(official.paragraph(doc), document.salutation, font=official.BODY_FONT, size=official.BODY_SIZE)
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
    form.line_spacing = Pt(official.FORM_LINE_PITCH)
    form.space_before = form.space_after = Pt(1)
    paragraph._p.get_or_add_pPr().append(official.element("w:snapToGrid", val="0"))  # the form's own pitch
    if align is not None:
        paragraph.alignment = align
    if text:
        official.run(paragraph, text, font=official.BODY_FONT, size=official.FORM_SIZE)
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
        narrow = official.text_width(value) <= PAIRED_VALUE_CHARS
        if narrow and lines and len(lines[-1]) == 1 and official.text_width(lines[-1][0][1]) <= PAIRED_VALUE_CHARS:
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
        row._tr.get_or_add_trPr().append(official.element("w:cantSplit"))  # a block stays on one page
        for cell, width in zip(row.cells, FORM_COLUMNS_MM, strict=True):
            cell.width = Mm(width)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for row, pairs in zip(table.rows, lines, strict=False):
        row.height = Mm(official.FORM_ROW_MM)
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
        row.height = Mm(official.FORM_BLOCK_MM)
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

    title = official.paragraph(doc, align=WD_ALIGN_PARAGRAPH.CENTER)
    official.run(title, document.title, font=official.TITLE_FONT, size=official.TITLE_SIZE)
    official.blank(doc)
    _form(doc, document)
    for text in document.paragraphs:
        paragraph = official.paragraph(doc, pitch=official.FORM_LINE_PITCH)
        paragraph._p.get_or_add_pPr().append(official.element("w:snapToGrid", val="0"))
        official.indent_chars(paragraph, first=2, size=official.FORM_SIZE)
        official.run(paragraph, text, font=official.BODY_FONT, size=official.FORM_SIZE)
    if document.signature:
        _signature(doc, document.signature, document.dated)


def build(document: Document) -> Any:
    from docx import Document as new_document

    doc = new_document()
    official.page(doc)
    body = doc.element.body
    for paragraph in list(body.iterchildren(official.qn("w:p"))):  # the template's empty first paragraph
        body.remove(paragraph)
    if document.letterhead is not None:
        _notice(doc, document, document.letterhead)
    else:
        _form_document(doc, document)
    official.schema_order(doc)
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
