"""Value classes: plain data with typed fields, declared with :func:`field`."""

from __future__ import annotations

from typing import Any, ClassVar

from ..errors import ContractError, FieldTypeError
from .types import FieldType, ListType, MapType, ValueType

__all__ = ["Field", "List", "Map", "Value", "as_field_type", "field"]


class Field:
    """A typed field of a value class, declared with :func:`field`."""

    def __init__(self, field_type: FieldType | type[Value], *, doc: str | None = None) -> None:
        self.type = as_field_type(field_type)
        self.doc = doc
        self.__doc__ = doc
        self.name = "?"
        self.owner = "?"

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        self.owner = getattr(owner, "__wire_name__", owner.__name__)

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        return instance.__dict__[self.name]

    def __set__(self, instance: Value, value: Any) -> None:
        # Value.__setattr__ checks and stores every field; it does not come through here.
        Value.__setattr__(instance, self.name, value)

    def __repr__(self) -> str:
        return f"<field {self.owner}.{self.name}: {self.type.name}>"


def field(field_type: FieldType | type[Value], *, doc: str | None = None) -> Any:
    """Declare a field of a value class: ``text = field(String, doc="...")``."""
    return Field(field_type, doc=doc)


class Value:
    """Base class of value classes: plain data with typed fields.

    Declare one with its wire name, the name the JSON encoding carries in
    ``$class``. Fields start at their type's default and can be set by
    keyword or by assignment; a value of the wrong type raises
    :class:`~quark_threaded_runtime.errors.FieldTypeError`:

    >>> from quark_threaded_runtime.contract import String, Value, field
    >>> class Request(Value, name="hello.Request"):
    ...     text = field(String)
    >>> Request()
    Request(text='')
    >>> request = Request(text="hi")
    >>> request.text
    'hi'
    >>> request.text = 3
    Traceback (most recent call last):
      ...
    quark_threaded_runtime.errors.FieldTypeError: hello.Request.text: expected String, got an int (3)
    """

    __wire_name__: ClassVar[str] = "Value"
    __fields__: ClassVar[dict[str, Field]] = {}

    def __init_subclass__(cls, *, name: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.__wire_name__ = name or f"{cls.__module__}.{cls.__qualname__}"
        fields = dict(cls.__fields__)
        for attribute, value in vars(cls).items():
            if isinstance(value, Field):
                value.owner = cls.__wire_name__
                fields[attribute] = value
        cls.__fields__ = fields

    def __init__(self, **values: Any) -> None:
        state = self.__dict__
        for name, declared in self.__fields__.items():
            state[name] = declared.type.default()
        for name, value in values.items():
            self.__setattr__(name, value)

    def __getattr__(self, name: str) -> Any:
        # Only for names that are neither fields nor attributes: say which fields there are.
        if name.startswith("__"):
            raise AttributeError(name)
        known = ", ".join(self.__fields__) or "none"
        raise AttributeError(f"{self.__wire_name__} has no field {name!r} (fields: {known})")

    def __setattr__(self, name: str, value: Any) -> None:
        declared = self.__fields__.get(name)
        if declared is None:
            known = ", ".join(self.__fields__) or "none"
            raise FieldTypeError(f"{self.__wire_name__} has no field {name!r} (fields: {known})")
        try:
            self.__dict__[name] = declared.type.check(value)
        except TypeError as error:
            raise FieldTypeError(f"{self.__wire_name__}.{name}: {error}") from None

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.__fields__)

    __hash__ = None  # type: ignore[assignment]  # mutable, so not hashable

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__fields__)
        return f"{type(self).__qualname__}({values})"


def List(item: FieldType | type[Value]) -> ListType:  # noqa: N802 - named as in the IDL
    """The type ``List<item>``: ``List(String)``, ``List(Request)``."""
    return ListType(as_field_type(item))


def Map(item: FieldType | type[Value]) -> MapType:  # noqa: N802 - named as in the IDL
    """The type ``Map<String,item>``: ``Map(Int)``, ``Map(Request)``."""
    return MapType(as_field_type(item))


def as_field_type(declared: Any) -> FieldType:
    """Turn what a declaration names (a type or a value class) into a :class:`FieldType`."""
    if isinstance(declared, FieldType):
        return declared
    if isinstance(declared, type) and issubclass(declared, Value) and declared is not Value:
        return ValueType(declared)
    raise ContractError(
        f"{declared!r} is not a field type: use String, Int, Long, Float, Bool, List(...), Map(...) or a value class"
    )
