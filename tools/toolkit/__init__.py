"""The helpers the project's tests, benchmarks and tools share, one module per concern.

``processes``
    start and stop programs, free ports, bounded line reads;
``git``
    one git runner, with failures as :class:`~toolkit.git.GitError`;
``http``
    one reader of HTTP answers (status, headers, body), off a socket or from bytes;
``runtime_testkit``
    the runtime's test helpers: Hello call bytes, the example's contract, a raw client;
``fuzz``
    seeded, structured random requests for fuzzing the runtime.

``pyproject.toml`` puts ``tools/`` on pytest's ``pythonpath``; benchmarks and
tools run with ``tools/`` on their path in the same way, so nothing here is
imported from ``tests/``.
"""
