"""`fupin check …` through the Typer app: the plan, villages, inspections, findings, indicators and
coverage; refusals exit 1 with one Chinese line and leave the database as it was."""

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from fupin_cli.settings import data_dir

TODAY = "2026-10-19"
DEMO = data_dir() / "demo_villages.csv"
HEADER = "县,村,重点村,项目实施村年度,互助资金试点村\n"


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("FUPIN_TODAY", TODAY)
    return TODAY


@pytest.fixture
def as_json(ok):
    return lambda *args: json.loads(ok(*args, "--format", "json").stdout)


@pytest.fixture
def refused(cli, db_dump, db_path):
    """A command that must be refused: exit 1, one line on stderr, and not a row changed."""

    def run(*args: str, match: str, code: int = 1):
        if not db_path.exists():
            assert cli("init").exit_code == 0
        before = db_dump()
        result = cli(*args)
        assert result.exit_code == code, result.output
        assert match in result.stderr, result.stderr
        assert "Traceback" not in result.output
        if code == 1:
            assert result.stderr.count("\n") == 1, result.stderr
        assert db_dump() == before, "a refused command changed the database"
        return result

    return run


@pytest.fixture
def demo(ok, scenarios, db_path):
    scenarios.sqlite("check-demo-villages", lambda: ok("check", "villages", "import", str(DEMO)), into=db_path)


