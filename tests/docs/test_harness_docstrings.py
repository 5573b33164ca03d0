"""How the inventory classifies the blocks autodoc takes from the runtime's docstrings, on made-up blocks."""

from __future__ import annotations

from pathlib import Path

from docs_harness.build_docs import Build, Shown
from docs_harness.inventory import classify, is_reader_page

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


def _shown(source: str, kind: str, text: str, language: str = "") -> Shown:
    return Shown("reference/api", source, 8, kind, language, [], text)


def _classify(shown: Shown):
    return classify(shown, Build(Path("."), 0, ""), files=[])


def test_docstring_doctest_block_is_doctested_by_its_modules_test():
    verdict = _classify(_shown(VALUE, "doctest", EXAMPLES))
    assert verdict is not None
    assert (verdict.tally, verdict.how) == ("doctested", "test_docstring_doctests[quark_threaded_runtime.contract]")


def test_docstring_doctest_block_the_installed_docstring_does_not_hold_is_unverified():
    assert _classify(_shown(VALUE, "doctest", EXAMPLES.replace("'hi'", "'ho'"))) is None
    assert _classify(_shown(VALUE.replace(".Value", ".Client"), "doctest", EXAMPLES)) is None


def test_docstring_sketch_gets_no_verdict_of_its_own():
    assert _classify(_shown(VALUE, "literal", "client = HelloClient(runtime, url)\n")) is None


def test_the_api_reference_is_a_readers_page():
    assert is_reader_page(_shown(VALUE, "literal", "x = 1\n"))


def test_contract_block_is_run_if_the_compiler_accepts_it():
    verdict = _classify(_shown(VALUE, "literal", CONTRACT, "java"))
    assert verdict is not None and verdict.tally == "run"
    assert _classify(_shown(VALUE, "literal", CONTRACT.replace("item;", "item"), "java")) is None
