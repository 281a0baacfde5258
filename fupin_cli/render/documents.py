"""Notices as Word files (python-docx): 方正小标宋简体 for the title, 仿宋_GB2312 for the text."""

from pathlib import Path

from fupin_cli.domain.errors import InvalidInputError
from fupin_cli.render.xlsx import checked_target, write_atomically
from fupin_cli.services.documents import Document

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
TITLE_SIZE = 22  # 二号
BODY_SIZE = 16  # 三号


def _run(paragraph, text: str, *, font: str, size: int, bold: bool = False):  # type: ignore[no-untyped-def]
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = Pt(size)
    run.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)
    return run


def build(document: Document):  # type: ignore[no-untyped-def]
    from docx import Document as new_document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = new_document()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, document.title, font=TITLE_FONT, size=TITLE_SIZE)
    number = doc.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(number, document.no, font=BODY_FONT, size=BODY_SIZE)
    _run(doc.add_paragraph(), document.salutation, font=BODY_FONT, size=BODY_SIZE)
    for text in document.paragraphs:
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(BODY_SIZE * 2)
        _run(paragraph, text, font=BODY_FONT, size=BODY_SIZE)
    for text in (document.signature, document.dated):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(paragraph, text, font=BODY_FONT, size=BODY_SIZE)
    return doc


def save(document: Document, path: Path) -> None:
    """Write the notice to `path` atomically (never through a symlink)."""
    if path.suffix.lower() != ".docx":
        raise InvalidInputError(f"文书文件名须以 .docx 结尾：{path}")
    doc = build(document)
    write_atomically(path, lambda temporary: doc.save(str(temporary)))


def file_name(document: Document) -> str:
    label = {"notice": "核查通知书", "urge": "催办通知书"}[document.kind]
    return f"{document.no}{label}.docx"


def save_all(documents: tuple[Document, ...], folder: Path) -> list[Path]:
    """Every notice into `folder` (which must exist), named by its case number; all checked first."""
    if not folder.is_dir():
        raise InvalidInputError(f"输出文件夹不存在：{folder}（请先建立它）")
    targets = [checked_target(folder / file_name(document)) for document in documents]
    for document, target in zip(documents, targets, strict=True):
        save(document, target)
    return targets
