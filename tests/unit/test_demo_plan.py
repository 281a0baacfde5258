"""The demo's story on every day of 2026 and 2027: every step on a working day, none in the future."""

from datetime import date, timedelta

import pytest

from fupin_cli.domain import demo
from fupin_cli.domain.cases import Light, status_of
from fupin_cli.domain.reports import Step, suggested_step
from fupin_cli.domain.workflow import State
from fupin_cli.services import calendar as service
from fupin_cli.settings import data_dir


@pytest.fixture(scope="module")
def calendar():
    return service.build_calendar(holiday_dirs=[data_dir() / "holidays"])


def _every_day(year_from: int, year_to: int):
    day = date(year_from, 1, 1)
    while day.year <= year_to:
        yield day
        day += timedelta(days=1)


def _state(item: demo.DemoCase) -> State:
    if item.archived:
        return State.ARCHIVED
    if item.feedback:
        return State.COMPLETED
    if item.accepted:
        return State.IN_PROGRESS
    if item.assigned:
        return State.ASSIGNED
    return State.PROPOSED


def test_the_plan_holds_on_every_day_of_two_years(calendar):
    for today in _every_day(2026, 2027):
        reference = demo.reference_day(calendar, today)
        assert calendar.is_workday(reference) and reference <= today
        seen: set[str] = set()
        for item in demo.plan(calendar, today):
            assert item.title.startswith("演示")
            steps = item.steps
            assert list(steps) == sorted(steps), (today, item)
            for step in steps:
                assert calendar.is_workday(step) and step <= today, (today, item.shows, step)
            if item.assigned is None:
                assert item.major and item.approved is None
                seen.add("重大")
                continue
            original = calendar.deadline(item.assigned, demo.DEMO_LIMIT_WORKDAYS).due
            due = original
            if item.extended:
                assert item.extended < original, (today, item)
                assert calendar.between(item.extended, original) == 1
                due = calendar.deadline(original, demo.DEMO_EXTENSION_WORKDAYS).due
                assert due <= original + timedelta(days=31)
            status = status_of(
                state=_state(item), due=due, original_due=original, feedback_on=item.feedback,
                today=today, calendar=calendar,
            )
            if item.feedback:
                assert status.on_time, (today, item)
                seen.add("归档" if item.archived else "按期办结")
            elif status.light is Light.RED:
                step = suggested_step(status.overdue_workdays)
                if item.classified:
                    seen.add("涉密")
                else:
                    seen.add({Step.NOTIFY: "通报", Step.URGE: "催办"}[step])
                assert (step is Step.NOTIFY) == (item.shows == "通报"), (today, item)
            elif status.light is Light.YELLOW:
                seen.add("黄")
            elif status.light is Light.GREEN and item.extended:
                seen.add("延期")
        assert seen == {"通报", "催办", "涉密", "黄", "延期", "按期办结", "归档", "重大"}, today
