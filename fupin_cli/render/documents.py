"""Notices and forms as Word files (python-docx), laid out after GB/T 9704-2012: A4, a 156 × 225 mm
text block, the title in 方正小标宋简体 二号, the text in 仿宋_GB2312 三号.

Word picks a Chinese font from the run's East Asian slot (w:rFonts w:eastAsia), which python-docx's
`font.name` does not set; every run, and the Normal style, sets it here.
"""

from pathlib import Path
from typing import Any

from fupin_cli.domain.errors import InvalidInputError
from fupin_cli.render.xlsx import checked_target, output_errors, save_zipped, write_atomically
from fupin_cli.services.documents import Document

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
TITLE_SIZE = 22  # 二号
BODY_SIZE = 16  # 三号
LINE_PITCH = 28.9
"""Points from line to line: 22 lines in the 225 mm text block."""
FORM_LINE_PITCH = 24
"""Inside a form's table, a little tighter, so that a form and its signature fit on one page."""
# GB/T 9704-2012 §5.2.1: 天头 37 mm, 订口 28 mm, 版心 156 mm × 225 mm on A4.
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 297 - 37 - 225, "left": 28, "right": 210 - 28 - 156}


def _east_asian(element: Any, font: str) -> None:
    from docx.oxml.ns import qn

    element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _run(paragraph: Any, text: str, *, font: str, size: int, bold: bool = False) -> Any:
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = Pt(size)
    run.bold = bold
    _east_asian(run._element, font)
    return run


def _page(doc: Any) -> None:
    from docx.shared import Mm, Pt

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(BODY_SIZE)
    _east_asian(normal.element, BODY_FONT)
    normal.paragraph_format.line_spacing = Pt(LINE_PITCH)
    normal.paragraph_format.space_after = Pt(0)


def _form(doc: Any, rows: tuple[tuple[str, str], ...]) -> None:
    """The form's lines as a bordered two-column table: label (centred) and value."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    table = doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = (Mm(36), Mm(120))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid: LibreOffice reads the widths from it, Word from the cells
    for (label, value), row in zip(rows, table.rows, strict=True):
        for column, (text, cell, width) in enumerate(zip((label, value), row.cells, widths, strict=True)):
            cell.width = width
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.line_spacing = Pt(FORM_LINE_PITCH)
            if column == 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(paragraph, text, font=BODY_FONT, size=BODY_SIZE)
    doc.add_paragraph()


def build(document: Document) -> Any:
    from docx import Document as new_document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = new_document()
    _page(doc)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(TITLE_SIZE * 1.5)
    _run(title, document.title, font=TITLE_FONT, size=TITLE_SIZE)
    number = doc.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(number, document.no, font=BODY_FONT, size=BODY_SIZE)
    doc.add_paragraph()
    if document.rows:
        _form(doc, document.rows)
    if document.salutation:
        _run(doc.add_paragraph(), document.salutation, font=BODY_FONT, size=BODY_SIZE)
    for text in document.paragraphs:
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(BODY_SIZE * 2)
        _run(paragraph, text, font=BODY_FONT, size=BODY_SIZE)
    doc.add_paragraph().paragraph_format.keep_with_next = True
    for line, text in enumerate((document.signature, document.dated)):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.right_indent = Pt(BODY_SIZE * 2)
        paragraph.paragraph_format.keep_with_next = line == 0  # the signature stays with its date
        _run(paragraph, text, font=BODY_FONT, size=BODY_SIZE)
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
