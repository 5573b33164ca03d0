"""The two-method example (the "Adding a method" page) starts from the Hello example's finished files.

The page tells the reader to start from the server and client they finished
on the Hello pages; the tutorials' first files must be exactly those. The
Hello server itself cannot serve the changed contract, as the page says:
its implementation lacks ``goodbye``.
"""

from __future__ import annotations

import pytest
from docs_harness import REPO_ROOT
from toolkit.processes import free_port

HELLO = REPO_ROOT / "examples" / "helloRPC"
TWO_METHODS = REPO_ROOT / "examples" / "twoMethodsRPC"


@pytest.mark.parametrize(
    ("start", "finished"),
    [("steps/server_1_hello.py", "pyserver.py"), ("steps/client_1_hello.py", "pyclient.py"), ("build.sh", "build.sh")],
)
def test_it_starts_from_the_hello_files(start, finished):
    assert (TWO_METHODS / start).read_bytes() == (HELLO / finished).read_bytes(), (
        f"examples/twoMethodsRPC/{start} should be a copy of examples/helloRPC/{finished}"
    )


def test_the_hello_server_refuses_the_new_contract(example_folder, python):
    folder = example_folder("twoMethodsRPC")
    (folder / "pyserver.py").write_bytes((folder / "steps" / "server_1_hello.py").read_bytes())
    # Were it to serve after all, it would serve on a free port, and be stopped by the timeout.
    remap = {"QUARK_RUNTIME_REMAP": f"127.0.0.1:8910=127.0.0.1:{free_port()}"}
    done = python(["pyserver.py"], folder, timeout=20, env=remap)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr == "error: HelloImpl does not implement goodbye, declared by hello.Hello (it has hello)\n", (
        done.stderr
    )
