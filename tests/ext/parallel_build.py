"""Build a Sphinx project with ``-j 2``, its pages read in worker processes started by a given start method.

Usage: ``python parallel_build.py START_METHOD SOURCE_DIR CONF_DIR OUT_DIR``

Sphinx's parallel reader always forks (it asks for the ``fork`` start method
by name), and a worker inherits everything the parent process held. A worker
started by ``forkserver`` (Python 3.14's default on Linux) or ``spawn``
(macOS's) inherits nothing: it imports the extensions afresh, reads its pages
with an application of its own, and only what pickles comes back. So that a
project's extensions can be checked under those start methods too, this
script reads the pages the way Sphinx's reader does (purge, read in chunks,
merge each worker's environment with ``env-merge-info``) but starts the
workers with ``START_METHOD`` and lets each build its own application from
the configuration. With ``fork`` it leaves Sphinx's own reader alone.

The build runs as ``sphinx-build -W --keep-going -j 2 -b html`` would, in
this process, which is single-threaded when it forks. To show which process
read which page, it writes ``OUT_DIR/_readers.json``:
``{"readers": {page: process id}, "builder": process id}``.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import pickle
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.cmd.build import build_main
from sphinx.util import logging
from sphinx.util.parallel import make_chunks

logger = logging.getLogger(__name__)

_READERS = "parallel_build_readers"


def _note_reader(app: Sphinx, doctree: object) -> None:
    # Runs in whichever process reads the page; the note travels back with that process's environment.
    readers = app.env.__dict__.setdefault(_READERS, {})
    readers[app.env.docname] = os.getpid()


def _merge_readers(app: Sphinx, env: object, docnames: object, other: object) -> None:
    env.__dict__.setdefault(_READERS, {}).update(getattr(other, _READERS, {}))


def _write_readers(app: Sphinx, exception: BaseException | None) -> None:
    readers = {"readers": getattr(app.env, _READERS, {}), "builder": os.getpid()}
    (Path(app.outdir) / "_readers.json").write_text(json.dumps(readers), encoding="utf-8")


def setup(app: Sphinx) -> dict[str, object]:
    """Record which process read each page (loaded by the build through ``-D extensions``)."""
    app.connect("doctree-read", _note_reader)
    app.connect("env-merge-info", _merge_readers)
    app.connect("build-finished", _write_readers)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def _read_chunk(job: tuple[str, str, str, str, str, list[str]]) -> tuple[bytes, int]:
    """In a worker: read ``docnames`` with an application of this process's own; its environment, pickled."""
    srcdir, confdir, outdir, doctreedir, buildername, docnames = job
    overrides = {"extensions": [*_configured_extensions(confdir), Path(__file__).stem]}
    warnings = io.StringIO()
    app = Sphinx(srcdir, confdir, outdir, doctreedir, buildername, overrides, None, warnings, freshenv=True)
    app.env.find_files(app.config, app.builder)
    # As in a forked worker, whose environment the parent purged of these pages before forking.
    for docname in docnames:
        app.events.emit("env-purge-doc", app.env, docname)
        app.env.clear_doc(docname)
    for docname in docnames:
        app.builder.read_doc(docname)
    sys.stderr.write(warnings.getvalue())
    return pickle.dumps(app.env, pickle.HIGHEST_PROTOCOL), warnings.getvalue().count("WARNING:")


def _configured_extensions(confdir: str) -> list[str]:
    namespace: dict[str, object] = {"__file__": str(Path(confdir) / "conf.py")}
    exec((Path(confdir) / "conf.py").read_text(encoding="utf-8"), namespace)
    return list(namespace.get("extensions", []))


def _reader_for(method: str) -> Callable[[Builder, list[str], int], None]:
    def read_parallel(builder: Builder, docnames: list[str], nproc: int) -> None:
        # Sphinx 9 keeps the application private; 8.2 calls it builder.app.
        app = getattr(builder, "_app", None) or builder.app
        for docname in docnames:
            app.events.emit("env-purge-doc", builder.env, docname)
            builder.env.clear_doc(docname)
        chunks = make_chunks(docnames, nproc)
        where = (str(builder.srcdir), str(builder.confdir), str(builder.outdir), str(builder.doctreedir), builder.name)
        context = multiprocessing.get_context(method)
        # One process per chunk, as in Sphinx: a second application in one process registers everything twice.
        with ProcessPoolExecutor(max_workers=nproc, mp_context=context, max_tasks_per_child=1) as pool:
            for chunk, (pickled, warnings) in zip(
                chunks, pool.map(_read_chunk, [(*where, c) for c in chunks]), strict=True
            ):
                if warnings:
                    logger.warning("%d warning(s) while a worker read %s", warnings, ", ".join(chunk))
                builder.env.merge_info_from(chunk, pickle.loads(pickled), app)

    return read_parallel


def main(arguments: list[str]) -> int:
    """Build as described above; the exit status is sphinx-build's."""
    method, srcdir, confdir, outdir = arguments
    if method != "fork":
        Builder._read_parallel = _reader_for(method)
    # Run as a script, this file's folder is sys.path[0]: the workers inherit it and find its setup().
    extensions = ",".join([*_configured_extensions(confdir), Path(__file__).stem])
    return build_main(
        ["-W", "--keep-going", "-j", "2", "-b", "html", "-c", confdir, "-D", f"extensions={extensions}", srcdir, outdir]
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
