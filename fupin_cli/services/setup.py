"""`fupin init`: the database made ready, and on request the fictional demo set."""

from fupin_cli.services.database import connect
from fupin_cli.settings import Settings
from fupin_cli.storage import reference


def initialise(*, settings: Settings, demo: bool) -> str:
    """Create and migrate the database, load the reference data, recheck the stored deadlines on the
    calendar if it changed (and remember it: a writer without rights on reference_file then never
    has to); with `demo`, add the demo set."""
    database = connect(settings)
    try:
        with database.write():  # the calendar recheck, so that later writers need not record it
            pass
        lines = [f"数据库已就绪：{database.location.shown}"]
        with database.read() as conn:
            counts = reference.counts(conn)
        lines.append(f"参考数据：{counts['units']} 个单位，{counts['duties']} 项具体工作事项")
        if demo:
            from fupin_cli.services import demo as demo_service

            lines += demo_service.load(settings=settings, database=database)
        return "\n".join(lines)
    finally:
        database.dispose()
