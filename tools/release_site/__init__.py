"""Build the docs site once per released branch and tag, with a version switcher.

Run it as ``python -m tools.release_site`` from the repository root (``tox -e release`` does).
Each version is built from its own git worktree, so its conf.py, extensions and examples are its own.
"""
