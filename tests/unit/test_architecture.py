"""The rules of docs/architecture.md, read from the code: no import cycle inside fupin_cli, and each
layer importing only the layers below it. Every import counts, also one inside a function."""

import ast
from pathlib import Path

import pytest

from tests.read_commands import FILE_READ_COMMANDS, READ_COMMANDS, READ_TODAY, build_read_scenario, filled

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "fupin_cli"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {
    _module_name(path): path for path in sorted(PACKAGE.rglob("*.py")) if "_data" not in path.parts
}


def _resolve(name: str) -> str | None:
    """The fupin_cli module an imported name lands in (a module, or the package it names)."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(module: str) -> set[str]:
    """The fupin_cli modules `module` imports anywhere in its text: top level, inside functions and
    under `if TYPE_CHECKING:` alike (an import that only a type checker runs is still a dependency)."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            resolved = _resolve(target)
            if resolved is not None and resolved != module:
                found.add(resolved)
    return found


GRAPH = {module: imports_of(module) for module in MODULES}


def _cycles() -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(GRAPH[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)
    return groups


def test_the_import_walk_sees_imports_inside_functions() -> None:
    assert "fupin_cli.services.calendar" in GRAPH["fupin_cli.services.database"]  # imported in a function
    assert "fupin_cli.cli.console" in GRAPH["fupin_cli.cli.app"]


def test_no_import_cycle_in_fupin_cli() -> None:
    assert _cycles() == []


def test_a_cycle_would_be_found() -> None:
    saved = set(GRAPH["fupin_cli.domain.errors"])
    GRAPH["fupin_cli.domain.errors"].add("fupin_cli.domain.audit")
    GRAPH.setdefault("fupin_cli.domain.audit", set()).add("fupin_cli.domain.errors")
    try:
        assert ["fupin_cli.domain.audit", "fupin_cli.domain.errors"] in _cycles()
    finally:
        GRAPH["fupin_cli.domain.errors"] = saved
        GRAPH["fupin_cli.domain.audit"] = imports_of("fupin_cli.domain.audit")


# The layers, lowest first, and what each may import of fupin_cli (docs/architecture.md).
MAY_IMPORT = {
    "domain": {"domain"},
    "settings": {"domain"},
    "storage": {"domain", "settings", "storage"},
    "services": {"domain", "settings", "storage", "services"},
    "render": {"domain", "settings", "services", "render"},
    "cli": {"domain", "settings", "storage", "services", "render", "cli"},
}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "package"


@pytest.mark.parametrize("layer", list(MAY_IMPORT))
def test_each_layer_imports_only_what_it_may(layer: str) -> None:
    wrong = sorted(
        f"{module} → {target}"
        for module, targets in GRAPH.items()
        if _layer(module) == layer
        for target in targets
        if _layer(target) not in MAY_IMPORT[layer] | {layer} and target != "fupin_cli"
    )
    assert wrong == sorted(KNOWN_CROSSINGS.get(layer, []))


# Imports across the layers still to be moved, each named here so that no new one slips in (none now:
# the case import reads its sheet with services.files and writes its rejects with services.output_files).
KNOWN_CROSSINGS: dict[str, list[str]] = {}


def test_audit_actions_are_enum_members_never_bare_strings() -> None:
    """Every audit event names its action by a member of AuditAction, workflow.Action or FindingAction."""
    bare = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(node, "func", None)
            name = getattr(name, "id", None) or getattr(name, "attr", None)
            if name not in ("append_event", "record", "_step"):
                continue
            values = [keyword.value for keyword in node.keywords if keyword.arg == "action"]
            values += node.args[2:3] if name == "_step" else []
            for value in values:
                for inner in ast.walk(value):
                    if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
                        bare.append(f"{module}:{inner.lineno} {inner.value!r}")
    assert bare == []


OPENING = {"connect", "open_database", "create_engine", "engine", "write", "append_event", "append_events"}
"""What opens the database, writes through it or appends to the audit chain by hand."""


def openings(source: str) -> list[str]:
    """Where `source` opens the database, takes the write lock or appends an audit event itself."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            names = {alias.name for alias in node.names} & OPENING
        elif isinstance(node, ast.Call):
            callee = node.func
            names = {getattr(callee, "id", None) or getattr(callee, "attr", None)} & OPENING
            if names == {"write"} and node.args:  # a file's write(text), not Database.write()
                continue
        elif isinstance(node, ast.Attribute) and node.attr == "engine":
            names = {"engine"}
        else:
            continue
        found += [f"{node.lineno} {name}" for name in sorted(names)]
    return found


def test_services_open_the_database_only_through_the_unit_of_work() -> None:
    """A write use case receives the command's unit of work; none opens the database, takes the write
    lock or appends an audit event itself. services.unit_of_work opens (and chains the events it
    collected); services.database is the opening it calls (and the light read path's fallback)."""
    found = [
        f"{module}:{where}"
        for module, path in MODULES.items()
        if module.startswith("fupin_cli.services.")
        and module not in ("fupin_cli.services.unit_of_work", "fupin_cli.services.database")
        for where in openings(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_opening_rule_sees_each_shape_of_an_opening() -> None:
    sample = (
        "from fupin_cli.storage.db import open_database\n"
        "database = connect(settings)\n"
        "with database.write() as session:\n"
        "    append_event(session)\n"
        "database.engine.dispose()\n"
        "stream.write(text)\n"
    )
    assert openings(sample) == ["1 open_database", "2 connect", "3 write", "4 append_event", "5 engine"]


def test_each_audit_action_has_one_meaning() -> None:
    from fupin_cli.domain.audit import AuditAction
    from fupin_cli.domain.findings import FindingAction
    from fupin_cli.domain.workflow import Action

    values = [member.value for enum in (AuditAction, Action, FindingAction) for member in enum]
    assert len(values) == len(set(values))


def test_the_layer_table_of_the_architecture_page_is_the_one_checked_here() -> None:
    import re

    stated = {}
    for line in (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`") and cells[0] != "`layer`":
            layer = cells[0].strip("`").removesuffix("/").removesuffix(".py")
            stated[layer] = set(re.findall(r"`([a-z_]+)`", cells[1]))
    assert stated == MAY_IMPORT


# Modules still over the limit, to be split by subject like services/checks.py was.
LONG_MODULES_LEFT: set[str] = set()


def test_no_module_over_500_lines() -> None:
    long = {
        module
        for module, path in MODULES.items()
        if len(path.read_text(encoding="utf-8").splitlines()) > 500
    }
    assert long <= LONG_MODULES_LEFT
    assert all(module in MODULES for module in LONG_MODULES_LEFT)


HEAVY_PROBE = """
import sys
sys.argv = ["fupin", *sys.argv[1:]]
from fupin_cli.cli.app import main
try:
    main()
    code = 0
except SystemExit as exit:
    code = exit.code
heavy = sorted({"sqlalchemy", "sqlmodel", "pydantic"} & set(sys.modules))
print("HEAVY=" + ",".join(heavy), file=sys.stderr)
sys.exit(code)
"""


@pytest.mark.parametrize(
    "command", [*READ_COMMANDS, *FILE_READ_COMMANDS], ids=lambda command: " ".join(command[:3])
)
def test_every_read_command_loads_no_database_library(command, scenarios, db_path, tmp_path, monkeypatch):
    """Each read command answers on the light reader (the driver alone), on a database that holds
    every kind of record: SQLAlchemy, SQLModel and pydantic stay unloaded."""
    import os
    import subprocess
    import sys

    monkeypatch.setenv("FUPIN_TODAY", READ_TODAY)
    scenarios.sqlite("reads", lambda: build_read_scenario(_ok), into=db_path)
    out = tmp_path / "out"
    out.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", HEAVY_PROBE, *filled(command, str(out))],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "FUPIN_DB": str(db_path), "COLUMNS": "80"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "HEAVY=", done.stderr


def _ok(*args: str) -> None:
    from typer.testing import CliRunner

    from fupin_cli.cli.app import app

    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
