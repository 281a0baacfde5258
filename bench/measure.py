"""Timing whole processes in pairs: a command and its floor run in turn (A B A B …), so that both see
the same machine; wall time of each run and the peak memory of the command alone.

Peak memory: a child started from this (Python) process inherits its resident pages until it runs
the command, and the kernel's high-water mark keeps them. So each run goes through GNU time
(/usr/bin/time -f %M), whose own child is forked from a small process: the figure is the command's.
Without GNU time the figure falls back to wait4's, which cannot go below this process's own size.
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


@dataclass
class Runs:
    label: str
    argv: Sequence[str]
    seconds: list[float] = field(default_factory=list)
    peak_kib: list[int] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def min(self) -> float:
        return min(self.seconds)

    @property
    def peak_mib(self) -> float:
        return max(self.peak_kib) / 1024


@dataclass
class Pair:
    """A command (a) and its floor (b) timed in turn; the ratio a/b taken pair by pair."""

    a: Runs
    b: Runs

    @property
    def ratios(self) -> list[float]:
        return [x / y for x, y in zip(self.a.seconds, self.b.seconds, strict=True)]

    @property
    def ratio_median(self) -> float:
        return statistics.median(self.ratios)

    @property
    def ratio_min(self) -> float:
        return min(self.ratios)


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
    """One run: wall seconds and the command's own peak resident memory (KiB)."""
    with tempfile.NamedTemporaryFile(prefix="fupin-bench-", suffix=".rss") as note:
        wrapped = [GNU_TIME, "-f", "%M", "-o", note.name, *argv] if GNU_TIME else list(argv)
        started = time.perf_counter()
        child = subprocess.Popen(wrapped, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        error = child.stderr.read().decode("utf-8", "replace") if child.stderr else ""
        if child.stderr:
            child.stderr.close()
        if code not in (0, 1):
            raise RuntimeError(f"{' '.join(argv)} failed ({code}): {error[-500:]}")
        peak = int(usage.ru_maxrss)
        if GNU_TIME:
            written = open(note.name, encoding="ascii").read().split()
            peak = int(written[-1]) if written and written[-1].isdigit() else peak
    return elapsed, peak


def pair(label: str, argv: Sequence[str], floor_label: str, floor_argv: Sequence[str], *, runs: int,
         env: dict[str, str] | None = None, warmup: int = 1) -> Pair:  # fmt: skip
    """`argv` and `floor_argv` in turn, `warmup` uncounted rounds first, then `runs` counted pairs."""
    a, b = Runs(label, argv), Runs(floor_label, floor_argv)
    for _ in range(warmup):
        run_once(argv, env=env)
        run_once(floor_argv, env=env)
    for _ in range(runs):
        for runs_of in (a, b):
            seconds, peak = run_once(runs_of.argv, env=env)
            runs_of.seconds.append(seconds)
            runs_of.peak_kib.append(peak)
    return Pair(a, b)


def fupin(*args: str) -> list[str]:
    return [sys.executable, "-m", "fupin_cli", *args]


def floor_import_sqlite3() -> list[str]:
    return [sys.executable, "-c", "import sqlite3"]


def sqlite3_tool() -> str | None:
    return shutil.which("sqlite3")


def print_pairs(title: str, pairs: Sequence[tuple[Pair, str]]) -> None:
    """One line per pair: the command's median and min, its floor's, the ratio (median and min of the
    pair-by-pair ratios), the command's peak memory and a goal with met/missed."""
    print(f"\n{title}")
    print(f"{'command':<34} {'med s':>6} {'min s':>6} {'floor':<22} {'med s':>6} {'×med':>5} {'×min':>5}"
          f" {'MiB':>5}  goal")  # fmt: skip
    for found, goal in pairs:
        a, b = found.a, found.b
        print(
            f"{a.label:<34} {a.median:>6.3f} {a.min:>6.3f} {b.label:<22} {b.median:>6.3f}"
            f" {found.ratio_median:>5.2f} {found.ratio_min:>5.2f} {a.peak_mib:>5.1f}  {goal}"
        )
