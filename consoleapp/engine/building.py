"""Building and swapping the engine's frozen records quickly, with the same results.

The engine builds about twenty records and events per command and swaps a record for almost
every event it folds; with frozen slots dataclasses that is most of its time. CPython makes an
instance through `type.__call__` (an argument tuple, a keyword dict, the dataclass's
`__init__`, which stores each field with `object.__setattr__`), and there is no cheaper way to
store into a frozen instance's slots from Python. So the three helpers here fill a *twin*
instead: a subclass of the record's class with the same slots and plain attribute stores, whose
instance is then given the record's own class (`__class__` assignment between classes of one
layout). The twin never escapes: what is returned is of the record's class, as frozen as ever.
The twins are subclasses that no module names, so the store's codec, which keeps only the
classes a module holds under their own name, never sees them among Event's subclasses.

- `renew(record, **changes)`: `dataclasses.replace`, several times faster (a Meeting has 45 fields).
- `builder(cls)`: a function with the class's own parameters (mypy checks calls against them)
  that builds an instance, 2-3x faster than calling the class; the hot deciders use a few.
- `quick_inits(globals())`: for every other construction, each frozen slots dataclass of a
  module gets an `__init__` with the same parameters that stores through the slots' descriptors
  (about 1.5x faster than the generated one).

Classes these cannot copy faithfully (a default_factory, an init=False field, `__post_init__`,
no slots) keep `dataclasses.replace` and their own `__init__`. The records compiled as native
classes (`records.py`: no slots, no class swap) hand in their own renewer through `renews`, and
`frozen_inits` keeps their hand-written `__init__`s working when they run from source.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

_R = TypeVar("_R")
_P = ParamSpec("_P")
_RENEW: dict[type, Callable[[Any, dict[str, Any]], Any]] = {}
_TWINS: dict[type, type] = {}


def _fields(cls: type) -> tuple[dataclasses.Field[Any], ...] | None:
    """The dataclass fields of a frozen slots class these helpers can copy faithfully, else None."""
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or not params.init or "__slots__" not in cls.__dict__:
        return None
    fields = dataclasses.fields(cls)
    if hasattr(cls, "__post_init__") or any(
            not f.init or f.default_factory is not dataclasses.MISSING
            or not isinstance(getattr(cls, f.name, None), types.MemberDescriptorType) for f in fields):
        return None
    return fields


def _twin(cls: type) -> type:
    twin = _TWINS.get(cls)
    if twin is None:
        name = f"_Building{cls.__name__}"
        twin = _TWINS[cls] = type(name, (cls,), {
            "__slots__": (), "__setattr__": object.__setattr__, "__delattr__": object.__delattr__,
            "__module__": cls.__module__, "__qualname__": name})
    return twin


def _generate(name: str, source: str, scope: dict[str, Any], namespace: dict[str, Any] | None = None) -> Any:
    local: dict[str, Any] = {}
    exec(source, namespace if namespace is not None else scope, local)  # noqa: S102 - from the class's own fields
    return local[name](**scope) if namespace is not None else local[name]


# --- renew ------------------------------------------------------------------------------------


def renew(record: _R, **changes: Any) -> _R:
    """`dataclasses.replace` for the engine's frozen records: the same result, and the same
    TypeError for a field the class does not have."""
    return renew_from(record, changes)


def renew_from(record: _R, changes: dict[str, Any]) -> _R:
    """`renew` with the changes in a dict already (a fold that passes its own along)."""
    make = _RENEW.get(type(record))
    if make is None:
        make = _RENEW[type(record)] = _renewer(type(record))
    return make(record, changes)  # type: ignore[no-any-return]


def renews(cls: type[_R], renew: Callable[[_R, dict[str, Any]], _R]) -> None:
    """Have `renew` swap records of `cls`: a compiled record module hands in its own (see
    `records.py`), since a native class has no slots to copy and cannot change its class."""
    _RENEW[cls] = renew


def frozen_inits(*classes: type) -> None:
    """For a compiled record module run from source: each class's own `__init__` stores into
    frozen fields with plain assignments, which only compiled code may do; replace it with one
    of the same parameters that stores through `object.__setattr__`, as dataclasses' does."""
    for cls in classes:
        original = cls.__dict__["__init__"]
        if not isinstance(original, types.FunctionType):
            continue  # compiled: its stores go straight into the object
        signature, defaults = _signature(dataclasses.fields(cls), ["self"])
        body = "".join(f"    store(self, {f.name!r}, {f.name})\n" for f in dataclasses.fields(cls))
        init = _generate("__init__", f"def __init__({signature}) -> None:\n{body}",
                         {"store": object.__setattr__, **defaults})
        init.__qualname__ = original.__qualname__
        init.__annotations__ = dict(original.__annotations__)
        cls.__init__ = init  # type: ignore[misc]


