"""Every way a contract can be wrong gets one message per error, at its file:line:column."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from quark_threaded_runtime.compile import CompileError, compile_source
from quark_threaded_runtime.errors import QuarkError

CASES = [
    pytest.param(
        "class A {}",
        ["bad.q:1:1: expected 'package', found 'class'"],
        id="no-package",
    ),
    pytest.param(
        "",
        ["bad.q:1:1: expected 'package', found end of file"],
        id="empty",
    ),
    pytest.param(
        "package p v1 { }",
        ["bad.q:1:11: expected a version such as 1.0.0, found 'v1'"],
        id="bad-version",
    ),
    pytest.param(
        "package p 1.0. { }",
        ["bad.q:1:11: expected a version such as 1.0.0, found '1.0.'"],
        id="version-trailing-dot",
    ),
    pytest.param(
        "package p 1.0 class A {}",
        ["bad.q:1:15: expected '{' or ';' after the package version, found 'class'"],
        id="no-block",
    ),
    pytest.param(
        "package p 1 {\n  class A {\n    String a\n    int b;\n  }\n}",
        ["bad.q:3:13: expected ';', found 'int'"],
        id="missing-semicolon",
    ),
    pytest.param(
        "package p 1 {\n  class A {\n    String;\n  }\n}",
        ["bad.q:3:11: expected a field name, found ';'"],
        id="missing-field-name",
    ),
    pytest.param(
        "package p 1 {\n  class A {\n    A get(A a);\n  }\n}",
        ["bad.q:3:10: expected ';', found '(' (methods belong in an interface)"],
        id="method-in-class",
    ),
    pytest.param(
        "package p 1 {\n  class A {}\n  interface I extends Service {\n    String text;\n  }\n}",
        ["bad.q:4:16: expected '(', found ';' (an interface declares methods only)"],
        id="field-in-interface",
    ),
    pytest.param(
        "package p 1 {\n  class A {}\n  interface I extends Service {\n    A f(A a, A b);\n  }\n}",
        ["bad.q:4:12: expected ')', found ',' (a method takes exactly one value)"],
        id="two-arguments",
    ),
    pytest.param(
        "package p 1 {\n  class A {}\n  interface I extends Service {\n    A f();\n  }\n}",
        ["bad.q:4:9: expected an argument type (a method takes exactly one value), found ')'"],
        id="no-argument",
    ),
    pytest.param(
        "package p 1 {\n  class A {}\n  interface I extends Service {\n    String f(List<A> a);\n  }\n}",
        [
            "bad.q:4:5: expected a value class as the method's result, found 'String'",
            "bad.q:4:14: expected a value class as the method's argument, found 'List<A>'",
        ],
        id="builtin-result",
    ),
    pytest.param(
        "package p 1 {\n  interface I extends Thing {}\n}",
        ["bad.q:2:23: expected 'Service', found 'Thing'"],
        id="interface-without-service",
    ),
    pytest.param(
        "package p 1 {\n  interface I {}\n}",
        ["bad.q:2:15: expected 'extends', found '{'"],
        id="interface-without-extends",
    ),
    pytest.param(
        "package p 1 {\n  class A extends B {}\n}",
        ["bad.q:2:19: expected 'Client' or 'Server' (only adapters extend; a value class extends nothing), found 'B'"],
        id="class-extends-other",
    ),
    pytest.param(
        "package p 1 {\n  interface I extends Service {}\n  class C extends Client I {}\n}",
        ["bad.q:3:26: expected ',', found 'I' (a client adapter extends Client, <interface>)"],
        id="client-without-comma",
    ),
    pytest.param(
        "package p 1 {\n  interface I extends Service {}\n  class S extends Server<I {}\n}",
        ["bad.q:3:28: expected '>', found '{'"],
        id="server-without-close",
    ),
    pytest.param(
        "package p 1 {\n  interface I extends Service {}\n  class C extends Client, I { String a; }\n}",
        ["bad.q:3:31: expected '}', found 'String' (an adapter's body is empty)"],
        id="adapter-with-body",
    ),
    pytest.param(
        "package p 1 {\n  class A {}\n  class S extends Server<A> {}\n}",
        ["bad.q:3:26: expected an interface, found value class 'A'"],
        id="adapter-of-value",
    ),
    pytest.param(
        "package p 1 {\n  interface Hello extends Service {}\n  class C extends Client, Helo {}\n}",
        ["bad.q:3:27: expected an interface, found undefined name 'Helo' (did you mean 'Hello'?)"],
        id="adapter-of-nothing",
    ),
    pytest.param(
        "package p 1 {\n  class A {\n    Strng s;\n  }\n}",
        [
            "bad.q:3:5: expected a field type (a built-in type or a value class), "
            "found undefined name 'Strng' (did you mean 'String'?)"
        ],
        id="undefined-type",
    ),
    pytest.param(
        "package p 1 {\n  interface I extends Service {}\n  class A {\n    List<I> s;\n  }\n}",
        ["bad.q:4:10: expected a field type (a built-in type or a value class), found interface 'I'"],
        id="interface-as-field",
    ),
    pytest.param(
        "package p 1 {\n  class A {\n    List<int, int> s;\n  }\n}",
        ["bad.q:3:13: expected '>', found ',' (List takes one type)"],
        id="list-two-args",
    ),
    pytest.param(
        "package p 1 {\n  class A {\n    List s;\n  }\n}",
        ["bad.q:3:10: expected '<', found 's' (write List<T>)"],
        id="list-no-args",
    ),
    pytest.param(
        "package p 1 {\n  class A {\n    Map<int,String> s;\n  }\n}",
        ["bad.q:3:9: expected 'String' (map keys are text), found 'int'"],
        id="map-int-key",
    ),
    pytest.param(
        "package p 1 {\n  class A {\n    Map<String> s;\n  }\n}",
        ["bad.q:3:15: expected ',', found '>'"],
        id="map-one-arg",
    ),
    pytest.param(
        'package p 1 {\n  @dco("x")\n  class A {}\n}',
        ["bad.q:2:4: unknown annotation @dco: expected @doc or @delegate"],
        id="unknown-annotation",
    ),
    pytest.param(
        "package p 1 {\n  @doc(x)\n  class A {}\n}",
        ["bad.q:2:8: expected a string (write @doc(\"text\")), found 'x'"],
        id="doc-without-string",
    ),
    pytest.param(
        'package p 1 {\n  @doc("a") @doc("b")\n  class A {}\n}',
        ["bad.q:2:14: duplicate @doc: expected one @doc per declaration"],
        id="duplicate-doc",
    ),
    pytest.param(
        'package p 1 {\n  @doc("abc\n  class A {}\n}',
        ["bad.q:2:8: unterminated string: expected '\"', found end of line", "bad.q:2:12: expected ')', found 'class'"],
        id="unterminated-string",
    ),
    pytest.param(
        "package p 1 {\n  class A {}\n} /* never closed",
        ["bad.q:3:3: unterminated comment: expected '*/', found end of file"],
        id="unterminated-comment",
    ),
    pytest.param(
        "package p 1 {\n  class A { String # s; }\n}",
        ["bad.q:2:20: unexpected character '#'"],
        id="unexpected-character",
    ),
    pytest.param(
        "package p 1 {\n  @doc('x') class A {}\n}",
        ["bad.q:2:8: expected '\"' (strings use double quotes), found \"'\""],
        id="single-quotes",
    ),
    pytest.param(
        'package p 1 {\n  @doc("a\\qb") class A {}\n}',
        ['bad.q:2:10: unknown escape \\q: expected one of \\" \\\\ \\n \\t \\r \\uXXXX'],
        id="bad-escape",
    ),
    pytest.param(
        'package p 1 {\n  @doc("a\\u12") class A {}\n}',
        ["bad.q:2:10: bad escape: expected \\u and four hex digits"],
        id="bad-unicode-escape",
    ),
    pytest.param(
        "package p 1 {\n  class A {}\n  class A {}\n}",
        ["bad.q:3:9: duplicate name 'A': already declared at line 2"],
        id="duplicate-class",
    ),
    pytest.param(
        "package p 1 {\n  class A {\n    int n;\n    String n;\n  }\n}",
        ["bad.q:4:12: duplicate field 'n' in A: already declared at line 3"],
        id="duplicate-field",
    ),
    pytest.param(
        "package p 1 {\n  class A {}\n  interface I extends Service {\n    A f(A a);\n    A f(A b);\n  }\n}",
        ["bad.q:5:7: duplicate method 'f' in I: already declared at line 4"],
        id="duplicate-method",
    ),
    pytest.param(
        "package p 1 {\n  class None {}\n}",
        ["bad.q:2:9: 'None' is a Python keyword: expected another name"],
        id="keyword-class",
    ),
    pytest.param(
        "package p 1 {\n  class A {\n    int from;\n  }\n}",
        ["bad.q:3:9: field name 'from' is a Python keyword: expected another name"],
        id="keyword-field",
    ),
    pytest.param(
        "package p 1 {\n  class A {}\n  interface I extends Service {\n    A lambda(A a);\n  }\n}",
        ["bad.q:4:7: method name 'lambda' is a Python keyword: expected another name"],
        id="keyword-method",
    ),
    pytest.param(
        "package p 1 {\n  class Value {}\n  class Int {}\n}",
        [
            "bad.q:2:9: 'Value' is reserved (a built-in type or a name the library imports): expected another name",
            "bad.q:3:9: 'Int' is reserved (a built-in type or a name the library imports): expected another name",
        ],
        id="reserved-class",
    ),
    pytest.param(
        "package p 1 {\n  class _A { int _n; }\n}",
        [
            "bad.q:2:9: '_A' starts with '_': expected a public name",
            "bad.q:2:18: field name '_n' starts with '_': expected a public name",
        ],
        id="underscore-names",
    ),
    pytest.param(
        "package p 1 {\n  class A {}\n  interface I extends Service {\n    A close(A a);\n    A invoke(A a);\n  }\n}",
        [
            "bad.q:4:7: method name 'close' is taken by the client and server adapters: expected another name",
            "bad.q:5:7: method name 'invoke' is taken by the client and server adapters: expected another name",
        ],
        id="adapter-attribute",
    ),
    pytest.param(
        "package p 1 {\n  class B {}\n  class A {\n    B B;\n    B c;\n  }\n"
        "  interface I extends Service {\n    B A(B b);\n  }\n}",
        [
            "bad.q:4:7: field name 'B' is the name of value class 'B': expected another name",
            "bad.q:8:7: method name 'A' is the name of value class 'A': expected another name",
        ],
        id="member-named-like-a-class",
    ),
    pytest.param(
        "package p 1 {\n  class A {\n    int field;\n    List<String> String;\n  }\n}",
        [
            "bad.q:3:9: field name 'field' is reserved (a built-in type or a name the library imports): "
            "expected another name",
            "bad.q:4:18: field name 'String' is reserved (a built-in type or a name the library imports): "
            "expected another name",
        ],
        id="member-named-like-an-import",
    ),
    pytest.param(
        "package p 1 {\n  class Node {\n    List<Node> kids;\n  }\n}",
        ["bad.q:2:9: expected value classes without cycles, found Node -> Node (a value class cannot contain itself)"],
        id="self-cycle",
    ),
    pytest.param(
        "package p 1 {\n  class A { B b; }\n  class B { Map<String,A> a; }\n  class C { A a; }\n}",
        ["bad.q:2:9: expected value classes without cycles, found A -> B -> A (a value class cannot contain itself)"],
        id="two-class-cycle",
    ),
    pytest.param(
        "package p 1 {\n  class A {\n    int n;\n  class B {}\n}",
        ["bad.q:4:3: expected '}' to close class A (opened at line 2), found 'class'"],
        id="unclosed-class",
    ),
    pytest.param(
        "package p 1 {\n  class A {}\n",
        ["bad.q:3:1: expected '}' to close package p (opened at line 1), found end of file"],
        id="unclosed-package",
    ),
    pytest.param(
        "package p 1 {\n}\nclass A {}\n",
        ["bad.q:3:1: expected end of file after the package block, found 'class'"],
        id="after-package",
    ),
    pytest.param(
        "package p 1;\nclass A {}\n}\nclass B {}\n",
        ["bad.q:3:1: expected 'class', 'interface' or 'namespace', found '}'"],
        id="stray-brace",
    ),
    pytest.param(
        "package p 1 {\n  class A {\n    String class;\n  }\n}",
        ["bad.q:3:12: expected a field name, found 'class'"],
        id="keyword-as-name",
    ),
]


@pytest.mark.parametrize(("text", "messages"), CASES)
def test_error_is_reported_where_it_is(errors_of, text: str, messages: list[str]) -> None:
    assert errors_of(text) == messages


def test_every_error_in_a_file_is_reported_in_source_order(errors_of) -> None:
    text = """\
