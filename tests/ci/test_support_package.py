"""The suite's helpers live in one package (``tools/toolkit``): nothing in tests/ or bench/ edits sys.path.

Tests and benchmarks import ``toolkit`` and ``docs_harness`` through
pytest's ``pythonpath`` (pyproject.toml) or the path their runner sets, and
``bench/`` never imports from ``tests/``.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _python_files(*folders: str) -> list[Path]:
    return sorted(
        path for folder in folders for path in (ROOT / folder).rglob("*.py") if "__pycache__" not in path.parts
    )


def _edits_sys_path(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            target = node.func.value
            if (
                node.func.attr in ("insert", "append", "extend")
                and isinstance(target, ast.Attribute)
                and target.attr == "path"
                and isinstance(target.value, ast.Name)
                and target.value.id == "sys"
            ):
                return True
    return False


def test_no_sys_path_edits_in_tests_or_bench():
    edits = [
        str(path.relative_to(ROOT))
        for path in _python_files("tests", "bench")
        if _edits_sys_path(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not edits, f"these files edit sys.path (import through toolkit / pytest's pythonpath instead): {edits}"


def test_bench_does_not_import_from_tests():
    offenders = []
    for path in _python_files("bench"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names.append(node.module)
            offenders += [f"{path.relative_to(ROOT)}: {name}" for name in names if name.split(".")[0] == "tests"]
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("tests/"):
                offenders.append(f"{path.relative_to(ROOT)}: {node.value!r}")
    assert not offenders, f"bench/ reaches into tests/: {offenders}"
