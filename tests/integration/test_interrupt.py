"""Ctrl-C at random moments of a write: one line saying what was recorded, exit 130, and the
database whole every time (the SIGKILL test in test_crash.py covers the harder case)."""

import os
import random
import signal
import subprocess
import sys
import time

from sqlalchemy import text
from typer.testing import CliRunner

from fupin_cli.cli.app import app
from fupin_cli.storage import maintenance
from fupin_cli.storage.db import open_database
from fupin_cli.storage.events import verify_chain
from tests.integration.conftest import case_event_mismatches

INTERRUPTS = 12
NOTHING = "已中断，未做任何更改"
SAVED = "已中断：中断前的这一步已经保存，之后的未做"
MAYBE = "已中断：中断时正在保存"


def case_count(db_url: str) -> int:
    database = open_database(db_url)
    try:
        with database.read() as conn:
            return int(conn.execute(text("SELECT count(*) FROM cases")).scalar_one())
    finally:
        database.dispose()


def test_ctrl_c_at_random_moments_says_what_was_recorded(db_url, backend, tmp_path):
    env = {
        **os.environ,
        "FUPIN_DB": db_url,
        "FUPIN_HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "xdg"),
        "FUPIN_TODAY": "2026-12-01",
        "FUPIN_USER": "测试员",
    }
    env.pop("FUPIN_TZ", None)
    assert CliRunner().invoke(app, ["--db", db_url, "init"], env=env).exit_code == 0
    chance = random.Random()
    seed = chance.randrange(1 << 30)
    chance.seed(seed)
    seen: list[tuple[float, int, str]] = []
    for _ in range(INTERRUPTS):
        before = case_count(db_url)
        writer = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "fupin_cli", "case", "open", "某村扶贫资金使用情况核查", "-c", "资金项目"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        pause = chance.uniform(0.2, 1.2)
        time.sleep(pause)
        writer.send_signal(signal.SIGINT)
        out, err = writer.communicate(timeout=60)
        after = case_count(db_url)
        context = f"seed {seed}, pause {pause:.3f}: exit {writer.returncode}\n{out}{err}"
        assert "Traceback" not in err, context
        if writer.returncode == 0:
            assert after == before + 1, context
        else:
            assert writer.returncode == 130, context
            lines = err.strip().splitlines()
            assert len(lines) == 1, context
            if lines[0] == NOTHING:
                assert after == before, context
            elif lines[0] == SAVED:
                assert after == before + 1, context
            else:
                assert lines[0].startswith(MAYBE), context
        seen.append((round(pause, 3), writer.returncode, err.strip()))

    database = open_database(db_url)
    try:
        with database.read() as conn:
            problems = maintenance.sqlite_problems(conn) if backend == "sqlite" else []
            events, broken = verify_chain(conn)
            mismatches = case_event_mismatches(conn)
            serials = conn.execute(text("SELECT serial FROM cases ORDER BY serial")).scalars().all()
    finally:
        database.dispose()
    assert problems == [] and broken is None and mismatches == [], seed
    assert serials == list(range(1, len(serials) + 1)), seed
    assert CliRunner().invoke(app, ["--db", db_url, "db", "check"], env=env).exit_code == 0
    print(f"\n{backend}: {seen}")
