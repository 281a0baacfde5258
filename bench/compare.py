"""Before and after: the same commands run from two source trees of fupin in turn (A B A B …), on one
database, to measure what a change did.

    python -m bench.compare BEFORE_DIR --db FILE [--runs 5] [--today 2026-11-26]

BEFORE_DIR is a copy of an earlier fupin (for example `git archive COMMIT | tar -x -C DIR`); the
after side is this tree. Prints for each command the medians and minimums of both, the after/before
ratio (median and min of the pair-by-pair ratios) and the peak memory of each.
"""

import argparse
import compileall
import sys
import tempfile
from pathlib import Path

from bench.measure import child_env, pair

HERE = Path(__file__).resolve().parent


def _side(tree: Path, *args: str) -> list[str]:
    # -P: the working folder (this tree) is not put before PYTHONPATH, so each side runs its own tree.
    return ["/usr/bin/env", f"PYTHONPATH={tree}", sys.executable, "-P", "-m", "fupin_cli", *args]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before", type=Path)
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--today", default="2026-11-26")
    options = parser.parse_args()
    before, after = options.before.resolve(), HERE.parent
    compileall.compile_dir(str(before / "fupin_cli"), quiet=1)
    base = ("--db", options.db, "--today", options.today)
    commands = (
        ("report overdue --format tsv", (*base, "report", "overdue", "--format", "tsv")),
        ("report overdue --format json", (*base, "report", "overdue", "--format", "json")),
        ("report overdue (table)", (*base, "report", "overdue")),
        ("report stats --year", (*base, "report", "stats", "--year", options.today[:4])),
        ("case show 1", (*base, "case", "show", "1")),
        ("fupin --help", ("--help",)),
        ("duty who 贴息", ("duty", "who", "贴息")),
        ("cal deadline 2026-11-26 10", ("cal", "deadline", "2026-11-26", "10")),
    )
    with tempfile.TemporaryDirectory() as home:
        env = child_env(FUPIN_HOME=home, COLUMNS="80")
        print(f"{'command':<30} {'before':>7} {'min':>6} {'after':>7} {'min':>6} {'×med':>5} {'×min':>5}"
              f" {'MiB before':>10} {'after':>6}")  # fmt: skip
        for label, args in commands:
            found = pair(label, _side(after, *args), "before", _side(before, *args), runs=options.runs, env=env)
            a, b = found.a, found.b
            print(f"{label:<30} {b.median:>7.3f} {b.min:>6.3f} {a.median:>7.3f} {a.min:>6.3f}"
                  f" {found.ratio_median:>5.2f} {found.ratio_min:>5.2f} {b.peak_mib:>10.1f} {a.peak_mib:>6.1f}",
                  flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
