"""The fictional demo set of `fupin init --demo`: demo villages and a handful of cases around today.

Every title starts with 演示 and the villages are marked 虚构 in their file: nothing here is real.
The cases are dated relative to the day of loading, so that the overdue and due-soon reports have
something to show: two cases overdue (one long enough for 通报), one due soon, one extended, one
finished and archived, a 重大 item awaiting the 主任办公会, and a classified one handled offline.
Loading twice adds nothing the second time.
"""

from datetime import date, timedelta

from fupin_cli.services import cases
from fupin_cli.settings import Settings
from fupin_cli.storage import reference
from fupin_cli.storage.db import Database

DEMO_KEY = "demo"


def load(*, settings: Settings, database: Database) -> list[str]:
    with database.read() as conn:
        if DEMO_KEY in reference.stored_digests(conn):
            return ["演示数据早已载入，未重复添加"]
    lines = _demo_villages(settings)
    opened = _demo_cases(settings, settings.today)
    with database.write() as session:
        reference.remember(session, name=DEMO_KEY, digest=settings.today.isoformat())
    return [*lines, f"演示督查事项：{len(opened)} 件（{opened[0]} 至 {opened[-1]}），标题均以「演示」开头"]


def _demo_villages(settings: Settings) -> list[str]:
    from importlib.util import find_spec

    if find_spec("fupin_cli.services.checks") is None:
        return []
    from fupin_cli.services import check_villages

    return [str(check_villages.load_demo_villages(settings))]


def _demo_cases(settings: Settings, today: date) -> list[str]:
    def ago(days: int) -> date:
        return today - timedelta(days=days)

    def opened(title: str, category: str, days: int, **extra: object) -> str:
        view = cases.open_case(settings=settings, title=title, category=category, on=ago(days), **extra)  # type: ignore[arg-type]
        return view.no

    def approved_and_assigned(no: str, unit: str, approve_days: int, assign_days: int) -> None:
        cases.approve_case(settings=settings, number=no, approver="演示·王主任", on=ago(approve_days))
        cases.assign_case(settings=settings, number=no, unit=unit, on=ago(assign_days))

    numbers: list[str] = []

    no = opened("演示：某村财政扶贫资金使用情况核查", "资金项目", 45, source="演示·群众来信")
    approved_and_assigned(no, "唐县", 44, 42)
    cases.accept_case(settings=settings, number=no, unit_ref="唐扶督〔演示〕1号", on=ago(41))
    numbers.append(no)

    no = opened("演示：雨露计划补助资金发放情况核查", "雨露计划", 22, source="演示·审计移交")
    approved_and_assigned(no, "阜平县", 21, 18)
    numbers.append(no)

    no = opened("演示：易地扶贫搬迁安置进度督查", "易地搬迁", 12)
    approved_and_assigned(no, "涞源县", 11, 10)
    cases.accept_case(settings=settings, number=no, unit_ref="涞扶〔演示〕3号", on=ago(9))
    numbers.append(no)

    no = opened("演示：互助资金试点村运行情况检查", "互助资金", 20)
    approved_and_assigned(no, "顺平县", 19, 16)
    cases.extend_case(
        settings=settings, number=no, workdays=10, reason="演示：涉及多个村，需补充核查", approver="演示·王主任", on=ago(3)
    )
    numbers.append(no)

    no = opened("演示：扶贫政策措施落实情况督促检查", "政策", 60)
    approved_and_assigned(no, "定兴县", 59, 57)
    cases.accept_case(settings=settings, number=no, on=ago(56))
    cases.feedback_case(settings=settings, number=no, report="演示：已核实，整改完毕", on=ago(50))
    cases.archive_case(settings=settings, number=no, location="演示·档案室 A-1", on=ago(48))
    numbers.append(no)

    numbers.append(opened("演示：全市扶贫资金专项督查（重大事项）", "资金项目", 2, major=True))
    numbers.append(opened("演示：某项目核查（涉密，纸质办理）", "其他", 1, classified=True, paper_location="机要室"))
    return numbers
