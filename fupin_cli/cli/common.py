"""What every command shares: the settings of this run, date and case-number options, formats."""

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer._click.types import ParamType

from fupin_cli.settings import Settings

T = TypeVar("T")


class BoundedInt(ParamType):
    """An integer option or argument checked when the command line is parsed: a value out of range
    (a year of -1, an id of 10^26) is a usage error (exit 2) in Chinese, never an overflow later."""

    name = "integer"

    def __init__(self, what: str, low: int, high: int) -> None:
        self.what, self.low, self.high = what, low, high

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        if isinstance(value, int):
            number = value
        else:
            text = str(value).strip()
            digits = text[1:] if text[:1] in "+-" else text  # one sign at most: "--1" is no number
            if not (digits.isascii() and digits.isdigit()) or len(text) > 30:
                from fupin_cli.render.safety import printable

                self.fail(f"{self.what}应是整数，收到「{printable(text[:30])}」", param, ctx)
            number = int(text)
        if not self.low <= number <= self.high:
            self.fail(f"{self.what}应在 {self.low} 到 {self.high} 之间，收到 {number}", param, ctx)
        return number


YEAR = BoundedInt("年度", 1990, 2099)
"""Years fupin can be asked about: the office's records, never a date library's limits."""
RECORD_ID = BoundedInt("编号", 1, 2**31 - 1)
WORKDAYS = BoundedInt("工作日数", 0, 100_000)
COUNT = BoundedInt("数目", 0, 10**9)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    tsv = "tsv"
    md = "md"
    xlsx = "xlsx"
    html = "html"


FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="输出格式：table、json 或 csv")]
ReportFormatOption = Annotated[
    ReportFormat, typer.Option("--format", "-f", help="输出格式：table、json、csv、tsv、md、xlsx 或 html")
]
RawOption = Annotated[
    bool,
    typer.Option(
        "--raw",
        help="CSV/TSV 原样输出文字（供程序读取）；默认以 = + - @ 开头的文字前加 ' ，防止电子表格当作公式执行。",
    ),
]
OnOption = Annotated[
    str | None,
    typer.Option("--on", help="这一步实际发生的日期（补录纸质记录时用），默认今天", metavar="DATE"),
]


class RunContext:
    """The global options as typed; turned into Settings on first use by a command."""

    def __init__(self, *, db: str | None, user: str | None, today: str | None, demo: bool = False) -> None:
        self.db = db
        self.user = user
        self.today_text = today
        self.demo = demo
        """`fupin --demo …`: the run works on demo.db, built first when missing."""
        self._settings: Settings | None = None

    def settings(self) -> Settings:
        if self._settings is None:
            from fupin_cli import settings as settings_module

            today = None
            if self.today_text:
                today = parse_day(self.today_text, today=settings_module.today_in_zone())
            db = self.db
            if self.demo:
                from fupin_cli.services.demo import demo_path

                db = str(demo_path(settings_module.data_home()))
            self._settings = settings_module.resolve(db=db, user=self.user, today=today)
            if self.demo:
                from fupin_cli.cli import console
                from fupin_cli.services.demo import ensure

                built = ensure(self._settings)
                if built:
                    console.note(built.splitlines()[0])
        return self._settings


def settings(ctx: typer.Context) -> Settings:
    run = ctx.find_root().obj
    assert isinstance(run, RunContext)
    return run.settings()


def write(
    ctx: typer.Context, use_case: Callable[..., T], /, *, recheck_calendar: bool = True, **arguments: Any
) -> T:
    """Run one write use case in one unit of work, opened here and committed when it returns:
    `use_case(uow, settings=…, **arguments)`. `recheck_calendar=False` for `cal recheck` itself."""
    from fupin_cli.services.unit_of_work import in_unit_of_work

    return in_unit_of_work(use_case, settings=settings(ctx), recheck_calendar=recheck_calendar, **arguments)


def day(ctx: typer.Context, text: str | None, toward: str | None = "back") -> date:
    """A date option as typed, or today when it was left out. A date typed without its year is
    the nearest such day `toward` "back" (a step's day, a report's day: the default) or "ahead"
    (a deadline); None keeps today's year."""
    current = settings(ctx)
    if text is None:
        return current.today
    return parse_day(text, today=current.today, ctx=ctx, toward=toward)


def parse_day(text: str, *, today: date, ctx: typer.Context | None = None, toward: str | None = None) -> date:
    """A date as typed on the command line. One that cannot be read is a usage error (exit 2),
    unlike a well-formed date that a rule refuses later (exit 1)."""
    from typer._click.exceptions import UsageError

    from fupin_cli.domain.dates import parse_date
    from fupin_cli.domain.errors import InvalidInputError

    try:
        return parse_date(text, today=today, toward=toward)
    except InvalidInputError as unreadable:
        raise UsageError(unreadable.message, ctx=ctx) from None


REMARKS = "fupin.remarks"


def step_day(ctx: typer.Context, text: str | None) -> date:
    """A step's date (--on, default today); one warning line, printed once the step is recorded,
    when that day is a rest day."""
    on = day(ctx, text)
    from fupin_cli.services.calendar import rest_day_remark

    remark = rest_day_remark(settings(ctx), on)
    if remark:
        ctx.meta.setdefault(REMARKS, []).append(remark)
    return on


def _resolved_number(ctx: typer.Context, text: str) -> str:
    """A case number argument: a bare serial resolved across years (one line when not this year's)."""
    if ctx.resilient_parsing:
        return text
    from fupin_cli.services.case_views import resolve_number

    resolved, remark = resolve_number(settings(ctx), text)
    if remark:
        from fupin_cli.cli import console

        console.note(remark)
    return resolved


NumberArgument = Annotated[
    str,
    typer.Argument(
        metavar="NO",
        help="督查编号：12（今年；今年没有而别的年份仅有一件在办时用那一件）、2026-12、督查〔2026〕12号。",
        callback=_resolved_number,
    ),
]


def optional_day(ctx: typer.Context, text: str | None, toward: str | None = "back") -> date | None:
    return None if text is None else day(ctx, text, toward)


def _refuse_database_files(ctx: typer.Context, path: Path) -> None:
    from fupin_cli.services.output_files import refuse_database_files

    refuse_database_files(path, settings(ctx).database_files)


def output_or_stdout(ctx: typer.Context, value: Path | None) -> Path | None:
    """An --output that may be `-` (standard output, given back as None); never the database's files."""
    if value is None or str(value) == "-":
        return None
    _refuse_database_files(ctx, value)
    return value


def output_file(ctx: typer.Context, value: Path | None) -> Path | None:
    """An --output that must be a file (xlsx, docx); never `-` and never the database's files."""
    if value is None:
        return None
    if str(value) == "-":
        raise typer.BadParameter("这种文件不能写到标准输出：请给一个文件名", ctx=ctx, param_hint="--output")
    _refuse_database_files(ctx, value)
    return value
