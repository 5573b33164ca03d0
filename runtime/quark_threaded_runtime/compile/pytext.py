"""Python source text: string literals, docstrings and calls laid out as ``ruff format`` lays them out.

The generated library must pass ``ruff format --check`` unchanged, so the
layout rules here follow the formatter's: double quotes unless single quotes
need fewer escapes, a call on one line if it fits, else its arguments on one
indented line, else one argument per line with a trailing comma.
"""

from __future__ import annotations

import textwrap

__all__ = ["LINE_LENGTH", "call", "docstring", "string_literal"]

LINE_LENGTH = 120
"""The longest line the generated code has (the project's ruff ``line-length``)."""

_INDENT = "    "


def string_literal(text: str) -> str:
    """``text`` as a Python string literal, quoted the way the formatter prefers."""
    quote = "'" if text.count('"') > text.count("'") else '"'
    return quote + "".join(_escape(char, quote) for char in text) + quote


def _escape(char: str, quote: str) -> str:
    if char == "\\" or char == quote:
        return "\\" + char
    if char == "\n":
        return "\\n"
    if char == "\t":
        return "\\t"
    if char == "\r":
        return "\\r"
    if not char.isprintable():
        return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
    return char


def docstring(text: str, indent: str) -> list[str]:
    """The lines of a docstring holding ``text``, wrapped to fit, at ``indent``."""
    lines = _docstring_body(text, LINE_LENGTH - len(indent) - 3)
    if len(lines) == 1 and len(indent) + len(lines[0]) + 6 <= LINE_LENGTH:
        return [f'{indent}"""{_close_safe(lines[0])}"""']
    result = [f'{indent}"""{lines[0]}']
    result.extend(f"{indent}{line}" if line else "" for line in lines[1:])
    result.append(f'{indent}"""')
    return result


def _docstring_body(text: str, width: int) -> list[str]:
    escaped = "".join(_escape_doc(char) for char in text.strip()).replace('"""', '\\"\\"\\"')
    first, _, rest = escaped.partition("\n")
    # The formatter removes the indentation later lines share, so remove it here first.
    source_lines = [first, *textwrap.dedent(rest).split("\n")] if rest else [first]
    lines: list[str] = []
    for paragraph_line in source_lines:
        paragraph_line = paragraph_line.rstrip()
        if not paragraph_line:
            lines.append("")
            continue
        wrapped = textwrap.wrap(paragraph_line, width, break_long_words=False, break_on_hyphens=False)
        lines.extend(wrapped or [""])
    return lines


def _escape_doc(char: str) -> str:
    if char == "\\":
        return "\\\\"
    if char == "\n":
        return char
    if char == "\t":
        return "\\t"
    if not char.isprintable():
        return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
    return char


def _close_safe(line: str) -> str:
    # A docstring ending in an unescaped '"' would run into its closing quotes.
    backslashes = len(line[:-1]) - len(line[:-1].rstrip("\\"))
    return line[:-1] + '\\"' if line.endswith('"') and backslashes % 2 == 0 else line


def call(head: str, arguments: list[str], tail: str, indent: str) -> list[str]:
    """The lines of ``head(arguments...)tail`` at ``indent``, laid out to fit the line length."""
    inline = ", ".join(arguments)
    one_line = f"{indent}{head}({inline}){tail}"
    if len(one_line) <= LINE_LENGTH:
        return [one_line]
    inner = indent + _INDENT
    if len(inner) + len(inline) <= LINE_LENGTH:
        return [f"{indent}{head}(", f"{inner}{inline}", f"{indent}){tail}"]
    lines = [f"{indent}{head}("]
    for argument in arguments:
        lines.extend(_argument_lines(argument, inner))
    lines.append(f"{indent}){tail}")
    return lines


def _argument_lines(argument: str, indent: str) -> list[str]:
    if len(indent) + len(argument) + 1 <= LINE_LENGTH:
        return [f"{indent}{argument},"]
    name, equals, value = argument.partition("=")
    if not equals or not value.startswith(("'", '"')):
        return [f"{indent}{argument},"]
    # A string too long for one line: implicit concatenation in parentheses, split at spaces.
    inner = indent + _INDENT
    pieces = _split_literal(value, LINE_LENGTH - len(inner))
    return [f"{indent}{name}=(", *(f"{inner}{piece}" for piece in pieces), f"{indent}),"]


def _split_literal(literal: str, width: int) -> list[str]:
    quote, body = literal[0], literal[1:-1]
    pieces: list[str] = []
    current = ""
    for word in _words(body):
        if current and len(current) + len(word) + 2 > width:
            pieces.append(quote + current + quote)
            current = ""
        current += word
    pieces.append(quote + current + quote)
    return pieces


def _words(body: str) -> list[str]:
    # Split after each space, never inside an escape sequence (escapes contain no spaces).
    words: list[str] = []
    start = 0
    for index, char in enumerate(body):
        if char == " ":
            words.append(body[start : index + 1])
            start = index + 1
    if start < len(body):
        words.append(body[start:])
    return words
