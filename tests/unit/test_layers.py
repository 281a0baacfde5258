"""The folders are the architecture: these checks keep each layer to its own imports."""

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "fupin_cli"


def _imports(path: Path, *, top_level_only: bool = False) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).glob("*.py"))


@pytest.mark.parametrize("path", _modules("domain"), ids=lambda p: p.name)
def test_domain_imports_only_the_standard_library(path):
    for name in _imports(path):
        root = name.split(".")[0]
        assert root in sys.stdlib_module_names or name.startswith("fupin_cli.domain"), f"{path.name}: {name}"


@pytest.mark.parametrize("folder", ["domain", "services", "render", "cli"])
def test_only_storage_speaks_sql(folder):
    for path in _modules(folder):
        source = path.read_text(encoding="utf-8")
        for keyword in ("SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM"):
            assert keyword not in source, f"{folder}/{path.name} contains SQL ({keyword.strip()})"


@pytest.mark.parametrize("path", _modules("cli"), ids=lambda p: p.name)
def test_commands_load_the_database_stack_only_when_they_run(path):
    heavy = {"sqlalchemy", "sqlmodel", "pydantic", "openpyxl", "docx"}
    loaded = {name.split(".")[0] for name in _imports(path, top_level_only=True)} & heavy
    assert not loaded, f"cli/{path.name} imports {loaded} at module level"


def _runtime_imports(path: Path) -> set[str]:
    """Every import that runs, anywhere in the module: `if TYPE_CHECKING:` blocks left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            return
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return names


@pytest.mark.parametrize("folder", ["domain", "services", "render", "cli"])
def test_only_storage_imports_sqlalchemy_or_sqlmodel(folder):
    for path in _modules(folder):
        roots = {name.split(".")[0] for name in _runtime_imports(path)}
        assert not roots & {"sqlalchemy", "sqlmodel"}, f"{folder}/{path.name} imports the database library"
