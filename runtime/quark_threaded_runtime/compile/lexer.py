"""The lexer: turns contract source text into :class:`~.tokens.Token` objects.

Whitespace, ``// line`` comments and ``/* block */`` comments separate
tokens and are dropped. A character the language has no use for is reported
and skipped, so that one stray character does not hide the errors after it.
"""

from __future__ import annotations

from .errors import Diagnostic, Position
from .tokens import KEYWORDS, Kind, Token

__all__ = ["tokenize"]

_PUNCTUATION = frozenset("{}()<>,;.@:[]=-+")
_NAME_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_NAME_PART = _NAME_START | frozenset("0123456789")
_DIGITS = frozenset("0123456789")
_ESCAPES = {'"': '"', "\\": "\\", "'": "'", "n": "\n", "t": "\t", "r": "\r"}


def tokenize(source: str, file: str) -> tuple[list[Token], list[Diagnostic]]:
    """Split ``source`` (the text of ``file``) into tokens ending with an END token.

    Returns the tokens and the diagnostics for text that is not a token.
    """
    return _Lexer(source, file).run()


class _Lexer:
    def __init__(self, source: str, file: str) -> None:
        self.source = source
        self.file = file
        self.index = 0
        self.line = 1
        self.column = 1
        self.tokens: list[Token] = []
        self.diagnostics: list[Diagnostic] = []

    def run(self) -> tuple[list[Token], list[Diagnostic]]:
        while self.index < len(self.source):
            char = self.source[self.index]
            start = self.here()
            if char in " \t\r\n\f":
                self.advance()
            elif self.source.startswith("//", self.index):
                while self.index < len(self.source) and self.source[self.index] != "\n":
                    self.advance()
            elif self.source.startswith("/*", self.index):
                self.block_comment(start)
            elif char == '"':
                self.string(start)
            elif char in _NAME_START:
                text = self.take(_NAME_PART)
                self.add(Kind.KEYWORD if text in KEYWORDS else Kind.NAME, text, start)
            elif char in _DIGITS:
                # A version such as 1.0.0 is one token: digits, dots and what may follow them.
                self.add(Kind.NUMBER, self.take(_NAME_PART | {"."}), start)
            elif char in _PUNCTUATION:
                self.advance()
                self.add(Kind.PUNCT, char, start)
            elif char == "'":
                # Read it as the string it was meant to be, so that parsing goes on undisturbed.
                self.error(start, "expected '\"' (strings use double quotes), found \"'\"")
                self.string(start)
            else:
                self.error(start, f"unexpected character {_show_char(char)}")
                self.advance()
        self.add(Kind.END, "", self.here())
        return self.tokens, self.diagnostics

    def here(self) -> Position:
        return Position(self.file, self.line, self.column)

    def advance(self) -> str:
        char = self.source[self.index]
        self.index += 1
        if char == "\n":
            self.line += 1
            self.column = 1
        else:
            self.column += 1
        return char

    def take(self, allowed: frozenset[str]) -> str:
        begin = self.index
        while self.index < len(self.source) and self.source[self.index] in allowed:
            self.advance()
        return self.source[begin : self.index]

    def error(self, position: Position, message: str) -> None:
        self.diagnostics.append(Diagnostic(position, message))

    def block_comment(self, start: Position) -> None:
        end = self.source.find("*/", self.index + 2)
        if end < 0:
            self.error(start, "unterminated comment: expected '*/', found end of file")
            end = len(self.source)
        else:
            end += 2
        while self.index < end:
            self.advance()

    def add(self, kind: Kind, text: str, start: Position) -> None:
        self.tokens.append(Token(kind, text, start, self.here()))

    def string(self, start: Position) -> None:
        quote = self.advance()
        chars: list[str] = []
        while True:
            if self.index >= len(self.source) or self.source[self.index] == "\n":
                found = "end of file" if self.index >= len(self.source) else "end of line"
                self.error(start, f"unterminated string: expected '{quote}', found {found}")
                break
            char = self.advance()
            if char == quote:
                break
            if char == "\\":
                chars.append(self.escape())
            else:
                chars.append(char)
        self.add(Kind.STRING, "".join(chars), start)

    def escape(self) -> str:
        position = Position(self.file, self.line, self.column - 1)
        if self.index >= len(self.source) or self.source[self.index] == "\n":
            return "\\"
        char = self.advance()
        if char in _ESCAPES:
            return _ESCAPES[char]
        if char == "u":
            digits = self.source[self.index : self.index + 4]
            if len(digits) == 4 and all(d in "0123456789abcdefABCDEF" for d in digits):
                for _ in digits:
                    self.advance()
                return chr(int(digits, 16))
            self.error(position, "bad escape: expected \\u and four hex digits")
            return "u"
        self.error(position, f'unknown escape \\{char}: expected one of \\" \\\\ \\n \\t \\r \\uXXXX')
        return char


def _show_char(char: str) -> str:
    if char.isprintable():
        return f"'{char}'"
    return f"U+{ord(char):04X}"
