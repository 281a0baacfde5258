"""Every test runs against its own temporary fupin folder and database, as user 测试员, 80 columns wide.

`cli` invokes the Typer app in-process; `db_dump` reads every table of the test's SQLite database
(rows sorted) so that a test can assert a refused command changed nothing at all; `scenarios` builds
a shared scenario once per test run and gives each test its own copy of it.
"""

import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
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


class Scenarios:
    """Shared scenarios, each built once per test run by the same commands a test would run, then
    copied for every test that asks: an SQLite file copied whole, a PostgreSQL database created from
    the built one as its template. A test changes only its copy; the assertions stay the test's own.

    A scenario is known by its name and the FUPIN_TODAY it was built under (a build may depend on
    "today"); the build runs with FUPIN_DB and FUPIN_HOME pointing at the scenario's own folder.
    """

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self._factory = factory
        self._files: dict[tuple[str, str | None], Path] = {}
        self._templates: dict[tuple[str, str], str] = {}
        self._stack = ExitStack()

    def sqlite(self, name: str, build: Callable[[], Any], *, into: Path) -> Path:
        """Copy scenario `name` to the SQLite file `into`, building it first if this run has not."""
        key = (name, os.environ.get("FUPIN_TODAY"))
        source = self._files.get(key)
        if source is None:
            folder = self._factory.mktemp(f"scenario-{name}")
            source = folder / "fupin.db"
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv("FUPIN_DB", str(source))
                patch.setenv("FUPIN_HOME", str(folder / "home"))
                patch.setenv("XDG_DATA_HOME", str(folder / "xdg"))
                build()
            _fold_wal(source)
            self._files[key] = source
        shutil.copyfile(source, into)
        os.chmod(into, 0o600)
        return into

    @contextmanager
    def database(self, name: str, backend: str, build: Callable[[str], Any], *, folder: Path) -> Iterator[str]:
        """The --db of a fresh copy of scenario `name` on `backend`; `build(db_url)` fills an empty one."""
        if backend == "sqlite":
            key = (f"{name}:sqlite", "")
            source = self._files.get(key)
            if source is None:
                source = self._factory.mktemp(f"scenario-{name}") / "fupin.db"
                build(str(source))
                _fold_wal(source)
                self._files[key] = source
            target = folder / "fupin.db"
            shutil.copyfile(source, target)
            os.chmod(target, 0o600)
            yield str(target)
            return
        from tests.integration.conftest import fresh_postgres_database

        key = (name, "postgresql")
        template = self._templates.get(key)
        if template is None:
            template = self._stack.enter_context(fresh_postgres_database())
            build(template)
            self._templates[key] = template
        with fresh_postgres_database(template=template) as url:
            yield url

    def close(self) -> None:
        """Drop the PostgreSQL templates (the SQLite files go with the run's temporary folder)."""
        self._stack.close()


def _fold_wal(path: Path) -> None:
    """Write the WAL back into the file, so that the file alone is the whole database."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


@pytest.fixture(scope="session")
def scenarios(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenarios]:
    shared = Scenarios(tmp_path_factory)
    yield shared
    shared.close()
