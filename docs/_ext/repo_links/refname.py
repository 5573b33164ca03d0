"""git's ref-name rules (``git help check-ref-format``), applied without git, so a tarball build checks too.

A ref reaches URLs, shell commands and pages; a name git would refuse (``../../x``, a newline, ``a..b``)
is refused here, with the rule it breaks, before it reaches any of them.
"""

from __future__ import annotations

import re

#: A full commit name (SHA-1 or SHA-256), or an abbreviation git accepts (at least 7 hex digits).
_HEX = re.compile(r"[0-9a-f]{7,64}")

_FORBIDDEN = {" ": "a space", "~": "'~'", "^": "'^'", ":": "':'", "?": "'?'", "*": "'*'", "[": "'['", "\\": "'\\'"}


def ref_name_problem(name: str) -> str | None:
    """Why git would refuse *name* as a branch or tag name (the rule it breaks), or None if git accepts it.

    The rules of ``git check-ref-format --allow-onelevel``, numbered as git's manual numbers them, and
    ``--branch``'s refusal of a leading ``-`` (a name that reads as an option on a command line).
    """
    if not name:
        return "it is empty"
    for character in name:
        if ord(character) < 0o40 or ord(character) == 0o177:
            return f"it holds the control character {character!r} (rule 4)"
        if character in _FORBIDDEN:
            return f"it holds {_FORBIDDEN[character]} (rules 4, 5 and 10)"
    if name == "@":
        return "it is the single character '@' (rule 9)"
    if "@{" in name:
        return "it holds '@{' (rule 8)"
    if ".." in name:
        return "it holds '..' (rule 3)"
    if name.startswith("/") or name.endswith("/") or "//" in name:
        return "it begins or ends with '/' or holds '//' (rule 6)"
    if name.endswith("."):
        return "it ends with '.' (rule 7)"
    for part in name.split("/"):
        if part.startswith("."):
            return f"its part {part!r} begins with '.' (rule 1)"
        if part.endswith(".lock"):
            return f"its part {part!r} ends with '.lock' (rule 1)"
    if name.startswith("-"):
        return "it begins with '-' (git check-ref-format --branch)"
    return None


def looks_like_commit(name: str) -> bool:
    """Whether *name* could be a commit name: 7 to 64 lowercase hex digits (git's abbreviations and full names)."""
    return _HEX.fullmatch(name) is not None
