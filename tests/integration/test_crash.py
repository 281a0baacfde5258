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
from tests.integration.conftest import case_event_mismatches, settings_for

KILLS = 30


def _walk_cases(db_url: str, home: str, seed: int, writing) -> None:  # runs in the forked worker
    from fupin_cli.domain.errors import FupinError
    from fupin_cli.services import cases

    settings = settings_for(db_url, home, user=f"worker{seed}")
    chance = random.Random(seed)
    steps = [
        lambda n: cases.approve_case(settings=settings, number=n, approver="王主任"),
        lambda n: cases.assign_case(settings=settings, number=n, unit="唐县"),
        lambda n: cases.accept_case(settings=settings, number=n, unit_ref="唐扶督〔2026〕1号"),
        lambda n: cases.extend_case(
            settings=settings, number=n, workdays=2, reason="需补充材料", approver="王主任"
        ),
        lambda n: cases.feedback_case(settings=settings, number=n, report="已核实整改"),
        lambda n: cases.return_case(settings=settings, number=n, reason="材料不全"),
        lambda n: cases.feedback_case(settings=settings, number=n, report="已补充材料"),
        lambda n: cases.archive_case(settings=settings, number=n, location="档案室 A-3"),
    ]
    while True:
        number = cases.open_case(settings=settings, title="某村扶贫资金使用情况核查", category="资金项目").no
        writing.set()
        for position, step in enumerate(steps):
            if position == 2 and chance.random() < 0.2:
                cases.withdraw_case(settings=settings, number=number, reason="重复立项")
                break
            try:
                step(number)
            except FupinError as refusal:  # a bug in the walk, not a crash: stop loudly
                raise SystemExit(f"refused: {refusal.message}") from None


@pytest.mark.slow
def test_a_writer_killed_at_random_moments_leaves_a_sound_database(db_url, backend, tmp_path):
    fork = multiprocessing.get_context("fork")
    chance = random.Random()
    seed = chance.randrange(1 << 30)
    chance.seed(seed)
    killed_after = []
    for kill in range(KILLS):
        writing = fork.Event()
        worker = fork.Process(target=_walk_cases, args=(db_url, str(tmp_path / "home"), kill, writing))
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
