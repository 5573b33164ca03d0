"""Field types: what a field of a value class holds, its default, and the check of what it is given."""

from __future__ import annotations

import math
from typing import Any

from ..errors import quote, shorten

__all__ = ["FieldType", "ListType", "MapType", "ValueType", "describe"]


class FieldType:
    """The type of a field: knows its IDL name, its default and what it accepts."""

    name: str = "?"

    def default(self) -> Any:
        """The value a field of this type has until it is set."""
        return None

    def check(self, value: Any) -> Any:
        """Return ``value`` as stored in a field of this type, or raise :class:`TypeError`."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return self.name


class _Scalar(FieldType):
    def __init__(self, name: str, python_type: type, default: Any, bits: int | None = None) -> None:
        self.name = name
        self._type = python_type
        self._default = default
        self._bound = 2 ** (bits - 1) if bits else None

    def default(self) -> Any:
        return self._default

    def check(self, value: Any) -> Any:
        if type(value) is self._type and self._bound is None and self._type is not float:
            return value
        # bool is an int subclass in Python but a distinct type on the wire.
        if isinstance(value, bool) and self._type is not bool:
            raise TypeError(f"expected {self.name}, got a bool")
        if self._type is float and isinstance(value, int):
            try:
                value = float(value)
            except OverflowError:
                raise TypeError(f"{_number(value)} is out of range for {self.name}") from None
        if not isinstance(value, self._type):
            raise TypeError(f"expected {self.name}, got {describe(value)}")
        if self._bound is not None and not -self._bound <= value < self._bound:
            raise TypeError(f"{_number(value)} is out of range for {self.name}")
        # JSON has no NaN or infinity, so such a value could not cross the wire.
        if self._type is float and not math.isfinite(value):
            raise TypeError(f"{value} is not a finite {self.name}")
        return value


def _number(value: int) -> str:
    # str() of a huge int is slow, and refused past 4300 digits.
    return str(value) if value.bit_length() <= 256 else f"an integer of {value.bit_length()} bits"


class ListType(FieldType):
    """A list of items of one type (``List<T>`` in the IDL); defaults to ``[]``."""

    def __init__(self, item: FieldType) -> None:
        self.item = item
        self.name = f"List<{item.name}>"

    def default(self) -> Any:
        return []

    def check(self, value: Any) -> Any:
        if not isinstance(value, list):
            raise TypeError(f"expected {self.name}, got {describe(value)}")
        return [_check_item(self.item, item, f"item {index}") for index, item in enumerate(value)]


class MapType(FieldType):
    """A map from text keys to values of one type (``Map<String,T>``); defaults to ``{}``."""

    def __init__(self, item: FieldType) -> None:
        self.item = item
        self.name = f"Map<String,{item.name}>"

    def default(self) -> Any:
        return {}

    def check(self, value: Any) -> Any:
        if not isinstance(value, dict):
            raise TypeError(f"expected {self.name}, got {describe(value)}")
        checked = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{self.name} keys must be String, got {describe(key)}")
            checked[key] = _check_item(self.item, item, f"key {key!r}")
        return checked


class ValueType(FieldType):
    """A field holding an instance of a value class, or ``None`` (its default)."""

    def __init__(self, value_class: type) -> None:
        self.value_class = value_class
        self.name = value_class.__wire_name__

    def check(self, value: Any) -> Any:
        if value is not None and not isinstance(value, self.value_class):
            raise TypeError(f"expected {self.name}, got {describe(value)}")
        return value


def _check_item(item_type: FieldType, value: Any, where: str) -> Any:
    try:
        return item_type.check(value)
    except TypeError as error:
        raise TypeError(f"{where}: {error}") from None


def describe(value: Any) -> str:
    """How an error message names a value it was given: ``an int (5)``, ``a hello.Request``."""
    if value is None:
        return "None"
    if hasattr(type(value), "__fields__") and hasattr(type(value), "__wire_name__"):
        return f"a {type(value).__wire_name__}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"an int ({_number(value):.40})"
    if isinstance(value, type):
        return f"the class {value.__qualname__}"
    if isinstance(value, str):
        return f"a str ({quote(value, 40)})"  # the quote is closed, then cut is marked
    return f"a {type(value).__name__} ({shorten(repr(value), 40)})"
