"""Fixtures for the contract compiler's tests: compile a contract text, load the library it makes."""

from __future__ import annotations

import importlib.util
import itertools
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from quark_threaded_runtime.compile import CompileError, compile_source

_counter = itertools.count()


@pytest.fixture
def compile_text() -> Callable[..., str]:
    """Compile a contract text (named ``contract.q`` in messages) and return the library's source."""

    def run(text: str, file: str = "contract.q") -> str:
        return compile_source(text, file)

    return run


@pytest.fixture
def errors_of() -> Callable[..., list[str]]:
    """The compiler's messages for a contract text that must not compile, one string each."""

    def run(text: str, file: str = "bad.q") -> list[str]:
        with pytest.raises(CompileError) as caught:
            compile_source(text, file)
        return [str(diagnostic) for diagnostic in caught.value.diagnostics]

    return run


@pytest.fixture
def load_library(tmp_path: Path) -> Callable[[str], ModuleType]:
    """Write a generated library into ``tmp_path`` and import it under a name no other test uses."""

    def run(source: str) -> ModuleType:
        name = f"generated_contract_{next(_counter)}"
        path = tmp_path / f"{name}.py"
        path.write_text(source, encoding="utf-8")
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return run
