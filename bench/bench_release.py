"""Benchmark: releasing the site again after one of five versions changed, against a full build, in one run.

Run it as a module from the repository root, in an environment with the docs dependencies (e.g.
``.tox/release``)::

    python -m bench.bench_release            # five versions of this repository's own docs
    python -m bench.bench_release --jobs 1 2

It clones this repository's committed HEAD over file:// into a temporary folder, adds four release
branches (five versions with main), and for each --jobs value times, each with ``python -m tools.release_site``:

* ``full``: every version built (``--rebuild``), the baseline;
* ``one changed``: a page changed and committed on one branch, then released over the previous site, so
  four versions are copied from it and one is built.

Nothing is fetched from the network; the clone and its site are deleted afterwards.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The project's one git runner, with the settings of a throwaway repository (run as a module from the root).
from tools.toolkit.repos import isolated_git

ROOT = Path(__file__).resolve().parents[1]
BRANCHES = ("release/1.x", "release/2.x", "release/3.x", "release/4.x")


def _release(repo: Path, out: Path, jobs: int, *extra: str) -> float:
    command = [sys.executable, "-m", "tools.release_site", "--repo", str(repo), "--out", str(out)]
    command += ["--branch", "main", "--branch", "release/*", "--no-tags", "-j", str(jobs), *extra]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DOCS_", "GITHUB_", "CI_"))}
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"release failed:\n{done.stdout}{done.stderr}")
    return seconds


def main() -> int:
    """Time a full release and a one-changed release for each --jobs value; print both."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, nargs="+", default=[os.cpu_count() or 1], help="versions built at once")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-release-") as temp:
        repo = Path(temp) / "repo"
        isolated_git(Path(temp), "clone", "-q", f"file://{ROOT}", str(repo))
        isolated_git(repo, "switch", "-q", "-C", "main")
        for branch in BRANCHES:
            isolated_git(repo, "branch", branch)
        out = Path(temp) / "site"
        print(f"5 versions of {ROOT.name}'s docs (main, {', '.join(BRANCHES)}) on {os.cpu_count()} cores")
        print(f"{'jobs':>4}  {'full (baseline)':>16}  {'one changed':>12}  {'speed-up':>8}")
        for round_number, jobs in enumerate(args.jobs, start=1):
            full = _release(repo, out, jobs, "--rebuild")
            isolated_git(repo, "switch", "-q", BRANCHES[0])
            page = repo / "docs" / "index.rst"
            page.write_text(page.read_text(encoding="utf-8") + f"\n.. Changed for round {round_number}.\n", "utf-8")
            isolated_git(repo, "commit", "-q", "-am", f"change round {round_number}")
            isolated_git(repo, "switch", "-q", "main")
            changed = _release(repo, out, jobs)
            print(f"{jobs:>4}  {full:>14.1f} s  {changed:>10.1f} s  {full / changed:>7.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
