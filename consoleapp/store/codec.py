"""Dataclass-driven JSON codec for events, commands and records.

One encoder and one decoder are compiled per type from its type hints and cached, so
encoding a record is a handful of closure calls rather than a fresh walk of `typing` each
time (the store encodes every event and every touched record in each write).

Datetimes keep their offset (ISO 8601), enums travel by value, tuples and lists as JSON
arrays, frozensets and sets as sorted arrays (so equal values encode identically), and
`X | None` as null or X.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import json
import operator
import sys
import types
import typing
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import orjson

from consoleapp.engine import decide as _decide  # noqa: F401  (registers every event type)
from consoleapp.engine.building import builder
from consoleapp.engine.commands import Command
from consoleapp.engine.events import Event

T = TypeVar("T")
R = TypeVar("R")
Codec = Callable[[Any], Any]


def _same(value: Any) -> Any:
    return value


def _sort_key(encoded: Any) -> str:
    return json.dumps(encoded, sort_keys=True)


@cache
def hints(cls: type) -> tuple[tuple[str, Any], ...]:
    """(name, type) of each dataclass field, resolved once per class."""
    resolved = _source_annotations(cls) if _compiled(cls) else typing.get_type_hints(cls)
    return tuple((f.name, resolved[f.name]) for f in dataclasses.fields(cls))


def _compiled(cls: type) -> bool:
    """Whether `cls` comes from a compiled module (a mypyc native class)."""
    return not (getattr(sys.modules[cls.__module__], "__file__", None) or ".py").endswith(".py")


def _source_annotations(cls: type) -> dict[str, Any]:
    """A compiled class's field types, read from its module's source: mypyc keeps only a
    runtime class in `__annotations__` (`datetime | None` becomes `type`), and the sources
    lie beside the compiled modules. A base's fields (an event's `ref`, `at`, `actor`) come
    from the base's own class body."""
    found: dict[str, Any] = {}
    for base in reversed(cls.__mro__):
        if base.__module__ == cls.__module__ and dataclasses.is_dataclass(base):
            found.update(_class_annotations(base))
    return found


def _class_annotations(cls: type) -> dict[str, Any]:
    module = sys.modules[cls.__module__]
    # Beside the package's own `__init__.py`: a compiled module's `__file__` may name the group's
    # build path rather than the folder it was imported from.
    package, _, name = cls.__module__.rpartition(".")
    source = Path(inspect.getfile(sys.modules[package])).with_name(name + ".py")
    tree = _parsed(source)
    body = next(n.body for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and n.name == cls.__name__)
    return {node.target.id: eval(ast.unparse(node.annotation), vars(module))  # noqa: S307 - our own source
            for node in body if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)}


@cache
def _parsed(source: Path) -> ast.Module:
    return ast.parse(source.read_text(encoding="utf-8"))


def _optional_arg(tp: Any) -> Any:
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if len(args) != 1 or len(typing.get_args(tp)) != 2:
        raise TypeError(f"the codec handles only `X | None` unions, not {tp!r}")
    return args[0]


def _string_keyed(key_type: Any) -> bool:
    return isinstance(key_type, type) and issubclass(key_type, str)


@cache
def encoder(tp: Any) -> Codec:
    if tp in (str, int, float, bool, Any, type(None)):
        return _same
    if tp is datetime:
        return _datetime_iso
    if tp is date:
        return _isoformat
    origin = typing.get_origin(tp)
    if origin is None and isinstance(tp, type):
        if issubclass(tp, Enum):
            return _enum_value
        if dataclasses.is_dataclass(tp):
            return _dataclass_encoder(tp)
    if origin in (typing.Union, types.UnionType):
        inner = encoder(_optional_arg(tp))
        return lambda v: None if v is None else inner(v)
    args = typing.get_args(tp)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = encoder(args[0])
            return lambda v: [item(x) for x in v]
        parts = [encoder(a) for a in args]
        return lambda v: [f(x) for f, x in zip(parts, v, strict=True)]
    if origin is list:
        item = encoder(args[0])
        return lambda v: [item(x) for x in v]
    if origin in (frozenset, set):
        item = encoder(args[0])
        return lambda v: sorted((item(x) for x in v), key=_sort_key)
    if origin in (dict, Mapping):
        key, value = encoder(args[0]), encoder(args[1])
        # JSON objects need string keys; anything else travels as [key, value] pairs.
        if _string_keyed(args[0]):
            return lambda v: {key(k): value(x) for k, x in v.items()}
        return lambda v: [[key(k), value(x)] for k, x in v.items()]
    raise TypeError(f"the codec cannot encode {tp!r}")


