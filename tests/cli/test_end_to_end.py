"""The installed `fupin` as a separate process: what cron and the clerk's shell really see."""

import shutil
import subprocess
import sys

import pytest


def _fupin(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = shutil.which("fupin")
    argv = [command] if command else [sys.executable, "-m", "fupin_cli"]
    return subprocess.run([*argv, *args], capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def env(tmp_path, monkeypatch):
    import os

    return {**os.environ, "FUPIN_HOME": str(tmp_path / "home"), "FUPIN_TODAY": "2026-11-26", "COLUMNS": "80"}


def test_demo_then_the_cron_report(env):
    assert _fupin("init", "--demo", env=env).returncode == 0
    report = _fupin("--demo", "report", "overdue", "--fail-if-any", env=env)
    assert report.returncode == 1 and "督查〔2026〕1号" in report.stdout and report.stderr == ""
    quiet = _fupin("--demo", "report", "overdue", "--as-of", "2026-10-01", "--quiet-if-none", env=env)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")


@pytest.mark.parametrize(
    "args",
    [
        ("report", "ledger", "--year", "2026", "--output", "/nonexistent/台账.xlsx"),
        ("report", "overdue", "--format", "xlsx", "--output", "/"),
        ("case", "archive", "2"),
        ("case", "show", "999"),
    ],
    ids=["ledger into a missing folder", "xlsx onto a folder", "archive without feedback", "unknown case"],
)
def test_a_refusal_is_one_chinese_line_on_stderr(env, args):
    assert _fupin("init", "--demo", env=env).returncode == 0
    refused = _fupin("--demo", *args, env=env)
    assert refused.returncode == 1
    assert refused.stdout == ""
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误："), refused.stderr


def test_stats_leave_a_withdrawn_case_out_of_every_rate(env):
    """Through the installed command: a case the office withdrew is counted under 撤销 alone."""
    assert _fupin("init", "--demo", env=env).returncode == 0
    assert _fupin("init", env=env).returncode == 0  # the office's own database, beside the demo
    before = _fupin("report", "stats", "--format", "json", env=env)
    opened = _fupin("case", "open", "重复交办的事项", "--category", "其他", "--on", "2026-11-02", env=env)
    assert opened.returncode == 0, opened.stderr
    import json

    number = next(r for r in json.loads(_fupin("case", "list", "--format", "json", env=env).stdout)
                  if r["title"] == "重复交办的事项")["no"]  # fmt: skip
    for step in (("approve", number, "--by", "王主任", "--on", "2026-11-02"),
                 ("assign", number, "--unit", "高新区", "--on", "2026-11-02"),
                 ("withdraw", number, "--reason", "重复交办", "--on", "2026-11-03")):  # fmt: skip
        done = _fupin("case", *step, env=env)
        assert done.returncode == 0, done.stderr
    after = _fupin("report", "stats", "--format", "json", env=env)
    total_before, total_after = json.loads(before.stdout)[-1], json.loads(after.stdout)[-1]
    assert total_after["withdrawn"] == total_before["withdrawn"] + 1
    assert {k: v for k, v in total_after.items() if k != "withdrawn"} == {
        k: v for k, v in total_before.items() if k != "withdrawn"
    }
    table = _fupin("report", "stats", env=env).stdout
    import unicodedata

    def cells(line: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)

    assert "撤销" in table.splitlines()[0] and max(cells(line) for line in table.splitlines()) <= 80
