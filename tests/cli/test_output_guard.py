"""No --output may replace the database or its companions, however the path is spelled.

Before this guard, `FUPIN_DB=f.db fupin report overdue --output f.db` replaced the live database with
a CSV file and printed 已写入. Each writer is tried against each spelling of the database's files;
every attempt must exit 1 with one Chinese line and leave the database byte for byte as it was.
"""

import hashlib
import os
from pathlib import Path

import pytest

TODAY = "2026-11-20"

WRITERS = [
    ("report", "overdue"),
    ("report", "overdue", "--format", "xlsx"),
    ("report", "due-soon"),
    ("report", "stats", "--year", "2026"),
    ("report", "ledger", "--year", "2026"),
    ("check", "coverage", "--year", "2026", "--format", "csv"),
    ("case", "notice", "1"),
    ("case", "urge", "1"),
]


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FUPIN_TODAY", TODAY)


@pytest.fixture
def database(ok, db_path: Path) -> Path:
    ok("case", "open", "核查唐县雨露计划补助发放", "--category", "雨露计划", "--on", "2026-11-02")
    ok("case", "approve", "1", "--by", "王主任", "--on", "2026-11-02")
    ok("case", "assign", "1", "--unit", "唐县", "--on", "2026-11-02")
    return db_path


def _fingerprint(folder: Path) -> dict[str, str]:
    """Every file beside the database, by name, with the SHA-256 of its bytes."""
    return {
        entry.name: hashlib.sha256(entry.read_bytes()).hexdigest()
        for entry in sorted(folder.iterdir())
        if entry.is_file() and not entry.is_symlink()
    }


def _spellings(database: Path, tmp_path: Path) -> dict[str, Path]:
    linked_folder = tmp_path / "链接文件夹"
    linked_folder.symlink_to(database.parent, target_is_directory=True)
    hard = tmp_path / "elsewhere"
    hard.mkdir()
    os.link(database, hard / "copy.db")
    symlink = hard / "link.csv"
    symlink.symlink_to(database)
    return {
        "the file": database,
        "a relative name": Path(os.path.relpath(database)),
        "its -wal": database.with_name(database.name + "-wal"),
        "its -journal": database.with_name(database.name + "-journal"),
        "through a symlinked folder": linked_folder / database.name,
        "a hard link": hard / "copy.db",
        "a symlink": symlink,
    }


@pytest.mark.parametrize("writer", WRITERS, ids=" ".join)
def test_no_writer_replaces_the_database(cli, database, db_dump, tmp_path, writer):
    dump = db_dump()
    spellings = _spellings(database, tmp_path)
    before = _fingerprint(database.parent)
    for label, target in spellings.items():
        result = cli(*writer, "--output", str(target))
        assert result.exit_code == 1, (label, result.output)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("错误：") and "数据库" in lines[0], (label, lines)
        assert "已写入" not in result.output
        assert _fingerprint(database.parent) == before, label
    assert db_dump() == dump
    assert not any(name.endswith(".tmp") for name in os.listdir(database.parent))


def test_dash_means_standard_output(ok, database, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    printed = ok("report", "overdue", "--as-of", "2026-12-31", "--format", "csv", "--output", "-")
    assert "督查〔2026〕1号" in printed.stdout
    coverage = ok("check", "coverage", "--year", "2026", "--format", "csv", "--output", "-")
    assert coverage.stdout.strip()
    assert not (tmp_path / "-").exists()


def test_a_file_that_cannot_go_to_standard_output_is_refused(cli, database, db_dump, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    dump = db_dump()
    for command in (("report", "ledger", "--year", "2026", "--format", "xlsx"), ("case", "notice", "1")):
        result = cli(*command, "--output", "-")
        assert result.exit_code == 2, result.output
        assert "标准输出" in result.stderr
    assert not (tmp_path / "-").exists()
    assert db_dump() == dump


def test_other_files_in_the_folder_are_still_written(ok, database):
    target = database.with_name("逾期.csv")
    ok("report", "overdue", "--as-of", "2026-12-31", "--output", str(target))
    assert "督查〔2026〕1号" in target.read_text(encoding="utf-8")
