"""What the harness knows about the example the tutorials build: one object, :data:`HELLO`.

Everything specific to the Hello example lives here: its folder, the address
its programs serve and call, the call the harness sends to check that a
server answers, the class a server step defines, and the names of its two
tutorials. The rest of the harness reads these from the object, so another
example needs another :class:`Example`, not edits across the harness.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from . import REPO_ROOT


@dataclass(frozen=True)
class Example:
    """One example folder and its server and client tutorials, as the pages teach them."""

    folder: Path
    """The example folder, e.g. ``examples/helloRPC``."""
    address: str
    """The ``host:port`` its programs serve and call, as the pages write it."""
    path: str
    """The service's URL path."""
    method: str
    """The method a check calls."""
    request_class: str
    """The wire name of the method's argument."""
    request_field: str
    """The argument's text field, which carries the check's text."""
    response_class: str
    """The wire name of the method's result."""
    result_field: str
    """The result's field that holds the answer."""
    implementation: str
    """The class a server step defines to answer calls."""
    contract_module: str
    """The contract library the programs import."""
    server_tutorial: str
    """The tutorial whose finished file serves (``server`` for ``pyserver.py``)."""
    client_tutorial: str
    """The tutorial whose finished file calls the server."""

    def call_body(self, text: str) -> bytes:
        """The JSON envelope of a call of :attr:`method` with ``text``."""
        argument = {"$class": self.request_class, self.request_field: text}
        return json.dumps({"$method": self.method, "rpc": argument}).encode()

    def answer_text(self, answer: dict) -> str:
        """The text of a decoded answer (its :attr:`result_field`), or ``""`` if it is not a result."""
        return answer.get(self.result_field, "") if answer.get("$class") == self.response_class else ""


HELLO = Example(
    folder=REPO_ROOT / "examples" / "helloRPC",
    address="127.0.0.1:8910",
    path="/hello",
    method="hello",
    request_class="hello.Request",
    request_field="text",
    response_class="hello.Response",
    result_field="result",
    implementation="HelloImpl",
    contract_module="hello",
    server_tutorial="server",
    client_tutorial="client",
)
"""The Hello example: ``pyserver.py`` and ``pyclient.py`` on ``http://127.0.0.1:8910/hello``."""
