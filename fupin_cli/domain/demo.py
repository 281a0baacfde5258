"""The demo's story, dated in working days on the office calendar back from today. Standard library only.

Every step falls on a working day no later than the reference day R: today, or the last working day
before it when today is a rest day. Steps are counted back from R in working days, so the same
story holds on every day of every year, around 春节 and 国庆 included: an extension is always asked
before the due date, an assignment never falls on a Sunday.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

DEMO_LIMIT_WORKDAYS = 10
"""The demo assigns with the default period: due 10 working days after the assignment."""
DEMO_EXTENSION_WORKDAYS = 5


class Workdays(Protocol):
    """What the plan needs from the calendar (fupin_cli.domain.calendar.WorkCalendar)."""

    def is_workday(self, day: date) -> bool: ...


@dataclass(frozen=True)
class DemoCase:
    """One demo case: what it is, whom it goes to and the day of each step (None: not taken)."""

    shows: str
    """What the case demonstrates: 通报, 催办, 涉密, 黄, 延期, 按期办结, 归档, 重大."""
    title: str
    category: str
    opened: date
    source: str | None = None
    major: bool = False
    classified: bool = False
    paper_location: str | None = None
    unit: str | None = None
    approved: date | None = None
    assigned: date | None = None
    accepted: date | None = None
    unit_ref: str | None = None
    extended: date | None = None
    feedback: date | None = None
    archived: date | None = None

    @property
    def steps(self) -> tuple[date, ...]:
        """The dates of every step taken, in order."""
        days = (
            self.opened, self.approved, self.assigned, self.accepted, self.extended, self.feedback, self.archived
        )
        return tuple(day for day in days if day is not None)


def reference_day(calendar: Workdays, today: date) -> date:
    """Today when it is a working day, else the last working day before it."""
    day = today
    while not calendar.is_workday(day):
        day -= timedelta(days=1)
    return day


def workdays_back(calendar: Workdays, day: date, count: int) -> date:
    """The working day `count` working days before the working day `day` (0: `day` itself)."""
    for _ in range(count):
        day -= timedelta(days=1)
        while not calendar.is_workday(day):
            day -= timedelta(days=1)
    return day


def plan(calendar: Workdays, today: date) -> tuple[DemoCase, ...]:
    """The demo's eight cases for `today`; with a 10-day period, assigned on w(k) means due on w(k-10)."""
    r = reference_day(calendar, today)

    def w(count: int) -> date:
        return workdays_back(calendar, r, count)

    return (
        # due w(8): 8 working days late → 通报
        DemoCase(
            "通报", "演示：某村财政扶贫资金使用情况核查", "资金项目", w(21), source="演示·群众来信",
            unit="唐县", approved=w(20), assigned=w(18), accepted=w(17), unit_ref="唐扶督〔演示〕1号",
        ),
        # due w(2): 2 working days late → 催办
        DemoCase(
            "催办", "演示：雨露计划补助资金发放情况核查", "雨露计划", w(15), source="演示·审计移交",
            unit="阜平县", approved=w(14), assigned=w(12),
        ),
        # classified, due w(3): late, handled offline
        DemoCase(
            "涉密", "演示：某项目核查（涉密，纸质办理）", "其他", w(16), classified=True, paper_location="演示·机要室",
            unit="涞水县", approved=w(15), assigned=w(13),
        ),
        # due two working days after R → 黄
        DemoCase(
            "黄", "演示：易地扶贫搬迁安置进度督查", "易地搬迁", w(10), unit="涞源县",
            approved=w(9), assigned=w(8), accepted=w(7), unit_ref="涞扶〔演示〕3号",
        ),
        # due R, extended by 5 working days on the working day before → green
        DemoCase(
            "延期", "演示：互助资金试点村运行情况检查", "互助资金", w(13), unit="顺平县",
            approved=w(12), assigned=w(10), accepted=w(9), extended=w(1),
        ),
        # due w(20), feedback w(25): finished on time
        DemoCase(
            "按期办结", "演示：扶贫小额信贷贴息落实情况核查", "资金项目", w(33), unit="曲阳县",
            approved=w(32), assigned=w(30), accepted=w(29), feedback=w(25),
        ),
        # due w(32), feedback w(36), archived w(34)
        DemoCase(
            "归档", "演示：扶贫政策措施落实情况督促检查", "政策", w(45), unit="定兴县",
            approved=w(44), assigned=w(42), accepted=w(41), feedback=w(36), archived=w(34),
        ),
        # 重大: opened, awaiting the 主任办公会
        DemoCase("重大", "演示：全市扶贫资金专项督查（重大事项）", "资金项目", w(2), major=True),
    )
