"""The examples' own code, run as a reader runs it: a fresh interpreter in a copy of the example's folder."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from docs_harness import REPO_ROOT
from docs_harness.programs import example_copy

RUN_TIMEOUT = 120.0
"""Seconds one program may take (the slowest runs a few hundred calls through a real server)."""


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "QUARK_RUNTIME_REMAP")}
    env.update(PYTHONDONTWRITEBYTECODE="1", PYTHONUNBUFFERED="1", PYTHONIOENCODING="utf-8")
    return env


@pytest.fixture
def example_folder(tmp_path: Path) -> Callable[[str], Path]:
    """A copy of ``examples/<name>`` in the test's folder, to run (and, for a mutation, edit)."""

    def copy(name: str) -> Path:
        return example_copy(REPO_ROOT / "examples" / name, tmp_path / name)

    return copy


def _python(
    args: list[str], cwd: Path, *, timeout: float = RUN_TIMEOUT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env={**_environment(), **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def python() -> Callable[..., subprocess.CompletedProcess]:
    """``python(args, cwd)`` runs ``python <args>`` in ``cwd`` with the tests' interpreter (it has the runtime).

    The run is bounded by ``timeout`` (:data:`RUN_TIMEOUT` unless given); ``env`` adds variables to its
    environment. Its output comes back in the result.
    """
    return _python
