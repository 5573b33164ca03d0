"""The console blocks of each page run as one session, in order, and print what the page shows.

Items are named after the page. The setup page's session clones this
checkout with the page's ``--branch``, makes the virtual environment,
installs the package with ``pip install .`` and checks the version, so a
change to the package's name, its version or the install route fails here.
"""

from __future__ import annotations

from docs_harness.programs import free_port
from docs_harness.sessions import Session, steps


def _show(lines) -> str:
    return "\n".join(f"    {line}" for line in lines) or "    (nothing)"


def test_page_session(page_session, tmp_path):
    """Each command prints exactly the lines the page shows after it (the free port read as 8910)."""
    assert page_session is not None, "no page of the docs build shows a console session"
    commands = steps(page_session)
    clone_first = commands[0].command.startswith("git clone")
    session = Session.start(tmp_path, free_port(), clone_first=clone_first)
    for step in commands:
        printed = session.run(step)
        assert printed == list(step.output), (
            f"{step.where}: after `$ {step.command}` the page shows\n{_show(step.output)}\n"
            f"but it printed\n{_show(printed)}"
        )
