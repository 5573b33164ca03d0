"""The JSON encoding of values and calls, and the checks made while decoding them."""

from __future__ import annotations

import json
import re

import pytest

from quark_threaded_runtime import DecodeError
from quark_threaded_runtime.codec import (
    decode_call,
    decode_result,
    decode_value,
    encode_call,
    encode_result,
    encode_value,
    loads,
)
from quark_threaded_runtime.contract import Float, Int, List, Long, Map, Service, String, Value, field, method


class Item(Value, name="shop.Item"):
    sku = field(String)
    count = field(Int)


class Order(Value, name="shop.Order"):
    id = field(Long)
    total = field(Float)
    items = field(List(Item))
    notes = field(Map(String))
    gift = field(Item)


class Shop(Service, name="shop.Shop"):
    place = method(Order, Item)


def test_the_hello_call_encodes_as_the_original_envelope(hello) -> None:
    body = encode_call("hello", hello.Request(text="Hello from Python!"))
    assert json.loads(body) == {"$method": "hello", "rpc": {"$class": "hello.Request", "text": "Hello from Python!"}}


def test_a_result_encodes_with_its_class_first(hello) -> None:
    body = encode_result(hello.Response(result="ok"))
    assert body == b'{"$class":"hello.Response","result":"ok"}'


def test_text_is_sent_as_utf8(hello) -> None:
    assert "é".encode() in encode_call("hello", hello.Request(text="é"))


def test_nested_values_round_trip() -> None:
    order = Order(id=2**40, total=9.5, items=[Item(sku="a", count=2)], notes={"k": "v"}, gift=Item(sku="g"))
    document = encode_value(order)
    assert document["items"] == [{"$class": "shop.Item", "sku": "a", "count": 2}]
    assert document["gift"]["$class"] == "shop.Item"
    assert decode_value(json.loads(json.dumps(document)), Order) == order


def test_missing_fields_and_nulls_take_their_defaults() -> None:
    order = decode_value({"$class": "shop.Order", "items": None}, Order)
    assert (order.id, order.total, order.items, order.notes, order.gift) == (0, 0.0, [], {}, None)


def test_a_nested_value_may_leave_out_its_class() -> None:
    order = decode_value({"gift": {"sku": "x"}}, Order)
    assert order.gift == Item(sku="x")


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "expected a shop.Order object, got an array"),
        ({"$class": "shop.Item"}, "expected $class 'shop.Order', got 'shop.Item'"),
        ({"$class": "os.system"}, "expected $class 'shop.Order', got 'os.system'"),
        ({"price": 1}, "shop.Order has no field 'price' (fields: id, total, items, notes, gift)"),
        ({"id": "7"}, "id: expected long, got a str ('7')"),
        ({"id": 2**63}, "id: 9223372036854775808 is out of range for long"),
        ({"id": 1.5}, "id: expected long, got a float (1.5)"),
        ({"id": True}, "id: expected long, got a bool"),
        ({"total": "1"}, "total: expected float, got a str ('1')"),
        ({"items": {}}, "items: expected List<shop.Item>, got an object"),
        ({"items": [{"sku": 5}]}, "items[0].sku: expected String, got an int (5)"),
        ({"items": [{"$class": "shop.Order"}]}, "items[0]: expected $class 'shop.Item', got 'shop.Order'"),
        ({"items": [3]}, "items[0]: expected a shop.Item object, got a number"),
        ({"notes": []}, "notes: expected Map<String,String>, got an array"),
        ({"notes": {"a": [1]}}, "notes['a']: expected String, got an array"),
        ({"gift": {"count": 2**31}}, "gift.count: 2147483648 is out of range for int"),
        ({"gift": {"colour": "red"}}, "gift: shop.Item has no field 'colour' (fields: sku, count)"),
    ],
)
def test_decoding_names_where_and_what_is_wrong(document: object, message: str) -> None:
    with pytest.raises(DecodeError) as caught:
        decode_value(document, Order)
    assert str(caught.value) == message


def test_an_int_is_accepted_for_a_float() -> None:
    assert decode_value({"total": 3}, Order).total == 3.0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"\xff\xfe", "body is not UTF-8 (byte 0: invalid start byte)"),
        (b"{", "body is not valid JSON: Expecting property name enclosed in double quotes at line 1 column 2"),
        (b"", "body is not valid JSON: Expecting value at line 1 column 1"),
        (b"{} {}", "body is not valid JSON: Extra data at line 1 column 4"),
        (b"[" * 100_000 + b"]" * 100_000, "body is nested more than 32 levels deep"),
        (b"NaN", "body is not valid JSON: NaN is not a JSON value"),
        (b'{"a": -Infinity}', "body is not valid JSON: -Infinity is not a JSON value"),
    ],
)
def test_loads_refuses_what_is_not_utf8_json(body: bytes, message: str) -> None:
    with pytest.raises(DecodeError) as caught:
        loads(body)
    assert str(caught.value) == message


def test_loads_refuses_an_integer_too_long_to_convert() -> None:
    with pytest.raises(DecodeError, match="body is not valid JSON: Exceeds the limit"):
        loads(b"1" * 5000)


def test_decode_call_returns_the_method_and_its_argument(hello) -> None:
    name, argument = decode_call(encode_call("hello", hello.Request(text="t")), hello.Hello)
    assert name == "hello"
    assert argument == hello.Request(text="t")


@pytest.mark.parametrize(
    ("envelope", "message"),
    [
        ([], "expected a JSON object with $method and rpc, got an array"),
        ("hello", "expected a JSON object with $method and rpc, got a string"),
        ({"rpc": {}}, "the call has no $method"),
        ({"$method": 1, "rpc": {}}, "$method must be a string, got a number"),
        ({"$method": "goodbye", "rpc": {}}, "hello.Hello has no method 'goodbye' (methods: hello)"),
        ({"$method": "__init__", "rpc": {}}, "hello.Hello has no method '__init__' (methods: hello)"),
        ({"$method": "_call", "rpc": {}}, "hello.Hello has no method '_call' (methods: hello)"),
        ({"$method": "hello"}, "the call to hello has no rpc argument"),
        ({"$method": "hello", "rpc": "hi"}, "rpc: expected a hello.Request object, got a string"),
        ({"$method": "hello", "rpc": {"text": "hi"}}, "rpc: the argument has no $class (expected 'hello.Request')"),
        (
            {"$method": "hello", "rpc": {"$class": "hello.Response", "result": "x"}},
            "rpc: expected $class 'hello.Request', got 'hello.Response'",
        ),
        (
            {"$method": "hello", "rpc": {"$class": "hello.Request", "text": 5}},
            "rpc.text: expected String, got an int (5)",
        ),
        (
            {"$method": "hello", "rpc": {"$class": "hello.Request", "txt": "a"}},
            "rpc: hello.Request has no field 'txt' (fields: text)",
        ),
    ],
)
def test_decode_call_refuses_anything_the_contract_does_not_declare(hello, envelope: object, message: str) -> None:
    with pytest.raises(DecodeError) as caught:
        decode_call(json.dumps(envelope).encode(), hello.Hello)
    assert str(caught.value) == message


def test_decode_result_needs_the_class(hello) -> None:
    assert decode_result(b'{"$class": "hello.Response", "result": "r"}', hello.Response).result == "r"
    with pytest.raises(DecodeError, match=r"the answer has no \$class \(expected 'hello.Response'\)"):
        decode_result(b'{"result": "r"}', hello.Response)
    with pytest.raises(DecodeError, match=re.escape("expected a hello.Response object, got an array")):
        decode_result(b"[]", hello.Response)
