"""Every read command of fupin, with arguments that make it answer on the read scenario (the demo
data plus a stored plan, an inspection with a visit, a finding and an indicator), for the tests that hold for each
read: it loads no SQLAlchemy, SQLModel or pydantic; a driver error is one Chinese line; it writes
nothing; a read-only PostgreSQL role can run it.

`{out}` in an argument is a fresh folder of the test's for files the command writes.
"""

import os
from collections.abc import Callable
from typing import Any

READ_TODAY = "2025-06-30"

READ_COMMANDS: list[tuple[str, ...]] = [
    ("case", "show", "2025-5"),
    ("case", "list"),
    ("case", "list", "--unit", "唐县", "--state", "在办", "--overdue"),
    ("case", "log", "2025-1"),
    ("case", "files", "2025-1"),
    ("case", "notice", "2025-2", "--output", "{out}/notice.docx"),
    ("case", "urge", "2025-1", "--output", "{out}/urge.docx"),
    ("case", "extension-form", "2025-5", "--output", "{out}/extension.docx"),
    ("check", "plan", "--year", "2025"),
    ("check", "show", "1"),
    ("check", "list"),
    ("check", "indicators", "--year", "2025"),
    ("check", "coverage", "--year", "2025"),
    ("check", "villages", "list", "--county", "唐县"),
    ("report", "overdue"),
    ("report", "due-soon"),
    ("report", "stats"),
    ("report", "ledger", "--year", "2025", "--output", "{out}/ledger.xlsx"),
    ("report", "urge", "--output", "{out}"),
    ("report", "digest", "--output", "{out}/digest.html"),
    ("db", "info"),
]
"""The read commands that open the database."""

FILE_READ_COMMANDS: list[tuple[str, ...]] = [
    ("check", "kinds"),
    ("duty", "list"),
    ("duty", "who", "资金"),
    ("duty", "show", "1"),
    ("cal", "deadline", "2025-06-01", "10"),
    ("cal", "between", "2025-06-01", "2025-07-01"),
    ("cal", "month", "2025-06"),
    ("cal", "status"),
]
"""The read commands that answer from the shipped files alone."""


def build_read_scenario(ok: Callable[..., Any]) -> None:
    """The demo database, and an inspection with a visit, a finding and an indicator (`ok` runs a
    fupin command and asserts it succeeded; the --db is the caller's)."""
    ok("--db", os.environ["FUPIN_DB"], "init", "--demo")  # into FUPIN_DB, not beside it
    ok("check", "plan", "--year", "2025", "--seed", "7")  # drawn and stored: `check plan` then shows it
    ok("check", "new", "资金项目", "--title", "资金项目检查", "--unit", "唐县", "--method", "重点督查", "--on", "2025-06-03")
    ok("check", "visit", "1", "--village", "演示易三村", "--by", "市", "--on", "2025-06-03")
    ok("check", "finding", "1", "--text", "资金拨付滞后", "--unit", "易县", "--village", "演示易三村", "--on", "2025-06-03")
    ok("check", "indicator", "--county", "唐县", "--year", "2025", "--kind", "脱贫率", "--numerator", "80", "--denominator", "100", "--on", "2025-06-04")


def filled(command: tuple[str, ...], out: str) -> list[str]:
    return [part.replace("{out}", out) for part in command]
