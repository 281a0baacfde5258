"""`fupin report overdue --format tsv` on 100,000 cases against its plain-sqlite3 floor.

    python -m bench.bench_overdue [--cases 100000] [--runs 5] [--keep DIR]

Builds the database with bench/generate.py (bulk inserts through fupin's own table metadata and
open_database: states spread over ten years, about 40% of the open cases overdue, some extended),
checks that both programs print the same rows, then times each as a whole process: the median of
`--runs` runs after one warm-up, and the peak memory of the process.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import fupin, print_table, time_command  # noqa: E402

TODAY = date(2026, 11, 26)
FLOOR = Path(__file__).with_name("floor_overdue.py")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="folder to keep (and reuse) the database in")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = options.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        db = folder / f"fupin-overdue-{options.cases}.db"
        if not db.exists():
            started = time.perf_counter()
            # In a child process: a forked child's peak memory (wait4) counts its parent's image
            # before exec, so the timing process itself must stay small.
            subprocess.run(
                [sys.executable, "-m", "bench.generate", "--cases", str(options.cases), "--output", str(db),
                 "--today", TODAY.isoformat()],
                check=True, cwd=Path(__file__).resolve().parent.parent,
            )  # fmt: skip
            print(f"built {options.cases:,} cases in {time.perf_counter() - started:.1f} s: {db}")
        env = {**os.environ, "FUPIN_HOME": str(Path(scratch) / "home"), "COLUMNS": "100"}
        report = fupin("--db", str(db), "--today", TODAY.isoformat(), "report", "overdue", "--format", "tsv")
        floor = [sys.executable, str(FLOOR), str(db), TODAY.isoformat()]
        ours = subprocess.run(report, capture_output=True, text=True, env=env, check=True).stdout
        theirs = subprocess.run(floor, capture_output=True, text=True, env=env, check=True).stdout
        rows = ours.count("\n") - 1
        print(f"overdue rows: {rows:,}; same output as the floor: {ours == theirs}")
        baseline = time_command("floor: plain sqlite3 (bench/floor_overdue.py)", floor, runs=options.runs, env=env)
        timing = time_command("fupin report overdue --format tsv", report, runs=options.runs, env=env)
        print_table(f"{options.cases:,} cases, {options.runs} runs each, medians", [timing], baseline=baseline)
        print(f"\nratio fupin / floor: {timing.median / baseline.median:.2f}×")


if __name__ == "__main__":
    main()
