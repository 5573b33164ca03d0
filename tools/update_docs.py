"""Rewrite every compared block of the pages from a real run, then show what changed.

Usage (from the repository root, in an environment with the test group
installed, e.g. ``tox exec -e py311 -- python tools/update_docs.py``)::

    python tools/update_docs.py            # every page
    python tools/update_docs.py -k running # only the items whose id matches (pytest's -k)

It runs the pages' checks (``tests/docs/pages/test_blocks.py``) with
``--update-blocks``: a check that finds a block showing something other than
the real run (a console session's output, a wire example's answer, a sample
message, a copy of an output) records the real text instead of failing. The
tool then writes each recorded text into its page, in place of the block's,
and prints a unified diff of every page it changed. Review the diff as you
would any edit: the prose around a block may need the same change. Exit
status: 0 when every check passed or drifted and was mended; 1 when checks
failed for another reason or a block could not be found in its page.
"""

from __future__ import annotations

import argparse
import difflib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from docs_harness import REPO_ROOT
from docs_harness.mend import MendError, mend_all
from docs_harness.records import relative

TESTS = REPO_ROOT / "tests" / "docs" / "pages" / "test_blocks.py"


def main(argv: list[str] | None = None) -> int:
    """Run the checks in update mode, apply what they recorded, print the diff."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-k", dest="select", default="", help="only the check items whose id matches (as pytest's -k)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="update-docs-") as scratch:
        mends_file = Path(scratch) / "mends.json"
        command = [sys.executable, "-m", "pytest", str(TESTS), "-q", "-p", "no:cacheprovider"]
        command += ["--update-blocks", str(mends_file), *(["-k", args.select] if args.select else [])]
        done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
        mends = json.loads(mends_file.read_text(encoding="utf-8")) if mends_file.is_file() else []
    if done.returncode not in (0, 1):
        print(done.stdout[-5000:] + done.stderr[-2000:], file=sys.stderr)
        print(f"error: the checks did not run (pytest exit status {done.returncode})", file=sys.stderr)
        return 1
    pages: dict[Path, str] = {}
    failed = False
    by_page: dict[Path, list[tuple[int, str, str]]] = {}
    for item in mends:
        block = item["block"]
        by_page.setdefault(Path(block["source"]), []).append((block["line"], block["text"], item["actual"]))
    for path, edits in by_page.items():
        try:
            pages[path] = mend_all(path.read_text(encoding="utf-8"), edits, relative(path))
        except MendError as error:
            print(f"error: {error}", file=sys.stderr)
            failed = True
    changed = 0
    for path, text in pages.items():
        before = path.read_text(encoding="utf-8")
        if text != before:
            changed += 1
            path.write_text(text, encoding="utf-8")
            name = relative(path)
            sys.stdout.writelines(
                difflib.unified_diff(before.splitlines(True), text.splitlines(True), f"a/{name}", f"b/{name}")
            )
    print(f"updated {len(mends)} block(s) in {changed} page(s)" if mends else "every compared block matches its run")
    if done.returncode == 1:  # drift is skipped in update mode: what failed, failed for another reason
        print(done.stdout[-5000:], file=sys.stderr)
        print("error: some checks failed for another reason than drift (see above)", file=sys.stderr)
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
