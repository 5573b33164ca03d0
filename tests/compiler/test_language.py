"""Every construct of the contract language compiles into a library that works with the runtime."""

from __future__ import annotations

import inspect
import random

import pytest

from quark_threaded_runtime.compile import CompileError
from quark_threaded_runtime.contract import Client, Server, Service, Value

SHOP = """\
// A contract that uses every construct the compiler accepts.
/* Block comments may
   span lines. */
@doc("A small shop.")
package shop 2.1.0 {
    @doc("One thing for sale.")
    class Item {
        @doc("What it is called.")
        String name;
        int count;
        long serial;
        float price;
        bool available;
        List<String> tags;
        Map<String,int> stock;
        List<Map<String,List<Part>>> nested;
        Part main;
    }

    class Part /* a part of an item */ {
        String label;
    }

    class Empty {}

    @doc("Buys and counts items.")
    interface Shop extends Service {
        @doc("Buy an item.")
        @delegate(self.rpc, {"timeout": 3000})
        Item buy(@doc("The item to buy.") Item item);

        Empty count(Item item); // a second method
    }

    @doc("Calls a shop.")
    class ShopClient extends Client, Shop {}
    class ShopServer extends Server<Shop> {}
}
"""


@pytest.fixture
def shop(compile_text, load_library):
    return load_library(compile_text(SHOP))


def test_value_classes_have_the_declared_wire_names_and_field_types(shop) -> None:
    assert issubclass(shop.Item, Value)
    assert shop.Item.__wire_name__ == "shop.Item"
    declared = {name: field.type.name for name, field in shop.Item.__fields__.items()}
    assert declared == {
        "name": "String",
        "count": "int",
        "serial": "long",
        "price": "float",
        "available": "bool",
        "tags": "List<String>",
        "stock": "Map<String,int>",
        "nested": "List<Map<String,List<shop.Part>>>",
        "main": "shop.Part",
    }


def test_fields_start_at_their_defaults_and_check_their_types(shop) -> None:
    item = shop.Item(name="bolt", stock={"a": 1}, main=shop.Part(label="head"))
    assert (item.count, item.price, item.available, item.tags) == (0, 0.0, False, [])
    assert item.main.label == "head"
    with pytest.raises(TypeError):
        item.count = "three"


def test_a_class_is_generated_after_the_classes_its_fields_name(compile_text) -> None:
    source = compile_text(SHOP)
    assert source.index("class Part(") < source.index("class Item(")
    # Otherwise source order is kept: Item and Empty, then the interface, then the adapters.
    order = [source.index(f"class {name}(") for name in ("Part", "Item", "Empty", "Shop", "ShopClient", "ShopServer")]
    assert order == sorted(order)


def test_an_empty_class_gets_a_pass_body(compile_text) -> None:
    assert 'class Empty(Value, name="shop.Empty"):\n    pass\n' in compile_text(SHOP)


def test_the_interface_declares_exactly_its_methods(shop) -> None:
    assert issubclass(shop.Shop, Service)
    assert shop.Shop.__wire_name__ == "shop.Shop"
    methods = shop.Shop.__methods__
    assert sorted(methods) == ["buy", "count"]
    assert (methods["buy"].argument, methods["buy"].result) == (shop.Item, shop.Item)
    assert (methods["count"].argument, methods["count"].result) == (shop.Item, shop.Empty)


def test_adapters_join_the_runtime_bases_to_the_interface(shop) -> None:
    assert issubclass(shop.ShopClient, Client) and issubclass(shop.ShopClient, shop.Shop)
    assert shop.ShopClient.service is shop.Shop
    assert issubclass(shop.ShopServer, Server)
    assert shop.ShopServer.service is shop.Shop


def test_doc_texts_become_docstrings_and_docs(shop) -> None:
    assert shop.__doc__.startswith("The shop contract library, version 2.1.0.\n\nA small shop.\n")
    assert shop.Item.__doc__ == "One thing for sale."
    assert shop.Item.__fields__["name"].doc == "What it is called."
    assert shop.Item.__fields__["count"].doc is None
    assert shop.Shop.__doc__ == "Buys and counts items."
    assert shop.Shop.__methods__["buy"].doc == "Buy an item.\n\nitem: The item to buy."
    assert shop.ShopClient.__doc__ == "Calls a shop."


def test_the_library_says_where_it_came_from_and_its_version(compile_text, shop) -> None:
    assert "Generated from contract.q by quark_threaded_runtime.compile; do not edit." in shop.__doc__
    assert shop.__version__ == "2.1.0"


def test_imports_name_only_what_the_library_uses(compile_text) -> None:
    source = compile_text("package p 1 { class A { String s; } }")
    assert "from quark_threaded_runtime.contract import String, Value, field\n" in source
    many = compile_text(SHOP)
    # Too long for one line: one name per line, sorted as isort sorts them.
    assert "import (\n    Bool,\n    Client,\n    Float,\n    Int,\n    List,\n    Long,\n    Map," in many