package p 1 {
  class A {
    Strng s
  }
  class B { int n; int n; }
  interface I extends Service {
    A f(A a, A b);
    A g(Missing m);
  }
  class C extends Client, J {}
}
"""
    assert errors_of(text) == [
        "bad.q:3:12: expected ';', found '}'",
        "bad.q:5:24: duplicate field 'n' in B: already declared at line 5",
        "bad.q:7:12: expected ')', found ',' (a method takes exactly one value)",
        "bad.q:8:9: expected a value class as the method's argument, found undefined name 'Missing'",
        "bad.q:10:27: expected an interface, found undefined name 'J'",
    ]


def test_a_declaration_with_a_bad_member_still_resolves(errors_of) -> None:
    # B's broken field does not make B undefined for A, so there is no second, misleading error.
    text = "package p 1 {\n  class A { B b; }\n  class B { int; }\n}"
    assert errors_of(text) == ["bad.q:3:16: expected a field name, found ';'"]


def test_messages_name_the_file_as_given(errors_of) -> None:
    assert errors_of("package p 1 { class A { X x; } }", file="contracts/shop.q")[0].startswith(
        "contracts/shop.q:1:25: "
    )


def test_compile_error_is_a_quark_error_with_one_line_per_diagnostic() -> None:
    with pytest.raises(CompileError) as caught:
        compile_source("package p 1 {\n  class A { X x; Y y; }\n}", "bad.q")
    assert isinstance(caught.value, QuarkError)
    assert len(caught.value.diagnostics) == 2
    assert str(caught.value).splitlines() == [str(diagnostic) for diagnostic in caught.value.diagnostics]
    first = caught.value.diagnostics[0]
    assert (first.position.file, first.position.line, first.position.column) == ("bad.q", 2, 13)


def test_mangled_contracts_compile_or_fail_cleanly() -> None:
    # Whatever the text, the compiler ends with a library that runs or with located messages: never a crash.
    texts = [path.read_text(encoding="utf-8") for path in (Path(__file__).parent / "contracts").glob("*.q")]
    pieces = [*"{}()<>,;.@:\"'/*\n xY1_", "class", "extends", "List<", "Map<String,", '@doc("x")', "/*", "//"]
    chance = random.Random(20261125)
    for _ in range(300):
        text = chance.choice(texts)
        for _ in range(chance.randint(1, 4)):
            where = chance.randrange(len(text) + 1)
            if chance.random() < 0.5:
                text = text[:where] + text[where + chance.randint(1, 5) :]
            else:
                text = text[:where] + chance.choice(pieces) + text[where:]
        try:
            library = compile_source(text, "mangled.q")
        except CompileError as error:
            assert error.diagnostics
            assert all(1 <= d.position.line <= text.count("\n") + 1 for d in error.diagnostics)
        else:
            exec(compile(library, "mangled.py", "exec"), {"__name__": "mangled"})
