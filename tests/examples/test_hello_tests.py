"""The Hello example's own tests (test_hello.py, on the testing page) pass, and fail when the server breaks."""

from __future__ import annotations

COMMAND = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "test_hello.py"]
"""How a reader runs them, in the example's folder (``python -m`` puts that folder on ``sys.path``)."""


def test_the_example_tests_pass(example_folder, python):
    done = python(COMMAND, example_folder("helloRPC"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout, done.stdout


def test_they_fail_when_the_answer_changes(example_folder, python):
    folder = example_folder("helloRPC")
    server = folder / "pyserver.py"
    text = server.read_text(encoding="utf-8")
    assert "from Python" in text
    server.write_text(text.replace("from Python", "from Pithon"), encoding="utf-8")
    done = python(COMMAND, folder)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "2 failed" in done.stdout, done.stdout
