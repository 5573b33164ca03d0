"""Work done once per test run, however many pytest-xdist workers ask for it.

Each run has one folder that all its workers share (``run_folder``). The first worker to ask for a
piece of work does it while holding a file lock and records the result as JSON in that folder; the
others wait on the lock, then read the record. A failure is recorded too, so the other workers raise
it at once instead of trying the same work again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from .errors import BrowserSuiteError, OnceFailedError

FOLDER_NAME = "browser-suite"


def run_folder(basetemp: Path) -> Path:
    """The folder the whole run shares, given this process's pytest *basetemp*.

    A pytest-xdist worker's basetemp is ``<the run's basetemp>/popen-gwN``, so the run's folder is
    beside the workers' own ones; a run without workers owns its basetemp outright.
    """
    root = basetemp.parent if os.environ.get("PYTEST_XDIST_WORKER") else basetemp
    folder = root / FOLDER_NAME
    folder.mkdir(exist_ok=True)
    return folder


def once(folder: Path, name: str, make: Callable[[], Any], timeout: float) -> Any:
    """``make()``'s result (JSON-able), computed by the first worker of the run to ask for *name*.

    Waits at most *timeout* seconds for another worker that is computing it.
    """
    record = folder / f"{name}.json"
    try:
        with FileLock(folder / f"{name}.lock", timeout=timeout):
            if record.exists():
                kept = json.loads(record.read_text(encoding="utf-8"))
                if "error" in kept:
                    raise OnceFailedError(f"{name} failed in another worker of this run: {kept['error']}")
                return kept["result"]
            try:
                result = make()
            except Exception as exc:
                _write(record, {"error": f"{type(exc).__name__}: {exc}"})
                raise
            _write(record, {"result": result})
            return result
    except Timeout:
        raise BrowserSuiteError(f"{record}: still being made by another worker after {timeout:g} s") from None


def _write(record: Path, content: dict) -> None:
    scratch = record.with_suffix(".part")
    scratch.write_text(json.dumps(content), encoding="utf-8")
    scratch.replace(record)
