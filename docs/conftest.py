"""Lets the pages' ``>>>`` examples import the example's modules as a reader in examples/helloRPC would.

pytest's doctest (``--doctest-glob=*.rst``) runs the examples with the
repository root as the working folder, where ``hello`` (the contract
library) and ``pyserver`` (the finished server) are not importable. Each
doctest of these pages gets both as modules for its duration only, so no
other test sees them.
"""

import importlib.util
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "helloRPC"


@pytest.fixture(autouse=True)
def _example_modules(request, monkeypatch):
    if not isinstance(request.node, pytest.DoctestItem):
        return
    # hello first: pyserver imports it.
    for name in ("hello", "pyserver"):
        spec = importlib.util.spec_from_file_location(name, EXAMPLE / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        monkeypatch.setitem(sys.modules, name, module)
        spec.loader.exec_module(module)
