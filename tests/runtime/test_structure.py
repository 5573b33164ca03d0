"""The runtime's modules depend on each other one way, and a connection knows its server only by frozen settings."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

import quark_threaded_runtime
from quark_threaded_runtime.protocol import Settings

PACKAGE = Path(quark_threaded_runtime.__file__).parent


def imports_of(path: Path) -> set[str]:
    """The package's modules that ``path`` imports (relative imports, resolved to dotted names)."""
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            module = f"{base}.{node.module}" if node.module else base
            names = [f"{module}.{alias.name}" for alias in node.names] if not node.module else []
            found.update(name for name in [module, *names] if name in MODULES)
    return found


MODULES = {
    ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__"): path
    for path in PACKAGE.rglob("*.py")
}


def test_no_module_imports_one_that_imports_it_back() -> None:
    graph = {name: imports_of(path) - {name} for name, path in MODULES.items()}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for step in graph.get(start, ()):
            if step == goal or (step not in seen and not seen.add(step) and reaches(step, goal, seen)):
                return True
        return False

    package = "quark_threaded_runtime"
    # A package's __init__ gathers its modules: a module importing its own package's names is not a cycle here.
    cycles = [
        name for name in graph if name != package and not name.endswith(".contract") and reaches(name, name, set())
    ]
    assert cycles == []
    assert "quark_threaded_runtime.server" not in imports_of(MODULES["quark_threaded_runtime.connection"])


def test_the_settings_a_connection_gets_are_frozen() -> None:
    settings = Settings()
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.read_timeout = 1.0  # type: ignore[misc]
