"""The digest looked at in headless Chromium at 1280 px and 390 px: no horizontal scrolling, no
resource fetched by the page, the counts and every overdue number in the rendered text.

The page itself has no script; a throwaway harness page (test-only, in tmp_path) frames it and
reports what the browser laid out. Screenshots are kept next to the file (tmp_path) as artifacts.
"""

import json
import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from bench.generate import generate
from fupin_cli.services.digest import digest_report
from fupin_cli.settings import resolve

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None and os.environ.get("FUPIN_REQUIRE_CHROMIUM"):
    raise RuntimeError("FUPIN_REQUIRE_CHROMIUM is set but headless Chromium is not installed")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed (.ci/run installs it)")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--hide-scrollbars"]  # fmt: skip
AS_OF = date(2026, 11, 20)

HARNESS = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" src="%s" style="width:%dpx;height:900px;border:0"></iframe><script>
window.onload = function () {
  var w = document.getElementById('f').contentWindow, d = w.document;
  var out = document.createElement('pre'); out.id = 'result';
  out.textContent = JSON.stringify({sw: d.documentElement.scrollWidth, cw: d.documentElement.clientWidth,
    fetched: w.performance.getEntriesByType('resource').map(function (e) { return e.name; }),
    text: d.body.innerText});
  document.body.appendChild(out);
};</script></body></html>"""


def look(page: Path, width: int) -> dict:
    harness = page.with_name(f"harness-{width}.html")
    harness.write_text(HARNESS % (page.name, width), encoding="utf-8")
    dom = subprocess.run(
        [CHROMIUM, *FLAGS, "--allow-file-access-from-files", "--virtual-time-budget=5000", "--dump-dom",
         harness.as_uri()], capture_output=True, text=True, timeout=120, check=True,
    ).stdout  # fmt: skip
    found = re.search(r'<pre id="result">(.*?)</pre>', dom, re.S)
    assert found, dom[:500]
    from html import unescape

    subprocess.run(
        [CHROMIUM, *FLAGS, f"--window-size={width},2000", f"--screenshot={page.with_suffix(f'.{width}.png')}",
         page.as_uri()], capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    return json.loads(unescape(found.group(1)))


def check_in_browser(ok, db: Path, folder: Path) -> None:
    page = folder / "简报.html"
    ok("--db", str(db), "--today", AS_OF.isoformat(), "report", "digest", "-o", str(page))
    digest = digest_report(settings=resolve(db=str(db), user="测试员", today=AS_OF))
    for width in (1280, 390):
        seen = look(page, width)
        assert seen["sw"] <= seen["cw"], f"horizontal scrolling at {width}px: {seen['sw']} > {seen['cw']}"
        assert seen["fetched"] == []
        text = seen["text"]
        assert f"红灯·逾期 {sum(1 for i in digest.overdue.items if i.kind == 'case')} 件" in text
        assert f"{digest.open_count}\n在办事项" in text or f"{digest.open_count} 在办事项" in text
        for item in digest.overdue.items:
            assert item.no in text
        assert page.with_suffix(f".{width}.png").stat().st_size > 10_000


def test_demo_digest_in_chromium(ok, tmp_path):
    db = tmp_path / "demo.db"
    ok("--db", str(db), "--today", AS_OF.isoformat(), "init", "--demo")
    check_in_browser(ok, db, tmp_path)


def test_empty_digest_in_chromium(ok, tmp_path):
    db = tmp_path / "empty.db"
    ok("--db", str(db), "--today", AS_OF.isoformat(), "init")
    check_in_browser(ok, db, tmp_path)


def test_thousand_cases_digest_in_chromium(ok, tmp_path):
    db = tmp_path / "big.db"
    generate(1000, db, AS_OF)
    check_in_browser(ok, db, tmp_path)
