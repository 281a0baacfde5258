"""Whatever a user types, fupin answers with an exit code, never a traceback, and a refusal changes nothing.

Hypothesis throws arbitrary text, dates, numbers, very long strings, control characters, SQL
fragments and odd Unicode at the arguments and options of every command that takes input. For each
run: no exception other than SystemExit, exit code 0, 1 or 2, and when the exit code is not 0 the
database is exactly as before. Paths are kept inside the test's folder: fupin runs as root in CI.
"""

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fupin_cli.services.unit_of_work import in_unit_of_work
from tests.conftest import dump_database
from tests.integration.conftest import settings_for

EXAMPLES = 40
FEWER = {"--db": 12}
"""`--db` makes a new database for nearly every example (migrations, reference data): fewer of those."""
TODAY = "2026-10-10"

FRAGMENTS = [
    "",
    " ",
    "-",
    "--",
    "--help",
    "-1",
    "0",
    "007",
    "2147483648",
    "99999999999999999999999999",
    "1e9",
    "NaN",
    "inf",
    "1.5",
    "０",
    "１２",
    "٣",
    "Ⅻ",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "9999-12-31",
    "1900-01-01",
    "2026/2/29",
    "20261301",
    "2026年2月30日",
    "3月32日",
    "２０２６年３月１日",
    "今天",
    "明天",
    "昨天",
    "后天",
    "2027-01-01",
    "2099-01-01",
    "12",
    "2026-12",
    "2026-0",
    "督查[2026]1号",
    "督查〔2026〕1号",
    "督查〔２０２６〕１号",
    "督查〔2026〕99999999999号",
    "'; DROP TABLE cases; --",
    "1 OR 1=1",
    "\" OR \"\"=\"",
    "%",
    "_",
    "\\",
    "' UNION SELECT hash FROM audit_event --",
    "\x1b[31m红\x1b[0m",
    "\r\n",
    "\t",
    "\x7f",
    "\u202e逆序",
    "\u200b",
    "\ufeff",
    "\udcff",
    "𠀀𪚥",
    "🙂",
    "e\u0301",
    "[bold red]markup[/]",
    "{}",
    "%s%n",
    "唐县",
    "唐县扶贫开发办公室",
    "监督检查处",
    "政策",
    "资金项目",
    "其他",
    "秘密",
    "绝密",
    "proposed",
    "在办",
    "table",
    "json",
    "xlsx",
]

def as_argv(text: str) -> str:
    """What could arrive in sys.argv: no NUL, and lone surrogates only as undecodable bytes (U+DC80-DCFF)."""
    return text.replace("\x00", "").encode("utf-8", "surrogatepass").decode("utf-8", "surrogateescape")


hostile = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.lists(st.sampled_from(FRAGMENTS), min_size=2, max_size=4).map("".join),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=12),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates().map(lambda day: day.strftime("%Y-%m-%d")),
    st.builds(lambda text, times: text * times, st.sampled_from(["长", "x", "督", "'", "\n"]), st.integers(300, 3000)),
).map(as_argv)
case_number = st.one_of(st.sampled_from(["1", "2", "3", "4", "5", "6", "2026-4", "督查〔2026〕5号"]), hostile)
maybe = st.one_of(st.none(), hostile)


def options(draw, **named: st.SearchStrategy) -> list[str]:
    """Draw each option's value; leave out those drawn as None (a trailing _ is dropped: from_)."""
    chosen: list[str] = []
    for name, strategy in named.items():
        value = draw(strategy)
        if value is not None:
            chosen += [f"--{name.rstrip('_').replace('_', '-')}", value]
    return chosen


ids = st.one_of(st.sampled_from(["1", "2", "3"]), hostile)
REPORT_FORMATS = st.sampled_from(["table", "json", "csv", "tsv", "md", "xlsx"])


def output_option(folder: Path) -> st.SearchStrategy:
    """No --output, or a file in the test's folder named from hostile text (with a report suffix)."""
    named = st.tuples(hostile, st.sampled_from(["", ".csv", ".xlsx", ".json", ".tsv", ".md"]))
    return st.one_of(
        st.just([]),
        named.map(lambda pair: ["--output", name_in(folder, pair[0]) + pair[1]]),
    )


