"""Two releases at once, and a release killed outright: the lock, the children, what is left behind."""

import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest
from toolkit.processes import read_line

SLOW = ("--branch", "slow", "--no-tags")
#: How long the slow version's conf.py sleeps: longer than any wait below, so only a kill ends it early.
SLEEP = 60


@pytest.fixture
def slow_repo(tiny_repo, git_in):
    """The tiny repository with a branch ``slow`` whose build sleeps in conf.py."""
    git_in(tiny_repo.path, "switch", "-q", "-c", "slow")
    tiny_repo.write_version("Slow", "guide", conf_extra=f"import time\ntime.sleep({SLEEP})\n")
    tiny_repo.commit("a slow build")
    git_in(tiny_repo.path, "switch", "-q", "main")
    return tiny_repo


def _wait_for_building(process) -> None:
    line = read_line(process, 120)
    while line and not line.startswith("building "):
        line = read_line(process, 120)
    assert line.startswith("building "), process.stderr.read()


def _processes_mentioning(*texts: str) -> list[int]:
    """Process ids whose command line holds every one of texts (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
                if all(text.encode() in cmdline for text in texts):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _stopped(process) -> None:
    if process.poll() is None:
        process.kill()
    process.communicate(timeout=60)


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads running processes from /proc")
def test_a_killed_release_takes_its_builds_along_and_the_next_run_cleans_up(
    slow_repo, release_process, release, git_in, tmp_path, monkeypatch
):
    temp = tmp_path / "temp"
    temp.mkdir()
    site = tmp_path / "out" / "site"
    process = release_process(slow_repo.path, site, *SLOW, temp=temp)
    try:
        _wait_for_building(process)
        deadline = time.monotonic() + 60
        while not _processes_mentioning(str(temp), "sphinx") and time.monotonic() < deadline:
            time.sleep(0.1)  # the version's sphinx-build has started (its worktree exists)
        assert _processes_mentioning(str(temp), "sphinx")
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
    finally:
        _stopped(process)
    # The sphinx-build of the slow version (its command line names its scratch folder) dies with the run.
    deadline = time.monotonic() + 15
    while _processes_mentioning(str(temp)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_mentioning(str(temp)) == []
    assert git_in(slow_repo.path, "worktree", "list").count("\n") == 1  # the killed run's worktree is still listed
    assert [p.name for p in site.parent.iterdir()] != []  # and its staging folder is still there

    monkeypatch.setenv("TMPDIR", str(temp))
    done = release(slow_repo.path, site, "--branch", "main", "--no-tags")
    assert done.returncode == 0, done.stdout + done.stderr
    said = [line for line in done.stdout.splitlines() if line.startswith("removing ")]
    assert any(line.startswith("removing worktree ") for line in said), done.stdout
    assert git_in(slow_repo.path, "worktree", "list").count("\n") == 0
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]
    assert list(temp.iterdir()) == []  # the killed run's scratch folder too


def test_a_second_release_into_the_same_folder_waits_or_stops(slow_repo, release_process, release, tmp_path):
    temp = tmp_path / "temp"
    temp.mkdir()
    site = tmp_path / "out" / "site"
    first = release_process(slow_repo.path, site, *SLOW, temp=temp)
    second = None
    try:
        _wait_for_building(first)
        stopped = release(slow_repo.path, site, "--branch", "main", "--no-tags", "--no-wait")
        assert stopped.returncode == 1
        assert stopped.stderr == (
            f"error: another release is publishing into {site.parent} now; stopped (run again without --no-wait to "
            "wait for it)\n"
        )
        second = release_process(slow_repo.path, site, "--branch", "main", "--no-tags", temp=temp)
        assert read_line(second, 60).startswith(f"waiting: another release is publishing into {site.parent}")
        first.send_signal(signal.SIGTERM)  # the first ends; the second goes ahead
        first.communicate(timeout=60)
        out, err = second.communicate(timeout=120)
        assert second.returncode == 0, out + err
        assert "published 1 version" in out
    finally:
        _stopped(first)
        if second is not None:
            _stopped(second)
    assert os.listdir(temp) == []


def test_progress_lines_stay_whole_when_versions_build_at_once(capfd):
    """Builds on several threads each say what they do; no line may run into another's."""
    from tools.release_site.cli import say

    lines = [f"building branch release/{n}.x (0123456789ab) into release-{n}.x/" for n in range(8)]
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as the interpreter can
    try:
        threads = [threading.Thread(target=lambda line=line: [say(line) for _ in range(2000)]) for line in lines]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        sys.setswitchinterval(previous)
    printed = capfd.readouterr().out.splitlines()
    assert len(printed) == 8 * 2000
    assert set(printed) == set(lines)
