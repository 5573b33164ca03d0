"""The contract API: value classes with typed fields, service interfaces, adapters."""

from __future__ import annotations

import re

import pytest

from quark_threaded_runtime import ContractError, FieldTypeError, Runtime
from quark_threaded_runtime.contract import (
    Bool,
    Client,
    Float,
    Int,
    List,
    Long,
    Map,
    Server,
    Service,
    String,
    Value,
    field,
    method,
)


class Point(Value, name="geo.Point"):
    x = field(Int)
    y = field(Int)


class Shape(Value, name="geo.Shape"):
    name = field(String, doc="What the shape is called.")
    big = field(Long)
    area = field(Float)
    closed = field(Bool)
    corners = field(List(Point))
    tags = field(Map(String))
    origin = field(Point)


class Geometry(Service, name="geo.Geometry"):
    measure = method(Shape, Point, doc="Measure a shape.")


def test_fields_start_at_their_defaults() -> None:
    shape = Shape()
    assert (shape.name, shape.big, shape.area, shape.closed) == ("", 0, 0.0, False)
    assert (shape.corners, shape.tags, shape.origin) == ([], {}, None)


def test_defaults_are_not_shared_between_instances() -> None:
    first, second = Shape(), Shape()
    first.corners.append(Point())
    assert second.corners == []


def test_keywords_and_assignment_set_fields(hello) -> None:
    request = hello.Request(text="hi")
    assert request.text == "hi"
    request.text = "again"
    assert request == hello.Request(text="again")
    assert repr(request) == "Request(text='again')"


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("name", 3, "geo.Shape.name: expected String, got an int (3)"),
        ("big", "1", "geo.Shape.big: expected long, got a str ('1')"),
        ("big", True, "geo.Shape.big: expected long, got a bool"),
        ("closed", 1, "geo.Shape.closed: expected bool, got an int (1)"),
        ("area", "1.5", "geo.Shape.area: expected float, got a str ('1.5')"),
        ("area", float("nan"), "geo.Shape.area: nan is not a finite float"),
        ("area", 10**400, "geo.Shape.area: an integer of 1329 bits is out of range for float"),
        ("corners", [Point(), "p"], "geo.Shape.corners: item 1: expected geo.Point, got a str ('p')"),
        ("corners", (Point(),), "geo.Shape.corners: expected List<geo.Point>, got a tuple ((Point(x=0, y=0),))"),
        ("tags", {"a": 1}, "geo.Shape.tags: key 'a': expected String, got an int (1)"),
        ("tags", {1: "a"}, "geo.Shape.tags: Map<String,String> keys must be String, got an int (1)"),
        ("origin", Shape(), "geo.Shape.origin: expected geo.Point, got a geo.Shape"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_naming_the_field(name: str, value: object, expected: str) -> None:
    shape = Shape()
    with pytest.raises(FieldTypeError) as caught:
        setattr(shape, name, value)
    assert str(caught.value).startswith(expected)
    assert isinstance(caught.value, TypeError)


@pytest.mark.parametrize(("value", "ok"), [(2**31 - 1, True), (-(2**31), True), (2**31, False), (-(2**31) - 1, False)])
def test_int_is_32_bits(value: int, ok: bool) -> None:
    if ok:
        assert Point(x=value).x == value
    else:
        with pytest.raises(FieldTypeError, match=f"geo.Point.x: {value} is out of range for int"):
            Point(x=value)


@pytest.mark.parametrize(("value", "ok"), [(2**63 - 1, True), (-(2**63), True), (2**63, False), (-(2**63) - 1, False)])
def test_long_is_64_bits(value: int, ok: bool) -> None:
    if ok:
        assert Shape(big=value).big == value
    else:
        with pytest.raises(FieldTypeError, match="out of range for long"):
            Shape(big=value)


def test_float_takes_ints_as_floats() -> None:
    shape = Shape(area=2)
    assert shape.area == 2.0 and isinstance(shape.area, float)


def test_nested_values_lists_and_maps_are_kept() -> None:
    shape = Shape(corners=[Point(x=1), Point(y=2)], tags={"k": "v"}, origin=Point(x=5))
    assert shape.corners == [Point(x=1), Point(y=2)]
    assert shape.tags == {"k": "v"}
    assert shape.origin.x == 5


def test_unknown_fields_are_refused_with_the_known_ones() -> None:
    with pytest.raises(FieldTypeError, match=r"geo.Point has no field 'z' \(fields: x, y\)"):
        Point(z=1)
    point = Point()
    with pytest.raises(FieldTypeError, match=re.escape("geo.Point has no field 'z'")):
        point.z = 1


def test_values_are_compared_by_class_and_fields_and_not_hashable() -> None:
    assert Point(x=1) == Point(x=1)
    assert Point(x=1) != Point(x=2)
    assert Point() != Shape()
    with pytest.raises(TypeError):
        hash(Point())


def test_a_field_of_no_known_type_is_a_contract_error() -> None:
    with pytest.raises(ContractError, match="is not a field type"):

        class Bad(Value, name="bad.Bad"):
            thing = field(dict)


def test_method_names_starting_with_underscore_are_refused() -> None:
    with pytest.raises(ContractError, match=re.escape("Sneaky._hidden: method names cannot start with '_'")):

        class Sneaky(Service, name="bad.Sneaky"):
            _hidden = method(Point, Point)


def test_a_method_takes_and_returns_value_classes() -> None:
    with pytest.raises(ContractError, match="argument must be a value class"):
        method(str, Point)


def test_a_service_lists_exactly_its_declared_methods(hello) -> None:
    assert list(hello.Hello.__methods__) == ["hello"]
    assert hello.Hello.__wire_name__ == "hello.Hello"
    assert list(Geometry.__methods__) == ["measure"]


def test_a_server_adapter_checks_the_implementation_at_once(hello) -> None:
    class Nothing:
        pass

    with pytest.raises(ContractError, match=re.escape("Nothing does not implement hello, declared by hello.Hello")):
        hello.HelloServer(Runtime(), Nothing())


def test_a_server_adapter_only_invokes_declared_methods(hello) -> None:
    class Impl:
        def hello(self, request):
            return hello.Response(result=request.text)

        def secret(self, request):
            raise AssertionError("must never be called")

    server = hello.HelloServer(Runtime(), Impl())
    assert server.invoke("hello", hello.Request(text="x")).result == "x"
    for name in ("secret", "__init__", "_call"):
        with pytest.raises(ContractError, match="declares no method"):
            server.invoke(name, hello.Request())


def test_a_result_of_the_wrong_class_is_a_contract_error(hello) -> None:
    class Impl:
        def hello(self, request):
            return "not a response"

    server = hello.HelloServer(Runtime(), Impl())
    with pytest.raises(ContractError, match=r"Impl\.hello returned a str .* expected a hello\.Response"):
        server.invoke("hello", hello.Request())


def test_adapters_must_name_their_service() -> None:
    with pytest.raises(ContractError, match="must name its service interface"):

        class Lost(Client):
            pass

    with pytest.raises(ContractError, match="Server"):
        Server[int]


def test_a_client_refuses_an_argument_of_the_wrong_class(hello) -> None:
    client = hello.HelloClient(Runtime(), "http://127.0.0.1:9/hello")
    with pytest.raises(
        FieldTypeError, match=re.escape("hello.Hello.hello takes a hello.Request, got a hello.Response")
    ):
        client.hello(hello.Response())
    client.close()
