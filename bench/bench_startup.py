"""How fast fupin starts: `fupin --help` and `fupin duty who 贴息` beside `python -c "import sqlite3"`.

    python bench/bench_startup.py [--runs 15]

Goal (issue: foundation): each fupin command ≤ 0.15 s median on this machine.
"""

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import child_env, floor_import_sqlite3, fupin, print_table, time_command  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = child_env(FUPIN_HOME=home, COLUMNS="100")
        floor = time_command('python -c "import sqlite3"', floor_import_sqlite3(), runs=options.runs, env=env)
        rows = [
            time_command("fupin --help", fupin("--help"), runs=options.runs, env=env),
            time_command("fupin duty who 贴息", fupin("duty", "who", "贴息"), runs=options.runs, env=env),
        ]
    goals = {"fupin --help": 0.15, "fupin duty who 贴息": 0.15}
    print_table(f"startup, {options.runs} runs each, medians", rows, baseline=floor, goals=goals)


if __name__ == "__main__":
    main()
