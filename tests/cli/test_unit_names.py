"""--unit takes the names people write, in every command and report filter; an unknown name is
refused with the nearest units, and the refusal leaves the database as it was."""

import shutil

import pytest

from fupin_cli.domain.errors import BadFileError
from fupin_cli.services import duties
from fupin_cli.settings import data_dir

TODAY = "2026-12-01"


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FUPIN_TODAY", TODAY)


def assigned(ok, unit: str) -> str:
    number = ok("case", "open", "核查雨露计划补助发放", "-c", "雨露计划", "--on", "2026-11-02").stdout.split(" ")[0]
    ok("case", "approve", number, "--by", "王主任", "--on", "2026-11-02")
    ok("case", "assign", number, "--unit", unit, "--on", "2026-11-03")
    return number


@pytest.mark.parametrize(
    "typed, short",
    [
        ("阜平县扶贫开发办公室", "阜平县"),
        ("阜平县", "阜平县"),
        ("阜平", "阜平县"),
        ("阜平县扶贫办", "阜平县"),
        ("唐县扶贫办", "唐县"),
        ("定兴县民政局", "定兴县"),
        ("定兴民政局", "定兴县"),
        ("开发指导处", "开发指导处"),
    ],
)
def test_assign_list_and_overdue_take_every_form(ok, typed, short) -> None:
    assigned(ok, typed)
    assigned(ok, "易县")  # another unit, so that the filters are seen to filter
    listed = ok("case", "list", "--unit", typed, "--format", "csv").stdout
    assert listed.count("\n") == 2 and short in listed and "易县" not in listed
    overdue = ok("report", "overdue", "--unit", typed, "--format", "csv").stdout
    assert short in overdue and "易县" not in overdue
    assert "易县" in ok("report", "overdue", "--format", "csv").stdout


@pytest.mark.parametrize(
    "typed, hint",
    [
        ("涞水县民政局", "涞水县的承办单位是涞水县扶贫开发办公室（涞水县）"),
        ("唐县民政局", "唐县的承办单位是唐县扶贫开发办公室（唐县）"),
        ("综和处", "您是不是要：综合处"),
    ],
)
def test_an_unknown_unit_is_refused_with_the_nearest_and_nothing_changes(ok, cli, db_dump, typed, hint) -> None:
    number = ok("case", "open", "核查雨露计划补助发放", "-c", "雨露计划", "--on", "2026-11-02").stdout.split(" ")[0]
    ok("case", "approve", number, "--by", "王主任", "--on", "2026-11-02")
    before = db_dump()
    for args in (
        ["case", "assign", number, "--unit", typed, "--on", "2026-11-03"],
        ["case", "list", "--unit", typed],
        ["report", "overdue", "--unit", typed],
    ):
        result = cli(*args)
        assert result.exit_code == 1, result.output
        assert f"错误：未知单位「{typed}」：" in result.stderr and hint in result.stderr
        assert result.stderr.count("\n") == 1
        assert db_dump() == before


@pytest.fixture
def fresh_units():
    duties.load_units.cache_clear()
    yield
    duties.load_units.cache_clear()


def test_aliases_in_the_units_file_work_and_a_clash_is_refused_on_load(ok, tmp_path, monkeypatch, fresh_units) -> None:
    folder = tmp_path / "data"
    shutil.copytree(data_dir(), folder)
    units = folder / "units.toml"
    text = units.read_text(encoding="utf-8")
    marker = 'short_name = "阜平县"\n'
    units.write_text(text.replace(marker, marker + 'aliases = ["老区扶贫办"]\n'), encoding="utf-8")
    monkeypatch.setattr(duties, "data_dir", lambda: folder)
    duties.load_units.cache_clear()
    assert duties.unit_aliases() == {"老区扶贫办": "阜平县扶贫开发办公室"}
    assigned(ok, "老区扶贫办")
    assert "阜平县" in ok("case", "list", "--unit", "老区扶贫办", "--format", "csv").stdout

    clash = text.replace(marker, marker + 'aliases = ["唐县"]\n')
    units.write_text(clash, encoding="utf-8")
    duties.load_units.cache_clear()
    with pytest.raises(BadFileError, match="「唐县」：唐县扶贫开发办公室、阜平县扶贫开发办公室"):
        duties.load_units()
