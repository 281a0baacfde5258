"""The number series under load: 8 processes each run `python -m fupin_cli case open` 25 times at once
against one SQLite file. Every number 1..200 is taken exactly once, nobody sees an error, and the audit
chain holds one opening event per case.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from fupin_cli.storage.db import open_database
from fupin_cli.storage.events import verify_chain

WORKERS = 8
OPENS_EACH = 25

WORKER = r"""
import subprocess, sys, time
from pathlib import Path

db, worker, count, go = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
command = [sys.executable, "-m", "fupin_cli", "--db", db, "--user", f"经办人{worker}", "--today", "2026-10-10"]
while not go.exists():
    time.sleep(0.002)
for i in range(count):
    done = subprocess.run(
        [*command, "case", "open", f"第{worker}组第{i}件：某村扶贫资金使用情况核查", "--category", "资金项目"],
        capture_output=True,
        text=True,
    )
    sys.stderr.write(done.stderr)
    if done.returncode != 0:
        sys.exit(f"worker {worker}, open {i}: exit {done.returncode}")
    sys.stdout.write(done.stdout.split(" ", 1)[0] + "\n")
"""


@pytest.mark.slow
def test_eight_processes_opening_at_once_take_every_number_once(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"  # not created beforehand: the first commands also race to create it
    go = tmp_path / "go"
    env = {**os.environ, "FUPIN_HOME": str(tmp_path)}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(db), str(n), str(OPENS_EACH), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for n in range(WORKERS)
    ]
    started = time.monotonic()
    go.touch()
    results = [worker.communicate(timeout=900) for worker in workers]
    elapsed = time.monotonic() - started

    for worker, (_, err) in zip(workers, results, strict=True):
        assert worker.returncode == 0 and err == "", err
    total = WORKERS * OPENS_EACH
    printed = [line for out, _ in results for line in out.splitlines()]
    assert sorted(printed) == sorted(f"督查〔2026〕{n}号" for n in range(1, total + 1))

    database = open_database(str(db))
    try:
        with database.read() as conn:
            serials = [
                row[0]
                for row in conn.execute(text("SELECT serial FROM cases WHERE year = 2026 ORDER BY serial"))
            ]
            counter = conn.execute(text("SELECT last_serial FROM case_counter WHERE year = 2026")).scalar()
            opens = conn.execute(
                text(
                    "SELECT count(DISTINCT case_id) FROM audit_event WHERE action = 'open' AND case_id IS NOT NULL"
                )
            ).scalar()
            operators = {row[0] for row in conn.execute(text("SELECT DISTINCT operator FROM audit_event"))}
            events, broken = verify_chain(conn)
    finally:
        database.dispose()
    assert serials == list(range(1, total + 1)), "no gap, no duplicate"
    assert counter == total
    assert broken is None and events >= total and opens == total
    assert operators >= {f"经办人{n}" for n in range(WORKERS)}
    print(
        f"\n{WORKERS} processes × {OPENS_EACH} `case open`: {elapsed:.1f} s ({total / elapsed:.1f} opens/s)"
    )
