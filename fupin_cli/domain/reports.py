"""The rules of the reports: the escalation step an overdue item calls for, rates and medians.

Pure: standard library only. The warning light and the overdue working days are domain.cases' rules.
"""

import statistics
from collections.abc import Iterable
from enum import StrEnum

NOTIFY_AFTER_WORKDAYS = 5
"""5 or more working days past due → 通报 (12345 hotline practice); fewer → 催办."""


class Step(StrEnum):
    URGE = "urge"  # 催办: urge notice, copied to the unit's leader
    NOTIFY = "notify"  # 通报: formal notice of criticism

    @property
    def label(self) -> str:
        return {Step.URGE: "催办", Step.NOTIFY: "通报"}[self]


def suggested_step(overdue_workdays: int, *, notify_after: int = NOTIFY_AFTER_WORKDAYS) -> Step | None:
    """催办 when past due, 通报 when `notify_after` or more working days past due; None when not late.

    An item due on a Friday and still open on Saturday is past due with 0 working days late: 催办.
    """
    if overdue_workdays < 0:
        return None
    return Step.NOTIFY if overdue_workdays >= notify_after else Step.URGE


def rate(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide by (shown as —, never as 0%)."""
    return part / whole if whole else None


def median(values: Iterable[int]) -> float | None:
    found = list(values)
    return float(statistics.median(found)) if found else None
