"""The generated library is deterministic and already in the project's ruff style."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

CONTRACTS = Path(__file__).resolve().parent / "contracts"
TRICKY = (CONTRACTS / "layout.q").read_text(encoding="utf-8")

HELLO = Path(__file__).resolve().parents[2] / "examples" / "helloRPC" / "hello.q"


def _ruff() -> list[str]:
    if importlib.util.find_spec("ruff") is None:
        pytest.skip("ruff is not installed in this environment (it is in the lint dependency group)")
    return [sys.executable, "-m", "ruff"]


@pytest.mark.parametrize("contract", ["tricky", "hello"])
def test_generated_code_is_ruff_format_and_check_clean(tmp_path: Path, compile_text, contract: str) -> None:
    text = TRICKY if contract == "tricky" else HELLO.read_text(encoding="utf-8")
    library = tmp_path / "library.py"
    library.write_text(compile_text(text), encoding="utf-8")
    project = Path(__file__).resolve().parents[2] / "pyproject.toml"
    ruff = _ruff()
    # Naming rules (N) are left out: names are the contract's own, and the wire needs them as written.
    for command in (["format", "--check", "--diff"], ["check", "--no-cache", "--extend-ignore", "N"]):
        done = subprocess.run(
            [*ruff, *command, "--config", str(project), str(library)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr


def test_tricky_contract_imports_and_keeps_its_texts(compile_text, load_library) -> None:
    library = load_library(compile_text(TRICKY))
    fields = library.AValueClassWithAQuiteLongNameIndeed.__fields__
    assert fields["quotes"].doc == "She said \"no\" and 'yes'"
    assert fields["ending"].doc == 'ends with quote "'
    # The tab goes to the next 8-column stop, as it would in the docstring (compile/doctext.py).
    assert fields["escapes"].doc == "tab     and unicode \u00e9 and backslash \\ and bell \u0007"
    assert library.TheServiceInterfaceWithALongName.__doc__ == 'Ends with a quote"'


def test_output_does_not_depend_on_hash_seed_or_process(tmp_path: Path) -> None:
    source = tmp_path / "tricky.q"
    source.write_text(TRICKY, encoding="utf-8")
    outputs = set()
    for seed in ("0", "1", "12345"):
        done = subprocess.run(
            [sys.executable, "-m", "quark_threaded_runtime.compile", "tricky.q"],
            cwd=tmp_path,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_header_names_the_source_relative_to_the_output(tmp_path: Path) -> None:
    from quark_threaded_runtime.compile import source_name

    assert source_name("hello.q", "hello.py") == "hello.q"
    assert source_name(tmp_path / "contracts" / "a.q", tmp_path / "lib" / "a.py") == "../contracts/a.q"
    assert source_name("examples/helloRPC/hello.q", "examples/helloRPC/hello.py") == "hello.q"
