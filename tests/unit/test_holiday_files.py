"""Override year files: what is accepted, what is refused (with the line at fault), how they layer."""

import os
import stat
from datetime import date, timedelta
from pathlib import Path

import pytest
from chinese_calendar import constants

from fupin_cli.domain.errors import BadFileError
from fupin_cli.services import calendar as service
from fupin_cli.services import holiday_files, holiday_sources
from fupin_cli.settings import Settings, data_dir

PACKAGE_YEARS = range(min(constants.holidays).year, max(constants.holidays).year + 1)
FAR = PACKAGE_YEARS.stop + 12
"""A year no chinese-calendar release will cover for a long while."""
D = date.fromisoformat


def far_year_file(year: int = FAR, *, source: str = "测试数据：按法定节假日编写，并非国务院通知") -> str:
    """A plausible full-year file (test data): the statutory holidays, the 补假 days, one make-up Saturday."""
    holidays = sorted(holiday_sources.provisional_holidays(year))
    eve = holiday_sources.lunar_festivals(year).new_years_eve
    saturday = eve + timedelta(days=(5 - eve.weekday()) % 7 + 7)
    listed = ", ".join(f'"{day.isoformat()}"' for day in holidays)
    return (
        f'year = {year}\nsource = "{source}"\nholidays = [{listed}]\nworkdays = ["{saturday.isoformat()}"]\n'
    )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(db=str(tmp_path / "fupin.db"), user="测试", today=D("2026-11-27"), home=tmp_path / "home")