def _write(tmp_path: Path, text: str, name: str = "villages.csv", encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


# --- kinds ---------------------------------------------------------------------------------------


def test_kinds_lists_the_five_and_the_yulu_violations(ok, as_json):
    shown = ok("check", "kinds").stdout
    assert "5 雨露计划监督检查（雨露计划）" in shown and "Y4" in shown and "验实体" in shown
    kinds = as_json("check", "kinds")
    assert [k["short"] for k in kinds] == ["政策", "资金项目", "易地搬迁", "互助资金", "雨露计划"]
    assert [v["code"] for v in kinds[4]["violations"]] == ["Y1", "Y2", "Y3", "Y4", "Y5", "Y6"]


# --- villages ------------------------------------------------------------------------------------


def test_the_demo_villages_are_fictional_and_cover_the_nine_key_counties(ok, as_json, demo):
    assert "虚构" in DEMO.read_text(encoding="utf-8").splitlines()[0]
    villages = as_json("check", "villages", "list")
    assert all(v["village"].startswith("演示") and v["note"].startswith("虚构") for v in villages)
    key_counts: dict[str, int] = {}
    for village in villages:
        key_counts[village["county"]] = key_counts.get(village["county"], 0) + village["key_village"]
    for county in ("唐县", "阜平县", "顺平县", "涞源县", "易县", "曲阳县", "涞水县", "望都县", "博野县"):
        assert key_counts.get(county), county
    assert {1, 2, 3, 7} <= set(key_counts.values())


def test_init_demo_loads_the_demo_villages_once(ok, as_json):
    ok("init", "--demo")
    ok("init", "--demo")
    rows = [
        line for line in DEMO.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")
    ]
    assert len(as_json("--demo", "check", "villages", "list")) == len(rows) - 1  # less the header row
    ok("init")
    assert as_json("check", "villages", "list") == []  # the office's database holds none


def test_a_reimport_updates_rather_than_duplicates(ok, as_json, tmp_path):
    path = _write(tmp_path, HEADER + "唐县,甲村,是,2026,否\n")
    assert "新增 1" in ok("check", "villages", "import", path).stdout
    path = _write(
        tmp_path, "county,village,key_village,project_year,mutual_aid_pilot\n唐县,甲村,1,2026,true\n"
    )
    assert "更新 1" in ok("check", "villages", "import", path).stdout
    [village] = as_json("check", "villages", "list", "--county", "唐县")
    assert village["mutual_aid_pilot"] is True


def test_a_gbk_file_from_excel_is_read(ok, as_json, tmp_path):
    ok("check", "villages", "import", _write(tmp_path, HEADER + "阜平县,甲村,是,,否\n", encoding="gbk"))
    assert as_json("check", "villages", "list")[0]["village"] == "甲村"


@pytest.mark.parametrize(
    "rows,message",
    [
        ("唐县,甲村,是,2026,否\n北京市,乙村,是,,否\n", "第 3 行「县」列：「北京市」不是已知的县"),
        ("唐县,甲村,是,2026,否\n唐县,乙村,有,,否\n", "第 3 行「重点村」列"),
        ("唐县,甲村,是,2026,否\n唐县,乙村,是,二〇二六,否\n", "第 3 行「项目实施村年度」列"),
        ("唐县,甲村,是,2026,否\n唐县,,是,,否\n", "第 3 行「村」列：不能为空"),
        ("唐县,甲村,是,2026,否\n唐县,甲村,否,,否\n", "第 3 行：唐县甲村 与第 2 行重复"),
    ],
)
def test_a_bad_village_file_is_refused_whole(ok, refused, tmp_path, rows, message):
    ok("check", "villages", "import", _write(tmp_path, HEADER + "唐县,旧村,是,,否\n", name="old.csv"))
    refused("check", "villages", "import", _write(tmp_path, HEADER + rows), match=message)


def test_a_missing_or_unreadable_file_is_refused(refused, tmp_path):
    refused("check", "villages", "import", str(tmp_path / "none.csv"), match="找不到CSV 文件")
    refused("check", "villages", "import", str(tmp_path), match="是文件夹")
    (tmp_path / "bin.csv").write_bytes(b"\xff\xfe\x00\x00\x81")
    refused("check", "villages", "import", str(tmp_path / "bin.csv"), match="编码无法识别")


# --- the plan ------------------------------------------------------------------------------------


def _plan_meets_every_quota(plan: dict, villages: list[dict]) -> None:
    for county in plan["counties"]:
        mine = [v for v in villages if v["county"] == county["county"]]
        projects = {v["village"] for v in mine if plan["period_year"] in v["project_years"]}
        keys = {v["village"] for v in mine if v["key_village"]}
        quotas = {q["kind"]: q for q in county["quotas"]}
        city = quotas["city_full"] if county["focus"] else quotas["city_sample"]
        visited = set(county["city_villages"])
        assert visited <= projects
        assert len(visited) == len(county["city_villages"]) >= city["required"]
        if county["focus"]:
            assert visited == projects and city["required"] == len(projects)
        assert quotas["county_focus"]["base"] == quotas["county_self"]["base"] == len(keys)
    assert len(plan["focus_counties"]) in (2, 3)
    assert sorted(plan["focus_counties"]) == sorted(c["county"] for c in plan["counties"] if c["focus"])


def test_the_same_seed_gives_the_same_plan_and_it_meets_every_quota(ok, as_json, demo):
    first = as_json("check", "plan", "--year", "2026", "--seed", "7")
    again = as_json("check", "plan", "--year", "2026", "--seed", "7")
    assert first["drawn_now"] and not again["drawn_now"]
    assert (first["seed"], first["focus_counties"], first["counties"]) == (
        again["seed"],
        again["focus_counties"],
        again["counties"],
    )
    redrawn = as_json("check", "plan", "--year", "2026", "--seed", "7", "--redraw")
    assert (redrawn["focus_counties"], redrawn["counties"]) == (first["focus_counties"], first["counties"])
    assert len(first["counties"]) == 9
    _plan_meets_every_quota(first, as_json("check", "villages", "list"))
    tang = next(c for c in first["counties"] if c["county"] == "唐县")
    assert {q["kind"]: q["required"] for q in tang["quotas"]}.items() >= {
        "county_focus": 3,
        "county_self": 4,
    }.items()


def test_a_plan_without_a_seed_makes_one_up_shows_it_and_keeps_it(ok, as_json, demo):
    shown = ok("check", "plan", "--year", "2026").stdout
    plan = as_json("check", "plan", "--year", "2026")
    assert f"--seed {plan['seed']}" in shown.replace("\n", "")
    note = ok("check", "plan", "--year", "2026", "--seed", "1").stdout
    assert "未重抽" in note and "--redraw" in note


def test_the_plan_table_and_csv(ok, demo):
    table = ok("check", "plan", "--year", "2026", "--seed", "7", "--counties", "3").stdout
    assert "种子 7" in table and "唐县" in table
    rows = list(csv.DictReader(io.StringIO(ok("check", "plan", "--year", "2026", "--format", "csv").stdout)))
    assert len(rows) == 9 and sum(row["focus"] == "true" for row in rows) == 3


def test_plans_refused(refused, demo):
    refused("check", "plan", "--year", "2026", "--counties", "4", match="2 或 3")
    refused("check", "plan", "--year", "2026", "--seed", "-3", match="种子")
    refused("check", "plan", "--year", "2026", "--period", "2027", match="晚于计划年度")


def test_a_plan_needs_villages(refused):
    refused("check", "plan", "--year", "2026", "--seed", "7", match="fupin check villages import")


# --- inspections, visits, findings ---------------------------------------------------------------


def _new(ok, *args: str) -> int:
    line = ok("check", "new", *args).stdout
    return int(line.split(" ", 2)[1])


def test_an_inspection_through_its_phases(ok, as_json, refused, demo):
    number = _new(
        ok, "资金项目", "--title", "重点督查", "--method", "重点督查", "--unit", "易县", "--on", "2026-03-02"
    )
    ok("check", "phase", str(number), "实施检查", "--on", "2026-03-10")
    refused("check", "phase", str(number), "前期准备", match="只能进入 检查总结")
    refused("check", "phase", str(number), "检查总结", "--on", "2026-03-09", match="早于")
    ok("check", "visit", str(number), "--village", "演示易三村", "--by", "市", "--on", "2026-03-11")
    ok("check", "visit", str(number), "--unit", "易县", "--by", "county", "--on", "2026-03-11")
    refused("check", "visit", str(number), "--village", "演示易三村", "--by", "city", match="已登记")
    refused("check", "visit", str(number), "--village", "不存在村", "--by", "city", match="没有名为")
    refused("check", "visit", str(number), "--village", "演示易三村", "--by", "县长", match="未知的检查方")
    refused("check", "visit", "99", "--village", "演示易三村", "--by", "city", match="没有编号为 99 的检查")
    shown = as_json("check", "show", str(number))
    assert (shown["kind"], shown["method"], shown["phase_label"]) == (2, "重点督查", "实施检查")
    assert shown["phases"] == {"preparation": "2026-03-02", "inspection": "2026-03-10"}
    assert [(v["village"], v["unit"], v["by"]) for v in shown["visits"]] == [
        ("演示易三村", None, "city"),
        (None, "易县扶贫开发办公室", "county"),
    ]
    [listed] = as_json("check", "list", "--year", "2026", "--kind", "资金项目")
    assert (listed["id"], listed["visits"], listed["findings"]) == (number, 2, 0)
    assert as_json("check", "list", "--kind", "雨露计划") == []


def test_inspections_refused(refused):
    refused("check", "new", "扶贫", "--title", "x", match="未知的检查类别")
    refused("check", "new", "资金项目", "--title", "x", "--method", "互查", match="重点督查、全面督查")
    refused("check", "new", "资金项目", "--title", "x", "--unit", "北京", match="未知单位")
    refused("check", "new", "资金项目", "--title", "x", "--on", "2026-10-20", match="晚于今天")
    refused("check", "new", "资金项目", "--title", "x", "--year", "1999", match="年度 1999")


def test_mutual_aid_inspections_visit_pilot_villages_only(ok, refused, demo):
    number = _new(ok, "互助资金", "--title", "试点村抽查")
    ok("check", "visit", str(number), "--village", "演示唐一村", "--by", "互查")
    refused(
        "check", "visit", str(number), "--village", "演示唐三村", "--by", "city", match="不是互助资金试点村"
    )


def test_a_finding_runs_ten_working_days_through_the_calendar(ok, as_json, refused):
    number = _new(ok, "雨露计划", "--title", "雨露计划抽查", "--unit", "唐县", "--on", "2026-02-10")
    line = ok(
        "check", "finding", str(number), "--text", "未进行社会公示", "--unit", "唐县", "--code", "Y2",
        "--amount", "1,200.50元", "--on", "2026-02-10",
    ).stdout  # fmt: skip
    assert "期限 2026-03-02" in line  # over the Spring Festival: see domain.md
    line = ok("check", "finding", str(number), "--text", "现金发放", "--unit", "唐县", "--code", "Y4", "--days", "3",
              "--on", "2026-10-15").stdout  # fmt: skip
    assert "期限 2026-10-20" in line and "还剩 1 个工作日" in line
    [first, second] = as_json("check", "show", str(number))["findings"]
    assert (first["due"], first["workdays"], first["amount"], first["code"]) == (
        "2026-03-02",
        10,
        "1200.50",
        "Y2",
    )
    assert first["state"] == "open" and first["overdue_workdays"] > 0
    assert (second["due"], second["days_left"]) == ("2026-10-20", 1)
    refused("check", "finding", str(number), "--text", "x", "--unit", "唐县", "--code", "Y7", match="Y1、Y2")
    refused("check", "finding", str(number), "--text", "x", "--unit", "唐县", "--days", "0", match="1 至 250")
    refused(
        "check", "finding", str(number), "--text", "x", "--unit", "唐县", "--on", "2026-02-09", match="早于"
    )
    refused("check", "finding", str(number), "--text", " ", "--unit", "唐县", match="问题描述不能为空")


def test_a_finding_is_overdue_the_day_after_its_deadline_in_report_overdue(ok):
    number = _new(ok, "雨露计划", "--title", "雨露计划抽查", "--on", "2026-02-10")
    ok("check", "finding", str(number), "--text", "未进行社会公示", "--unit", "阜平县", "--on", "2026-02-10")

    def overdue(as_of: str) -> list[dict]:
        shown = ok("report", "overdue", "--as-of", as_of, "--format", "json").stdout
        return [item for item in json.loads(shown or "[]") if item.get("kind") == "finding"]

    assert overdue("2026-03-02") == []
    [item] = overdue("2026-03-03")
    assert item["due"] == "2026-03-02" and "社会公示" in item["title"]


def test_rectify_verify_and_refusals(ok, as_json, refused):
    number = _new(ok, "政策", "--title", "政策落实检查", "--on", "2026-09-01")
    ok("check", "finding", str(number), "--text", "整改意见未落实", "--unit", "定兴县", "--on", "2026-09-02")
    refused("check", "verify", "1", match="当前为「待整改」，不能核实；可做：整改、移交")
    refused("check", "rectify", "1", "--on", "2026-09-01", match="早于")
    assert "已整改" in ok("check", "rectify", "1", "--on", "2026-09-10").stdout
    refused("check", "rectify", "1", match="不能整改")
    assert "已核实" in ok("check", "verify", "1").stdout
    refused("check", "handover", "1", match="已核实")
    refused("check", "rectify", "42", match="没有编号为 42 的问题")
    assert as_json("check", "show", str(number))["findings"][0]["verified_on"] == TODAY


def test_a_handover_opens_a_linked_case(ok, as_json):
    number = _new(ok, "资金项目", "--title", "资金项目检查", "--on", "2026-09-01")
    ok(
        "check",
        "finding",
        str(number),
        "--text",
        "项目资金滞留",
        "--unit",
        "唐县",
        "--amount",
        "3.5万元",
        "--on",
        "2026-09-02",
    )
    line = ok("check", "handover", "1").stdout
    assert "督查〔2026〕1号" in line
    case = as_json("case", "show", "1")
    assert (case["category"], case["state"]) == ("扶贫资金项目监督检查", "proposed")
    assert "项目资金滞留" in case["title"]
    [finding] = as_json("check", "show", str(number))["findings"]
    assert (finding["state"], finding["case_no"]) == ("handed_over", "督查〔2026〕1号")


# --- indicators ----------------------------------------------------------------------------------


def test_indicators_below_the_threshold(ok, as_json, refused):
    ok(
        "check",
        "indicator",
        "--county",
        "易县",
        "--year",
        "2026",
        "--kind",
        "识别精准率",
        "--numerator",
        "93",
        "--denominator",
        "100",
    )
    ok(
        "check",
        "indicator",
        "--county",
        "唐县",
        "--year",
        "2026",
        "--kind",
        "识别精准率",
        "--numerator",
        "96",
        "--denominator",
        "100",
    )
    line = ok("check", "indicator", "--county", "唐县", "--year", "2026", "--kind", "识别精准率", "--numerator", "94",
              "--denominator", "100").stdout  # fmt: skip
    assert "原为 96/100" in line
    below = as_json("check", "indicators", "--year", "2026")
    assert [(r["county"], r["rate_text"]) for r in below] == [("易县", "93.00%"), ("唐县", "94.00%")]
    assert [
        r["county"] for r in as_json("check", "indicators", "--year", "2026", "--threshold", "0.935")
    ] == ["易县"]
    assert len(as_json("check", "indicators", "--year", "2026", "--threshold", "90%", "--all")) == 2
    refused("check", "indicator", "--county", "易县", "--year", "2026", "--kind", "脱贫率", "--numerator", "5",
            "--denominator", "4", match="分子 5 大于分母 4")  # fmt: skip
    refused("check", "indicator", "--county", "易县", "--year", "2026", "--kind", "脱贫率", "--numerator", "0",
            "--denominator", "0", match="分母应大于 0")  # fmt: skip
    refused("check", "indicator", "--county", "定兴县", "--year", "2026", "--kind", "脱贫率", "--numerator", "1",
            "--denominator", "2", match="不是重点县")  # fmt: skip
    refused("check", "indicators", "--year", "2026", "--threshold", "2", match="阈值")


# --- coverage ------------------------------------------------------------------------------------

HAND_BUILT = HEADER + "".join(
    [
        f"唐县,唐{i}村,是,{'2026' if i <= 3 else ''},否\n" for i in range(1, 8)
    ]  # 7 key villages, 3 of them project
    + [f"唐县,唐项目{i}村,否,2026,否\n" for i in range(1, 3)]  # 5 project villages in all
    + ["阜平县,阜一村,是,2026,否\n"]  # 1 key village, also the only project village
)


def _coverage(as_json) -> dict[tuple[str, str], tuple[int, int, int, str]]:
    rows = as_json("check", "coverage", "--year", "2026")
    return {(r["county"], r["quota"]): (r["required"], r["done"], r["missing"], r["status"]) for r in rows}


def test_coverage_against_a_hand_built_year(ok, as_json, tmp_path, monkeypatch):
    ok("check", "villages", "import", _write(tmp_path, HAND_BUILT))
    monkeypatch.setenv("FUPIN_TODAY", "2026-06-01")
    inspection = _new(ok, "资金项目", "--title", "全面督查", "--method", "全面督查", "--on", "2026-05-01")
    focus = _new(ok, "资金项目", "--title", "县重点检查", "--method", "重点督查", "--on", "2026-05-01")
    for village in ("唐1村", "唐项目1村"):
        ok("check", "visit", str(inspection), "--village", village, "--by", "city", "--on", "2026-05-10")
    for village in ("唐1村", "唐2村", "唐项目2村"):  # 唐项目2村 is not a key village: it does not count
        ok("check", "visit", str(inspection), "--village", village, "--by", "county", "--on", "2026-05-11")
    for village in ("唐3村", "唐4村", "唐5村"):
        ok("check", "visit", str(focus), "--village", village, "--by", "县自查", "--on", "2026-05-12")
    ok(
        "check", "visit", str(focus), "--village", "阜一村", "--by", "mutual", "--on", "2026-05-12"
    )  # counts nowhere

    june = _coverage(as_json)
    assert june[("唐县", "city_sample")] == (2, 2, 0, "已完成")  # no plan yet: a third of 5, rounded up
    assert june[("唐县", "county_focus")] == (3, 3, 0, "已完成")  # 30% of 7 = 2.1 → 3
    assert june[("唐县", "county_self")] == (4, 2, 2, "未完成")  # 1/2 of 7 = 3.5 → 4
    assert june[("阜平县", "city_sample")] == (1, 0, 1, "未完成")
    assert june[("阜平县", "county_focus")] == (1, 0, 1, "未完成")
    assert june[("顺平县", "county_self")] == (0, 0, 0, "已完成")

    monkeypatch.setenv("FUPIN_TODAY", "2026-10-01")
    october = _coverage(as_json)
    assert october[("唐县", "county_self")] == (4, 2, 2, "红")
    assert october[("唐县", "county_focus")][3] == "已完成"
    table = ok("check", "coverage", "--year", "2026").stdout
    assert "红" in table and "尚缺合计" in table and "尚未抽取计划" in table


def test_coverage_follows_the_plan_and_writes_every_format(ok, as_json, tmp_path, demo):
    plan = as_json("check", "plan", "--year", "2026", "--seed", "7")
    picked = plan["focus_counties"][0]
    city = _coverage(as_json)[(picked, "city_full")]
    villages = next(c for c in plan["counties"] if c["county"] == picked)["city_villages"]
    assert city == (len(villages), 0, len(villages), "红")
    rows = as_json("check", "coverage", "--year", "2026")
    assert (
        next(r for r in rows if (r["county"], r["quota"]) == (picked, "city_full"))["pending_villages"]
        == villages
    )

    target = tmp_path / "coverage.xlsx"
    assert (
        "已写入"
        in ok("check", "coverage", "--year", "2026", "--format", "xlsx", "--output", str(target)).stderr
    )
    sheet = load_workbook(target).active
    assert sheet.cell(row=3, column=2).value == "县" and sheet.max_row == 3 + 9 * 3
    text = ok("check", "coverage", "--year", "2026", "--format", "csv").stdout
    assert len(list(csv.DictReader(io.StringIO(text)))) == 27
    assert ok("check", "coverage", "--year", "2026", "--format", "md").stdout.count("\n| 2026 |") == 27
    ok("check", "coverage", "--year", "2026", "--format", "tsv", "--output", str(tmp_path / "c.tsv"))
    assert (tmp_path / "c.tsv").read_text(encoding="utf-8").startswith("year\tcounty")


def test_coverage_usage_errors(cli, db_dump):
    dump = db_dump()
    refused = cli("check", "coverage", "--year", "2026", "--format", "xlsx")
    assert refused.exit_code == 2 and "标准输出" in refused.stderr
    assert db_dump() == dump


def test_every_change_is_in_the_audit_chain(ok, demo):
    import os

    from fupin_cli.storage.db import open_database
    from fupin_cli.storage.events import iter_events, verify_chain

    ok("check", "plan", "--year", "2026", "--seed", "7")
    number = _new(ok, "资金项目", "--title", "检查", "--on", "2026-09-01")
    ok("check", "visit", str(number), "--village", "演示唐一村", "--by", "city")
    ok("check", "finding", str(number), "--text", "问题", "--unit", "唐县")
    ok(
        "check",
        "indicator",
        "--county",
        "易县",
        "--year",
        "2026",
        "--kind",
        "脱贫率",
        "--numerator",
        "9",
        "--denominator",
        "10",
    )
    database = open_database(os.environ["FUPIN_DB"])
    try:
        with database.read() as conn:
            actions = [event["action"] for event in iter_events(conn)]
            assert verify_chain(conn)[1] is None
    finally:
        database.dispose()
    assert actions == ["village_import", "plan_draw", "inspection_open", "visit", "finding", "indicator"]
