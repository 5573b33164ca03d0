"""The session runner on small sessions: shell state, the clone of this checkout in both page forms."""

from __future__ import annotations

import subprocess

import pytest
from docs_harness import REPO_ROOT, sessions
from docs_harness.examples import find_examples
from docs_harness.records import Block
from docs_harness.sessions import Session, clone_target, edit, kept_running, matches, steps
from toolkit.repos import isolated_git

URL = "https://github.com/hello-rpc/hello-rpc-docs.git"


def _block(text: str, line: int = 10) -> Block:
    return Block("setup", str(REPO_ROOT / "docs" / "setup.rst"), line, "literal", "console", (), text)


def _run(tmp_path, *texts: str, clone_first: bool = True) -> list[list[str]]:
    session = Session.start(tmp_path, find_examples(), clone_first=clone_first)
    return [session.run(step) for step in steps([_block(text) for text in texts])]


def _head() -> str:
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, check=True, timeout=30
    ).stdout.strip()


def test_steps_pair_each_command_with_its_output_and_line():
    found = steps([_block("$ echo one\none\n$ cd x", line=7)])
    assert [(s.line, s.command, s.output) for s in found] == [(7, "echo one", ("one",)), (9, "cd x", ())]
    assert found[0].where == "docs/setup.rst:7"


@pytest.mark.parametrize(
    ("argv", "target"),
    [
        (["git", "clone", "--branch", "main", URL, "hello-rpc"], "hello-rpc"),
        (["git", "clone", URL], "hello-rpc-docs"),
        (["git", "clone", "-b", "v1", URL, "x"], "x"),
    ],
)
def test_clone_target(argv, target):
    assert clone_target(argv) == target


def test_a_commit_clone_then_checkout_runs_against_this_checkout(tmp_path):
    """The shell-quoted form for a commit: clone, cd, checkout; the working tree is laid over afterwards."""
    outputs = _run(
        tmp_path,
        f"$ git clone '{URL}' hello-rpc\n$ cd hello-rpc\n$ git checkout {_head()}",
        "$ test -f examples/helloRPC/pyserver.py && echo present\npresent",
    )
    assert outputs == [[], [], [], ["present"]]


def test_a_clone_of_a_checkout_on_no_branch_prints_nothing(tmp_path, monkeypatch):
    # A checkout whose HEAD is a commit no branch points at, as a CI system may check one out.
    detached = tmp_path / "detached"
    isolated_git(tmp_path, "clone", "--quiet", str(REPO_ROOT), str(detached))
    isolated_git(detached, "checkout", "--quiet", "--detach")
    isolated_git(detached, "commit", "--quiet", "--allow-empty", "-m", "a commit on no branch")
    monkeypatch.setattr(sessions, "REPO_ROOT", detached)
    outputs = _run(tmp_path / "session", f"$ git clone {URL} hello-rpc\n$ cd hello-rpc\n$ git log -1 --format=%s")
    assert outputs == [[], [], ["a commit on no branch"]]


def test_a_branch_clone_keeps_the_pages_branch(tmp_path):
    branch = subprocess.run(
        ["git", "branch", "--show-current"], cwd=REPO_ROOT, capture_output=True, text=True, check=True, timeout=30
    ).stdout.strip()
    if not branch:
        pytest.skip("this checkout is on no branch (detached HEAD)")
    outputs = _run(
        tmp_path, f"$ git clone --branch {branch} {URL} hello-rpc\n$ cd hello-rpc\n$ git branch --show-current"
    )
    assert outputs[-1] == [branch]


def test_cd_and_export_last_for_the_commands_after_them(tmp_path):
    outputs = _run(
        tmp_path,
        "$ cd examples/helloRPC\n$ export GREETING='hi there'\n$ echo \"$GREETING\" && ls hello.q",
        clone_first=False,
    )
    assert outputs == [[], [], ["hi there", "hello.q"]]


def test_a_failing_command_fails_with_its_page_line(tmp_path):
    with pytest.raises(AssertionError, match=r"docs/setup\.rst:10: `false` exited with status 1"):
        _run(tmp_path, "$ false", clone_first=False)


