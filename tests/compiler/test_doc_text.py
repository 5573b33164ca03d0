"""A @doc text with tabs, indentation or odd line breaks reads the same in ``__doc__`` and ``doc=`` on every Python."""

from __future__ import annotations

import inspect
import sys

import pytest

from quark_threaded_runtime.compile.doctext import doc_text

# (the @doc string as written in the contract, the text the library holds)
LAYOUTS = [
    (r"tab\there", "tab     here"),
    (r"a\tb\n\tc\td", "a       b\nc       d"),
    (r"   leading spaces", "leading spaces"),
    (r"\tleading tab", "leading tab"),
    (r"trailing spaces   ", "trailing spaces"),
    (r"first\n    second\n      third", "first\nsecond\n  third"),
    (r"first\n\tsecond\n\t  third", "first\nsecond\n  third"),
    (r"\n\n  blank lines around\n  go\n\n", "blank lines around\ngo"),
    (r"windows\r\nline\rbreaks", "windows\nline\nbreaks"),
    (r"form\u000cfeed\u2028and separator", "form\nfeed\nand separator"),
    (r"first\n\u00a0non-breaking indent\n  deeper", "first\nnon-breaking indent\n deeper"),
    (r"inner\u00a0space stays", "inner\u00a0space stays"),
    (r"   ", ""),
]


@pytest.mark.parametrize(("written", "doc"), LAYOUTS)
def test_doc_and_docstring_agree(compile_text, load_library, written, doc) -> None:
    source = compile_text(
        f'@doc("{written}") package p 1 {{ @doc("{written}") class A {{ @doc("{written}") int n; }}'
        f' @doc("{written}") interface I extends Service {{ @doc("{written}") A m(@doc("x") A a); }} }}'
    )
    library = load_library(source)
    assert library.A.__fields__["n"].doc == (doc or None)
    assert inspect.cleandoc(library.A.__doc__ or "") == doc
    assert inspect.cleandoc(library.I.__doc__ or "") == doc
    assert library.I.__methods__["m"].doc == f"{doc}\n\na: x".strip()
    assert doc == "" or f"\n\n{doc}\n\n" in inspect.cleandoc(library.__doc__)


@pytest.mark.parametrize(("written", "doc"), LAYOUTS)
def test_docstring_source_has_no_tab_and_indents_with_spaces(compile_text, written, doc) -> None:
    # What Python 3.13's compiler would change in a docstring: a tab, or indentation that is not spaces.
    source = compile_text(f'package p 1 {{ @doc("{written}") class A {{}} }}')
    body = source.split("class A(", 1)[1]
    assert "\t" not in body and "\\t" not in body
    for line in body.splitlines():
        assert line == line.lstrip() or line.startswith(" ")


@pytest.mark.skipif(sys.version_info < (3, 13), reason="the compiler cleans docstrings itself from Python 3.13")
@pytest.mark.parametrize(("written", "doc"), LAYOUTS)
def test_python_313_keeps_the_docstring_as_written(compile_text, load_library, written, doc) -> None:
    library = load_library(compile_text(f'package p 1 {{ @doc("{written}") class A {{ @doc("{written}") int n; }} }}'))
    assert (library.A.__doc__ or "").rstrip("\n") == doc


def test_doc_text_is_settled() -> None:
    # Laying out a text already laid out changes nothing, so reading a docstring back gives the same text.
    for _, doc in LAYOUTS:
        assert doc_text(doc) == doc
        assert inspect.cleandoc(doc) == doc
