"""`fupin db backup` while another process writes; `fupin db restore` into an empty database."""

import multiprocessing
import stat
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from fupin_cli.cli.app import app
from fupin_cli.storage import maintenance
from fupin_cli.storage.db import open_database
from fupin_cli.storage.events import verify_chain
from tests.integration.conftest import case_event_mismatches, table_contents, walk_cases


def fupin(*args: str):
    return CliRunner().invoke(app, ["--today", "2026-10-10", *args])


def sound_copy(path: Path) -> dict[str, list[str]]:
    """Check a backup file on its own terms and return its content."""
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with maintenance.read_sqlite_file(path) as conn:
        assert maintenance.sqlite_problems(conn) == []
        assert verify_chain(conn)[1] is None
        assert case_event_mismatches(conn) == []
        serials = conn.execute(text("SELECT serial FROM cases ORDER BY serial")).scalars().all()
        assert serials == list(range(1, len(serials) + 1))
        return table_contents(conn)


def content_of(path: Path) -> dict[str, list[str]]:
    database = open_database(str(path))
    try:
        with database.read() as conn:
            return table_contents(conn)
    finally:
        database.dispose()


@pytest.mark.slow
def test_backups_taken_while_another_process_writes_restore_whole(tmp_path, monkeypatch):
    monkeypatch.setenv("FUPIN_HOME", str(tmp_path / "home"))
    live = tmp_path / "fupin.db"
    fork = multiprocessing.get_context("fork")
    writing = fork.Event()
    writer = fork.Process(target=walk_cases, args=(str(live), str(tmp_path / "home"), 1, writing))
    writer.start()
    try:
        assert writing.wait(timeout=120)
        copies = []
        for number in range(3):
            time.sleep(0.4)
            copy = tmp_path / f"backup-{number}.db"
            result = fupin("--db", str(live), "db", "backup", str(copy))
            assert result.exit_code == 0, result.output
            copies.append(copy)
        assert writer.is_alive(), "the writer stopped before the backups were done"
    finally:
        writer.kill()
        writer.join(timeout=30)

    contents = [sound_copy(copy) for copy in copies]
    sizes = [len(content["audit_event"]) for content in contents]
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1], (
        f"the writer made no progress between backups: {sizes}"
    )

    restored = tmp_path / "restored" / "fupin.db"
    restored.parent.mkdir()
    result = fupin("--db", str(restored), "db", "restore", str(copies[-1]))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(restored.stat().st_mode) == 0o600
    assert content_of(restored) == contents[-1]
    assert fupin("--db", str(restored), "db", "check").exit_code == 0

    for occupied in (live, restored):
        before = content_of(occupied)
        result = fupin("--db", str(occupied), "db", "restore", str(copies[0]))
        assert result.exit_code == 1 and "空数据库" in result.stderr
        assert content_of(occupied) == before
        assert stat.S_IMODE(occupied.stat().st_mode) == 0o600
