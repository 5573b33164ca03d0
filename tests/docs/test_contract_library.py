"""The contract library a page shows (``hello.py``) is what ``quark-compile`` makes of its contract today."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docs_harness import REPO_ROOT

CONTRACTS = sorted((REPO_ROOT / "examples").glob("*/*.q"))


def _quark_compile() -> str:
    """The ``quark-compile`` console script installed next to the interpreter running the tests."""
    script = Path(sys.executable).parent / "quark-compile"
    return str(script) if script.exists() else shutil.which("quark-compile") or "quark-compile"


@pytest.mark.parametrize("contract", CONTRACTS, ids=[str(c.relative_to(REPO_ROOT)) for c in CONTRACTS])
def test_contract_library_is_current(contract: Path):
    """``quark-compile X.q -o X.py --check`` passes: the checked-in library is not stale."""
    library = contract.with_suffix(".py")
    done = subprocess.run(
        [_quark_compile(), contract.name, "-o", library.name, "--check"],
        cwd=contract.parent,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, (
        f"{library.relative_to(REPO_ROOT)} is stale; regenerate it with `bash build.sh` in "
        f"{contract.parent.relative_to(REPO_ROOT)}:\n{done.stderr}{done.stdout}"
    )
