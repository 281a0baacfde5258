"""附件 (issue 12, the record): a report file is kept in the database itself, on both backends,
listed by `case files`, written back byte for byte by `case file`, verified by `db check`, carried
by `db copy` and by a backup."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from fupin_cli.domain.attachments import CHUNK_BYTES, MAX_ATTACHMENT_BYTES
from tests.integration.conftest import backend, db_url, fresh_postgres_database, table_contents  # noqa: F401

MIB = 1024 * 1024


def _run(cli, db: str, *args: str, today: str = "2026-10-30"):
    return cli("--db", db, "--today", today, *args)


def _ok(cli, db: str, *args: str, today: str = "2026-10-30"):
    result = _run(cli, db, *args, today=today)
    assert result.exit_code == 0, result.output
    return result


def _in_progress(cli, db: str, *, classified: bool = False) -> str:
    extra = ("--classified",) if classified else ()
    line = _ok(cli, db, "case", "open", "核查曲阳县互助资金", "-c", "互助资金", *extra, "--on", "2026-10-12").stdout
    number = line.split(" ", 1)[0]
    _ok(cli, db, "case", "approve", number, "--by", "王主任", "--on", "2026-10-12")
    _ok(cli, db, "case", "assign", number, "--unit", "曲阳县", "--on", "2026-10-12")
    _ok(cli, db, "case", "accept", number, "--on", "2026-10-13")
    return number


def _file(path: Path, size: int, seed: int = 1) -> Path:
    """A file of `size` bytes that no two chunks repeat (so a swapped chunk changes the digest)."""
    with path.open("wb") as handle:
        written, counter = 0, 0
        while written < size:
            block = hashlib.sha256(f"{seed}:{counter}".encode()).digest() * 2048  # 64 KiB
            block = block[: size - written]
            handle.write(block)
            written += len(block)
            counter += 1
    return path


def _contents(db: str) -> dict[str, list[str]]:
    url = db if "://" in db else f"sqlite:///{db}"
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            return table_contents(conn)
    finally:
        engine.dispose()


def _execute(db: str, sql: str, **parameters) -> None:
    url = db if "://" in db else f"sqlite:///{db}"
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.begin() as conn:
            conn.execute(text(sql), parameters)
    finally:
        engine.dispose()


def test_a_report_file_round_trips_byte_for_byte_and_db_check_verifies_it(cli, db_url, tmp_path):  # noqa: F811
    """Both backends: a small text file and a 49 MiB binary file, kept, listed, written back."""
    number = _in_progress(cli, db_url)
    report = tmp_path / "曲阳报告.txt"
    report.write_text("经核查，互助资金已全部到户。\n附：到户清单\n", encoding="utf-8")
    _ok(cli, db_url, "case", "feedback", number, "--report-file", str(report), "--on", "2026-10-20")
    shown = json.loads(_ok(cli, db_url, "case", "show", number, "-f", "json").stdout)
    assert shown["report_file"] == "曲阳报告.txt", "the name is kept, not the path"
    assert shown["report_text"] == "经核查，互助资金已全部到户。\n附：到户清单"
    report.unlink()  # the file will not be there next week: the database has it
    _ok(cli, db_url, "case", "return", number, "--reason", "缺少影像资料", "--on", "2026-10-21")
    big = _file(tmp_path / "影像资料.zip", 49 * MIB + 12345)
    _ok(cli, db_url, "case", "feedback", number, "--report-file", str(big), "--on", "2026-10-22")

    listed = json.loads(_ok(cli, db_url, "case", "files", number, "-f", "json").stdout)
    assert [(item["name"], item["size"], item["added_on"], item["added_by"]) for item in listed] == [
        ("曲阳报告.txt", len("经核查，互助资金已全部到户。\n附：到户清单\n".encode()), "2026-10-20", "测试员"),
        ("影像资料.zip", 49 * MIB + 12345, "2026-10-22", "测试员"),
    ]
    assert listed[1]["sha256"] == hashlib.sha256(big.read_bytes()).hexdigest()
    table = _ok(cli, db_url, "case", "files", number).stdout
    assert "影像资料.zip" in table and "49.0 MB" in table and listed[1]["sha256"][:12] in table
    assert all(len(line) <= 80 for line in table.splitlines())

    back = tmp_path / "out" / "取回.zip"
    back.parent.mkdir()
    _ok(cli, db_url, "case", "file", number, "影像资料.zip", "--output", str(back))
    assert back.read_bytes() == big.read_bytes()
    assert back.stat().st_mode & 0o777 == 0o600
    assert os.listdir(back.parent) == ["取回.zip"], "no temporary file left"
    text_back = _ok(cli, db_url, "case", "file", number, "曲阳报告.txt", "--output", "-")
    assert text_back.stdout_bytes == "经核查，互助资金已全部到户。\n附：到户清单\n".encode()
    check = _ok(cli, db_url, "db", "check")
    assert "与审计记录逐行相符" in check.stdout


def test_db_check_catches_an_edited_chunk_and_case_file_writes_nothing(cli, db_url, tmp_path):  # noqa: F811
    number = _in_progress(cli, db_url)
    big = _file(tmp_path / "资料.bin", 3 * CHUNK_BYTES + 10)
    _ok(cli, db_url, "case", "feedback", number, "--report-file", str(big), "--on", "2026-10-20")
    _ok(cli, db_url, "db", "check")
    _execute(db_url, "UPDATE attachment_chunk SET data = :data WHERE seq = 1", data=b"\x00" * CHUNK_BYTES)
    result = _run(cli, db_url, "db", "check")
    assert result.exit_code == 1 and "附件「资料.bin」的内容" in result.stderr, result.output
    target = tmp_path / "取回.bin"
    result = _run(cli, db_url, "case", "file", number, "资料.bin", "--output", str(target))
    assert result.exit_code == 1 and "SHA-256 不符" in result.stderr, result.output
    assert not target.exists() and os.listdir(tmp_path).count("取回.bin") == 0
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]


def test_db_check_catches_an_edited_attachment_row(cli, db_url, tmp_path):  # noqa: F811
    number = _in_progress(cli, db_url)
    report = tmp_path / "报告.txt"
    report.write_text("已办结", encoding="utf-8")
    _ok(cli, db_url, "case", "feedback", number, "--report-file", str(report), "--on", "2026-10-20")
    _execute(db_url, "UPDATE attachment SET name = '别的报告.txt'")
    result = _run(cli, db_url, "db", "check")
    assert result.exit_code == 1 and "附件" in result.stderr and "别的报告.txt" in result.stderr, result.output


def test_a_file_over_50_mib_is_refused_and_nothing_changes(cli, db_url, tmp_path):  # noqa: F811
    number = _in_progress(cli, db_url)
    huge = tmp_path / "过大.bin"
    with huge.open("wb") as handle:
        handle.truncate(MAX_ATTACHMENT_BYTES + 1)
    before = _contents(db_url)
    result = _run(cli, db_url, "case", "feedback", number, "--report-file", str(huge))
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "超过每个文件 50 MB 的上限" in lines[0] and "未作任何更改" in lines[0]
    assert _contents(db_url) == before
    exactly = tmp_path / "正好.bin"
    with exactly.open("wb") as handle:
        handle.truncate(MAX_ATTACHMENT_BYTES)
    _ok(cli, db_url, "case", "feedback", number, "--report-file", str(exactly))
    listed = json.loads(_ok(cli, db_url, "case", "files", number, "-f", "json").stdout)
    assert [item["size"] for item in listed] == [MAX_ATTACHMENT_BYTES]


def test_a_classified_case_keeps_no_file(cli, db_url, tmp_path):  # noqa: F811
    number = _in_progress(cli, db_url, classified=True)
    report = tmp_path / "报告.txt"
    report.write_text("涉密内容", encoding="utf-8")
    before = _contents(db_url)
    result = _run(cli, db_url, "case", "feedback", number, "--report-file", str(report))
    assert result.exit_code == 1 and "涉密事项" in result.stderr and result.stderr.count("\n") == 1
    assert _contents(db_url) == before
    assert "没有存入数据库的附件" in _ok(cli, db_url, "case", "files", number).stdout


def test_db_copy_carries_the_files(cli, tmp_path):
    source = str(tmp_path / "source.db")
    number = _in_progress(cli, source)
    big = _file(tmp_path / "资料.bin", 5 * CHUNK_BYTES + 3)
    _ok(cli, source, "case", "feedback", number, "--report-file", str(big), "--on", "2026-10-20")
    targets = [str(tmp_path / "copy.db")]
    with fresh_postgres_database() if os.environ.get("FUPIN_TEST_PG_URL") else _no_server() as pg_url:
        if pg_url:
            targets.append(pg_url)
        for target in targets:
            _ok(cli, source, "db", "copy", "--to", target)
            _ok(cli, target, "db", "check")
            back = tmp_path / "back.bin"
            _ok(cli, target, "case", "file", number, "资料.bin", "--output", str(back))
            assert back.read_bytes() == big.read_bytes(), target
            back.unlink()
        if pg_url:
            again = str(tmp_path / "again.db")
            _ok(cli, pg_url, "db", "copy", "--to", again)
            assert json.loads(_ok(cli, again, "case", "files", number, "-f", "json").stdout)[0]["size"] == big.stat().st_size


class _no_server:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *_: object) -> None:
        return None


def test_a_backup_carries_the_files(cli, tmp_path):
    db = str(tmp_path / "fupin.db")
    number = _in_progress(cli, db)
    big = _file(tmp_path / "资料.bin", 2 * CHUNK_BYTES + 5)
    _ok(cli, db, "case", "feedback", number, "--report-file", str(big), "--on", "2026-10-20")
    backup = tmp_path / "backup.db"
    _ok(cli, db, "db", "backup", str(backup))
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT count(*) FROM attachment_chunk").fetchone()[0] == 3
    _ok(cli, str(backup), "case", "file", number, "资料.bin", "--output", str(tmp_path / "b.bin"))
    assert (tmp_path / "b.bin").read_bytes() == big.read_bytes()


def test_old_rows_that_only_hold_a_path_stay_readable(cli, tmp_path):
    db = str(tmp_path / "fupin.db")
    number = _in_progress(cli, db)
    _ok(cli, db, "case", "feedback", number, "--report", "已办结", "--on", "2026-10-20")
    with sqlite3.connect(db) as conn:  # as an older fupin recorded it: the path alone
        conn.execute("UPDATE cases SET report_file = '/tmp/曲阳报告.txt'")
    card = _ok(cli, db, "case", "show", number).stdout
    assert "/tmp/曲阳报告.txt" in card
    listing = _ok(cli, db, "case", "files", number)
    assert "没有存入数据库的附件" in listing.stdout and "/tmp/曲阳报告.txt" in listing.stderr


def test_unknown_names_and_missing_files_are_refused(cli, tmp_path):
    db = str(tmp_path / "fupin.db")
    number = _in_progress(cli, db)
    before = _contents(db)
    for path, message in (("/nonexistent/报告.docx", "找不到办结报告文件"), (str(tmp_path), "找不到办结报告文件")):
        result = _run(cli, db, "case", "feedback", number, "--report-file", path)
        assert result.exit_code == 1 and message in result.stderr, result.output
    empty = tmp_path / "空.txt"
    empty.touch()
    result = _run(cli, db, "case", "feedback", number, "--report-file", str(empty))
    assert result.exit_code == 1 and "空文件" in result.stderr
    assert _contents(db) == before
    result = _run(cli, db, "case", "file", number, "无此文件.txt", "--output", str(tmp_path / "x"))
    assert result.exit_code == 1 and "没有名为「无此文件.txt」的附件" in result.stderr and "fupin case files" in result.stderr
    result = _run(cli, db, "case", "file", number, "x", "--output", db)
    assert result.exit_code in (1, 2) and "数据库文件" in result.output


@pytest.mark.parametrize("output_format", ["csv", "tsv", "md", "html"])
def test_every_format_lists_the_files(cli, tmp_path, output_format):
    db = str(tmp_path / "fupin.db")
    number = _in_progress(cli, db)
    report = tmp_path / "=报告.txt"
    report.write_text("已办结", encoding="utf-8")
    _ok(cli, db, "case", "feedback", number, "--report-file", str(report), "--on", "2026-10-20")
    listed = _ok(cli, db, "case", "files", number, "-f", output_format).stdout
    assert "报告.txt" in listed and hashlib.sha256("已办结".encode()).hexdigest() in listed
    if output_format == "csv":
        assert "'=报告.txt" in listed, "a formula-looking name is neutralised"
    xlsx = tmp_path / "附件.xlsx"
    _ok(cli, db, "case", "files", number, "-f", "xlsx", "--output", str(xlsx))
    assert xlsx.stat().st_size > 0


def test_the_installed_command_sends_a_file_down_a_pipe(tmp_path):
    """The installed `fupin`, as a shell runs it: a binary file kept, then written to stdout."""
    command = shutil.which("fupin")
    argv = [command] if command else [sys.executable, "-m", "fupin_cli"]
    env = {**os.environ, "FUPIN_HOME": str(tmp_path), "FUPIN_DB": str(tmp_path / "fupin.db"), "FUPIN_TODAY": "2026-10-20"}

    def run(*args: str) -> subprocess.CompletedProcess[bytes]:
        done = subprocess.run([*argv, *args], capture_output=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr.decode()
        return done

    number = run("case", "open", "核查", "-c", "政策").stdout.decode().split(" ", 1)[0]
    run("case", "approve", number, "--by", "王主任")
    run("case", "assign", number, "--unit", "唐县")
    run("case", "accept", number)
    binary = _file(tmp_path / "扫描件.pdf", CHUNK_BYTES + 77, seed=7)
    run("case", "feedback", number, "--report-file", str(binary))
    assert run("case", "file", number, "扫描件.pdf", "-o", "-").stdout == binary.read_bytes()