def _isoformat(value: date) -> str:
    return value.isoformat()


_UTC_ISO: dict[datetime, str] = {}
_MEMO_SIZE = 8192


def _datetime_iso(value: datetime) -> str:
    """`value.isoformat()`, memoized for UTC values (the engine's): formatting costs about a
    microsecond, and an event, its transfers and notices share one `now`. Only UTC values are
    memoized, since equal datetimes in other zones (or folds) may print differently."""
    if value.tzinfo is not UTC:
        return value.isoformat()
    text = _UTC_ISO.get(value)
    if text is None:
        if len(_UTC_ISO) >= _MEMO_SIZE:
            _UTC_ISO.clear()
        text = _UTC_ISO[value] = value.isoformat()
    return text


_enum_value = operator.attrgetter("_value_")  # Enum.value without the descriptor


def _dataclass_encoder(cls: type) -> Codec:
    """One generated function per dataclass: a dict display of its fields, no loop.

    Plain fields are copied, datetimes and enums are converted inline, anything else calls
    the field's own encoder, so `encode` of a record costs one call and one dict.
    """
    scope: dict[str, Any] = {}
    items = []
    for i, (name, tp) in enumerate(hints(cls)):
        f = encoder(tp)
        get = f"value.{name}"
        if f is _same:
            expr = get
        elif f is _isoformat:
            expr = f"{get}.isoformat()"
        elif f is _datetime_iso:
            scope["iso"] = f
            expr = f"iso({get})"
        elif f is _enum_value:
            expr = f"{get}._value_"
        else:
            scope[f"f{i}"] = f
            expr = f"f{i}({get})"
        items.append(f"{name!r}: {expr}")
    source = "def encode(value):\n    return {" + ", ".join(items) + "}\n"
    exec(source, scope)  # noqa: S102 - generated from the class's own field names
    return scope["encode"]  # type: ignore[no-any-return]


@cache
def decoder(tp: Any) -> Codec:
    if tp in (str, int, bool, Any, type(None)):
        return _same
    if tp is float:
        return float
    if tp is datetime:
        return datetime.fromisoformat
    if tp is date:
        return date.fromisoformat
    origin = typing.get_origin(tp)
    if origin is None and isinstance(tp, type):
        if issubclass(tp, Enum):
            return _enum_decoder(tp)
        if dataclasses.is_dataclass(tp):
            return _dataclass_decoder(tp)
    if origin in (typing.Union, types.UnionType):
        inner = decoder(_optional_arg(tp))
        return lambda v: None if v is None else inner(v)
    args = typing.get_args(tp)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = decoder(args[0])
            # map, not a generator expression (a catch-up or a first sync decodes tuples in most events)
            return tuple if item is _same else lambda v: tuple(map(item, v))
        parts = [decoder(a) for a in args]
        return lambda v: tuple(f(x) for f, x in zip(parts, v, strict=True))
    if origin is list:
        item = decoder(args[0])
        return list if item is _same else lambda v: list(map(item, v))
    if origin in (frozenset, set):
        item = decoder(args[0])
        return origin if item is _same else lambda v: origin(map(item, v))
    if origin in (dict, Mapping):
        key, value = decoder(args[0]), decoder(args[1])
        if _string_keyed(args[0]):
            return lambda v: {key(k): value(x) for k, x in v.items()}
        return lambda v: {key(k): value(x) for k, x in v}
    raise TypeError(f"the codec cannot decode {tp!r}")


