"""The floor for `fupin report overdue --format tsv`: plain sqlite3, the same rows, nothing else.

    python bench/floor_overdue.py DB TODAY

One query (open cases due before TODAY, by unit in the office's list order, then due date), working days counted from
chinese-calendar's own tables, the same TSV columns that fupin prints.
"""

import sqlite3
import sys
from datetime import date, timedelta

from chinese_calendar.constants import holidays, workdays

CHOSEN = (
    "SELECT c.year, c.serial, c.title, c.classified, c.lead_unit, c.assigned_on, c.original_due, c.due,"
    " c.due_provisional, (SELECT count(*) FROM case_extension e WHERE e.case_id = c.id)"
    " FROM cases c LEFT JOIN unit u ON u.name = c.lead_unit"
    " WHERE c.state IN ('assigned', 'in_progress') AND c.due IS NOT NULL AND c.due < ?"
    " ORDER BY COALESCE(u.ordering, 1000000), c.lead_unit, c.due, c.year, c.serial"
)


def main() -> None:
    path, today = sys.argv[1], date.fromisoformat(sys.argv[2])
    first = date(2004, 1, 1)
    counts = [0]
    day = first
    while day <= today:
        worked = day in workdays or (day.weekday() < 5 and day not in holidays)
        counts.append(counts[-1] + worked)
        day += timedelta(days=1)

    def count(d: date) -> int:
        return counts[(d - first).days + 1]

    out = sys.stdout
    out.write(
        "no\ttitle\tclassified\tunit\tassigned_on\toriginal_due\toriginal_due_provisional\tdue\tdue_provisional\t"
        "overdue_workdays\textensions\tsuggested_step\tkind\n"
    )
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    for year, serial, title, classified, unit, assigned, original, due, provisional, n in conn.execute(
        CHOSEN, (today.isoformat(),)
    ):
        late = count(today) - count(date.fromisoformat(due))
        shown = f"「涉密·线下办理」{title}" if classified else title
        out.write(
            f"督查〔{year}〕{serial}号\t{shown}\t{'true' if classified else 'false'}\t{unit or ''}\t"
            f"{assigned or ''}\t{original if original != due else ''}\t"
            f"{'true' if provisional and original != due else 'false'}\t{due}\t"
            f"{'true' if provisional else 'false'}\t{late}\t{n}\t{'通报' if late >= 5 else '催办'}\tcase\n"
        )


if __name__ == "__main__":
    main()
