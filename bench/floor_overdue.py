"""The floor for `fupin report overdue --format tsv`: plain sqlite3, the same rows, nothing else.

    python bench/floor_overdue.py DB TODAY

One query (open cases due before TODAY, by unit then due date), working days counted from
chinese-calendar's own tables, the same TSV columns that fupin prints.
"""

import sqlite3
import sys
from datetime import date, timedelta

from chinese_calendar.constants import holidays, workdays

CHOSEN = (
    "SELECT c.year, c.serial, c.title, c.classified, c.lead_unit, c.assigned_on, c.original_due, c.due,"
    " c.due_provisional, (SELECT count(*) FROM case_extension e WHERE e.case_id = c.id)"
    " FROM cases c WHERE c.state IN ('assigned', 'in_progress') AND c.due IS NOT NULL AND c.due < ?"
    " ORDER BY c.lead_unit, c.due, c.year, c.serial"
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
        "kind\tno\ttitle\tunit\tassigned_on\tdue\toriginal_due\toverdue_workdays\textensions\t"
        "suggested_step\tdue_provisional\n"
    )
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    for year, serial, title, classified, unit, assigned, original, due, provisional, n in conn.execute(
        CHOSEN, (today.isoformat(),)
    ):
        late = count(today) - count(date.fromisoformat(due))
        shown = f"「涉密·线下办理」{title}" if classified else title
        out.write(
            f"case\t督查〔{year}〕{serial}号\t{shown}\t{unit or ''}\t{assigned or ''}\t{due}\t"
            f"{original if original != due else ''}\t{late}\t{n}\t{'通报' if late >= 5 else '催办'}\t"
            f"{'true' if provisional else 'false'}\n"
        )


if __name__ == "__main__":
    main()
