"""Eight processes writing at once: the number series, the audit chain and every case stay whole."""

import os
import subprocess
import sys
import time

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from fupin_cli.cli.app import app
from fupin_cli.storage.db import open_database
from fupin_cli.storage.events import verify_chain
from tests.integration.conftest import case_event_mismatches

WORKERS = 8
CASES_EACH = 50
CLI_EVERY = 25
"""Every 25th case of each worker (2 of its 50) is opened through the real command line, `python -m fupin_cli`."""

WORKER = r"""
import subprocess, sys, time
from datetime import date
from pathlib import Path

from fupin_cli.services import case_steps
from fupin_cli.services.unit_of_work import in_unit_of_work
from fupin_cli.settings import Settings

db, home, worker, count, cli_every, go = sys.argv[1:7]
worker, count, cli_every, go = int(worker), int(count), int(cli_every), Path(go)
user = f"经办人{worker}"
settings = Settings(db=db, user=user, today=date(2026, 10, 10), home=Path(home))
command = [sys.executable, "-m", "fupin_cli", "--db", db, "--user", user, "--today", "2026-10-10"]
while not go.exists():
    time.sleep(0.002)
opened, steps = [], 0
for i in range(count):
    title = f"第{worker}组第{i}件：某村扶贫资金使用情况核查"
    if i % cli_every == 0:
        done = subprocess.run(
            [*command, "case", "open", title, "--category", "资金项目", "--source", "群众来信"],
            capture_output=True, text=True,
        )
        if done.returncode != 0 or done.stderr:
            sys.exit(f"fupin case open: exit {done.returncode}: {done.stderr}")
        continue
    opened.append(in_unit_of_work(case_steps.open_case, settings=settings, title=title, category="政策").no)
    if i % 10 == 1:  # move an earlier case on while the other workers keep opening
        number = opened.pop(0)
        in_unit_of_work(case_steps.approve_case, settings=settings, number=number, approver="王主任")
        in_unit_of_work(case_steps.assign_case, settings=settings, number=number, unit="唐县")
        steps += 2
    if i % 10 == 3 and opened:
        in_unit_of_work(case_steps.withdraw_case, settings=settings, number=opened.pop(), reason="重复立项")
        steps += 1
print(steps)
"""


@pytest.mark.slow
def test_eight_processes_open_four_hundred_cases_at_once(db_url, tmp_path):
    home, go = tmp_path / "home", tmp_path / "go"
    env = {key: value for key, value in os.environ.items() if not key.startswith("FUPIN_")}
    env["FUPIN_HOME"] = str(home)
    started = time.monotonic()
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                WORKER,
                db_url,
                str(home),
                str(n),
                str(CASES_EACH),
                str(CLI_EVERY),
                str(go),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
            env=env,
        )
        for n in range(WORKERS)
    ]
    go.touch()  # all of them create and migrate the new database at the same moment, then write
    results = [worker.communicate(timeout=600) for worker in workers]
    elapsed = time.monotonic() - started

    for worker, (_, err) in zip(workers, results, strict=True):
        assert worker.returncode == 0 and err == "", err
    steps = sum(int(out) for out, _ in results)

    database = open_database(db_url)
    try:
        with database.read() as conn:
            serials = (
                conn.execute(text("SELECT serial FROM cases WHERE year = 2026 ORDER BY serial"))
                .scalars()
                .all()
            )
            counter = conn.execute(text("SELECT last_serial FROM case_counter WHERE year = 2026")).scalar()
            opens = conn.execute(text("SELECT count(*) FROM audit_event WHERE action = 'open'")).scalar()
            events, broken = verify_chain(conn)
            mismatches = case_event_mismatches(conn)
    finally:
        database.dispose()

    total = WORKERS * CASES_EACH
    assert serials == list(range(1, total + 1))
    assert counter == total and opens == total
    assert broken is None
    assert events == total + steps
    assert mismatches == []
    assert CliRunner().invoke(app, ["--db", db_url, "db", "check"]).exit_code == 0
    print(f"\n{WORKERS} processes, {total} cases and {steps} other steps in {elapsed:.1f} s")
