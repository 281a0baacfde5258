"""The units and duty registry are copied into the database once, and again only when a file changes."""

import shutil
from datetime import date

import pytest
from sqlalchemy import text

from fupin_cli import settings as settings_module
from fupin_cli.services import database as database_service
from fupin_cli.services import duties


def _counts(db):
    with db.read() as conn:
        return (
            conn.execute(text("SELECT count(*) FROM unit")).scalar(),
            conn.execute(text("SELECT count(*) FROM duty_item")).scalar(),
            conn.execute(text("SELECT count(DISTINCT division) FROM duty_item")).scalar(),
        )


def _settings(tmp_path):
    return settings_module.Settings(db=str(tmp_path / "f.db"), user="测试员", today=date(2026, 10, 1), home=tmp_path)


def test_first_use_loads_units_and_duties(tmp_path):
    db = database_service.connect(_settings(tmp_path))
    assert _counts(db) == (25 + 7, len(duties.load_registry().items), 7)


def test_reopening_never_duplicates_rows(tmp_path):
    first = _counts(database_service.connect(_settings(tmp_path)))
    again = database_service.connect(_settings(tmp_path))
    assert database_service.sync_reference_data(again) == []
    assert _counts(again) == first


@pytest.fixture
def copied_data(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    shutil.copytree(settings_module.data_dir(), folder)
    monkeypatch.setattr(database_service, "data_dir", lambda: folder)
    monkeypatch.setattr(duties, "data_dir", lambda: folder)
    duties.load_units.cache_clear()
    duties.load_registry.cache_clear()
    yield folder
    duties.load_units.cache_clear()
    duties.load_registry.cache_clear()


def test_a_changed_units_file_is_reloaded_in_place(tmp_path, copied_data):
    db = database_service.connect(_settings(tmp_path))
    units_file = copied_data / duties.UNITS_FILE
    units_file.write_text(
        units_file.read_text(encoding="utf-8").replace("唐县扶贫开发办公室", "唐县乡村振兴局"), encoding="utf-8"
    )
    duties.load_units.cache_clear()
    assert database_service.sync_reference_data(db) == ["units"]
    with db.read() as conn:
        names = {row[0] for row in conn.execute(text("SELECT name FROM unit"))}
    assert "唐县乡村振兴局" in names and "唐县扶贫开发办公室" not in names
    assert _counts(db)[0] == 32
