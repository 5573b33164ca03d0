"""The JSON encoding of values and calls (the wire format of the original runtime).

A call is the envelope ``{"$method": "hello", "rpc": {"$class": "hello.Request", ...}}``;
its answer is the result value, ``{"$class": "hello.Response", ...}``.

Decoding is driven by the contract, never by the document: the class to
build is the one the method declares, and a ``$class`` naming anything else
is refused. Nothing a client names is ever imported or looked up.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .contract import FieldType, ListType, MapType, Service, String, Value, ValueType
from .errors import DecodeError, shorten

__all__ = [
    "MAX_DEPTH",
    "decode_call",
    "decode_result",
    "decode_value",
    "encode_call",
    "encode_result",
    "encode_value",
    "loads",
]

_encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def encode_value(value: Value) -> dict[str, Any]:
    """The JSON-ready dict of a value: ``$class`` first, then the fields in declared order."""
    document: dict[str, Any] = {"$class": value.__wire_name__}
    for name, declared in value.__fields__.items():
        document[name] = _encode(declared.type, value.__dict__[name])
    return document


def _encode(field_type: FieldType, data: Any) -> Any:
    if data is None:
        return None
    if isinstance(field_type, ValueType):
        return encode_value(data)
    if isinstance(field_type, ListType):
        return [_encode(field_type.item, item) for item in data]
    if isinstance(field_type, MapType):
        return {key: _encode(field_type.item, item) for key, item in data.items()}
    return data


def encode_call(method_name: str, argument: Value) -> bytes:
    """The UTF-8 JSON envelope that calls ``method_name`` with ``argument``."""
    return _encoder.encode({"$method": method_name, "rpc": encode_value(argument)}).encode()


def encode_result(result: Value) -> bytes:
    """The UTF-8 JSON answer that carries ``result``."""
    return _encoder.encode(encode_value(result)).encode()


MAX_DEPTH = 32
"""The deepest nesting of arrays and objects a document may have (the envelope itself counts as 1)."""

_BRACKETS = re.compile(rb"[\[\]{}]")
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SURROGATE = re.compile("[\ud800-\udfff]")


class _DuplicateKeyError(ValueError):
    pass


def loads(body: bytes) -> Any:
    """Parse a UTF-8 JSON document of at most :data:`MAX_DEPTH` levels, with no key twice in one object.

    Raises :class:`~quark_threaded_runtime.errors.DecodeError` with a readable reason.
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DecodeError(f"body is not UTF-8 (byte {error.start}: {error.reason})") from None
    # Checked before parsing, so the limit is the same whatever the stack (json's own depends on it).
    if body.count(b"[") + body.count(b"{") > MAX_DEPTH and _depth(body) > MAX_DEPTH:
        raise DecodeError(f"body is nested more than {MAX_DEPTH} levels deep")
    try:
        return _decoder.decode(text)
    except json.JSONDecodeError as error:
        raise DecodeError(f"body is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}") from None
    except _DuplicateKeyError as error:
        raise DecodeError(str(error)) from None
    except RecursionError:
        # Not reached within MAX_DEPTH, unless the stack is nearly used up already.
        raise DecodeError("body is nested too deeply to decode") from None
    except ValueError as error:
        # E.g. an integer of more digits than Python converts, or NaN (see _refuse_constant).
        raise DecodeError(f"body is not valid JSON: {error}") from None


