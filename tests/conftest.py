"""Every test runs against its own temporary fupin folder and database, as user 测试员, 80 columns wide.

`cli` invokes the Typer app in-process; `db_dump` reads every table of the test's SQLite database
(rows sorted) so that a test can assert a refused command changed nothing at all.
"""

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from fupin_cli.cli.app import app


@pytest.fixture(autouse=True)
def fupin_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point all of fupin's state at tmp_path; never the user's real data folder or database."""
    monkeypatch.setenv("FUPIN_HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("FUPIN_DB", str(tmp_path / "fupin.db"))
    monkeypatch.setenv("FUPIN_USER", "测试员")
    monkeypatch.setenv("COLUMNS", "80")
    for variable in ("FUPIN_TODAY", "FUPIN_TZ"):
        monkeypatch.delenv(variable, raising=False)
    return tmp_path


@pytest.fixture
def db_path(fupin_environment: Path) -> Path:
    return fupin_environment / "fupin.db"


@pytest.fixture
def cli() -> Callable[..., Result]:
    """cli("case", "open", ...) → the Result of running `fupin case open ...` in-process."""

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(app, [str(arg) for arg in args])

    return invoke


@pytest.fixture
def ok(cli: Callable[..., Result]) -> Callable[..., Result]:
    """ok("case", "open", ...) → the Result, asserting the command succeeded."""

    def run(*args: str) -> Result:
        result = cli(*args)
        assert result.exit_code == 0, result.output
        return result

    return run


def dump_database(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, sorted: equal dumps mean nothing in the database changed."""
    conn = sqlite3.connect(path)
    try:
        names = [
            row[0]
            for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            if not row[0].startswith("sqlite_")
        ]
        return {
            name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)  # noqa: S608
            for name in names
        }
    finally:
        conn.close()


@pytest.fixture
def db_dump(db_path: Path) -> Callable[[], dict[str, list[tuple[Any, ...]]]]:
    """db_dump() → the whole content of the test's database."""
    return lambda: dump_database(db_path)
