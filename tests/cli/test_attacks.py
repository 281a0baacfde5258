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
    "notice docx": ["case", "notice", "1", "--reissue", "--output", "{}.docx"],
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
        "import fupin_cli.services.output_files as files\n"
        "create = files._create_temporary\n"
        "def limited(target):\n"
        "    resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))\n"
        "    return create(target)\n"
        "files._create_temporary = limited\n"
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


# --- integers out of range: refused when parsed (exit 2, Chinese) --------------------------------------

INTEGER_ATTACKS = [
    ("report", "stats", "--year", "-1"),
    ("report", "stats", "--year", "2147483648"),
    ("report", "ledger", "--year", "99999999999999999999", "--output", "L.xlsx"),
    ("report", "due-soon", "--within", "99999999999999999999999"),
    ("check", "show", "99999999999999999999999999"),
    ("check", "list", "--year", "-9223372036854775809"),
    ("check", "rectify", "99999999999999999999"),
    ("check", "verify", "--", "-99999999999999999999"),
    ("check", "handover", "99999999999999999999"),
    ("check", "phase", "99999999999999999999", "实施检查"),
    ("check", "visit", "99999999999999999999", "--village", "x"),
    ("check", "finding", "99999999999999999999", "--text", "x", "--unit", "唐县"),
    ("check", "coverage", "--year", "1e9"),
    ("check", "indicators", "--year", "99999999999999999999"),
    ("check", "indicator", "--county", "唐县", "--year", "2026", "--kind", "脱贫率",
     "--numerator", "1", "--denominator", "99999999999999999999999"),  # fmt: skip
    ("case", "list", "--year", "99999999999999999999"),
    ("case", "extension-form", "1", "--extension", "99999999999999999999", "--output", "e.docx"),
]


