"""What a ``@doc`` text becomes in the generated library: one layout, whatever the Python version.

A ``@doc`` text ends up twice in the library: as a docstring (``__doc__``) and
as a ``doc=`` string. Python treats docstrings differently across versions:
3.13 expands tabs and removes indentation when it compiles a docstring, while
3.11 and 3.12 keep them and leave that to ``inspect.cleandoc``, Sphinx and
``help()``, which do not all count the same characters as indentation. So the
compiler lays the text out once, here, the way every one of them reads a
docstring, and writes that text to both places:

- every kind of line break (``\\r\\n``, ``\\r``, form feed, ...) becomes ``\\n``;
- a tab becomes spaces up to the next multiple of 8 columns;
- a line's leading whitespace of any kind is indentation: one space per character;
- the first line loses its indentation, the others lose the indentation they
  share, and every line loses its trailing whitespace;
- blank lines at the start and the end go.

The result holds no tab and no line starts with anything but spaces, so
``inspect.cleandoc(X.__doc__)`` is that text on every version (wrapped, when a
line is too long for the docstring), and it is exactly the ``doc=`` string.
"""

from __future__ import annotations

__all__ = ["doc_text"]

_TAB_SIZE = 8


def doc_text(text: str) -> str:
    """``text`` (a ``@doc`` string's value) as the generated library's docstrings and ``doc=`` hold it."""
    lines = [_indent_as_spaces(line.expandtabs(_TAB_SIZE)).rstrip() for line in text.splitlines()]
    if not lines:
        return ""
    lines[0] = lines[0].lstrip()
    margins = [len(line) - len(line.lstrip(" ")) for line in lines[1:] if line]
    margin = min(margins, default=0)
    lines[1:] = [line[margin:] for line in lines[1:]]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def _indent_as_spaces(line: str) -> str:
    body = line.lstrip()
    return " " * (len(line) - len(body)) + body
