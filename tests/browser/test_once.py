"""Work shared by the run's workers is done once: the first to ask does it, the others read its record."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from browser_kit.errors import OnceFailedError
from browser_kit.once import once, run_folder

HERE = Path(__file__).resolve().parent

# A worker of its own: asks for the same work as the others; the work notes each time it runs.
WORKER = """
import sys, time
from pathlib import Path
from browser_kit.once import once
folder = Path(sys.argv[1])
def make():
    with open(folder / "made", "a") as log:
        log.write("made\\n")
    time.sleep(1)
    return {"answer": 42}
print(once(folder, "work", make, timeout=60)["answer"])
"""


def test_workers_asking_at_once_share_one_piece_of_work(tmp_path):
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(tmp_path)],
            cwd=HERE,
            env={"PYTHONPATH": str(HERE), "PATH": "/usr/bin:/bin"},
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    answers = [worker.communicate(timeout=120)[0].strip() for worker in workers]
    assert answers == ["42", "42", "42"]
    assert (tmp_path / "made").read_text().splitlines() == ["made"]


def test_a_failure_is_told_to_the_next_worker_without_trying_again(tmp_path):
    def broken():
        raise RuntimeError("the build broke")

    with pytest.raises(RuntimeError):
        once(tmp_path, "build", broken, timeout=10)
    with pytest.raises(OnceFailedError, match="RuntimeError: the build broke"):
        once(tmp_path, "build", lambda: pytest.fail("tried again"), timeout=10)


def test_the_run_folder_is_shared_by_workers_and_owned_by_a_lone_run(tmp_path, monkeypatch):
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    assert run_folder(tmp_path) == tmp_path / "browser-suite"
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    (tmp_path / "popen-gw1").mkdir()
    assert run_folder(tmp_path / "popen-gw1") == tmp_path / "browser-suite"
