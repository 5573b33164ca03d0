"""A contract written on a page or in a docstring (a ``java`` block): the real compiler must accept it whole."""

from __future__ import annotations

from ..examples import Example
from ..records import Block, Build
from .base import Check, Context

CONTRACT_LANGUAGE = "java"
"""The language the pages highlight a contract (``.q``) in."""


def compile_error(text: str, where: str) -> str | None:
    """The compiler's message for ``text``, or ``None`` if it compiles."""
    from quark_threaded_runtime.compile import CompileError, compile_source

    try:
        compile_source(text, where)
    except CompileError as error:
        return str(error)
    return None


class ContractCheck(Check):
    """Compiles each whole contract a page shows."""

    name = "contract"
    tally = "run"

    def claims(self, block: Block, build: Build, examples: tuple[Example, ...]) -> bool:
        from .quotes import example_files, quoted_from

        return (
            block.kind == "literal"
            and block.language == CONTRACT_LANGUAGE
            and not block.exempt
            and quoted_from(block.text, example_files()) is None
        )

    def verify(self, item, context: Context) -> None:
        block = item.blocks[0]
        error = compile_error(block.text, block.where)
        assert error is None, f"{block.where}: the contract does not compile: {error}"