def test_the_free_port_reads_as_the_documented_one(tmp_path):
    session = Session.start(tmp_path, find_examples()[:1], clone_first=True)
    assert session.run(steps([_block("$ echo $QUARK_RUNTIME_REMAP")])[0]) == ["127.0.0.1:8910=127.0.0.1:8910"]


def _in(terminal: str, text: str, line: int = 10) -> Block:
    caption = f"Terminal {terminal}: test" if terminal else ""
    return Block("running", str(REPO_ROOT / "docs" / "running.rst"), line, "literal", "console", (), text, caption)


def _session_run(tmp_path, *blocks: Block) -> list[list[str]]:
    session = Session.start(tmp_path, find_examples(), clone_first=False)
    commands = steps(list(blocks))
    keep = kept_running(commands)
    try:
        return [session.run(step, keep=index in keep) for index, step in enumerate(commands)]
    finally:
        session.close()


SERVER = (
    "$ python -c 'import signal, socket, sys, time; signal.signal(signal.SIGINT, lambda *_: sys.exit(0)); "
    's = socket.create_server(("127.0.0.1", int(sys.argv[1].split(":")[1]))); '
    'print("up at", sys.argv[1], flush=True); time.sleep(60)\' 127.0.0.1:8910'
)


def test_a_new_terminal_starts_fresh_and_keeps_its_own_state(tmp_path):
    outputs = _session_run(
        tmp_path,
        _in("", "$ cd examples\n$ export GREETING=hi"),
        _in("2", '$ echo "${GREETING:-unset}" && test -d examples && echo at-home'),
        _in("", '$ echo "$GREETING" && test -d helloRPC && echo in-examples'),
    )
    assert outputs[-2:] == [["unset", "at-home"], ["hi", "in-examples"]]


def test_a_server_keeps_running_in_its_terminal_until_its_ctrl_c(tmp_path):
    outputs = _session_run(
        tmp_path,
        _in("1", SERVER),
        _in("2", "$ echo meanwhile"),
        _in("1", "^C\n$ echo $?"),
    )
    # The server's own output is compared when ^C stops it; the run returns it in place, after the fact.
    assert outputs == [[], ["meanwhile"], [], ["0"]]


def test_a_failing_command_is_fine_only_when_its_status_is_shown(tmp_path):
    assert _session_run(tmp_path, _in("", "$ false\n$ echo $?")) == [[], ["1"]]
    with pytest.raises(AssertionError, match=r"`false` exited with status 1"):
        _session_run(tmp_path / "again", _in("", "$ false\n$ echo done"))


@pytest.mark.parametrize(
    ("shown", "printed", "expected"),
    [
        (["a", "...", "z"], ["a", "b", "c", "z"], True),
        (["a", "...", "z"], ["a", "z"], True),
        (["a", "...", "z"], ["a", "b"], False),
        (["a", "b"], ["a", "b", "c"], False),
        (["...", "c"], ["a", "b", "c"], True),
        (["2400 cases in ... s"], ["2400 cases in 1.52 s"], True),
        (["2400 cases in ... s"], ["2401 cases in 1.52 s"], False),
        (["x", "... in ...s"], ["x", "1 passed in 0.12s"], True),
    ],
)
def test_an_ellipsis_line_stands_for_any_lines(shown, printed, expected):
    assert matches(shown, printed) is expected


def test_a_diff_block_is_the_readers_edit_of_the_file_its_caption_names(tmp_path):
    (tmp_path / "examples").mkdir(exist_ok=True)
    diff = Block("mistakes", "/docs/mistakes.rst", 5, "literal", "diff", (), "-    x = 1\n+    x = 2", "pyserver.py")
    target = tmp_path / "pyserver.py"
    target.write_text("def f():\n    x = 1\n    return x\n")
    edit(target, steps([diff])[0].output, diff.where)
    assert target.read_text() == "def f():\n    x = 2\n    return x\n"
    with pytest.raises(AssertionError, match=r"the lines the diff removes are not in pyserver.py"):
        edit(target, steps([diff])[0].output, diff.where)
