"""One definition per record: the SQLModel classes state the columns; the field table of a case, the
read path's SQL and its named column lists agree with them (the migrated schema is checked against
the same classes in tests/integration/test_storage.py, on both backends)."""

import ast
import re
from dataclasses import fields
from pathlib import Path

import pytest

from fupin_cli.domain.cases import Case
from fupin_cli.domain.record_fields import (
    CASE_FIELD_NAMES,
    CASE_FIELDS,
    FINDING_FIELDS,
    INDICATOR_FIELDS,
    INSPECTION_FIELDS,
    RECORD_LABELS,
)
from fupin_cli.storage.tables import CaseRecord, SQLModel

STORAGE = Path(__file__).resolve().parents[2] / "fupin_cli" / "storage"
TIMESTAMPS = ("id", "created_at", "updated_at")
MODELLED = {table.name: {column.name for column in table.columns} for table in SQLModel.metadata.sorted_tables}
SYSTEM = re.compile(r"^(sqlite_master|pg_\w+|information_schema|current_schema)$")
_TABLE = re.compile(r"\b(?:FROM|JOIN)\s+(\w+)(?:\s+(?:AS\s+)?(?!ON\b|WHERE\b|ORDER\b|GROUP\b|LEFT\b|JOIN\b|LIMIT\b)(\w+))?", re.I)
_QUALIFIED = re.compile(r"\b([a-z_]\w*)\.([a-z_]\w*)\b")
_SIMPLE = re.compile(r"^SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+(.+?))?(?:\s+ORDER BY\s+([\w, ]+?))?(?:\s+LIMIT\s+\d+)?$", re.I)
_COMPARED = re.compile(r"\b([a-z_]\w*)\s*(?:=|<|>|\bIS\b|\bIN\b)", re.I)
_IDENTIFIER = re.compile(r"^[a-z_]\w*$")
_WORDS = {"and", "or", "not", "null", "desc", "asc", "type", "name"}


def test_the_field_table_is_the_stored_columns_of_a_case_in_order():
    stored = [column.name for column in CaseRecord.__table__.columns]  # type: ignore[attr-defined]
    assert list(CASE_FIELD_NAMES) == [name for name in stored if name not in TIMESTAMPS]


def test_the_domain_case_has_every_field_of_the_table_and_no_other():
    assert {f.name for f in fields(Case)} - {"id", "extensions"} == set(CASE_FIELD_NAMES)


def test_every_record_key_has_one_label():
    keys = [field.record_key for field in CASE_FIELDS]
    assert len(keys) == len(set(keys)) and all(RECORD_LABELS[key] for key in keys)


def _statements(path: Path) -> list[str]:
    """Every string of the module that reads like SQL, f-string holes as ?."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.JoinedStr):
            text = "".join(part.value if isinstance(part, ast.Constant) else "?" for part in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if re.search(r"\bSELECT\b.*\bFROM\b|\bUPDATE\b.*\bSET\b|\bDELETE FROM\b", text, re.S):
            found.append(" ".join(text.split()))
    return found


def unknown_columns(sql: str) -> list[str]:
    """The `table.column` names a statement uses that no model has (aliases resolved)."""
    aliases: dict[str, str] = {}
    for table, alias in _TABLE.findall(sql):
        if SYSTEM.match(table) or table not in MODELLED:
            continue
        aliases[table] = table
        if alias:
            aliases[alias] = table
    wrong = []
    for alias, column in _QUALIFIED.findall(sql):
        if alias in aliases and column not in MODELLED[aliases[alias]]:
            wrong.append(f"{aliases[alias]}.{column}")
    simple = _SIMPLE.match(sql)
    if simple and simple.group(2) in MODELLED:
        table = simple.group(2)
        names = [name.strip() for name in simple.group(1).split(",")]
        names += _COMPARED.findall(simple.group(3) or "")
        names += [name.strip().split()[0] for name in (simple.group(4) or "").split(",") if name.strip()]
        for name in names:
            if _IDENTIFIER.match(name) and name.lower() not in _WORDS and name not in MODELLED[table]:
                wrong.append(f"{table}.{name}")
    return wrong


@pytest.mark.parametrize("module", sorted(path.name for path in STORAGE.glob("*.py")))
def test_every_column_the_read_path_names_is_in_the_models(module):
    statements = _statements(STORAGE / module)
    assert [(sql, unknown_columns(sql)) for sql in statements if unknown_columns(sql)] == []


def test_the_column_check_finds_a_column_no_model_has():
    assert unknown_columns("SELECT c.year, c.colour FROM cases c WHERE c.year = :year") == ["cases.colour"]
    assert unknown_columns("SELECT short_name, shape FROM unit WHERE name = :name") == ["unit.shape"]
    assert unknown_columns("SELECT * FROM cases WHERE year = :y AND serial = :s") == []
    assert unknown_columns("SELECT f.id FROM finding f JOIN inspection i ON i.idx = f.inspection_id") == ["inspection.idx"]


@pytest.mark.parametrize(
    ("table", "table_fields"),
    [("finding", FINDING_FIELDS), ("inspection", INSPECTION_FIELDS)],
)
def test_the_field_tables_of_findings_and_inspections_are_their_columns(table, table_fields):
    columns = [column.name for column in SQLModel.metadata.tables[table].columns]
    assert [field.name for field in table_fields] == [name for name in columns if name != "id"]
    assert all(field.label for field in table_fields)


def test_the_indicator_fields_are_columns():
    assert {field.name for field in INDICATOR_FIELDS} <= MODELLED["indicator"]


def test_the_named_column_lists_are_columns():
    from fupin_cli.domain import replay
    from fupin_cli.storage import case_rows, reports

    assert set(case_rows.CASE_COLUMNS) <= MODELLED["cases"]
    assert set(reports.LEDGER_COLUMNS[:-1]) <= MODELLED["cases"]
    assert set(case_rows.LIST_COLUMNS) <= MODELLED["cases"]
    for names, table in (
        (replay.CASE_COLUMNS, "cases"),
        (replay.EXTENSION_COLUMNS, "case_extension"),
        (replay.FINDING_COLUMNS, "finding"),
        (replay.INSPECTION_COLUMNS, "inspection"),
        (replay.VISIT_COLUMNS, "inspection_visit"),
        (replay.VILLAGE_COLUMNS, "village"),
        (replay.PLAN_COLUMNS, "inspection_plan"),
        (replay.INDICATOR_COLUMNS, "indicator"),
    ):
        assert set(names) <= MODELLED[table], table
