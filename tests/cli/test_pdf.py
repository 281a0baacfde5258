"""The documents and sheets as they print: each converted to PDF with LibreOffice (headless), its pages
counted and its text (pdftotext) read in order.

The office's fonts (方正小标宋, 仿宋_GB2312) are not packaged: LibreOffice lays the pages out with a
substitute CJK font, so the counts leave the layout a line of slack. Without LibreOffice these tests
skip with the reason shown; in CI (.ci/run installs it and sets FUPIN_REQUIRE_LIBREOFFICE) they fail.
"""

import os
import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from fupin_cli.render import tabular as render
from fupin_cli.render.ledger import ledger_tabular
from fupin_cli.services.ledger import Ledger
from fupin_cli.storage.reports import LEDGER_COLUMNS

TODAY = "2026-11-20"
OFFICE = shutil.which("soffice") or shutil.which("libreoffice")
POPPLER = shutil.which("pdftotext") and shutil.which("pdfinfo")

if not (OFFICE and POPPLER):
    if os.environ.get("FUPIN_REQUIRE_LIBREOFFICE"):
        raise RuntimeError("FUPIN_REQUIRE_LIBREOFFICE is set but soffice, pdftotext or pdfinfo is missing")
    pytest.skip(
        "LibreOffice (soffice) and poppler (pdftotext, pdfinfo) are not installed: "
        "apt-get install libreoffice-writer libreoffice-calc fonts-noto-cjk poppler-utils",
        allow_module_level=True,
    )


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("FUPIN_TODAY", TODAY)
    return TODAY


