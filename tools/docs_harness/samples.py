"""Producers of the messages the maintainers' guide quotes: each provokes its message for real and returns it.

A ``text`` block marked ``docs-harness: sample: <name>`` shows a message the
harness or a tool prints; :data:`PRODUCERS` maps the name to a function that
makes that message happen, in a scratch folder, with the real code: a step
file copied and broken, then the real check run on it; the release tool run on
a throwaway repository; the inventory test called on a made-up block. The
sample check (:mod:`docs_harness.checks.samples`) compares what it returns
with the block.

Scratch paths in a message read as ``/…`` (``/…/repo``), the way the pages
write them; paths under the repository read relative to it.
"""

from __future__ import annotations

import dataclasses
import os
import runpy
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from toolkit.git import git
from toolkit.repos import ISOLATED, new_repo

from . import REPO_ROOT
from .checks.base import Context, Item
from .examples import example_of, find_examples, main_example
from .records import Block, Build

RELEASE_TIMEOUT = 120
"""Seconds the release tool may take on a throwaway repository of one or two tiny versions."""

SCRATCH = "/…"
"""How a message on a page shows a scratch folder."""


def _part(build: Build, file_name: str) -> Block:
    """The real ``tutorial-part`` block of the build that shows ``file_name`` of the site's main example."""
    main = main_example(build, find_examples())
    found = [
        b
        for b in build.blocks
        if b.directive == "tutorial-part"
        and Path(b.path).name == file_name
        and Path(b.path).is_relative_to(main.folder)
    ]
    assert found, f"no page of the build shows {file_name} with tutorial-part"
    return found[0]