def test_statement_form_package_with_namespaces(compile_text, load_library) -> None:
    library = load_library(
        compile_text(
            """
            package hello 1.0.0;
            @doc("The greetings.")
            namespace greet {
                class Request { String text; }
                namespace inner.deeper { class Deep { int n; } }
            }
            class Loose { bool b; }
            """
        )
    )
    assert library.Request.__wire_name__ == "greet.Request"
    assert library.Deep.__wire_name__ == "greet.inner.deeper.Deep"
    assert library.Loose.__wire_name__ == "hello.Loose"
    assert "Namespace ``greet``: The greetings." in library.__doc__


def test_block_form_package_is_the_outer_namespace(compile_text, load_library) -> None:
    library = load_library(compile_text("package a.b 0.1 { namespace c { class X {} } class Y {} }"))
    assert library.X.__wire_name__ == "a.b.c.X"
    assert library.Y.__wire_name__ == "a.b.Y"


@pytest.mark.parametrize(
    ("written", "doc"),
    [
        (r"say \"hi\"", 'say "hi"'),
        (r"back\\slash", "back\\slash"),
        (r"line\nbreak", "line\nbreak"),
        (r"tab\there", "tab     here"),
        (r"caf\u00e9", "café"),
        ("it's", "it's"),
        (r"ends with a quote\"", 'ends with a quote"'),
        (r"three \"\"\" quotes", 'three """ quotes'),
    ],
)
def test_doc_strings_survive_any_characters(compile_text, load_library, written, doc) -> None:
    library = load_library(compile_text(f'package p 1 {{ @doc("{written}") class A {{ @doc("{written}") int n; }} }}'))
    assert library.A.__fields__["n"].doc == doc
    assert inspect.cleandoc(library.A.__doc__) == doc


def test_long_docs_are_wrapped_and_keep_their_words(compile_text, load_library) -> None:
    words = " ".join(f"word{index}" for index in range(60))
    source = compile_text(f'package p 1 {{ @doc("{words}") class A {{ @doc("{words}") String s; }} }}')
    assert max(len(line) for line in source.splitlines()) <= 120
    library = load_library(source)
    assert library.A.__doc__.split() == words.split()
    assert library.A.__fields__["s"].doc == words


def test_compiling_twice_gives_the_same_text(compile_text) -> None:
    assert compile_text(SHOP) == compile_text(SHOP)


def test_soft_keywords_and_builtin_names_are_usable_names(compile_text, load_library) -> None:
    library = load_library(
        compile_text("package p 1 { class type { int match; String id; } class case { type list; } }")
    )
    assert library.case.__fields__["list"].type.value_class is library.type


def test_every_contract_that_compiles_imports(compile_text) -> None:
    # Random contracts over a small set of names, clashing often: what the checks let through must import.
    chance = random.Random(7)
    names = ["A", "B", "C", "D", "x", "y", "z", "id", "type", "I", "field", "close", "String"]

    def some_type(classes: list[str], depth: int = 0) -> str:
        roll = chance.random()
        if roll < 0.2 and depth < 3:
            return f"List<{some_type(classes, depth + 1)}>"
        if roll < 0.35 and depth < 3:
            return f"Map<String,{some_type(classes, depth + 1)}>"
        return chance.choice(classes if roll < 0.6 else ["String", "int", "long", "float", "bool"])

    compiled = 0
    for _ in range(600):
        classes = chance.sample(names, chance.randint(1, 4))
        lines = ["package p 1 {"]
        for index, name in enumerate(classes):
            # Fields name only classes declared after their own: no cycles, and the order must be fixed.
            later = classes[index + 1 :] or ["int"]
            fields = " ".join(f"{some_type(later)} {member};" for member in chance.sample(names, chance.randint(0, 3)))
            lines.append(f"class {name} {{ {fields} }}")
        for interface in chance.sample(names, chance.randint(0, 2)):
            methods = " ".join(
                f"{chance.choice(classes)} {member}({chance.choice(classes)} a);"
                for member in chance.sample(names, chance.randint(0, 3))
            )
            lines.append(f"interface {interface} extends Service {{ {methods} }}")
            lines.append(f"class {interface}Client extends Client, {interface} {{}}")
            lines.append(f"class {interface}Server extends Server<{interface}> {{}}")
        try:
            source = compile_text("\n".join([*lines, "}"]))
        except CompileError:
            continue
        compiled += 1
        exec(compile(source, "random_contract.py", "exec"), {"__name__": "random_contract"})
    assert compiled >= 40  # the generator must keep producing contracts that compile
