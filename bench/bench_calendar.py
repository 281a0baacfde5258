"""How fast the working-day calendar is built and answers, beside chinese-calendar's own per-day calls.

    python bench/bench_calendar.py [--calls 1000000] [--repeat 5]

Prints medians. The same random (start, N) pairs are answered both ways: fupin's ordinal table
(one bisection per deadline) and a loop over chinese_calendar.is_workday (one call per day, which
is how a deadline is found with the package alone). The package is slow enough that it answers a
sample, and its figure is scaled to the same number of calls.
"""

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta

from fupin_cli.services import holiday_files, holiday_sources
from fupin_cli.settings import data_dir

SHIPPED = [data_dir() / "holidays"]


def timed(action: Callable[[], object], repeat: int) -> float:
    """The median wall time of `repeat` runs, in seconds."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def sample_pairs(count: int, seed: int = 20261016) -> list[tuple[date, int]]:
    """Start dates 2004-01-01..2025-10-31 and N in 1..60: every deadline inside chinese-calendar's years."""
    rng = random.Random(seed)
    first, span = date(2004, 1, 1), (date(2025, 10, 31) - date(2004, 1, 1)).days
    return [(first + timedelta(days=rng.randrange(span)), rng.randint(1, 60)) for _ in range(count)]


def package_deadline(start: date, workdays: int) -> date:
    import chinese_calendar

    day = start
    while workdays:
        day += timedelta(days=1)
        if chinese_calendar.is_workday(day):
            workdays -= 1
    return day


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000, help="deadline calls to time (fupin)")
    parser.add_argument("--sample", type=int, default=2_000, help="deadline calls to time (chinese-calendar)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure; the median is shown")
    options = parser.parse_args()

    started = time.perf_counter()
    holiday_sources.package_data()  # the first import of chinese_calendar in this process
    first_load = time.perf_counter() - started
    import chinese_calendar

    build_2030 = timed(lambda: holiday_files.build_calendar(holiday_dirs=SHIPPED, last_year=2030), 21)
    build_default = timed(lambda: holiday_files.build_calendar(holiday_dirs=SHIPPED), 21)
    calendar = holiday_files.build_calendar(holiday_dirs=SHIPPED)

    distinct = sample_pairs(10_000)
    rounds, rest = divmod(options.calls, len(distinct))
    workload = distinct * rounds + distinct[:rest]
    deadline = calendar.deadline

    def ours() -> None:
        for start, workdays in workload:
            deadline(start, workdays)

    ours_total = timed(ours, options.repeat)

    sample = distinct[: options.sample]

    def theirs() -> None:
        for start, workdays in sample:
            package_deadline(start, workdays)

    theirs_sample = timed(theirs, max(1, min(options.repeat, 3)))
    theirs_total = theirs_sample * len(workload) / len(sample)

    days = [start for start, _ in distinct]
    is_workday = calendar.is_workday
    ours_day = timed(lambda: [is_workday(day) for day in days], options.repeat) / len(days)
    theirs_day = timed(lambda: [chinese_calendar.is_workday(day) for day in days], 3) / len(days)

    differ = [
        (start, workdays)
        for start, workdays in sample
        if calendar.deadline(start, workdays).due != package_deadline(start, workdays)
    ]
    explained = all(
        start < date(2005, 12, 31) <= package_deadline(start, workdays) for start, workdays in differ
    )

    def row(what: str, total: str, each: str) -> str:
        return f"{what:<58}{total:>12}{each:>12}"

    calls = len(workload)
    print(f"fupin working-day calendar, chinese-calendar {holiday_sources.package_data().version}; medians")
    print(row("", "total", "per call"))
    print(row("first load: import chinese-calendar, read its tables", f"{first_load * 1e3:.1f} ms", ""))
    print(row("build the table 2004–2030 (shipped overrides)", f"{build_2030 * 1e3:.2f} ms", ""))
    last = calendar.last_day.year
    print(row(f"build the table 2004–{last} (the default range)", f"{build_default * 1e3:.2f} ms", ""))
    print(row(f"fupin deadline() x {calls:,}", f"{ours_total:.2f} s", f"{ours_total / calls * 1e6:.2f} µs"))
    print(
        row(
            f"chinese_calendar.is_workday loop x {calls:,} (scaled)",
            f"{theirs_total:.0f} s",
            f"{theirs_total / calls * 1e6:.0f} µs",
        )
    )
    print(f"  (the package loop timed on {len(sample):,} of the same pairs; N is 1–60)")
    print(row("fupin is_workday()", "", f"{ours_day * 1e6:.2f} µs"))
    print(row("chinese_calendar.is_workday()", "", f"{theirs_day * 1e6:.2f} µs"))
    print(f"speed-up on deadlines: {theirs_total / ours_total:,.0f}x")
    note = "all across 2005-12-31, fupin's correction" if explained else "NOT all explained by 2005-12-31"
    print(
        f"answers that differ on the sample: {len(differ)} ({note})"
        if differ
        else "answers agree on the sample"
    )


if __name__ == "__main__":
    main()