def docx_name(draw, folder: Path) -> str:
    return name_in(folder, draw(hostile)) + draw(st.sampled_from([".docx", "", ".DOCX"]))


def name_in(folder: Path, text: str) -> str:
    """A path inside the test's folder made from hostile text (no separators: no escaping it)."""
    return str(folder / (text.replace("/", "／") or "空"))


Arguments = Callable[[Callable, Path], list[str]]

COMMANDS: dict[str, Arguments] = {
    "case open": lambda draw, _: [
        "case",
        "open",
        draw(hostile),
        *options(
            draw,
            category=st.one_of(st.sampled_from(["政策", "资金项目", "其他"]), hostile),
            source=maybe,
            level=maybe,
            location=maybe,
            on=maybe,
        ),
        *draw(st.sampled_from([[], ["--major"], ["--classified"]])),
    ],
    "case approve": lambda draw, _: [
        "case",
        "approve",
        draw(case_number),
        *options(draw, by=maybe, meeting=maybe, opinion=maybe, on=maybe),
    ],
    "case reject": lambda draw, _: ["case", "reject", draw(case_number), "--reason", draw(hostile), "--by", "王主任"],
    "case assign": lambda draw, _: [
        "case",
        "assign",
        draw(case_number),
        *options(
            draw,
            unit=st.one_of(st.just("唐县"), hostile),
            assist=maybe,
            days=maybe,
            due=maybe,
            basis=maybe,
            on=maybe,
        ),
    ],
    "case accept": lambda draw, _: ["case", "accept", draw(case_number), *options(draw, ref=maybe, on=maybe)],
    "case extend": lambda draw, _: [
        "case",
        "extend",
        draw(case_number),
        *options(draw, days=maybe, to=maybe, reason=maybe, by=maybe, on=maybe),
    ],
    "case feedback": lambda draw, folder: [
        "case",
        "feedback",
        draw(case_number),
        *options(
            draw,
            report=maybe,
            report_file=st.one_of(st.none(), hostile.map(lambda text: name_in(folder, text))),
            location=maybe,
            on=maybe,
        ),
    ],
    "case return": lambda draw, _: ["case", "return", draw(case_number), *options(draw, reason=maybe, on=maybe)],
    "case archive": lambda draw, _: ["case", "archive", draw(case_number), *options(draw, location=maybe, on=maybe)],
    "case withdraw": lambda draw, _: ["case", "withdraw", draw(case_number), *options(draw, reason=maybe)],
    "case show": lambda draw, _: ["case", "show", draw(case_number), *options(draw, format=maybe)],
    "case log": lambda draw, _: ["case", "log", draw(case_number)],
    "case list": lambda draw, _: [
        "case",
        "list",
        *options(draw, state=maybe, unit=maybe, year=maybe, due_within=maybe, format=maybe),
    ],
    "cal deadline": lambda draw, _: ["cal", "deadline", draw(hostile), draw(hostile)],
    "cal between": lambda draw, _: ["cal", "between", draw(hostile), draw(hostile)],
    "cal month": lambda draw, _: ["cal", "month", draw(hostile)],
    "duty who": lambda draw, _: ["duty", "who", draw(hostile), *options(draw, limit=maybe, format=maybe)],
    "duty show": lambda draw, _: ["duty", "show", draw(hostile)],
    "db backup": lambda draw, folder: [
        "db",
        "backup",
        name_in(folder, draw(hostile)),
        *draw(st.sampled_from([[], ["--force"]])),
    ],
    "db restore": lambda draw, folder: ["db", "restore", name_in(folder, draw(hostile))],
    "global options": lambda draw, folder: [
        *draw(st.sampled_from([["--today", draw(hostile)], ["--user", draw(hostile)]])),
        "case",
        "open",
        "标题",
        "--category",
        "政策",
    ],
    "--db": lambda draw, folder: ["--db", name_in(folder, draw(hostile)), "db", "check"],
    # --- report: every option of every command -------------------------------------------------
    "report overdue": lambda draw, folder: [
        "report",
        "overdue",
        *options(draw, as_of=maybe, unit=maybe, format=st.one_of(st.none(), REPORT_FORMATS, hostile)),
        *draw(output_option(folder)),
        *draw(st.sampled_from([[], ["--fail-if-any"], ["--quiet-if-none"], ["--raw"]])),
    ],
    "report due-soon": lambda draw, folder: [
        "report",
        "due-soon",
        *options(draw, within=maybe, as_of=maybe, unit=maybe, format=st.one_of(st.none(), REPORT_FORMATS, hostile)),
        *draw(output_option(folder)),
        *draw(st.sampled_from([[], ["--raw"]])),
    ],
    "report stats": lambda draw, folder: [
        "report",
        "stats",
        *options(
            draw,
            year=maybe,
            from_=maybe,
            to=maybe,
            by=st.one_of(st.none(), st.sampled_from(["unit", "category", "month"]), hostile),
            format=st.one_of(st.none(), REPORT_FORMATS, hostile),
        ),
        *draw(output_option(folder)),
    ],
    "report ledger": lambda draw, folder: [
        "report",
        "ledger",
        *options(draw, year=st.one_of(st.just("2026"), hostile)),
        "--output",
        name_in(folder, draw(hostile)),
    ],
    "report urge": lambda draw, folder: [
        "report",
        "urge",
        "--output",
        draw(st.one_of(st.just(str(folder)), hostile.map(lambda text: name_in(folder, text)))),
        *options(draw, unit=maybe),
    ],
    # --- check: every command and option ---------------------------------------------------------
    "check kinds": lambda draw, _: ["check", "kinds", *options(draw, format=maybe)],
    "check villages import": lambda draw, folder: [
        "check",
        "villages",
        "import",
        draw(st.one_of(st.just(str(folder / "report.txt")), hostile.map(lambda text: name_in(folder, text)))),
    ],
    "check villages list": lambda draw, _: ["check", "villages", "list", *options(draw, county=maybe, format=maybe)],
    "check plan": lambda draw, _: [
        "check",
        "plan",
        *options(draw, year=st.one_of(st.just("2026"), hostile), seed=maybe, counties=maybe, period=maybe, format=maybe),
        *draw(st.sampled_from([[], ["--redraw"]])),
    ],
    "check new": lambda draw, _: [
        "check",
        "new",
        draw(st.one_of(st.sampled_from(["资金项目", "雨露计划", "1", "5"]), hostile)),
        *options(draw, title=st.one_of(st.just("检查"), hostile), year=maybe, unit=maybe, method=maybe, phase=maybe, on=maybe),
    ],
    "check phase": lambda draw, _: ["check", "phase", draw(ids), draw(hostile), *options(draw, on=maybe)],
    "check visit": lambda draw, _: [
        "check",
        "visit",
        draw(ids),
        *options(draw, by=maybe, village=maybe, county=maybe, unit=maybe, on=maybe),
    ],
    "check show": lambda draw, _: ["check", "show", draw(ids), *options(draw, format=maybe)],
    "check list": lambda draw, _: ["check", "list", *options(draw, year=maybe, kind=maybe, format=maybe)],
    "check finding": lambda draw, _: [
        "check",
        "finding",
        draw(ids),
        *options(
            draw,
            text=st.one_of(st.just("问题"), hostile),
            unit=st.one_of(st.just("唐县"), hostile),
            village=maybe,
            county=maybe,
            code=maybe,
            amount=maybe,
            days=maybe,
            on=maybe,
        ),
    ],
    "check rectify": lambda draw, _: ["check", "rectify", draw(ids), *options(draw, on=maybe)],
    "check verify": lambda draw, _: ["check", "verify", draw(ids), *options(draw, on=maybe)],
    "check handover": lambda draw, _: ["check", "handover", draw(ids), *options(draw, title=maybe, on=maybe)],
    "check indicator": lambda draw, _: [
        "check",
        "indicator",
        *options(
            draw,
            county=st.one_of(st.just("唐县"), hostile),
            year=st.one_of(st.just("2026"), hostile),
            kind=st.one_of(st.just("脱贫率"), hostile),
            numerator=maybe,
            denominator=maybe,
            on=maybe,
        ),
    ],
    "check indicators": lambda draw, _: [
        "check",
        "indicators",
        *options(draw, year=st.one_of(st.just("2026"), hostile), threshold=maybe, kind=maybe, format=maybe),
        *draw(st.sampled_from([[], ["--all"]])),
    ],
    "check coverage": lambda draw, folder: [
        "check",
        "coverage",
        *options(draw, year=st.one_of(st.just("2026"), hostile), format=st.one_of(st.none(), REPORT_FORMATS, hostile)),
        *draw(output_option(folder)),
        *draw(st.sampled_from([[], ["--raw"]])),
    ],
    # --- the documents -----------------------------------------------------------------------------
    "case notice": lambda draw, folder: ["case", "notice", draw(case_number), "--output", docx_name(draw, folder)],
    "case urge": lambda draw, folder: ["case", "urge", draw(case_number), "--output", docx_name(draw, folder)],
    "case extension-form": lambda draw, folder: [
        "case",
        "extension-form",
        draw(case_number),
        "--output",
        docx_name(draw, folder),
        *options(draw, extension=maybe),
    ],
}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    """A database with a case in each of the first states: 1 拟办, 2 已立项, 3 已交办, 4 承办中, 5 已办结."""
    from fupin_cli.services import case_steps, check_findings, check_villages, checks

    folder = tmp_path_factory.mktemp("seeded")
    settings_now = settings_for(str(folder / "fupin.db"), folder)
    steps = [
        lambda n: in_unit_of_work(case_steps.approve_case, settings=settings_now, number=n, approver="王主任"),
        lambda n: in_unit_of_work(case_steps.assign_case, settings=settings_now, number=n, unit="唐县"),
        lambda n: in_unit_of_work(case_steps.accept_case, settings=settings_now, number=n),
        lambda n: in_unit_of_work(case_steps.feedback_case, settings=settings_now, number=n, report="已核实"),
    ]
    for how_far in range(5):
        number = in_unit_of_work(case_steps.open_case, settings=settings_now, title=f"第{how_far + 1}件", category="资金项目").no
        for step in steps[:how_far]:
            step(number)
    # An inspection with two findings (1 to correct, 2 for a hand-over) and a village, for `check`.
    in_unit_of_work(check_villages.load_demo_villages, settings=settings_now)
    in_unit_of_work(checks.open_inspection, settings=settings_now, kind="资金项目", year=2026, title="资金项目检查", units=["唐县"])
    for text in ("项目资金滞留", "台账不全"):
        in_unit_of_work(check_findings.record_finding, settings=settings_now, inspection_id=1, text=text, unit="唐县")
    return folder / "fupin.db"


@pytest.mark.parametrize("command", list(COMMANDS))
def test_hostile_input_never_crashes_and_a_refusal_changes_nothing(command, seeded, db_path, cli, monkeypatch):
    folder = db_path.parent
    shutil.copyfile(seeded, db_path)
    monkeypatch.chdir(folder)
    (folder / "report.txt").write_text("办结报告：已核实整改。", encoding="utf-8")

    @settings(max_examples=FEWER.get(command, EXAMPLES), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(data=st.data())
    def run(data):
        arguments = ["--today", TODAY, *COMMANDS[command](data.draw, folder)]
        before = dump_database(db_path)
        result = cli(*arguments)
        shown = f"{arguments!r} → exit {result.exit_code}\n{result.output}"
        assert result.exception is None or isinstance(result.exception, SystemExit), shown
        assert result.exit_code in (0, 1, 2), shown
        assert "Traceback" not in result.output, shown
        if result.exit_code != 0:
            assert dump_database(db_path) == before, shown

    run()