def _depth(body: bytes) -> int:
    """How deeply arrays and objects nest in a JSON text (brackets inside strings do not count)."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_STRING.sub(b'""', body)):
        if bracket in b"[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _refuse_constant(name: str) -> Any:
    # Python's json accepts NaN and Infinity, which are not JSON.
    raise ValueError(f"{name} is not a JSON value")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document = dict(pairs)
    if len(document) != len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKeyError(f"the key {_short(key)} appears twice in one object")
            seen.add(key)
    return document


_decoder = json.JSONDecoder(parse_constant=_refuse_constant, object_pairs_hook=_object)


def decode_value(document: Any, value_class: type[Value], *, path: str = "") -> Value:
    """Build a ``value_class`` from its JSON dict, checking every field against the contract."""
    if type(document) is not dict:
        raise DecodeError(f"expected a {value_class.__wire_name__} object, got {_kind(document)}", path=path)
    wire_name = document.get("$class", value_class.__wire_name__)
    if wire_name != value_class.__wire_name__:
        raise DecodeError(f"expected $class {value_class.__wire_name__!r}, got {_short(wire_name)}", path=path)
    fields = value_class.__fields__
    for key in document:
        if key not in fields and key != "$class":
            known = ", ".join(fields) or "none"
            raise DecodeError(f"{value_class.__wire_name__} has no field {_short(key)} (fields: {known})", path=path)
    value = value_class.__new__(value_class)
    state = value.__dict__
    for name, declared in fields.items():
        data = document.get(name)
        if data is None:
            state[name] = declared.type.default()
        else:
            state[name] = _decode(declared.type, data, f"{path}.{name}" if path else name)
    return value


def _decode(field_type: FieldType, data: Any, path: str) -> Any:
    if type(data) is str and field_type is String:
        if not data.isascii() and _SURROGATE.search(data):
            raise DecodeError(_SURROGATE_MESSAGE, path=path)
        return data
    if isinstance(field_type, ValueType):
        return decode_value(data, field_type.value_class, path=path)
    if isinstance(field_type, ListType):
        if not isinstance(data, list):
            raise DecodeError(f"expected {field_type.name}, got {_kind(data)}", path=path)
        return [_decode(field_type.item, item, f"{path}[{index}]") for index, item in enumerate(data)]
    if isinstance(field_type, MapType):
        if not isinstance(data, dict):
            raise DecodeError(f"expected {field_type.name}, got {_kind(data)}", path=path)
        decoded = {}
        for key, item in data.items():
            if not key.isascii() and _SURROGATE.search(key):
                raise DecodeError(f"a key {_SURROGATE_MESSAGE}", path=path)
            decoded[key] = _decode(field_type.item, item, f"{path}[{key!r}]")
        return decoded
    if isinstance(data, (dict, list)):
        raise DecodeError(f"expected {field_type.name}, got {_kind(data)}", path=path)
    try:
        return field_type.check(data)
    except TypeError as error:
        raise DecodeError(str(error), path=path) from None


def decode_call(body: bytes, service: type[Service]) -> tuple[str, Value]:
    """Decode a call envelope for ``service``: return the method name and its argument.

    Raises :class:`~quark_threaded_runtime.errors.DecodeError` for anything but a declared method with an
    argument of its declared class.
    """
    envelope = loads(body)
    if not isinstance(envelope, dict):
        raise DecodeError(f"expected a JSON object with $method and rpc, got {_kind(envelope)}")
    if "$method" not in envelope:
        raise DecodeError("the call has no $method")
    for member in envelope:
        if member != "$method" and member != "rpc":
            raise DecodeError(f"the call has an unknown member {_short(member)} (members: $method, rpc)")
    name = envelope["$method"]
    if not isinstance(name, str):
        raise DecodeError(f"$method must be a string, got {_kind(name)}")
    declared = service.__methods__.get(name)
    if declared is None:
        offered = ", ".join(sorted(service.__methods__)) or "none"
        raise DecodeError(f"{service.__wire_name__} has no method {_short(name)} (methods: {offered})")
    if "rpc" not in envelope:
        raise DecodeError(f"the call to {name} has no rpc argument")
    argument = envelope["rpc"]
    if not isinstance(argument, dict):
        raise DecodeError(f"expected a {declared.argument.__wire_name__} object, got {_kind(argument)}", path="rpc")
    if "$class" not in argument:
        raise DecodeError(f"the argument has no $class (expected {declared.argument.__wire_name__!r})", path="rpc")
    return name, decode_value(argument, declared.argument, path="rpc")


def decode_result(body: bytes, result_class: type[Value]) -> Value:
    """Decode an answer that should carry a ``result_class`` (with its ``$class``)."""
    document = loads(body)
    if isinstance(document, dict) and "$class" not in document:
        raise DecodeError(f"the answer has no $class (expected {result_class.__wire_name__!r})")
    return decode_value(document, result_class)


# A lone surrogate is valid JSON ("\\ud800") but no character: it cannot be encoded as UTF-8.
_SURROGATE_MESSAGE = "holds a lone surrogate (\\ud800-\\udfff), which is not a character"


def _kind(data: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(data), "a number")


def _short(data: Any) -> str:
    return shorten(repr(data), 60)
