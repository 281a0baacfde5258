"""A writer killed with SIGKILL at random moments leaves a sound database behind, every time.

Each worker is forked from the test process (so it starts in milliseconds, with fupin already
imported), walks cases through their steps one unit of work after another, and is killed at a
random moment once it has started writing; the next worker carries on in the same database.
"""

import multiprocessing
import os
import random
import signal
import time

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from fupin_cli.cli.app import app
from fupin_cli.storage import maintenance
from fupin_cli.storage.db import open_database
from fupin_cli.storage.events import verify_chain
from tests.integration.conftest import case_event_mismatches, walk_cases

KILLS = 30


@pytest.mark.slow
def test_a_writer_killed_at_random_moments_leaves_a_sound_database(db_url, backend, tmp_path):
    fork = multiprocessing.get_context("fork")
    chance = random.Random()
    seed = chance.randrange(1 << 30)
    chance.seed(seed)
    killed_after = []
    for kill in range(KILLS):
        writing = fork.Event()
        worker = fork.Process(target=walk_cases, args=(db_url, str(tmp_path / "home"), kill, writing))
        worker.start()
        deadline = time.monotonic() + 120
        while not writing.wait(timeout=0.05):
            assert worker.is_alive(), f"worker {kill} stopped before writing: exit {worker.exitcode}"
            assert time.monotonic() < deadline, f"worker {kill} never started writing"
        pause = chance.uniform(0.0, 0.5)
        time.sleep(pause)
        assert worker.is_alive(), f"worker {kill} stopped by itself: exit {worker.exitcode}"
        os.kill(worker.pid, signal.SIGKILL)
        worker.join(timeout=30)
        assert worker.exitcode == -signal.SIGKILL
        killed_after.append(round(pause, 3))

    database = open_database(db_url)
    try:
        with database.read() as conn:
            problems = maintenance.sqlite_problems(conn) if backend == "sqlite" else []
            events, broken = verify_chain(conn)
            mismatches = case_event_mismatches(conn)
            serials = conn.execute(text("SELECT serial FROM cases ORDER BY serial")).scalars().all()
    finally:
        database.dispose()

    context = f"seed {seed}, kills after {killed_after}"
    assert problems == [], context
    assert broken is None, context
    assert mismatches == [], context
    assert serials == list(range(1, len(serials) + 1)), context
    assert len(serials) >= KILLS, context  # every worker opened at least one case before its kill
    assert CliRunner().invoke(app, ["--db", db_url, "db", "check"]).exit_code == 0
    print(f"\n{backend}: {KILLS} kills, {len(serials)} cases, {events} events survive ({context})")
