"""The tokens of the contract language, as the lexer produces them."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .errors import Position

__all__ = ["KEYWORDS", "Kind", "Token"]


class Kind(enum.Enum):
    """What sort of token a :class:`Token` is."""

    NAME = "a name"
    KEYWORD = "a keyword"
    NUMBER = "a number"
    STRING = "a string"
    PUNCT = "a symbol"
    END = "end of file"


KEYWORDS = frozenset({"package", "namespace", "class", "interface", "extends"})
"""Words that cannot name anything: they start declarations."""


@dataclass(frozen=True)
class Token:
    """One token: its kind, its text (a string's decoded value), where it starts and where it ends."""

    kind: Kind
    text: str
    position: Position
    end: Position

    def is_(self, kind: Kind, text: str | None = None) -> bool:
        """True if this token has ``kind`` and, when given, exactly ``text``."""
        return self.kind is kind and (text is None or self.text == text)

    def describe(self) -> str:
        """The token as an error message shows it after "found"."""
        if self.kind is Kind.END:
            return "end of file"
        if self.kind is Kind.STRING:
            shown = self.text if len(self.text) <= 30 else self.text[:27] + "..."
            return f"string {_quoted(shown)}"
        return f"'{self.text}'"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
