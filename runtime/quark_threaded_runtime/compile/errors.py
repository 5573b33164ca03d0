"""What the compiler reports: located diagnostics, and the error that carries them."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import QuarkError

__all__ = ["CompileError", "Diagnostic", "Position"]


@dataclass(frozen=True, order=True)
class Position:
    """A place in a contract source: file name as given, 1-based line and column."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in a contract, at one place: prints as ``file:line:column: message``."""

    position: Position
    message: str

    def __str__(self) -> str:
        return f"{self.position}: {self.message}"


class CompileError(QuarkError):
    """A contract could not be compiled; ``diagnostics`` lists every problem found, in source order."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics)
        super().__init__("\n".join(str(diagnostic) for diagnostic in self.diagnostics))
