"""The runtime's modules depend on each other one way, and a connection knows its server only by frozen settings."""

from __future__ import annotations

import ast
import dataclasses
import subprocess
import sys
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


def test_importing_the_package_leaves_the_client_library_and_metadata_for_later() -> None:
    # A server process never makes a client: requests and importlib.metadata are half of the
    # package's import time, so they load only when a client is made or __version__ is read.
    probe = (
        "import sys, quark_threaded_runtime as q\n"
        "print(sorted(m for m in ('requests', 'importlib.metadata') if m in sys.modules), q.__version__)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.split() == ["[]", quark_threaded_runtime.__version__]
    assert quark_threaded_runtime.__version__ != "0+unknown"


def test_an_unknown_attribute_of_the_package_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        quark_threaded_runtime.nothing_here  # noqa: B018