@pytest.mark.parametrize("arguments", INTEGER_ATTACKS, ids=" ".join)
def test_an_integer_out_of_range_is_refused_when_parsed(arguments, cli, ok, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ok("case", "open", "标题", "--category", "政策")
    before = dump_database(tmp_path / "fupin.db")
    result = cli(*arguments)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert "之间" in result.output or "应是整数" in result.output
    assert dump_database(tmp_path / "fupin.db") == before


def test_as_of_the_last_day_there_is_is_one_clean_line(tmp_path, formula_cases):
    environment = {**os.environ, "FUPIN_TODAY": TODAY, "FUPIN_HOME": str(tmp_path), "FUPIN_DB": str(tmp_path / "fupin.db")}
    shown = subprocess.run(
        [sys.executable, "-m", "fupin_cli", "report", "overdue", "--as-of", "9999-12-31"],
        capture_output=True, text=True, env=environment,
    )  # fmt: skip
    assert shown.returncode == 1
    assert shown.stderr.count("\n") == 1 and "超出工作日历的范围" in shown.stderr, shown.stderr


# --- damaged databases on the read path -------------------------------------------------------------


def test_a_missing_table_on_the_read_path_is_one_chinese_line(cli, formula_cases, db_path):
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        conn.execute("DROP TABLE case_extension")
        conn.execute("DROP TABLE cases")
    before = dump_database(db_path)
    for arguments in (["report", "overdue"], ["report", "stats"], ["report", "due-soon"]):
        result = cli(*arguments)
        assert result.exit_code == 1, result.output
        assert len(result.output.strip().splitlines()) == 1, result.output
        assert "缺少 fupin 的表" in result.output and result.exception.__class__ is SystemExit
    assert dump_database(db_path) == before


def test_a_damaged_page_on_the_read_path_is_one_chinese_line(cli, ok, formula_cases, db_path):
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'cases'").fetchone()[0]
    data = bytearray(db_path.read_bytes())
    start = (root - 1) * page_size
    data[start : start + page_size] = b"\xa5" * page_size
    db_path.write_bytes(bytes(data))
    result = cli("report", "overdue")
    assert result.exit_code == 1, result.output
    assert result.exception.__class__ is SystemExit and "Traceback" not in result.output
    assert "已损坏" in result.output or "db check" in result.output


# --- PostgreSQL addresses ------------------------------------------------------------------------------

BAD_URLS = [
    ("postgresql://fupin:x@127.0.0.1:notaport/fupin", ("数据库地址", "notaport")),
    ("postgresql://fupin:x@127.0.0.1:5432/fupin?connect_timeout=x", ("connect_timeout",)),
    ("postgresql://[::1/fupin", ("数据库地址", "IPv6")),
    ("mysql://u@h/db", ("不支持的数据库类型",)),
]


@pytest.mark.parametrize("command", [["report", "overdue"], ["case", "open", "标题", "--category", "政策"], ["check", "list"]])
@pytest.mark.parametrize(("url", "said"), BAD_URLS)
def test_a_bad_postgresql_address_is_one_chinese_line(command, url, said, cli):
    result = cli("--db", url, *command)
    assert result.exit_code == 1, result.output
    assert result.exception.__class__ is SystemExit
    assert any(word in result.output for word in said) and result.output.count("\n") == 1, result.output


def test_a_missing_psycopg_says_how_to_install_it(tmp_path):
    program = "import sys; sys.modules['psycopg'] = None\nfrom fupin_cli.cli.app import main\nsys.argv = ['fupin', *sys.argv[1:]]\nmain()\n"
    environment = {**os.environ, "FUPIN_HOME": str(tmp_path)}
    for command in (["report", "overdue"], ["case", "list"], ["db", "check"]):
        shown = subprocess.run(
            [sys.executable, "-c", program, "--db", "postgresql://u:p@127.0.0.1:1/x", *command],
            capture_output=True, text=True, env=environment,
        )  # fmt: skip
        assert shown.returncode == 1, shown.stderr
        assert "pip install 'fupin[postgres]'" in shown.stderr and "Traceback" not in shown.stderr


# --- deeply nested TOML -----------------------------------------------------------------------------------

DEEP_TOML = "year = 2040\nx = " + "[" * 100_000 + "]" * 100_000 + "\n"


def test_a_deeply_nested_holiday_file_is_refused_on_import_and_in_place(cli, ok, tmp_path):
    deep = tmp_path / "2040.toml"
    deep.write_text(DEEP_TOML, encoding="utf-8")
    result = cli("cal", "import", str(deep))
    assert result.exit_code == 1, result.output
    assert "嵌套层数过多" in result.output
    (tmp_path / "holidays").mkdir(exist_ok=True)
    (tmp_path / "holidays" / "2040.toml").write_text(DEEP_TOML, encoding="utf-8")
    result = cli("cal", "deadline", "2026-11-02", "5")
    assert result.exit_code == 1 and "嵌套层数过多" in result.output, result.output
    assert result.exception.__class__ is SystemExit


# --- imported files are bounded -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["device", "fifo", "folder"])
@pytest.mark.parametrize("command", [["check", "villages", "import"], ["cal", "import"]])
def test_only_a_regular_file_is_read(kind, command, cli, ok, tmp_path):
    ok("init")
    if kind == "device":
        path = Path("/dev/zero")
    elif kind == "fifo":
        path = tmp_path / "pipe.csv"
        os.mkfifo(path)
    else:
        path = tmp_path / "folder.csv"
        path.mkdir()
    before = dump_database(tmp_path / "fupin.db")
    result = cli(*command, str(path))  # a FIFO with no writer would hang a blocking open
    assert result.exit_code == 1, result.output
    assert ("不是普通文件" in result.output) if kind != "folder" else ("不是" in result.output)
    assert dump_database(tmp_path / "fupin.db") == before


def test_a_huge_village_file_is_refused_before_it_is_read(cli, ok, tmp_path):
    from fupin_cli.services.check_common import MAX_VILLAGE_FILE_BYTES

    ok("init")
    huge = tmp_path / "huge.csv"
    with open(huge, "wb") as handle:
        handle.truncate(MAX_VILLAGE_FILE_BYTES + 1)
    result = cli("check", "villages", "import", str(huge))
    assert result.exit_code == 1 and "过大" in result.output, result.output


# --- terminal safety and the operator ------------------------------------------------------------------------

ESCAPES = ["\x1b]0;pwned\x07", "\x1b[2J", "\x9b31m", "a\nb", "\x07", "\u202e"]


@pytest.mark.parametrize("value", ESCAPES)
def test_control_characters_in_values_are_shown_escaped(value, cli):
    for arguments in (["case", "show", value], ["duty", "show", value], ["check", "villages", "import", value]):
        result = cli(*arguments)
        assert result.exit_code in (1, 2), result.output
        line = result.output.rstrip("\n")
        assert not any(ch in line for ch in "\x1b\x07\x9b\u202e") and "\n" not in line, repr(result.output)


def test_control_characters_in_a_table_are_shown_escaped():
    from rich.table import Table

    from fupin_cli.cli import console

    table = Table("标题")
    table.add_row("前\x1b]0;pwned\x07后")
    buffer = io.StringIO()
    console._stdout().file = buffer
    try:
        console.show(table)
    finally:
        console._stdout.cache_clear()
    assert "\x1b]0" not in buffer.getvalue() and "\\x1b]0;pwned" in buffer.getvalue()


@pytest.mark.parametrize(("user", "said"), [("张\x1b[31m三", "控制字符"), ("a\nb", "控制字符"), ("长" * 65, "过长"), ("\x00x", "控制字符")])
def test_the_operator_name_is_printable_and_short(user, said, cli, ok, db_path):
    ok("case", "open", "标题", "--category", "政策")
    before = dump_database(db_path)
    result = cli("--user", user.replace("\x00", "\x01"), "case", "open", "第二件", "--category", "政策")
    assert result.exit_code == 1 and said in result.output, result.output
    assert dump_database(db_path) == before
    ok("--user", "长" * 64, "case", "open", "第三件", "--category", "政策")


@pytest.mark.parametrize("note", ["有\x00空字符", "有\x1b[31m转义", "响铃\x07"])
def test_a_village_note_refuses_control_characters(note, cli, ok, tmp_path, db_path):
    ok("init")
    header = "县,村,是否重点村,项目实施年度,是否互助资金试点村,备注\n"
    path = tmp_path / "v.csv"
    path.write_text(header + f"唐县,新村,是,,否,{note}\n", encoding="utf-8")
    before = dump_database(db_path)
    result = cli("check", "villages", "import", str(path))
    assert result.exit_code == 1 and "备注" in result.output, result.output
    assert dump_database(db_path) == before


# --- backups, temporary files, the hand-over ------------------------------------------------------------


def test_a_second_backup_into_a_folder_while_one_runs_is_refused(cli, ok, tmp_path):
    import fcntl

    ok("init")
    folder = tmp_path / "backups"
    folder.mkdir()
    running = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)  # what a running `db backup` holds
    try:
        fcntl.flock(running, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = cli("db", "backup", str(folder / "b.db"))
        assert result.exit_code == 1 and "正在向" in result.output, result.output
        assert list(folder.iterdir()) == []
    finally:
        os.close(running)
    ok("db", "backup", str(folder / "b.db"))
    assert stat.S_IMODE((folder / "b.db").stat().st_mode) == 0o600


def test_two_backups_at_once_to_one_path_never_both_succeed(ok, tmp_path):
    ok("init")
    for _ in range(5):
        ok("case", "open", "标题", "--category", "政策")
    environment = {**os.environ, "FUPIN_HOME": str(tmp_path), "FUPIN_DB": str(tmp_path / "fupin.db")}
    target = str(tmp_path / "same.db")
    runs = [
        subprocess.Popen([sys.executable, "-m", "fupin_cli", "db", "backup", target], env=environment,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
        for _ in range(2)
    ]
    codes = sorted(run.wait() for run in runs)
    assert codes == [0, 1], [run.stderr.read() for run in runs]
    assert [p.name for p in tmp_path.iterdir() if ".partial" in p.name] == []


def _child(program: str, arguments: list[str], home: Path) -> subprocess.CompletedProcess:
    environment = {**os.environ, "FUPIN_TODAY": TODAY, "FUPIN_HOME": str(home), "FUPIN_DB": str(home / "fupin.db")}
    return subprocess.run([sys.executable, "-c", program, *arguments], capture_output=True, text=True, env=environment)


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGINT"])
def test_a_run_stopped_while_it_writes_leaves_no_temporary_file(signal_name, ok, formula_cases, tmp_path):
    program = (
        "import os, signal, sys\n"
        "import fupin_cli.render.xlsx as xlsx\n"
        "save = xlsx.save_zipped\n"
        "def stopped(build, temporary):\n"
        "    temporary.write_bytes(b'half a workbook')\n"
        f"    os.kill(os.getpid(), signal.{signal_name})\n"
        "    save(build, temporary)\n"
        "xlsx.save_zipped = stopped\n"
        "from fupin_cli.cli.app import main\n"
        "sys.argv = ['fupin', *sys.argv[1:]]\n"
        "main()\n"
    )
    out = tmp_path / "out"
    out.mkdir()
    shown = _child(program, ["report", "ledger", "--year", "2026", "--output", str(out / "L.xlsx")], tmp_path)
    assert shown.returncode != 0
    assert list(out.iterdir()) == [], shown.stderr


def test_a_temporary_file_left_by_a_killed_run_is_removed_by_the_next_write(ok, formula_cases, tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    out = tmp_path / "out"
    out.mkdir()
    leftover = out / f".L.xlsx.{dead.pid}-0badc0de.tmp"
    leftover.write_bytes(b"half a workbook")
    alive = out / f".L.xlsx.{os.getpid()}-0badc0de.tmp"  # a write still running elsewhere: kept
    alive.write_bytes(b"being written")
    ok("report", "ledger", "--year", "2026", "--output", str(out / "L.xlsx"))
    assert sorted(p.name for p in out.iterdir()) == sorted(["L.xlsx", alive.name])


def test_a_killed_write_of_a_long_name_leaves_a_short_temporary_name(tmp_path):
    from fupin_cli.services.output_files import _temporary_prefix

    target = tmp_path / ("长" * 85)
    assert len(_temporary_prefix(target).encode()) <= 102
    assert len((_temporary_prefix(target) + "4194304-0123abcd.tmp").encode()) < 255


def test_a_handover_that_fails_opens_no_case(ok, cli, db_path):
    """The case and the link are one unit of work: a failure while linking leaves no stray case."""
    import sqlite3

    ok("check", "new", "资金项目", "--title", "资金项目检查", "--unit", "唐县", "--on", "2026-09-01")
    ok("check", "finding", "1", "--text", "项目资金滞留", "--unit", "唐县", "--on", "2026-09-02")
    with sqlite3.connect(db_path) as conn:
        conn.execute("CREATE TRIGGER stop BEFORE UPDATE ON finding BEGIN SELECT RAISE(ABORT, 'stopped'); END")
    before = dump_database(db_path)
    result = cli("check", "handover", "1")
    assert result.exit_code != 0
    assert dump_database(db_path) == before
    with sqlite3.connect(db_path) as conn:
        conn.execute("DROP TRIGGER stop")
    assert "督查〔2026〕1号" in ok("check", "handover", "1").stdout


# --- PostgreSQL faults --------------------------------------------------------------------------------------


@pytest.mark.postgres
def test_a_postgresql_connection_lost_mid_read_is_one_chinese_line(ok, cli):
    import psycopg

    from fupin_cli.domain.errors import DatabaseError
    from fupin_cli.storage import plain
    from fupin_cli.storage.location import locate
    from tests.integration.conftest import fresh_postgres_database

    with fresh_postgres_database() as url:
        for number in range(3):
            ok("--db", url, "case", "open", f"标题{number}", "--category", "政策")
        reader = plain.open_reader(url)
        assert reader is not None
        rows = reader.rows("SELECT id FROM cases ORDER BY id")
        try:
            with pytest.raises(DatabaseError, match="连接中断"), plain.translated(reader, locate(url).shown):
                next(rows)
                with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as admin:
                    admin.execute("SELECT pg_terminate_backend(%s)", [reader._connection.info.backend_pid])
                list(reader.rows("SELECT id FROM cases"))
        finally:
            rows.close()
            reader.close()


@pytest.mark.postgres
def test_a_read_only_postgresql_session_refuses_writes_in_chinese(ok, cli):
    from tests.integration.conftest import fresh_postgres_database

    with fresh_postgres_database() as url:
        ok("--db", url, "case", "open", "标题", "--category", "政策")
        read_only = url + "?options=-c%20default_transaction_read_only%3Don"
        assert "标题" in ok("--db", read_only, "case", "list").stdout
        result = cli("--db", read_only, "case", "open", "第二件", "--category", "政策")
        assert result.exit_code == 1 and "只读" in result.output, result.output
        postgres_scheme = url.replace("postgresql://", "postgres://", 1)
        ok("--db", postgres_scheme, "case", "open", "第三件", "--category", "政策")
        assert "第三件" in ok("--db", postgres_scheme, "case", "list").stdout
