"""How fast fupin starts: `fupin --help` and `fupin duty who 贴息` beside `python -c "import sqlite3"`.

    python bench/bench_startup.py [--runs 15]

Goal: each fupin command at most 3× its floor, run in turn with it.
"""

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import child_env, floor_import_sqlite3, fupin, pair, print_pairs  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = child_env(FUPIN_HOME=home, COLUMNS="100")
        sqlite = floor_import_sqlite3()
        pairs = [
            (pair(label, fupin(*args), "import sqlite3", sqlite, runs=options.runs, env=env), "≤3×")
            for label, args in (("fupin --help", ("--help",)), ("fupin duty who 贴息", ("duty", "who", "贴息")))
        ]
    print_pairs(f"startup, {options.runs} pairs each", pairs)

if __name__ == "__main__":
    main()
