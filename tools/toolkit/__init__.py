"""The helpers the project's tests, benchmarks and tools share, one module per concern.

``processes``
    start and stop programs, free ports, bounded line reads;
``git``
    one git runner, with failures as :class:`~toolkit.git.GitError`, and the questions the docs
    build asks it (the work tree holding a file, the files git tracks in a folder);
``repos``
    throwaway git repositories for tests and benchmarks, isolated from the user's git settings;
``http``
    one reader of HTTP answers (status, headers, body), off a socket or from bytes;
``runtime_testkit``
    the runtime's test helpers: Hello call bytes, the example's contract, a raw client;
``fuzz``
    seeded, structured random requests for fuzzing the runtime.

``pyproject.toml`` puts ``tools/`` on pytest's ``pythonpath``; benchmarks and
tools run with ``tools/`` on their path in the same way, so nothing here is
imported from ``tests/``. ``conf.py`` puts ``tools/`` on ``sys.path`` too: the
Sphinx extensions in ``docs/_ext`` ask git through ``toolkit.git``.
"""
