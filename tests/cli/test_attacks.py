"""Each attack of the hardening review, one table row each: what was done, what fupin must answer.

Exports are data (no formula ever reaches a spreadsheet), files are written 0600 and atomically,
operating-system errors on output are one Chinese line, terminals never receive raw control
characters. Every refusal leaves the database exactly as it was.
"""

import csv
import io
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import dump_database

TODAY = "2026-11-20"
FORMULAS = ["=1+1", '=HYPERLINK("http://example.invalid","点我")', "+1+1", "-1+1", "@SUM(A1)", "#N/A"]


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("FUPIN_TODAY", TODAY)
    return TODAY


def _overdue_case(ok, text: str) -> None:
    """An overdue case whose every free field is `text`."""
    line = ok("case", "open", "--category", "政策", "--source", text, "--on", "2026-11-02", "--", text).stdout
    number = line.split(" ", 1)[0]
    ok("case", "approve", number, "--by", text, "--opinion", text, "--on", "2026-11-02")
    ok("case", "assign", number, "--unit", "唐县", "--on", "2026-11-02")
    ok("case", "accept", number, "--ref", text, "--on", "2026-11-03")


@pytest.fixture
def formula_cases(ok) -> None:
    for text in FORMULAS:
        _overdue_case(ok, text)


def _formulas_in(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as book:
        return [name for name in book.namelist() if "<f>" in book.read(name).decode("utf-8")]


XLSX_WRITERS = {
    "report overdue": ["report", "overdue", "--format", "xlsx"],
    "report due-soon": ["report", "due-soon", "--within", "250", "--as-of", "2026-11-02", "--format", "xlsx"],
    "report ledger": ["report", "ledger", "--year", "2026"],
}


@pytest.mark.parametrize("writer", list(XLSX_WRITERS))
def test_user_text_in_an_xlsx_is_a_string_never_a_formula(writer, ok, formula_cases, tmp_path):
    target = tmp_path / "out.xlsx"
    ok(*XLSX_WRITERS[writer], "--output", str(target))
    assert _formulas_in(target) == []
    values = {cell.value for row in load_workbook(target).active.iter_rows() for cell in row}
    assert set(FORMULAS) <= values


@pytest.mark.parametrize("output_format", ["csv", "tsv"])
def test_csv_text_cells_a_spreadsheet_would_run_are_prefixed_unless_raw(output_format, ok, formula_cases):
    delimiter = "\t" if output_format == "tsv" else ","
    shown = ok("report", "overdue", "--format", output_format).stdout
    rows = list(csv.DictReader(io.StringIO(shown), delimiter=delimiter))
    assert sorted(row["title"] for row in rows) == sorted("'" + text if text[0] in "=+-@" else text for text in FORMULAS)
    assert all(row["overdue_workdays"].isdigit() for row in rows)  # fupin's own numbers are untouched
    raw = ok("report", "overdue", "--format", output_format, "--raw").stdout
    assert sorted(row["title"] for row in csv.DictReader(io.StringIO(raw), delimiter=delimiter)) == sorted(FORMULAS)


def test_case_list_csv_neutralises_titles_and_keeps_numbers(ok, formula_cases):
    shown = ok("case", "list", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(shown)))
    assert {row["overdue_workdays"] for row in rows} == {"4"}
    assert {row["title"] for row in rows} >= {"'=1+1", "'@SUM(A1)", "#N/A"}


def test_a_cell_starting_with_tab_or_cr_is_prefixed():
    from fupin_cli.render.safety import neutralised

    assert [neutralised(text) for text in ["\tx", "\rx", "x=1", 5, -5]] == ["'\tx", "'\rx", "x=1", 5, -5]


# --- file modes -------------------------------------------------------------------------------------

EXPORTS = {
    "overdue csv": ["report", "overdue", "--output", "{}.csv"],
    "overdue xlsx": ["report", "overdue", "--format", "xlsx", "--output", "{}.xlsx"],
    "stats md": ["report", "stats", "--output", "{}.md"],
    "ledger": ["report", "ledger", "--year", "2026", "--output", "{}.xlsx"],
    "coverage json": ["check", "coverage", "--year", "2026", "--format", "json", "--output", "{}.json"],
    "notice docx": ["case", "notice", "1", "--output", "{}.docx"],
}


def _export(ok_or_cli, name: str, base: Path):
    return ok_or_cli(*[part.format(base) for part in EXPORTS[name]])


def _target(name: str, base: Path) -> Path:
    return Path(EXPORTS[name][-1].format(base))


