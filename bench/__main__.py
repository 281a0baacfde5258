"""fupin's scale benchmark: databases of 10,000 / 100,000 / 1,000,000 cases, whole processes, medians.

    python -m bench [--sizes 10000,100000,1000000] [--runs 5] [--keep DIR]

For each size it builds (or reuses, with --keep) a database with bench/generate.py, then times each
command as a whole process, several runs after one warm-up, and prints the median, the ratio to its
floor measured in the same invocation, and the peak memory of the process:

- `report overdue --format tsv` beside bench/floor_overdue.py (plain sqlite3, the same rows);
- `report overdue` as a table and as JSON, `report stats --year Y`;
- `case open` and `case show` beside `python -c "import sqlite3"`;
- `fupin --help` and `duty who 贴息` beside the same floor.
The goals (issue: speed at scale) are printed beside each figure.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from bench.measure import Timing, child_env, floor_import_sqlite3, fupin, time_command

TODAY = date(2026, 11, 26)


def _goals(size: int) -> dict[str, float]:
    goals = {"fupin --help": 0.15, "fupin duty who 贴息": 0.15}
    if size >= 1_000_000:
        goals |= {"case open": 0.5, "case show": 0.5, "report stats --year": 1.0}
    return goals


def _database(size: int, folder: Path) -> Path:
    path = folder / f"fupin-{size}.db"
    if not path.exists():
        # In a child process: a child forked from a big parent would count the parent's pages.
        print(f"building {size:,} cases in {path} …", file=sys.stderr, flush=True)
        subprocess.run(
            [sys.executable, "-m", "bench.generate", "--cases", str(size), "--output", str(path),
             "--today", TODAY.isoformat()],
            check=True, cwd=Path(__file__).resolve().parent.parent,
        )  # fmt: skip
    return path


def _run_size(size: int, folder: Path, runs: int, env: dict[str, str]) -> list[tuple[Timing, Timing, float | None]]:
    db = str(_database(size, folder))
    base = ("--db", db, "--today", TODAY.isoformat())
    floor = time_command('python -c "import sqlite3"', floor_import_sqlite3(), runs=runs, env=env)
    overdue_floor_argv = [sys.executable, str(Path(__file__).with_name("floor_overdue.py")), db, TODAY.isoformat()]
    overdue_floor = time_command("floor: plain sqlite3 overdue rows", overdue_floor_argv, runs=runs, env=env)
    goals = _goals(size)
    rows: list[tuple[Timing, Timing, float | None]] = []
    ours = subprocess.run(
        fupin(*base, "report", "overdue", "--format", "tsv"), capture_output=True, text=True, env=env, check=True
    ).stdout
    theirs = subprocess.run(overdue_floor_argv, capture_output=True, text=True, env=env, check=True).stdout
    print(f"{size:,} cases: {ours.count(chr(10)) - 1:,} overdue rows; fupin's TSV equals the floor's: {ours == theirs}")

    def add(label: str, argv: list[str], against: Timing, goal_ratio: float | None = None) -> None:
        timing = time_command(label, argv, runs=runs, env=env)
        rows.append((timing, against, goal_ratio if goal_ratio else goals.get(label)))

    tsv_goal = 3.0 if size <= 100_000 else 1.6
    add("report overdue --format tsv", fupin(*base, "report", "overdue", "--format", "tsv"), overdue_floor, -tsv_goal)
    add("report overdue (table)", fupin(*base, "report", "overdue"), overdue_floor)
    add("report overdue --format json", fupin(*base, "report", "overdue", "--format", "json"), overdue_floor)
    add("report stats --year", fupin(*base, "report", "stats", "--year", str(TODAY.year)), floor)
    add("case open", fupin(*base, "case", "open", "基准测试事项", "--category", "其他"), floor)
    add("case show", fupin(*base, "case", "show", "1"), floor)
    add("fupin --help", fupin("--help"), floor)
    add("fupin duty who 贴息", fupin("duty", "who", "贴息"), floor)
    return [(floor, floor, None), (overdue_floor, overdue_floor, None), *rows]


def _print(size: int, rows: list[tuple[Timing, Timing, float | None]], runs: int) -> None:
    print(f"\n{size:,} cases — {runs} runs each, medians (machine: {os.cpu_count()} cores)")
    print(f"{'command':<36} {'median s':>9} {'floor s':>8} {'ratio':>6} {'peak MiB':>9} {'goal':>10}")
    for timing, against, goal in rows:
        ratio = timing.median / against.median if against.median else float("nan")
        if goal is None:
            goal_text = ""
        elif goal < 0:
            goal_text = f"≤{-goal:.1f}× {'met' if ratio <= -goal else 'MISSED'}"
        else:
            goal_text = f"≤{goal:.2f}s {'met' if timing.median <= goal else 'MISSED'}"
        print(
            f"{timing.label:<36} {timing.median:>9.3f} {against.median:>8.3f} {ratio:>6.2f} "
            f"{timing.peak_mib:>9.1f} {goal_text:>10}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="folder to keep (and reuse) the generated databases in")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    with tempfile.TemporaryDirectory() as scratch:
        folder = options.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        env = child_env(FUPIN_HOME=str(Path(scratch) / "home"), COLUMNS="100")
        for size in sizes:
            _print(size, _run_size(size, folder, options.runs, env), options.runs)


if __name__ == "__main__":
    main()