def write(tmp_path: Path, text: str, name: str = "upload.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    return {path.name: path.read_bytes() for path in folder.iterdir()}


# -- the shipped file ----------------------------------------------------------------------------


def test_the_shipped_2005_patch_is_valid() -> None:
    parsed = holiday_files.validate_override(data_dir() / "holidays" / "2005.toml")
    assert parsed.year == 2005 and parsed.patch
    assert parsed.workdays == (D("2005-12-31"),) and parsed.holidays == ()
    assert "国办发明电〔2005〕35号" in parsed.source


# -- import ----------------------------------------------------------------------------------------


def test_import_a_full_year_makes_it_no_longer_provisional(tmp_path: Path, settings: Settings) -> None:
    assert service.load_calendar(settings).is_provisional(FAR)
    text = far_year_file()
    result = service.import_override(settings, write(tmp_path, text))
    assert result.year == FAR and not result.patch and not result.replaced and result.was_provisional
    assert result.path == settings.holiday_dir / f"{FAR}.toml"
    assert result.path.read_text(encoding="utf-8") == text
    assert stat.S_IMODE(settings.holiday_dir.stat().st_mode) == 0o700
    assert [path.name for path in settings.holiday_dir.iterdir()] == [f"{FAR}.toml"]

    calendar = service.load_calendar(settings)
    assert not calendar.is_provisional(FAR)
    assert calendar.source_of(FAR) == f"覆盖文件 {FAR}.toml（测试数据：按法定节假日编写，并非国务院通知）"
    assert calendar.year_info(FAR).workdays == result.workdays
    assert calendar.last_day == date(FAR + 10, 12, 31)
    assert all(calendar.is_provisional(year) for year in range(PACKAGE_YEARS.stop, FAR))
    eve = holiday_sources.lunar_festivals(FAR).new_years_eve
    assert calendar.holiday_name(eve) == "春节"
    saturday = eve + timedelta(days=(5 - eve.weekday()) % 7 + 7)
    assert calendar.makeup_reason(saturday) == "春节调休"
    assert not calendar.deadline(date(FAR, 9, 28), 5).provisional


def test_import_again_replaces_the_earlier_file(tmp_path: Path, settings: Settings) -> None:
    service.import_override(settings, write(tmp_path, far_year_file()))
    again = service.import_override(settings, write(tmp_path, far_year_file(source="第二版"), "second.toml"))
    assert again.replaced and not again.was_provisional
    assert service.load_calendar(settings).source_of(FAR) == f"覆盖文件 {FAR}.toml（第二版）"
    assert sorted(path.name for path in settings.holiday_dir.iterdir()) == [f"{FAR}.toml"]


def test_a_patch_for_a_package_year_changes_only_its_days(tmp_path: Path, settings: Settings) -> None:
    before = service.load_calendar(settings)
    assert before.deadline(D("2026-03-05"), 1).due == D("2026-03-06")
    text = 'year = 2026\nsource = "测试补丁"\npatch = true\nholidays = ["2026-03-06"]\n'
    result = service.import_override(settings, write(tmp_path, text))
    assert result.patch and result.workdays == before.year_info(2026).workdays - 1
    after = service.load_calendar(settings)
    assert after.deadline(D("2026-03-05"), 1).due == D("2026-03-09")
    assert after.source_of(2026).endswith("+ 补丁 2026.toml（测试补丁）")
    assert after.deadline(D("2026-02-10"), 10).due == D("2026-03-02")
    assert after.is_workday(D("2005-12-31")), "the shipped 2005 patch still applies"


def test_patches_layer_over_the_shipped_patch(tmp_path: Path, settings: Settings) -> None:
    text = 'year = 2005\nsource = "测试补丁"\npatch = true\nholidays = ["2005-12-30"]\n'
    service.import_override(settings, write(tmp_path, text))
    calendar = service.load_calendar(settings)
    assert calendar.is_workday(D("2005-12-31")) and not calendar.is_workday(D("2005-12-30"))
    assert "2005.toml（国办发明电〔2005〕35号）" in calendar.source_of(2005)
    assert calendar.source_of(2005).endswith("补丁 2005.toml（测试补丁）")


def test_a_full_file_placed_by_hand_replaces_a_package_year(settings: Settings) -> None:
    """Only import refuses it (use patch = true); once in place, the office's file wins."""
    settings.holiday_dir.mkdir(parents=True)
    (settings.holiday_dir / "2026.toml").write_text(far_year_file(2026, source="手工放入"), encoding="utf-8")
    calendar = service.load_calendar(settings)
    assert calendar.source_of(2026) == "覆盖文件 2026.toml（手工放入）"
    assert not calendar.is_provisional(2026)
    assert calendar.is_workday(D("2026-02-23"))
    assert not holiday_files.build_calendar().is_workday(D("2026-02-23"))


def test_load_is_cached_until_a_file_changes(tmp_path: Path, settings: Settings) -> None:
    first = service.load_calendar(settings)
    assert service.load_calendar(settings) is first
    service.import_override(settings, write(tmp_path, far_year_file()))
    second = service.load_calendar(settings)
    assert second is not first and not second.is_provisional(FAR)
    assert service.load_calendar(settings) is second


def test_a_misnamed_file_in_the_folder_is_reported(settings: Settings) -> None:
    settings.holiday_dir.mkdir(parents=True)
    (settings.holiday_dir / "2031.toml").write_text(far_year_file(), encoding="utf-8")
    with pytest.raises(BadFileError, match=f"文件名应为 {FAR}.toml"):
        service.load_calendar(settings)


def test_a_broken_file_in_the_folder_is_reported_with_its_path_and_line(settings: Settings) -> None:
    settings.holiday_dir.mkdir(parents=True)
    broken = settings.holiday_dir / f"{FAR}.toml"
    broken.write_text(far_year_file() + f'workdays = ["{FAR}-10-05"]\n', encoding="utf-8")
    with pytest.raises(BadFileError, match=f"假日文件 {broken} 第 5 行：TOML 格式错误"):
        service.load_calendar(settings)


def test_other_files_in_the_folder_are_ignored(settings: Settings) -> None:
    settings.holiday_dir.mkdir(parents=True)
    (settings.holiday_dir / "notes.txt").write_text("备忘", encoding="utf-8")
    (settings.holiday_dir / f".{FAR}.toml.x.tmp").write_text("broken = ", encoding="utf-8")
    assert service.load_calendar(settings).is_provisional(FAR)
    assert service.calendar_status(settings).files == (data_dir() / "holidays" / "2005.toml",)


def test_status_lists_years_sources_and_files(tmp_path: Path, settings: Settings) -> None:
    service.import_override(settings, write(tmp_path, far_year_file()))
    status = service.calendar_status(settings)
    assert status.first_day == date(2004, 1, 1)
    assert status.package.startswith("chinese-calendar ")
    assert status.package_years == PACKAGE_YEARS
    assert FAR not in status.provisional_years
    assert PACKAGE_YEARS.stop in status.provisional_years
    assert status.files == (data_dir() / "holidays" / "2005.toml", settings.holiday_dir / f"{FAR}.toml")
    assert [info.year for info in status.years] == list(range(2004, FAR + 11))


# -- refusals ----------------------------------------------------------------------------------------

GOOD_2027_LIKE = """\
year = {year}
source = "测试数据"
holidays = [
  "{year}-01-01",
  "{year}-10-01..{year}-10-07",
]
workdays = ["{saturday}"]
"""


def _a_saturday(year: int) -> date:
    day = date(year, 9, 20)
    return day + timedelta(days=(5 - day.weekday()) % 7)


def _a_tuesday(year: int) -> date:
    day = date(year, 9, 20)
    return day + timedelta(days=(1 - day.weekday()) % 7)


REFUSED = [
    (
        "make-up day on a Tuesday",
        lambda y: (
            f'year = {y}\nsource = "s"\n\nholidays = ["{y}-10-01..{y}-10-07"]\nworkdays = [\n  "{_a_tuesday(y)}",\n]\n'
        ),
        "第 6 行：补班日 .* 是星期二",
    ),
    (
        "a date outside the year",
        lambda y: f'year = {y}\nsource = "s"\nholidays = ["{y}-10-01",\n  "{y + 1}-01-01"]\n',
        f"第 4 行：holidays 中的 {FAR + 1}-01-01 不在文件的年份 {FAR} 年内",
    ),
    ("missing source", lambda y: f'year = {y}\nholidays = ["{y}-10-01"]\n', "缺少 source"),
    ("empty source", lambda y: f'year = {y}\nsource = "  "\n', "第 2 行：source 不能为空"),
    ("missing year", lambda y: 'source = "s"\n', "缺少 year"),
    ("year not a number", lambda y: 'year = "2040"\nsource = "s"\n', "第 1 行：year 应为"),
    (
        "TOML syntax error",
        lambda y: f'year = {y}\nsource = "s"\nholidays = ["{y}-10-01" "x"]\n',
        "第 3 行：TOML 格式错误",
    ),
    (
        "a date both off and worked",
        lambda y: (
            f'year = {y}\nsource = "s"\nholidays = ["{y}-09-01..{y}-10-07"]\n\nworkdays = ["{_a_saturday(y)}"]\n'
        ),
        "第 5 行：.* 既列在 holidays 又列在 workdays",
    ),
    (
        "too many working days",
        lambda y: f'year = {y}\nsource = "s"\nholidays = ["{y}-10-01"]\n',
        "第 3 行：.* 个工作日，不在合理范围 240–255 内",
    ),
    (
        "too few working days",
        lambda y: f'year = {y}\nsource = "s"\nholidays = ["{y}-03-01..{y}-04-30"]\n',
        "第 3 行：.* 个工作日，不在合理范围",
    ),
    (
        "a range backwards",
        lambda y: f'year = {y}\nsource = "s"\nholidays = ["{y}-10-07..{y}-10-01"]\n',
        "第 3 行：holidays 中的范围.*起日晚于止日",
    ),
    ("not a date", lambda y: f'year = {y}\nsource = "s"\nholidays = ["{y}-02-30"]\n', "第 3 行：.*不是日期"),
    (
        "holidays not a list",
        lambda y: f'year = {y}\nsource = "s"\nholidays = "{y}-10-01"\n',
        "第 3 行：holidays 应为日期列表",
    ),
    (
        "an unknown key",
        lambda y: f'year = {y}\nsource = "s"\nworkday = ["{y}-10-01"]\n',
        "第 3 行：未知的项「workday」",
    ),
    (
        "patch for a year the package lacks",
        lambda y: f'year = {y}\nsource = "s"\npatch = true\n',
        "第 3 行：.*未收录",
    ),
    (
        "full file for a year the package covers",
        lambda y: 'year = 2005\nsource = "s"\nholidays = ["2005-10-01..2005-10-07"]\n',
        "第 1 行：.*已收录 2005 年；只改个别日期时请写 patch = true",
    ),
]


@pytest.mark.parametrize("text,message", [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED])
def test_bad_files_are_refused_with_the_line_and_nothing_changes(
    tmp_path: Path, settings: Settings, text, message: str
) -> None:
    service.import_override(settings, write(tmp_path, far_year_file(), "earlier.toml"))
    before = snapshot(settings.holiday_dir)
    with pytest.raises(BadFileError, match=message) as refusal:
        service.import_override(settings, write(tmp_path, text(FAR)))
    assert "\n" not in refusal.value.message
    assert refusal.value.message.startswith("假日文件 upload.toml")
    assert snapshot(settings.holiday_dir) == before


def test_a_refused_first_import_creates_no_folder(tmp_path: Path, settings: Settings) -> None:
    with pytest.raises(BadFileError):
        service.import_override(settings, write(tmp_path, 'year = 2040\nsource = ""\n'))
    assert not settings.holiday_dir.exists()


def test_unreadable_files_are_refused(tmp_path: Path, settings: Settings) -> None:
    with pytest.raises(BadFileError, match="找不到假日文件"):
        service.import_override(settings, tmp_path / "missing.toml")
    with pytest.raises(BadFileError, match="是目录"):
        service.import_override(settings, tmp_path)
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b'year = 2040\nsource = "\xe9"\n')
    with pytest.raises(BadFileError, match="第 2 行：不是 UTF-8"):
        service.import_override(settings, latin)
    assert not settings.holiday_dir.exists()


def test_toml_dates_and_comments_are_accepted(tmp_path: Path) -> None:
    text = far_year_file().replace("holidays = [", "# 国务院办公厅通知\nholidays = [") + "patch = false\n"
    eve = holiday_sources.lunar_festivals(FAR).new_years_eve
    text = text.replace(f'"{eve.isoformat()}"', eve.isoformat())
    parsed = holiday_files.validate_override(write(tmp_path, text))
    assert eve in parsed.holidays and not parsed.patch


def test_the_copy_is_atomic_and_leaves_no_temporary_file(tmp_path: Path, settings: Settings) -> None:
    service.import_override(settings, write(tmp_path, far_year_file()))
    names = os.listdir(settings.holiday_dir)
    assert names == [f"{FAR}.toml"]
    assert stat.S_IMODE((settings.holiday_dir / names[0]).stat().st_mode) == 0o600