def _dataclass_decoder(cls: type) -> Codec:
    """One generated function per dataclass: each field read and decoded inline, the record
    built with `building.builder` (a first sync decodes hundreds of thousands of events).

    Stored data that lacks a field (a row older than a field with a default) takes the slow
    path, which gives each missing field its default; unknown keys are ignored on both.
    """
    fields = [(name, decoder(tp)) for name, tp in hints(cls)]

    def slow(data: Mapping[str, Any]) -> Any:
        return cls(**{name: (data[name] if f is _same else f(data[name]))
                      for name, f in fields if name in data})

    scope: dict[str, Any] = {"build": builder(cls), "slow": slow}
    args = []
    for i, (name, f) in enumerate(fields):
        get = f"data[{name!r}]"
        if f is _same:
            args.append(f"{name}={get}")
        else:
            scope[f"f{i}"] = f
            args.append(f"{name}=f{i}({get})")
    source = ("def decode(data):\n"
              "    try:\n"
              f"        return build({', '.join(args)})\n"
              "    except KeyError:\n"
              "        return slow(data)\n")
    exec(source, scope)  # noqa: S102 - generated from the class's own field names
    return scope["decode"]  # type: ignore[no-any-return]


def _enum_decoder(tp: type[Enum]) -> Codec:
    """`tp(value)` by a dict look-up (EnumType.__call__ costs several times more); a value
    that is not a member still goes through `tp(value)`, for its own ValueError."""
    members = tp._value2member_map_

    def decode(value: Any) -> Any:
        try:
            return members[value]
        except (KeyError, TypeError):
            return tp(value)

    return decode


def encode(value: Any) -> Any:
    """The JSON-able form of a dataclass instance (or any value of a supported type)."""
    tp: Any = type(value)
    return encoder(tp)(value)


def decode(cls: type[T], data: Any) -> T:
    tp: Any = cls
    return decoder(tp)(data)  # type: ignore[no-any-return]


def _json_writer() -> Callable[[Any], str]:
    """Compact JSON text of an already-encoded value, identical to
    `json.dumps(v, separators=(",", ":"), ensure_ascii=False)` but without building a
    JSONEncoder per call (the C encoder is made once; encoded values are trees, so the
    circular-reference check is skipped)."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - CPython always has it
        writer = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
        return writer.encode
    plain = json.JSONEncoder()
    iterencode = make(None, plain.default, json.encoder.encode_basestring, None, ":", ",", False, False, True)
    join = "".join

    def write(value: Any) -> str:
        if isinstance(value, str):
            return json.encoder.encode_basestring(value)
        return join(iterencode(value, 0))

    return write


write_json = _json_writer()  # the one writer: codec's dumps and the client cache's event rows


def parse_json(text: str | bytes) -> Any:
    """`json.loads` of the texts this product writes (events' data, pull pages), by orjson: a fifth
    of the time, where a desktop's first sync parses every event it is sent (600 000 at 50 000
    sessions) and a worker's catch-up every other worker's. What orjson refuses and the standard
    library reads (a lone surrogate's escape, NaN) is read by the latter, so both read the same
    texts. One difference stays: an integer beyond 64 bits comes back as a float; no event holds
    one (credits, minutes and positions are far below)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def dumps(value: Any) -> str:
    tp: Any = type(value)
    return write_json(encoder(tp)(value))


def dumps_as(tp: Any, value: Any) -> str:
    """JSON text of a value whose type is not its class (a tuple of records, say)."""
    return write_json(encoder(tp)(value))


# --- registries: the stored name of a class is its class name ---------------------------


def _walk(root: type[R]) -> dict[str, type[R]]:
    found: dict[str, type[R]] = {}
    pending: list[type[R]] = [root]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            # dataclass(slots=True) replaces the class it decorates; the discarded original
            # lingers in __subclasses__ until collected, so keep only the module's own class.
            if getattr(sys.modules.get(sub.__module__), sub.__qualname__, None) is not sub:
                continue
            if sub.__name__ in found and found[sub.__name__] is not sub:
                raise TypeError(f"two {root.__name__} classes are named {sub.__name__}")
            found[sub.__name__] = sub
            pending.append(sub)
    return found


@cache
def event_types() -> dict[str, type[Event]]:
    return _walk(Event)


@cache
def command_types() -> dict[str, type[Command]]:
    return _walk(Command)


def event_from(kind: str, data: Mapping[str, Any]) -> Event:
    cls = event_types().get(kind)
    if cls is None:
        raise ValueError(f"unknown event kind {kind!r} in the log")
    return decode(cls, data)


def command_to_dict(command: Command) -> dict[str, Any]:
    return {"name": type(command).__name__, "args": encode(command)}


def command_from_dict(data: Mapping[str, Any]) -> Command:
    cls = command_types().get(data["name"])
    if cls is None:
        raise ValueError(f"unknown command {data['name']!r}")
    return decode(cls, data["args"])
