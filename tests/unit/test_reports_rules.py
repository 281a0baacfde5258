"""domain.reports: the escalation step, rates and medians."""

import pytest

from fupin_cli.domain.reports import NOTIFY_AFTER_WORKDAYS, Step, median, rate, suggested_step


@pytest.mark.parametrize(
    ("late", "step"),
    [(-1, None), (0, Step.URGE), (1, Step.URGE), (4, Step.URGE), (5, Step.NOTIFY), (30, Step.NOTIFY)],
)
def test_past_due_is_urged_and_five_working_days_late_is_notified(late, step):
    assert suggested_step(late) is step


def test_labels_and_threshold():
    assert NOTIFY_AFTER_WORKDAYS == 5
    assert (Step.URGE.label, Step.NOTIFY.label) == ("催办", "通报")
    assert suggested_step(3, notify_after=3) is Step.NOTIFY


def test_rate_of_nothing_is_unknown_not_zero():
    assert rate(0, 0) is None
    assert rate(2, 3) == pytest.approx(2 / 3)


def test_median():
    assert median([]) is None
    assert median([4, 7]) == 5.5
    assert median([3, 1, 2]) == 2.0