def to_pdf(source: Path) -> Path:
    """`source` converted next to itself, by a LibreOffice with a profile of its own (so that
    conversions running at the same time do not share one)."""
    profile = source.parent / ".libreoffice-profile"
    subprocess.run(
        [OFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(source.parent), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    target = source.with_suffix(".pdf")
    assert target.exists(), f"LibreOffice made no PDF of {source.name}"
    return target


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def text(pdf: Path, page: int | None = None) -> str:
    """The PDF's text in reading order with all white space removed (LibreOffice spaces CJK from
    digits, and a line may wrap anywhere)."""
    where = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(
        ["pdftotext", "-layout", *where, str(pdf), "-"], check=True, capture_output=True, text=True
    )
    return re.sub(r"\s+", "", out.stdout)


def in_order(haystack: str, *needles: str) -> bool:
    at = 0
    for needle in needles:
        found = haystack.find(needle, at)
        if found < 0:
            return False
        at = found + len(needle)
    return True


@pytest.fixture
def cases(ok):
    """1: 唐县 with 阜平县 assisting, late. 2: extended once."""
    ok("case", "open", "核查唐县“两不愁三保障”落实情况", "--category", "雨露计划", "--on", "2026-11-02")
    ok("case", "approve", "1", "--by", "王主任", "--on", "2026-11-02")
    ok("case", "assign", "1", "--unit", "唐县", "--assist", "阜平县", "--on", "2026-11-02")
    ok("case", "open", "阜平县互助资金核查", "--category", "互助资金", "--on", "2026-11-02")
    ok("case", "approve", "2", "--by", "王主任", "--on", "2026-11-02")
    ok("case", "assign", "2", "--unit", "阜平县", "--on", "2026-11-02")
    ok(
        "case",
        "extend",
        "2",
        "--to",
        "2026-11-23",
        "--reason",
        "涉及村多",
        "--by",
        "李处长",
        "--on",
        "2026-11-10",
    )


@pytest.mark.parametrize("kind", ["notice", "urge"])
def test_a_notice_prints_its_letterhead_text_signature_and_imprint_in_order(ok, cases, tmp_path, kind):
    source = tmp_path / f"{kind}.docx"
    ok("case", kind, "1", "--output", str(source))
    pdf = to_pdf(source)
    count = pages(pdf)
    # GB/T 9704's 版头 leaves the first page about eight lines of text: the notice's text, the
    # signature with room for the seal and the 版记 run onto a second page, never a third.
    assert count <= 2
    whole = text(pdf)
    assert in_order(whole, "保定市扶贫开发办公室", "督查〔2026〕1号", "督查事项", "唐县扶贫开发办公室",
                    "“核查唐县‘两不愁三保障’落实情况”", "保定市扶贫开发办公室", "2026年11月20日",
                    "2026年11月20日印发")  # fmt: skip
    last = text(pdf, count)
    assert "印发" in last and f"—{count}—" in last  # the 版记 and the page number on the last page
    if kind == "urge":
        assert in_order(
            whole, "2026年11月2日", "2026年11月16日", "逾期4个工作日", "抄送：唐县扶贫开发办公室主要负责同志"
        )


def test_the_extension_form_is_one_page(ok, cases, tmp_path):
    source = tmp_path / "延期.docx"
    ok("case", "extension-form", "2", "--output", str(source))
    pdf = to_pdf(source)
    assert pages(pdf) == 1
    whole = text(pdf)
    assert in_order(whole, "督查事项延期审批单", "督查〔2026〕2号", "阜平县扶贫开发办公室", "2026年11月16日",
                    "2026年11月23日", "承办单位意见", "监督检查处意见", "领导审批意见", "原定期限保留")  # fmt: skip
    assert "涉及村多" in whole and "申请理由" in whole


def test_an_empty_overdue_report_prints_one_page_saying_so(ok, tmp_path):
    source = tmp_path / "逾期.xlsx"
    ok("init")
    ok("report", "overdue", "--format", "xlsx", "--output", str(source))
    pdf = to_pdf(source)
    assert pages(pdf) == 1 and in_order(text(pdf), "逾期事项", "截至2026年11月20日", "编号", "无逾期事项")


def _ledger(count: int) -> Ledger:
    """A ledger of `count` cases, every field filled the way a long year fills it."""
    rows = []
    start = date(2026, 1, 5)
    for serial in range(1, count + 1):
        day = start + timedelta(days=(serial - 1) * 300 // count)
        values = dict.fromkeys(LEDGER_COLUMNS)
        values.update(
            year=2026, serial=serial, title=f"满城区某村扶贫项目资金使用情况核查（第{serial}件）", category="扶贫资金项目监督检查",
            major=serial % 17 == 0, classified=False, state="archived", opened_on=day, approved_on=day,
            approver="王主任", lead_unit="唐县扶贫开发办公室", assist_units=("阜平县扶贫开发办公室",) if serial % 5 == 0 else (),
            assigned_on=day, limit_workdays=10, original_due=day + timedelta(days=14), due=day + timedelta(days=14),
            due_provisional=False, feedback_on=day + timedelta(days=12), archived_on=day + timedelta(days=13),
            last_step_on=day + timedelta(days=13), extensions=0,
        )  # fmt: skip
        rows.append(tuple(values[column] for column in LEDGER_COLUMNS))
    return Ledger(2026, LEDGER_COLUMNS, tuple(rows), as_of=date(2026, 11, 20))


@pytest.mark.slow
@pytest.mark.parametrize(("count", "most"), [(10, 1), (100, 3), (1000, 20)])
def test_the_ledger_prints_one_page_wide_on_as_many_pages_as_its_rows_need(tmp_path, count, most):
    source = tmp_path / "台账.xlsx"
    render.save(ledger_tabular(_ledger(count)), "xlsx", source)
    pdf = to_pdf(source)
    count_pages = pages(pdf)
    assert count_pages <= most
    first = text(pdf, 1)
    assert in_order(
        first, "2026年督查事项台账", "截至2026年11月20日", f"共{count}件", "编号", "标题", "归档日期"
    )
    assert in_order(first, "督查〔2026〕1号", "唐县扶贫开发办公室", "2026-01-05", "2026-01-19")
    for page in range(1, count_pages + 1):  # every page has the whole header: never a page across
        assert in_order(text(pdf, page), "编号", "标题", "类别", "主办单位", "办结期限", "归档日期")
    assert f"督查〔2026〕{count}号" in text(pdf, count_pages)
