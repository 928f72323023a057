"""Turning a command sent over the network into an engine command, checked field by field.

The caller is always the actor: a client cannot act as anyone else. Scheduler-only commands
are refused, and so is any value of the wrong type, before the engine ever sees it.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from datetime import datetime
from enum import Enum
from functools import cache
from typing import Any

from consoleapp.engine import commands as c
from consoleapp.engine.errors import INVALID, DomainError
from consoleapp.store.codec import command_types, decode, hints

SCHEDULER_ONLY = frozenset({
    "ExpireRequest", "WarnSessionEnding", "MarkHeld", "AutoEvaluate", "SendReminder", "CloseClaimWindow",
    "SettleGroupEvent", "EscalateClaim", "RunPayouts", "OpenAccount", "CloseAccount", "GrantCredits",
    "DecideReview", "DecideDispute", "CreditPayment", "CreatePromoCode", "EndPromoCode",
})


def parse_command(name: str, args: dict[str, Any], actor: str) -> c.Command:
    cls = command_types().get(name)
    if cls is None or name in SCHEDULER_ONLY:
        raise DomainError(INVALID, f"{name!r} is not a command a client may send")
    if not isinstance(args, dict):
        raise DomainError(INVALID, "args must be an object")
    data = {**args, "actor": actor}
    names, checks = _shape(cls)
    if not names.issuperset(data):
        raise DomainError(INVALID, f"{name} has no field(s) {', '.join(sorted(set(data) - names))}")
    try:
        command = decode(cls, data)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise DomainError(INVALID, f"{name}: {exc}") from None
    for field, check, widest, too_wide in checks:
        value = getattr(command, field)
        problem = check(value) or (too_wide if widest and isinstance(value, str) and len(value) > widest else "")
        if problem:
            raise DomainError(INVALID, f"{name}.{field}: {problem}")
    return command


Check = Callable[[Any], str]  # a value's problem, or ""


@cache
def _shape(cls: type) -> tuple[frozenset[str], tuple[tuple[str, Check, int, str], ...]]:
    """A command class's field names, and each field's check and widest text, made once: a push
    of 50 commands spent half a millisecond walking the types again for every field."""
    fields = hints(cls)
    checks = tuple((field, _checker(tp), *_width(cls.__name__, field)) for field, tp in fields)
    return frozenset(field for field, _ in fields), checks


# The store keeps ids, references and profile names in columns of bounded width (store/schema.py).
# PostgreSQL refuses a longer value with an error (a 500 the API fuzz found) where SQLite keeps
# it, so the limits hold on both: ids a client makes get the customer API's own limit (IdText),
# references to people and records, and the profile's name and link, the columns' width.
MADE_ID_CHARS = 64
COLUMN_CHARS = 200
_REFERENCES = frozenset({"expert", "customer", "person", "session"})
_PROFILE = frozenset({"name", "slug"})


def _width(command: str, field: str) -> tuple[int, str]:
    """The most characters a text field may hold (0: no limit of its own), and what to say beyond."""
    if field.endswith("_id") and field != "tax_id":  # tax_id: payout profile text
        return MADE_ID_CHARS, f"an id is at most {MADE_ID_CHARS} characters"
    if field in _REFERENCES or (command == "UpdateProfile" and field in _PROFILE):
        return COLUMN_CHARS, f"at most {COLUMN_CHARS} characters"
    return 0, ""


@cache
def _checker(tp: Any) -> Check:
    """The check of a value of type `tp`, built once per type."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [_checker(o) for o in typing.get_args(tp)]
        return lambda v: "" if any(not ok(v) for ok in options) else f"{v!r} is not an accepted value"
    if tp is type(None):
        return lambda v: "" if v is None else "must be null"
    if origin is tuple:
        inner = _checker(typing.get_args(tp)[0])
        return lambda v: next((p for p in map(inner, v) if p), "") if isinstance(v, tuple) else "must be a list"
    if tp is int:
        return lambda v: ("" if isinstance(v, int) and not isinstance(v, bool) and abs(v) < 10**12
                          else "must be a whole number")
    if tp is bool:
        return lambda v: "" if isinstance(v, bool) else "must be true or false"
    if tp is str:
        return lambda v: "" if isinstance(v, str) and len(v) <= 10000 else "must be text of at most 10 000 characters"
    if tp is datetime:
        return lambda v: ("" if isinstance(v, datetime) and v.utcoffset() is not None
                          else "must be a time with a zone, like 2026-05-03T14:00:00+00:00")
    if isinstance(tp, type) and issubclass(tp, Enum):
        members = ", ".join(str(m.value) for m in tp)
        return lambda v: "" if isinstance(v, tp) else f"must be one of {members}"
    return lambda v: ""
