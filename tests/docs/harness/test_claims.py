"""Which check of the registry claims which block, on made-up blocks (docstring blocks included)."""

from __future__ import annotations

from pathlib import Path

from docs_harness.checks import claims
from docs_harness.examples import find_examples
from docs_harness.records import Block, Build

VALUE = "/src/quark_threaded_runtime/contract.py:docstring of quark_threaded_runtime.contract.Value"
EXAMPLES = """>>> request = Request(text="hi")
>>> request.text
'hi'
"""
CONTRACT = """package shop 1.0.0 {
    class Order {
        String item;
        List<String> notes;
    }
}
"""


def _block(source: str, kind: str, text: str, language: str = "", mark: str = "", page: str = "reference/api") -> Block:
    return Block(page, source, 8, kind, language, (), text, mark=mark)


def _claimed(*blocks: Block) -> list[list[str]]:
    build = Build(Path("."), 0, "", blocks=list(blocks))
    found = claims(build, find_examples())
    return [found[block.key] for block in blocks]


def test_a_docstring_doctest_block_is_the_docstring_checks():
    assert _claimed(_block(VALUE, "doctest", EXAMPLES)) == [["docstring-doctest"]]


def test_a_page_doctest_block_is_the_page_doctest_checks():
    assert _claimed(_block("/docs/library.rst", "doctest", EXAMPLES, page="library")) == [["doctest"]]


def test_a_sketch_that_quotes_nothing_is_unclaimed():
    assert _claimed(_block(VALUE, "literal", "client = SomeClient(runtime, url)\n")) == [[]]


def test_a_quote_of_an_example_file_is_claimed():
    assert _claimed(_block(VALUE, "literal", 'if __name__ == "__main__":\n    main()\n', "python")) == [["quote"]]


def test_a_whole_contract_is_compiled():
    assert _claimed(_block(VALUE, "literal", CONTRACT, "java")) == [["contract"]]


def test_an_exempt_block_is_only_exempt():
    exempt = _block("/docs/maintainers/x.md", "literal", "$ tox -e docs\n", "console", mark="exempt: a full build")
    assert _claimed(exempt) == [["exempt"]]
    assert exempt.exempt == "a full build"


def test_a_text_block_that_repeats_a_console_output_is_compared():
    console = _block("/docs/running.rst", "literal", "$ python pyclient.py\nRequest:  hi\nResponse: hi", "console")
    copy = _block("/docs/introduction.rst", "literal", "Request:  hi\nResponse: hi", "text")
    assert _claimed(console, copy)[1] == ["output-copy"]
