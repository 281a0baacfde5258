"""Every command explains itself, docs/cli.md matches the code, and --help stays light."""

import subprocess
import sys
from pathlib import Path

import pytest
import typer

from fupin_cli.cli import docgen
from fupin_cli.cli.app import app

REPO = Path(__file__).resolve().parents[2]


ALL = list(docgen.iter_commands(typer.main.get_command(app)))


@pytest.mark.parametrize("path,command", ALL, ids=[" ".join(p) for p, _ in ALL])
def test_every_command_and_option_has_chinese_help(path, command):
    assert command.help, f"{' '.join(path)} has no help text"
    for param in command.params:
        if getattr(param, "param_type_name", "") == "option" and param.name != "help":
            assert param.help, f"{' '.join(path)} {param.opts} has no help text"


def test_docs_cli_md_is_generated_from_help():
    documented = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    assert documented == docgen.render(), "docs/cli.md is stale: run python -m fupin_cli.cli.docgen > docs/cli.md"


@pytest.mark.parametrize("args", [["--help"], ["duty", "who", "贴息"]])
def test_fast_paths_do_not_import_the_database_stack(args, tmp_path):
    probe = (
        "import sys, runpy\n"
        f"sys.argv = ['fupin', *{args!r}]\n"
        "try:\n"
        "    runpy.run_module('fupin_cli', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlmodel', 'pydantic'))\n"
        "sys.stderr.write('HEAVY:' + ','.join(heavy))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "FUPIN_HOME": str(tmp_path), "COLUMNS": "80"}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60)
    assert "HEAVY:" in done.stderr, done.stderr
    assert done.stderr.rsplit("HEAVY:", 1)[1] == ""
