"""Turning a command sent over the network into an engine command, checked field by field.

The caller is always the actor: a client cannot act as anyone else. Scheduler-only commands
are refused, and so is any value of the wrong type, before the engine ever sees it.
"""

from __future__ import annotations

import types
import typing
from datetime import datetime
from enum import Enum
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
    fields = dict(hints(cls))
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise DomainError(INVALID, f"{name} has no field(s) {', '.join(unknown)}")
    try:
        command = decode(cls, data)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise DomainError(INVALID, f"{name}: {exc}") from None
    for field, tp in fields.items():
        problem = _mismatch(getattr(command, field), tp) or _too_wide(name, field, getattr(command, field))
        if problem:
            raise DomainError(INVALID, f"{name}.{field}: {problem}")
    return command


# The store keeps ids, references and profile names in columns of bounded width (store/schema.py).
# PostgreSQL refuses a longer value with an error (a 500 the API fuzz found) where SQLite keeps
# it, so the limits hold on both: ids a client makes get the customer API's own limit (IdText),
# references to people and records, and the profile's name and link, the columns' width.
MADE_ID_CHARS = 64
COLUMN_CHARS = 200
_REFERENCES = frozenset({"expert", "customer", "person", "session"})
_PROFILE = frozenset({"name", "slug"})


def _too_wide(command: str, field: str, value: Any) -> str:
    if not isinstance(value, str):
        return ""
    if field.endswith("_id") and field != "tax_id" and len(value) > MADE_ID_CHARS:  # tax_id: payout profile text
        return f"an id is at most {MADE_ID_CHARS} characters"
    wide = field in _REFERENCES or (command == "UpdateProfile" and field in _PROFILE)
    return f"at most {COLUMN_CHARS} characters" if wide and len(value) > COLUMN_CHARS else ""


def _mismatch(value: Any, tp: Any) -> str:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(tp)
        return "" if any(not _mismatch(value, o) for o in options) else f"{value!r} is not an accepted value"
    if tp is type(None):
        return "" if value is None else "must be null"
    if origin is tuple:
        if not isinstance(value, tuple):
            return "must be a list"
        inner = typing.get_args(tp)[0]
        return next((p for p in (_mismatch(v, inner) for v in value) if p), "")
    if tp is int:
        return "" if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**12 else "must be a whole number"
    if tp is bool:
        return "" if isinstance(value, bool) else "must be true or false"
    if tp is str:
        return "" if isinstance(value, str) and len(value) <= 10000 else "must be text of at most 10 000 characters"
    if tp is datetime:
        return "" if isinstance(value, datetime) and value.utcoffset() is not None else "must be a time with a zone, like 2026-05-03T14:00:00+00:00"
    if isinstance(tp, type) and issubclass(tp, Enum):
        return "" if isinstance(value, tp) else f"must be one of {', '.join(str(m.value) for m in tp)}"
    return ""
