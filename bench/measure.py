"""Timing whole processes: wall time and peak memory of each run, taken from the child itself."""

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    label: str
    seconds: list[float]
    peak_kib: list[int]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak_mib(self) -> float:
        return max(self.peak_kib) / 1024


def child_env(**extra: str) -> dict[str, str]:
    """The environment for timed children: as the user's, but with byte-code caching on (an installed
    fupin has its .pyc files), after compiling fupin once so no run pays for compiling."""
    import compileall
    from pathlib import Path

    import fupin_cli

    compileall.compile_dir(str(Path(fupin_cli.__file__).parent), quiet=1)
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    return {**env, **extra}


def run_once(argv: Sequence[str], *, env: dict[str, str] | None = None) -> tuple[float, int]:
    """One run: wall seconds and the child's own peak resident memory (KiB, from wait4)."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    error = child.stderr.read().decode("utf-8", "replace") if child.stderr else ""
    if child.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(argv)} failed ({child.returncode}): {error[-500:]}")
    return elapsed, int(usage.ru_maxrss)


def time_command(label: str, argv: Sequence[str], *, runs: int, env: dict[str, str] | None = None) -> Timing:
    run_once(argv, env=env)  # warm the file cache; not counted
    samples = [run_once(argv, env=env) for _ in range(runs)]
    return Timing(label, [s for s, _ in samples], [k for _, k in samples])


def fupin(*args: str) -> list[str]:
    return [sys.executable, "-m", "fupin_cli", *args]


def floor_import_sqlite3() -> list[str]:
    return [sys.executable, "-c", "import sqlite3"]


def print_table(title: str, rows: Sequence[Timing], *, baseline: Timing, goals: dict[str, float] | None = None) -> None:
    goals = goals or {}
    print(f"\n{title}")
    print(f"{'what':<44} {'median s':>9} {'× floor':>8} {'peak MiB':>9} {'goal s':>7}")
    for timing in [baseline, *rows]:
        goal = goals.get(timing.label)
        ratio = timing.median / baseline.median if baseline.median else float("nan")
        goal_text = f"{goal:.2f}" if goal else ""
        print(f"{timing.label:<44} {timing.median:>9.3f} {ratio:>8.2f} {timing.peak_mib:>9.1f} {goal_text:>7}")
