"""README is executable truth: its main command, then the 五分钟上手 tour line by line, in one fresh HOME."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
INSTALL = "pip install . &&"
# Days after the tour's last dated step: the clerk's first Tuesday in December, 除夕 2027, the first
# working day after 国庆 2027, a Monday, and an ordinary day of a provisional year.
DAYS = ["2026-12-01", "2027-02-05", "2027-10-08", "2026-11-02", "2027-06-15"]


def _main_command() -> list[str]:
    text = README.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if INSTALL in line)
    return [part.strip() for part in line.split(INSTALL, 1)[1].split("&&")]


def _tour() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## 五分钟上手", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "README has no sh block under 五分钟上手"
    return [line for line in block.group(1).splitlines() if line.strip()]


def _run(line: str, *, env: dict[str, str], cwd: Path) -> tuple[list[str], subprocess.CompletedProcess[str]]:
    words = shlex.split(line, comments=True)
    assert words and words[0] == "fupin", line
    argv = [sys.executable, "-m", "fupin_cli", *words[1:]]
    return words, subprocess.run(argv, capture_output=True, text=True, env=env, cwd=cwd, timeout=180)


def test_the_readme_names_the_commands_it_promises():
    assert _main_command() == ["fupin init --demo", "fupin --demo report overdue"]
    assert any("→ 2026-10-16" in line for line in _tour()) and any("→ 开发指导处" in line for line in _tour())


@pytest.mark.parametrize("today", DAYS)
def test_the_main_command_then_the_whole_tour_on_a_fresh_machine(tmp_path, today):
    home = tmp_path / "home"
    work = tmp_path / "work"
    home.mkdir()
    work.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith("FUPIN_")}
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        FUPIN_HOME=str(home / ".local" / "share" / "fupin"),
        FUPIN_TODAY=today,
        COLUMNS="80",
        PYTHONPATH=str(README.parent),
    )
    for line in _main_command():
        _, done = _run(line, env=env, cwd=work)
        assert done.returncode == 0, (today, line, done.stderr)
    assert "催办" in done.stdout and "通报" in done.stdout, done.stdout
    for line in _tour():
        _, done = _run(line, env=env, cwd=work)
        assert done.returncode == 0, (today, line, done.stdout, done.stderr)
        if "→" in line:
            expected = line.rsplit("→", 1)[1].strip()
            assert expected in done.stdout, (today, line, done.stdout)
    office = home / ".local" / "share" / "fupin" / "fupin.db"
    demo = office.with_name("demo.db")
    assert office.exists() and demo.exists()