def _broken_example(context: Context, shown: Block, old: str, new: str) -> tuple[Path, Context]:
    """A scratch copy of the example of the file ``shown`` includes, ``old`` replaced by ``new`` in that file.

    Returns the broken file and a context whose examples are read from the copy.
    """
    included = Path(shown.path)
    example = example_of(included, context.examples)
    assert example is not None, f"{shown.where}: {shown.argument} is in no example folder"
    copy = context.tmp_path / "sample" / "examples" / example.folder.name
    shutil.copytree(example.folder, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    path = copy / included.relative_to(example.folder)
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{included} no longer holds {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    examples = find_examples(copy.parent)
    run = context.tmp_path / "sample" / "run"
    run.mkdir()
    return path, dataclasses.replace(context, tmp_path=run, examples=examples, drifts=[])


def _failure(verify: Callable[[], None]) -> str:
    """The message of the AssertionError ``verify`` raises (it must raise one)."""
    try:
        verify()
    except AssertionError as error:
        return str(error)
    raise AssertionError("the provoked failure did not happen: the check passed")


def _normalise(text: str, scratch: Path) -> str:
    text = text.replace(str(scratch), SCRATCH)
    return text.replace(str(REPO_ROOT) + os.sep, "")


def emphasis_drift(context: Context) -> str:
    """A step file edited after its part was written: the highlighted lines no longer match."""
    from .checks.tutorial import TutorialPartCheck

    shown = _part(context.build, "server_2_response.py")
    path, scratch = _broken_example(
        context, shown, "        return response\n", "        print(response.result)\n        return response\n"
    )
    block = dataclasses.replace(shown, path=str(path))
    check = TutorialPartCheck()
    return _failure(lambda: check.verify(Item(check.name, "sample", (block,)), scratch))


def removed_lines(context: Context) -> str:
    """A part whose steps no longer name the line it removes from the previous step."""
    from .checks.tutorial import TutorialPartCheck

    shown = _part(context.build, "pyserver.py")
    steps = tuple(tuple(literal for literal in step if literal != "pass") for step in shown.steps)
    block = dataclasses.replace(shown, steps=steps)
    check = TutorialPartCheck()
    return _failure(lambda: check.verify(Item(check.name, "sample", (block,)), context))


def step_fails(context: Context) -> str:
    """A step file that no longer runs: a misspelt import."""
    from .checks.programs import ProgramCheck

    shown = _part(context.build, "server_1_framework.py")
    path, scratch = _broken_example(context, shown, "import hello\n", "import helo\n")
    block = dataclasses.replace(shown, path=str(path))
    check = ProgramCheck()
    message = _failure(lambda: check.verify(Item(check.name, "sample", (block,)), scratch))
    return _normalise(message, scratch.tmp_path.parent)


def output_drift(context: Context) -> str:
    """A console block edited by hand: the guide's own ruff command, its last line changed, run by the session check."""
    from .checks.sessions import SessionCheck

    shown = [b for b in context.build.blocks if b.language == "console" and "$ ruff format examples" in b.text]
    assert shown, "no page of the build shows `$ ruff format examples` in a console block"
    edited = dataclasses.replace(shown[0], text=shown[0].text.rstrip("\n") + " 3")
    check = SessionCheck()
    return _failure(lambda: check.verify(Item(check.name, "sample", (edited,)), context))


def unverified_block(context: Context) -> str:
    """The inventory test on a build with one block that no check claims (a JSON body nothing sends)."""
    inventory = runpy.run_path(str(REPO_ROOT / "tests" / "docs" / "pages" / "test_inventory.py"))
    block = Block(
        page="hosting",
        source=str(REPO_ROOT / "docs" / "hosting.rst"),
        line=52,
        kind="literal",
        language="json",
        names=(),
        text='{"workers": 2}',
    )
    made_up = Build(outdir=context.tmp_path, returncode=0, warnings="", docnames=["hosting"], blocks=[block])
    test = inventory["test_every_block_is_claimed"]
    return _failure(lambda: test(made_up, context.examples, lambda name, value: None))


def tally(context: Context) -> str:
    """The line the suite prints at its end when every item of this build passes (``tests/conftest.py``)."""
    from .checks import by_name, claims

    tally_line = runpy.run_path(str(REPO_ROOT / "tests" / "conftest.py"))["tally_line"]
    claimed = claims(context.build, context.examples)
    verified = {key: {by_name(name).tally for name in names} for key, names in claimed.items() if names}
    return tally_line(verified, set(claimed))


# The release tool's messages, from throwaway repositories like its tests' (tests/release/conftest.py).

_TINY_CONF = """\
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "docs" / "_ext"))
sys.path.insert(0, str(Path(__file__).resolve().parent / "tools"))
project = "Tiny"
extensions = ["repo_links"{extra}]
repo_links_repository = "example-owner/tiny-docs"
"""

_TINY_INDEX = "Tiny\n====\n\nA page.\n"


def _git_env() -> dict[str, str]:
    return dict(ISOLATED)


def _tiny_repo(path: Path, extra: str = "") -> Path:
    """A repository whose ``main`` holds a tiny Sphinx project with the branch-links extension."""
    (path / "docs" / "_ext").mkdir(parents=True)
    shutil.copytree(
        REPO_ROOT / "docs" / "_ext" / "repo_links",
        path / "docs" / "_ext" / "repo_links",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    # The extension asks git through the project's one runner, which the tiny repository carries too.
    shutil.copytree(
        REPO_ROOT / "tools" / "toolkit", path / "tools" / "toolkit", ignore=shutil.ignore_patterns("__pycache__")
    )
    (path / "conf.py").write_text(_TINY_CONF.format(extra=extra), encoding="utf-8")
    (path / "docs" / "index.rst").write_text(_TINY_INDEX, encoding="utf-8")
    new_repo(path).commit("Tiny docs")
    return path


def _release(repo: Path, *args: str) -> str:
    """Run ``python -m tools.release_site --repo REPO ARGS``; its ``error:`` line (it must fail)."""
    done = _release_run(repo, *args)
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert done.returncode != 0 and errors, (
        f"the release tool should have failed (status {done.returncode}):\n{done.stdout}{done.stderr}"
    )
    return errors[-1]


def _release_run(repo: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DOCS_", "GIT_"))}
    env.update(_git_env(), PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(
        [sys.executable, "-m", "tools.release_site", "--repo", str(repo), *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=RELEASE_TIMEOUT,
        check=False,
    )


def release_failed(context: Context) -> str:
    """Two versions, one whose ``conf.py`` names an extension that is not installed."""
    scratch = context.tmp_path / "release-failed"
    repo = _tiny_repo(scratch / "repo")
    env = _git_env()
    git(repo, "switch", "--quiet", "-c", "release/2.0", env=env)
    (repo / "conf.py").write_text(_TINY_CONF.format(extra=', "sphinx_no_such_extension"'), encoding="utf-8")
    git(repo, "commit", "--quiet", "-am", "An extension that is not installed", env=env)
    git(repo, "switch", "--quiet", "main", env=env)
    out = scratch / "build" / "site"
    line = _release(repo, "--out", str(out), "--branch", "main", "--branch", "release/2.0", "--no-tags", "-j", "2")
    return _normalise(line, scratch)


def release_shallow(context: Context) -> str:
    """A depth-1 clone, as CI checks out, with the default patterns."""
    scratch = context.tmp_path / "release-shallow"
    origin = _tiny_repo(scratch / "origin")
    git(scratch, "clone", "--quiet", "--depth", "1", origin.as_uri(), "repo", env=_git_env())
    line = _release(scratch / "repo", "--out", str(scratch / "site"))
    return _normalise(line, scratch)


def release_vanished(context: Context) -> str:
    """A tag released once, then deleted: the next run names the version that leaves, and stable/ with it."""
    scratch = context.tmp_path / "release-vanished"
    repo = _tiny_repo(scratch / "repo")
    git(repo, "tag", "v1.0", env=_git_env())
    out = scratch / "build" / "site"
    first = _release_run(repo, "--out", str(out), "--branch", "main", "-j", "2")
    assert first.returncode == 0, f"the first release failed:\n{first.stdout}{first.stderr}"
    git(repo, "tag", "-d", "v1.0", env=_git_env())
    second = _release_run(repo, "--out", str(out), "--branch", "main")
    warnings = [line for line in (second.stdout + second.stderr).splitlines() if line.startswith("warning:")]
    assert warnings, f"the second release named no version that left:\n{second.stdout}{second.stderr}"
    return _normalise("\n".join(warnings), scratch)


def ref_refused(context: Context) -> str:
    """A build whose DOCS_BRANCH git would refuse as a ref name: the one line that stops it."""
    scratch = context.tmp_path / "ref-refused"
    repo = _tiny_repo(scratch / "repo")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DOCS_", "GIT_", "GITHUB_", "CI"))}
    env.update(_git_env(), DOCS_BRANCH="../../../other/repo/blob/main", PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", "-c", str(repo), str(repo / "docs"), str(scratch / "out")],
        env=env,
        capture_output=True,
        text=True,
        timeout=RELEASE_TIMEOUT,
        check=False,
    )
    refused = [line for line in done.stderr.splitlines() if "DOCS_BRANCH" in line]
    assert done.returncode != 0 and refused, f"the build did not refuse the ref:\n{done.stdout}{done.stderr}"
    return _normalise(refused[-1], scratch)


PRODUCERS: dict[str, Callable[[Context], str]] = {
    "emphasis-drift": emphasis_drift,
    "step-fails": step_fails,
    "output-drift": output_drift,
    "unverified-block": unverified_block,
    "removed-lines": removed_lines,
    "tally": tally,
    "release-failed": release_failed,
    "release-shallow": release_shallow,
    "release-vanished": release_vanished,
    "ref-refused": ref_refused,
}
"""Each sample's name (as a block's mark gives it) and the function that produces its text."""
