"""Read the Docs and tox build the PDF and the ePub from the right source, and say so when TeX is missing."""

from __future__ import annotations

import configparser
import os
import shlex
import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _tox_commands(env: str) -> list[list[str]]:
    tox = configparser.ConfigParser(interpolation=None)
    tox.read(ROOT / "tox.ini", encoding="utf-8")
    text = tox[f"testenv:{env}"]["commands"].replace("\\\n", " ")
    return [shlex.split(line.replace("{tox_root}", str(ROOT))) for line in text.strip().splitlines() if line.strip()]


def test_read_the_docs_offers_pdf_and_epub_built_from_docs_with_conf_py_at_the_top():
    config = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text(encoding="utf-8"))
    assert sorted(config["formats"]) == ["epub", "pdf"]
    jobs = config["build"]["jobs"]["build"]
    for builder, fmt in (("html", "html"), ("epub", "epub"), ("latex", "pdf")):
        sphinx = [shlex.split(line) for line in jobs[fmt] if line.startswith("python -m sphinx")]
        assert len(sphinx) == 1, fmt
        command = sphinx[0]
        assert command[command.index("-b") + 1] == builder
        assert command[command.index("-c") + 1] == "."
        assert "docs" in command  # the source folder, not the repository root
        assert "-W" in command
        # The doctrees never land in what is uploaded.
        assert not command[command.index("-d") + 1].startswith("$READTHEDOCS_OUTPUT")
    assert any("$READTHEDOCS_OUTPUT/pdf" in line for line in jobs["pdf"])
    assert any("$READTHEDOCS_OUTPUT/epub" in line for line in jobs["epub"])


def test_tox_docs_keeps_the_doctrees_out_of_the_site():
    (command,) = _tox_commands("docs")
    doctrees = Path(command[command.index("-d") + 1])
    site = Path(command[-2] if command[-1] == "{posargs}" else command[-1])
    assert site.name == "html" and not doctrees.is_relative_to(site)


def test_tox_pdf_says_in_one_line_that_tex_is_missing(tmp_path):
    check = _tox_commands("pdf")[0]
    # A PATH that holds a shell and nothing else: no TeX, whatever this machine has installed.
    (tmp_path / "sh").symlink_to(shutil.which("sh"))
    done = subprocess.run(
        check, capture_output=True, text=True, env={**os.environ, "PATH": str(tmp_path)}, timeout=30, check=False
    )
    assert done.returncode == 1
    assert done.stdout == "" and done.stderr.count("\n") == 1
    assert done.stderr.startswith("error: tox -e pdf needs TeX (latexmk, lualatex and xindy on PATH)")
    assert "docs/maintainers/building.md" in done.stderr


def test_tox_pdf_builds_latex_then_the_pdf_with_lualatex():
    commands = _tox_commands("pdf")
    sphinx = commands[1]
    assert sphinx[0] == "sphinx-build" and sphinx[sphinx.index("-b") + 1] == "latex" and "-W" in sphinx
    assert commands[2][:3] == ["make", "-C", str(ROOT / "build" / "latex")]


def test_tox_linkcheck_and_epub_envs_build_with_their_builders():
    for env, builder in (("linkcheck", "linkcheck"), ("epub", "epub")):
        (command,) = _tox_commands(env)
        assert command[command.index("-b") + 1] == builder and "-W" in command
