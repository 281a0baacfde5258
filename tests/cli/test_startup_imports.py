"""What each command loads: the heavy libraries a command does not use stay unimported, so that a
one-line answer does not pay for the table library, a read for the spreadsheet and document writers,
and `--help`, `duty` and `cal` for any database library. Each command runs in its own process (as a
user runs it) and reports the modules it ended with.

(That read commands load no SQLAlchemy, SQLModel or pydantic is checked beside the light reader.)
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fupin_cli.cli.app import GROUPS

DATABASE = ("sqlalchemy", "sqlmodel", "pydantic", "psycopg", "sqlite3")
DOCUMENTS = ("openpyxl", "docx")
TABLES = ("rich",)

_PROBE = """
import atexit, json, sys
watched = json.loads(sys.argv.pop(1))
atexit.register(lambda: sys.stderr.write("\\n#loaded " + json.dumps(sorted(m for m in watched if m in sys.modules)) + "\\n"))
sys.argv[0] = "fupin"
from fupin_cli.cli.app import main
main()
"""

WATCHED = (*DATABASE, *DOCUMENTS, *TABLES, "typer", "fupin_cli.services.duties", "fupin_cli.services.calendar")

# command → the modules it must not load
NOT_LOADED: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    (("--help",), (*DATABASE, *DOCUMENTS, *TABLES, "fupin_cli.services.duties", "fupin_cli.services.calendar")),
    (("--version",), (*DATABASE, *DOCUMENTS, *TABLES, "fupin_cli.services.duties", "fupin_cli.services.calendar")),
    *(((group, "--help"), (*DATABASE, *DOCUMENTS, *TABLES)) for group in GROUPS),
    (("duty", "who", "贴息"), (*DATABASE, *DOCUMENTS, "fupin_cli.services.calendar")),
    (("duty", "who", "贴息", "--format", "json"), (*DATABASE, *DOCUMENTS, *TABLES, "fupin_cli.services.calendar")),
    (("duty", "who", "没有这种工作xyz"), (*DATABASE, *DOCUMENTS, *TABLES, "fupin_cli.services.calendar")),
    (("cal", "deadline", "2026-11-26", "10"), (*DATABASE, *DOCUMENTS, *TABLES, "fupin_cli.services.duties")),
    (("cal", "deadline", "2029-12-20", "300"), (*DATABASE, *DOCUMENTS, *TABLES, "fupin_cli.services.duties")),
    (("cal", "between", "2026-11-26", "2027-02-26"), (*DATABASE, *DOCUMENTS, *TABLES, "fupin_cli.services.duties")),
    (("cal", "deadline", "2026-11-26", "0"), (*DATABASE, *DOCUMENTS, *TABLES, "fupin_cli.services.duties")),
    (("case", "show", "1"), (*DOCUMENTS, "fupin_cli.services.duties")),
    (("case", "show", "999"), (*DOCUMENTS, *TABLES, "fupin_cli.services.duties")),
    (("case", "log", "1"), DOCUMENTS),
    (("case", "list"), DOCUMENTS),
    (("report", "overdue"), (*DOCUMENTS, *TABLES)),
    (("report", "overdue", "--format", "tsv"), (*DOCUMENTS, *TABLES)),
    (("report", "overdue", "--format", "json"), (*DOCUMENTS, *TABLES)),
    (("report", "due-soon", "--format", "tsv"), (*DOCUMENTS, *TABLES)),
    (("report", "due-soon", "--within", "10"), (*DOCUMENTS, *TABLES)),
    (("report", "stats", "--format", "json"), (*DOCUMENTS, *TABLES)),
    (("case", "open", "启动测试事项", "-c", "政策"), (*DOCUMENTS, *TABLES)),
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a run on the demo database (built once for the module)."""
    home = tmp_path_factory.mktemp("startup")
    env = {
        **os.environ, "FUPIN_HOME": str(home), "XDG_DATA_HOME": str(home / "xdg"), "FUPIN_DB": str(home / "fupin.db"),
        "FUPIN_TODAY": "2026-11-26", "FUPIN_USER": "测试员", "COLUMNS": "80",
    }  # fmt: skip
    built = subprocess.run([sys.executable, "-m", "fupin_cli", "--db", env["FUPIN_DB"], "init", "--demo"],
                           capture_output=True, text=True, env=env, timeout=300)  # fmt: skip
    assert built.returncode == 0, built.stderr
    return env


def loaded(args: tuple[str, ...], env: dict[str, str]) -> tuple[list[str], subprocess.CompletedProcess[str]]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(WATCHED), *args],
        capture_output=True, text=True, env=env, timeout=300, cwd=Path(__file__).parent,
    )  # fmt: skip
    marker = done.stderr.rsplit("#loaded ", 1)
    assert len(marker) == 2, done.stderr
    return json.loads(marker[1]), done


@pytest.mark.parametrize(("args", "forbidden"), NOT_LOADED, ids=[" ".join(args) for args, _ in NOT_LOADED])
def test_a_command_loads_only_what_it_uses(args: tuple[str, ...], forbidden: tuple[str, ...], demo) -> None:
    found, done = loaded(args, demo)
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr
    assert not set(found) & set(forbidden), f"fupin {' '.join(args)} loaded {sorted(set(found) & set(forbidden))}"


def test_the_probe_sees_what_a_command_loads(demo) -> None:
    """The check can fail: a table drawn with Rich, and a write, show up as loaded."""
    found, _ = loaded(("case", "show", "1"), demo)
    assert "rich" in found and "typer" in found
    found, _ = loaded(("case", "open", "启动测试事项二", "-c", "政策"), demo)
    assert "sqlmodel" in found
