"""fupin's scale benchmark: every command paired with its floor, run in turn, on databases of N cases.

    python -m bench [--sizes 100000 1000000] [--runs 5] [--keep DIR]

For each size it builds (or reuses, with --keep) a database with bench/generate.py, then runs each
command and its floor in turn (A B A B …, one uncounted round first), and prints for both the median
and the minimum wall time, the ratio command/floor taken pair by pair (median and min), the
command's own peak memory, and the goal with met/missed. The floors:

- `report overdue --format tsv` and `--format json`: bench/floor_overdue.py (plain sqlite3, the same rows);
- `report overdue` as a table: the same command's TSV (the table may cost at most twice the text);
- `report stats --year Y`: the sqlite3 command-line tool running the same counts per unit;
- `case open`: bench/floor_write.py — a minimal script that imports SQLModel and inserts one row (the
  design's own floor), and beside it the plain sqlite3 insert and commit that floor itself costs;
- `case show`, `--help`, `duty who`, `cal deadline`: `python -c "import sqlite3"`.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from bench.measure import Pair, child_env, floor_import_sqlite3, fupin, pair, print_pairs, sqlite3_tool

TODAY = date(2026, 11, 26)
HERE = Path(__file__).resolve().parent
MEMORY_LIMIT_MIB = 64


def _database(size: int, folder: Path) -> Path:
    path = folder / f"fupin-{size}.db"
    if not path.exists():
        # In a child process: a child forked from a big parent would count the parent's pages.
        print(f"building {size:,} cases in {path} …", file=sys.stderr, flush=True)
        subprocess.run(
            [sys.executable, "-m", "bench.generate", "--cases", str(size), "--output", str(path),
             "--today", TODAY.isoformat()],
            check=True, cwd=HERE.parent,
        )  # fmt: skip
    return path


def stats_floor_sql(year: int, today: date) -> str:
    """The counts `report stats --year` shows per unit, as one query for the sqlite3 tool."""
    return (
        "SELECT c.lead_unit, sum(c.state <> 'withdrawn'), sum(c.state = 'withdrawn'),"
        " sum(c.state <> 'withdrawn' AND c.feedback_on IS NOT NULL),"
        " sum(c.state <> 'withdrawn' AND c.feedback_on <= c.due),"
        " sum(c.state <> 'withdrawn' AND c.feedback_on <= COALESCE(c.original_due, c.due)),"
        f" sum(c.state IN ('assigned', 'in_progress') AND c.due < '{today.isoformat()}'),"
        " sum(CASE WHEN c.state <> 'withdrawn' THEN (SELECT count(*) FROM case_extension e WHERE e.case_id = c.id)"
        " ELSE 0 END)"
        f" FROM cases c WHERE c.assigned_on >= '{year}-01-01' AND c.assigned_on <= '{year}-12-31'"
        " GROUP BY c.lead_unit"
    )


def _verdict(found: Pair, *, ratio: float | None = None, memory: bool = False) -> str:
    parts = []
    if ratio is not None:
        parts.append(f"≤{ratio:g}× {'met' if found.ratio_median <= ratio else 'MISSED'}")
    if memory:
        parts.append(f"≤{MEMORY_LIMIT_MIB} MiB {'met' if found.a.peak_mib <= MEMORY_LIMIT_MIB else 'MISSED'}")
    return "; ".join(parts)


def _run_size(size: int, folder: Path, runs: int, env: dict[str, str]) -> None:
    db = str(_database(size, folder))
    base = ("--db", db, "--today", TODAY.isoformat())
    floor_overdue = [sys.executable, str(HERE / "floor_overdue.py"), db, TODAY.isoformat()]
    ours = subprocess.run(fupin(*base, "report", "overdue", "--format", "tsv"), capture_output=True, text=True,
                          env=env, check=True).stdout  # fmt: skip
    theirs = subprocess.run(floor_overdue, capture_output=True, text=True, env=env, check=True).stdout
    rows = ours.count("\n") - 1
    print(f"\n{size:,} cases: {rows:,} overdue rows; fupin's TSV equals the floor's: {ours == theirs}")
    sqlite = floor_import_sqlite3()
    found: list[tuple[Pair, str]] = []

    tsv = pair("report overdue --format tsv", fupin(*base, "report", "overdue", "--format", "tsv"),
               "floor_overdue.py", floor_overdue, runs=runs, env=env)  # fmt: skip
    found.append((tsv, _verdict(tsv, ratio=1.5, memory=True)))
    json_pair = pair("report overdue --format json", fupin(*base, "report", "overdue", "--format", "json"),
                     "floor_overdue.py", floor_overdue, runs=runs, env=env)  # fmt: skip
    found.append((json_pair, _verdict(json_pair, ratio=1.5, memory=True)))
    table_env = {**env, "COLUMNS": "80"}
    table = pair("report overdue (table, 80 cols)", fupin(*base, "report", "overdue"),
                 "the same as tsv", fupin(*base, "report", "overdue", "--format", "tsv"), runs=runs,
                 env=table_env)  # fmt: skip
    # The table's own speed: its rows over what it costs beyond the TSV of the same rows.
    extra = table.a.median - table.b.median
    speed = rows / extra if extra > 0 else float("inf")
    found.append((table, f"{_verdict(table, ratio=2, memory=True)}; {speed:,.0f} rows/s beyond the TSV "
                         f"(≥20,000 {'met' if speed >= 20_000 else 'MISSED'})"))  # fmt: skip
    tool = sqlite3_tool()
    stats_argv = fupin(*base, "report", "stats", "--year", str(TODAY.year))
    if tool:
        floor_stats = [tool, "-readonly", db, stats_floor_sql(TODAY.year, TODAY)]
        label = "sqlite3 tool: counts"
    else:
        floor_stats, label = sqlite, "import sqlite3"
    stats = pair("report stats --year", stats_argv, label, floor_stats, runs=runs, env=env)
    found.append((stats, _verdict(stats, ratio=1.5, memory=True)))
    with tempfile.TemporaryDirectory() as scratch:
        floor_db = str(Path(scratch) / "floor.db")
        open_case = fupin(*base, "case", "open", "基准测试事项", "--category", "其他")
        write = pair("case open", open_case, "SQLModel insert", [sys.executable, str(HERE / "floor_write.py"),
                     "sqlmodel", floor_db], runs=runs, env=env)  # fmt: skip
        found.append((write, _verdict(write, ratio=1.3)))
        design = pair("  SQLModel insert", write.b.argv, "sqlite3 insert", [sys.executable,
                      str(HERE / "floor_write.py"), "sqlite3", floor_db], runs=runs, env=env)  # fmt: skip
        found.append((design, "(the design's floor against a plain insert)"))
    for label, argv, memory in (
        ("case show 1", fupin(*base, "case", "show", "1"), True),
        ("fupin --help", fupin("--help"), False),
        ("duty who 贴息", fupin("duty", "who", "贴息"), False),
        ("cal deadline 2026-11-26 10", fupin("cal", "deadline", "2026-11-26", "10"), False),
    ):
        quick = pair(label, argv, "import sqlite3", sqlite, runs=runs, env=env)
        found.append((quick, _verdict(quick, ratio=3, memory=memory)))
    print_pairs(f"{size:,} cases — {runs} pairs each after one warm-up round (machine: {os.cpu_count()} cores)",
                found)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", default=["100000", "1000000"], help="case counts (or one a,b,c)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="folder to keep (and reuse) the generated databases in")
    options = parser.parse_args()
    sizes = [int(size) for text in options.sizes for size in text.split(",") if size]
    with tempfile.TemporaryDirectory() as scratch:
        folder = options.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        env = child_env(FUPIN_HOME=str(Path(scratch) / "home"), COLUMNS="100")
        for size in sizes:
            _run_size(size, folder, options.runs, env)


if __name__ == "__main__":
    main()
