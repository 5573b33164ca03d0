"""Writing the generated library: all or nothing.

The text goes to a new temporary file in the target's own folder, which is
then renamed over the target in one step, so a reader (or an interrupted
run) never sees half a library, and a failed run leaves the old one as it was.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

__all__ = ["write_atomically"]


def write_atomically(target: Path, text: str) -> None:
    """Replace ``target`` with ``text`` (UTF-8, ``\\n`` line ends) in one step; raises :class:`OSError`."""
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    # os.open applies the umask, so the library gets the permissions of any new file.
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with open(descriptor, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
