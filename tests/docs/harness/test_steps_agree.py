"""Steps and code agree: every line a part adds or removes is asked for by a step, and nothing else is."""

from __future__ import annotations

import pytest
from docs_harness.checks.tutorial import steps_disagree
from docs_harness.records import Block

BEFORE = "import hello\n\n\ndef main():\n    pass\n"
AFTER = 'import hello\n\n\ndef main():\n    runtime = get_runtime()\n    print("hi")\n'


def _part(steps: list[list[str]]) -> Block:
    return Block("server", "/docs/server.rst", 40, "include", "python", (), "", steps=tuple(map(tuple, steps)))


@pytest.fixture
def files(tmp_path):
    before, after = tmp_path / "server_1_a.py", tmp_path / "server_2_b.py"
    before.write_text(BEFORE)
    after.write_text(AFTER)
    return before, after


STEPS = [["pass"], ["runtime = get_runtime()"], ['print("hi")', "print"]]


def test_steps_that_ask_for_every_change_agree(files):
    assert steps_disagree(_part(STEPS), *files) == []


def test_a_line_no_step_asks_for_is_named_with_its_number(files):
    assert steps_disagree(_part(STEPS[:2]), *files) == [
        'line 6 of server_2_b.py, `print("hi")`, is asked for by no step'
    ]


def test_a_removed_line_no_step_names(files):
    problems = steps_disagree(_part(STEPS[1:]), *files)
    assert problems == ["the part removes `pass` from server_1_a.py, but no step tells the reader to remove it"]


def test_a_step_that_gives_code_the_file_lacks(files):
    steps = [*STEPS, ["print('bye')"]]
    assert steps_disagree(_part(steps), *files) == [
        "step 4 gives `print('bye')`, which is not in server_2_b.py",
        "step 4 asks for no line this part adds or removes",
    ]


def test_a_literal_wrapped_across_source_lines_still_matches(files):
    steps = [["pass"], ["runtime =\n   get_runtime()"], ['print("hi")']]
    assert steps_disagree(_part(steps), *files) == []
