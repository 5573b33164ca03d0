"""Servers the checks talk to, started on first use and stopped when the test session ends.

* :meth:`Servers.port`: the example's finished server program, run as a
  reader runs it (a copy of the folder, a fresh interpreter, a free port).
  Client programs run against it.
* :meth:`Servers.live`: the finished implementation served by the runtime in
  this process on a free port, for wire examples; :meth:`Live.sent` records
  what the example's real client sends for a text.
"""

from __future__ import annotations

import contextlib
import http.server
import importlib.util
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.processes import free_port

from .examples import Example, adapters, value_class
from .programs import example_copy, started, wait_until_serving
from .records import relative


@dataclass
class Sent:
    """What a client really sent: request line, headers, body."""

    start: str = ""
    headers: dict = field(default_factory=dict)
    body: bytes = b""


def _import(name: str, path: Path, register: dict):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    register[name] = module
    spec.loader.exec_module(module)
    return module


def import_example(example: Example) -> tuple[object, object]:
    """Import the example's contract library and finished server module; return (library, server module).

    The server module imports the library by its name, so the library is
    registered in ``sys.modules`` for the import only, then removed.
    """
    saved = {name: sys.modules.get(name) for name in (example.library,)}
    registered: dict = {}
    try:
        library = _import(example.library, example.folder / f"{example.library}.py", registered)
        sys.modules[example.library] = library
        server = _import(f"_docs_harness_server_{example.name}", example.server.finished, registered)
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
    return library, server


@dataclass
class Live:
    """The finished implementation, served in this process."""

    example: Example
    library: object
    port: int

    def sent(self, text: str) -> Sent:
        """What the example's real client sends for a call carrying ``text``, as a server receives it."""
        from quark_threaded_runtime import Runtime

        sent = Sent()
        answer = ('{"$class":"%s"}' % self.example.call.result).encode()  # noqa: UP031 - JSON braces

        class Recorder(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                sent.start = self.requestline
                sent.headers = dict(self.headers.items())
                sent.body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        recorder = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
        thread = threading.Thread(target=recorder.serve_forever, daemon=True)
        thread.start()
        try:
            port = recorder.server_address[1]
            client_class, _ = adapters(self.library)
            argument = value_class(self.library, self.example.call.argument)
            value = argument(**{name: text for name, kind in self.example.call.argument_fields if kind == "String"})
            with client_class(Runtime(), f"http://127.0.0.1:{port}{self.example.path}") as client:
                getattr(client, self.example.call.method)(value)
        finally:
            recorder.shutdown()
            recorder.server_close()
            thread.join(5)
        sent.headers["Host"] = sent.headers.get("Host", "").replace(f"127.0.0.1:{port}", self.example.address)
        return sent


class Servers:
    """Starts servers on first use; :meth:`close` stops them all."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self.stack = contextlib.ExitStack()
        self.ports: dict[Path, int] = {}
        self.lives: dict[Path, Live] = {}

    def port(self, example: Example) -> int:
        """The port of the example's finished server program (started on first use)."""
        if example.folder not in self.ports:
            finished = example.server.finished
            copy = example_copy(example.folder, self.scratch / f"server-{example.name}" / example.name)
            running = self.stack.enter_context(started([finished.name], copy, example, free_port()))
            assert wait_until_serving(running), f"the finished server {relative(finished)} exited:\n{running.output}"
            self.ports[example.folder] = running.port
        return self.ports[example.folder]

    def live(self, example: Example) -> Live:
        """The finished implementation served in this process (started on first use)."""
        if example.folder not in self.lives:
            from quark_threaded_runtime import Runtime

            library, server = import_example(example)
            implementation = getattr(server, example.implementation)()
            _, adapter = adapters(library)
            runtime = Runtime()
            url = runtime.serveHTTP(f"http://127.0.0.1:0{example.path}", adapter(runtime, implementation), block=False)
            self.stack.callback(runtime.stop)
            self.lives[example.folder] = Live(example, library, int(url.split("/")[2].rpartition(":")[2]))
        return self.lives[example.folder]

    def close(self) -> None:
        """Stop every server started here."""
        self.stack.close()
