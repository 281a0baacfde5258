"""`fupin init`: the database made ready, and on request the fictional demo set."""

from dataclasses import replace

from fupin_cli.services.unit_of_work import unit_of_work
from fupin_cli.settings import Settings
from fupin_cli.storage import reference


def initialise(*, settings: Settings, demo: bool, into_named_db: bool = False) -> str:
    """Create and migrate the database, load the reference data and recheck the stored deadlines on
    the calendar if it changed (so that later writers need not record it); with `demo`, build the
    demo instead.

    The demo goes to its own file, demo.db beside the default database, unless the database was named
    explicitly (`into_named_db`): then into that SQLite file, when it holds no records yet.
    """
    if demo:
        from fupin_cli.services import demo as demo_service

        target = settings if into_named_db else replace(settings, db=str(demo_service.demo_path(settings.home)))
        return "\n".join(demo_service.load_into(target))
    with unit_of_work(settings) as uow:  # the calendar recheck, so that later writers need not record it
        counts = reference.counts(uow.connection())
        lines = [f"数据库已就绪：{uow.location.shown}"]
    lines.append(f"参考数据：{counts['units']} 个单位，{counts['duties']} 项具体工作事项")
    return "\n".join(lines)
