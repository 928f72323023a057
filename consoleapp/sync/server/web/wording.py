"""The engine's own words on the pages, in the page's language.

The engine writes statuses, answers, reasons, ledger labels and timeline lines in the platform's
English ("Awaiting approval", "Cancelled by user"…). Each fixed wording is a catalog entry as
it stands (`all_wordings()` lists them for the catalog and its test); the few timeline lines with
a part that varies (who, a reason, an answer) are matched by pattern and said again in parts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from enum import Enum

from consoleapp.engine import events
from consoleapp.engine.ledger import Label
from consoleapp.engine.model import (
    Answer,
    ClaimStatus,
    DeclineReason,
    GroupEventStatus,
    MeetingStatus,
    Mode,
    PaymentStatus,
)

ENUMS: tuple[type[Enum], ...] = (MeetingStatus, PaymentStatus, Answer, DeclineReason, ClaimStatus, Mode, Label,
                                 GroupEventStatus)
WHO = {"user": "user", "expert": "expert", "system": "the platform"}

# (pattern of the engine's line, the catalog's wording with placeholders, how to say each part)
PATTERNS: tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...] = (
    (re.compile(r"^Rejected by (\w+) \((.*)\)$"), "Rejected by %(who)s (%(reason)s)", ("who", "reason")),
    (re.compile(r"^Cancelled by (\w+)$"), "Cancelled by %(who)s", ("who",)),
    (re.compile(r"^Approval of replacement date by (\w+)$"), "Approval of replacement date by %(who)s", ("who",)),
    (re.compile(r"^Rejected alternate date by (\w+)$"), "Rejected alternate date by %(who)s", ("who",)),
    (re.compile(r"^Meeting progress recorded by (\w+): (.*)$"), "Meeting progress recorded by %(who)s: %(answer)s",
     ("who", "answer")),
)


def all_wordings() -> Iterator[str]:
    """Every wording of the engine a page may show: the catalog must have each."""
    for kind in ENUMS:
        for member in kind:
            yield str(member.value)
    for cls in vars(events).values():
        if isinstance(cls, type) and issubclass(cls, events.Event) and events.title_of(cls):
            yield events.title_of(cls)
    for _, wording, _ in PATTERNS:
        yield wording
    yield from WHO.values()


def say(text: str, gettext: Callable[[str], str]) -> str:
    """The engine's `text` in the page's language (as written when the catalog lacks it)."""
    found = gettext(text)
    if found != text:
        return found
    for pattern, wording, parts in PATTERNS:
        m = pattern.match(text)
        if m:
            values = {}
            for name, value in zip(parts, m.groups(), strict=True):
                values[name] = gettext(WHO.get(value, value)) if name == "who" else gettext(value)
            return gettext(wording) % values
    return text