@pytest.mark.parametrize("name", list(EXPORTS))
def test_exports_are_created_0600_and_a_stricter_mode_is_kept(name, ok, formula_cases, tmp_path):
    base = tmp_path / "out"
    _export(ok, name, base)
    target = _target(name, base)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    target.chmod(0o644)
    _export(ok, name, base)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # a re-export never widens
    target.chmod(0o400)
    _export(ok, name, base)
    assert stat.S_IMODE(target.stat().st_mode) == 0o400
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


# --- names too long ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(EXPORTS))
def test_a_legal_255_byte_name_is_written_and_a_longer_one_refused_in_chinese(name, ok, cli, formula_cases, tmp_path):
    suffix = EXPORTS[name][-1].removeprefix("{}")
    legal = tmp_path / ("长" * ((255 - len(suffix)) // 3) + "x" * ((255 - len(suffix)) % 3))
    _export(ok, name, legal)
    assert len(_target(name, legal).name.encode()) == 255 and _target(name, legal).exists()
    before = dump_database(tmp_path / "fupin.db")
    result = _export(cli, name, tmp_path / ("长" * 90))
    assert result.exit_code == 1, result.output
    assert "文件名过长" in result.output and "Traceback" not in result.output
    assert dump_database(tmp_path / "fupin.db") == before


# --- a full disk ---------------------------------------------------------------------------------------


def _small_tmpfs(folder: Path) -> bool:
    """A 64 KiB tmpfs at `folder` when this machine allows mounting one (root in a container)."""
    folder.mkdir()
    if os.geteuid() != 0:
        return False
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True)
    return mounted.returncode == 0


def _fill(folder: Path) -> None:
    try:
        with open(folder / "filler", "wb") as filler:
            while True:
                filler.write(b"\0" * 4096)
                filler.flush()
    except OSError:
        pass


@pytest.mark.parametrize("name", list(EXPORTS))
def test_a_full_disk_under_every_writer_is_one_chinese_line(name, cli, ok, formula_cases, tmp_path):
    """On a full tmpfs where one can be mounted (ENOSPC), else under RLIMIT_FSIZE (EFBIG)."""
    folder = tmp_path / "small"
    before = dump_database(tmp_path / "fupin.db")
    if _small_tmpfs(folder):
        try:
            _fill(folder)
            result = _export(cli, name, folder / "out")
            assert result.exit_code == 1, result.output
            assert "磁盘空间不足" in result.output and "Traceback" not in result.output
            assert sorted(p.name for p in folder.iterdir()) == ["filler"]
        finally:
            subprocess.run(["umount", str(folder)], check=True)
    else:
        result = _run_with_file_size_limit([part.format(folder / "out") for part in EXPORTS[name]], tmp_path)
        assert result.returncode == 1, result.stderr
        assert "文件超过系统允许的大小" in result.stderr and "Traceback" not in result.stderr
        assert list(folder.iterdir()) == []
    assert dump_database(tmp_path / "fupin.db") == before


def _run_with_file_size_limit(arguments: list[str], home: Path) -> subprocess.CompletedProcess:
    """fupin in a child whose files may not grow past 2 KiB once the report is built and its file is
    about to be written (EFBIG, with SIGXFSZ ignored); the database was read before the limit."""
    program = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "import fupin_cli.render.xlsx as xlsx\n"
        "create = xlsx._create_temporary\n"
        "def limited(target):\n"
        "    resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))\n"
        "    return create(target)\n"
        "xlsx._create_temporary = limited\n"
        "from fupin_cli.cli.app import main\n"
        "sys.argv = ['fupin', *sys.argv[1:]]\n"
        "main()\n"
    )
    environment = {**os.environ, "FUPIN_TODAY": TODAY, "FUPIN_HOME": str(home), "FUPIN_DB": str(home / "fupin.db")}
    return subprocess.run([sys.executable, "-c", program, *arguments], capture_output=True, text=True, env=environment)


def test_a_file_size_limit_is_one_chinese_line_too(ok, formula_cases, tmp_path):
    """The RLIMIT_FSIZE path is run on every machine, mount or not."""
    (tmp_path / "limited").mkdir()
    before = dump_database(tmp_path / "fupin.db")
    result = _run_with_file_size_limit(["report", "ledger", "--year", "2026", "--output", str(tmp_path / "limited" / "L.xlsx")], tmp_path)
    assert result.returncode == 1, result.stderr
    assert "文件超过系统允许的大小" in result.stderr and "Traceback" not in result.stderr
    assert list((tmp_path / "limited").iterdir()) == []
    assert dump_database(tmp_path / "fupin.db") == before