def _renewer(cls: type) -> Callable[[Any, dict[str, Any]], Any]:
    fields = _fields(cls)
    if fields is None:
        return lambda record, changes: dataclasses.replace(record, **changes)
    body = "".join(f"    new.{f.name} = old.{f.name}\n" for f in fields)
    source = (
        "def renew(old, changes):\n"
        "    new = make(twin)\n"
        f"{body}"
        "    for name, value in changes.items():\n"
        "        if name not in names:\n"
        "            raise TypeError(f'{cls.__name__} has no field {name!r}')\n"
        "        setattr(new, name, value)\n"
        "    new.__class__ = cls\n"
        "    return new\n"
    )
    scope = {"make": object.__new__, "twin": _twin(cls), "cls": cls,
             "names": frozenset(f.name for f in fields)}
    return _generate("renew", source, scope)  # type: ignore[no-any-return]


# --- building ---------------------------------------------------------------------------------


def _signature(fields: tuple[dataclasses.Field[Any], ...], first: list[str]) -> tuple[str, dict[str, Any]]:
    """The parameter list of a dataclass's `__init__` (defaults as `d_<name>`), and those defaults."""
    def param(f: dataclasses.Field[Any]) -> str:
        return f.name if f.default is dataclasses.MISSING else f"{f.name}=d_{f.name}"

    positional = [param(f) for f in fields if not f.kw_only]
    keyword = [param(f) for f in fields if f.kw_only]
    defaults = {f"d_{f.name}": f.default for f in fields if f.default is not dataclasses.MISSING}
    return ", ".join([*first, *positional, *(["*", *keyword] if keyword else [])]), defaults


def builder(cls: Callable[_P, _R]) -> Callable[_P, _R]:
    """A function that builds `cls(...)` from the same arguments, without `type.__call__`."""
    if not isinstance(cls, type) or (fields := _fields(cls)) is None:
        return cls
    signature, defaults = _signature(fields, [])
    body = "".join(f"    new.{f.name} = {f.name}\n" for f in fields)
    source = f"def build({signature}):\n    new = make(twin)\n{body}    new.__class__ = cls\n    return new\n"
    build: Callable[_P, _R] = _generate(
        "build", source, {"make": object.__new__, "twin": _twin(cls), "cls": cls, **defaults})
    build.__qualname__ = build.__name__ = f"build_{cls.__name__}"
    return build


def quick_inits(namespace: dict[str, Any]) -> None:
    """Give each frozen slots dataclass defined in `namespace` (a module's globals) a quicker
    `__init__`: the same parameters (names, order, keyword-only ones, the same default objects,
    the same annotations, resolved in the module's globals as typing and hypothesis read them),
    storing through each slot's own descriptor."""
    module = namespace["__name__"]
    for cls in list(namespace.values()):
        if not isinstance(cls, type) or cls.__module__ != module:
            continue
        fields = _fields(cls)
        if fields is None:
            continue
        original = cls.__dict__["__init__"]
        signature, defaults = _signature(fields, ["self"])
        body = "".join(f"        s_{f.name}(self, {f.name})\n" for f in fields) or "        pass\n"
        setters = {f"s_{f.name}": getattr(cls, f.name).__set__ for f in fields}
        outer = ", ".join([*setters, *defaults])
        source = f"def make({outer}):\n    def __init__({signature}) -> None:\n{body}    return __init__\n"
        init = _generate("make", source, {**setters, **defaults}, namespace)
        init.__qualname__ = original.__qualname__
        init.__annotations__ = dict(original.__annotations__)
        init.__doc__ = original.__doc__
        cls.__init__ = init  # type: ignore[misc]
