"""The records and events compiled as native classes (`records.py`, `events.py`) behave as the
frozen dataclasses they were: each field stored and swapped, frozen, copied, pickled and encoded,
compiled or from source.

Their `__init__` and Meeting's renewer list the fields a second time (mypyc leaves dataclasses'
own interpreted), so these checks set every field to a value other than its default: a field
left out of either list shows here as its default coming back.
"""

from __future__ import annotations

import copy
import dataclasses
import enum
import os
import pickle
import subprocess
import sys
import types
import typing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from consoleapp.engine import MODE
from consoleapp.engine.events import (
    EARNINGS_DATA,
    MEETING_DATA,
    DataKind,
    MeetingAgreed,
    MeetingHeld,
    MeetingRequested,
    MeetingSettled,
    NotificationQueued,
    changes_of,
    title_of,
)
from consoleapp.engine.ledger import Account, Transfer
from consoleapp.engine.model import (
    Alternative,
    Discount,
    LiveSession,
    Meeting,
    MeetingStatus,
    renew,
)
from consoleapp.store import codec

ROOT = Path(__file__).resolve().parents[2]
AT = datetime(2026, 5, 4, 3, 2, 1, tzinfo=UTC)


def unusual(tp: Any, name: str, default: Any) -> Any:
    """A value of type `tp` that is not `default`."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        (inner,) = [a for a in typing.get_args(tp) if a is not type(None)]
        return unusual(inner, name, None)
    if typing.get_origin(tp) is tuple:
        return (unusual(typing.get_args(tp)[0], name, None),)
    if typing.get_origin(tp) is frozenset:
        return frozenset({unusual(typing.get_args(tp)[0], name, None)})
    if tp is bool:
        return not default
    if tp is int:
        return 1000 + len(name)
    if tp is str:
        return f"a {name}"
    if tp is datetime:
        return AT
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return next(member for member in tp if member != default)
    if dataclasses.is_dataclass(tp):
        return every_field(tp)
    raise AssertionError(f"no unusual value for {tp!r}")


def every_field(cls: type) -> Any:
    defaults = {f.name: f.default for f in dataclasses.fields(cls)}
    values = {name: unusual(tp, name, defaults[name]) for name, tp in codec.hints(cls)}
    return cls(**values)


def check_every_field() -> None:
    events = sorted(codec.event_types().values(), key=lambda cls: cls.__name__)
    assert len(events) > 60 and Transfer in events
    for cls in (Alternative, LiveSession, Discount, Meeting, Account, *events):
        record = every_field(cls)
        defaults = {f.name: f.default for f in dataclasses.fields(cls)}
        for name in defaults:
            assert getattr(record, name) != defaults[name], f"{cls.__name__}.{name} kept its default"
        assert renew(record) == record and renew(record) is not record
        assert copy.deepcopy(record) == record and copy.copy(record) == record
        assert pickle.loads(pickle.dumps(record)) == record
        assert codec.decode(cls, codec.encode(record)) == record
        first = dataclasses.fields(cls)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(record, first, "another")
    meeting = every_field(Meeting)
    settled = renew(meeting, status=MeetingStatus.SETTLED, charged=5)
    assert (settled.status, settled.charged) == (MeetingStatus.SETTLED, 5)
    assert dataclasses.replace(settled, status=meeting.status, charged=meeting.charged) == meeting
    with pytest.raises(TypeError, match="no field 'colour'"):
        renew(meeting, colour="blue")


def test_native_records_keep_every_field_through_init_renew_copy_and_codec() -> None:
    assert MODE == "compiled" or os.environ.get("CONSOLEAPP_INTERPRETED")
    check_every_field()


def test_native_records_keep_every_field_when_the_engine_runs_from_source() -> None:
    """From source, the explicit `__init__`s are swapped for ones that may store into frozen fields."""
    run = subprocess.run(
        [sys.executable, "-c", "import tests.engine.test_records as t; t.check_every_field(); print('checked')"],
        cwd=ROOT, env={**os.environ, "CONSOLEAPP_INTERPRETED": "1"}, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "checked" in run.stdout


def test_r34_each_event_keeps_its_title_and_what_it_changes() -> None:
    """Declared after each class (`events.about`), as class variables were before: the timeline's
    words and the desktop's refreshes read them from an event and from its type."""
    held = MeetingHeld(ref="m1", at=AT, actor="system")
    assert (held.title, held.describe(), title_of(MeetingHeld)) == ("Meeting held", "Meeting held", "Meeting held")
    assert held.changes == changes_of(MeetingHeld) == MEETING_DATA
    assert changes_of(MeetingSettled) == MEETING_DATA | EARNINGS_DATA and title_of(MeetingSettled) == ""
    assert changes_of(Transfer) == EARNINGS_DATA and title_of(Transfer) == "Credits moved"
    assert changes_of(NotificationQueued) == frozenset({DataKind.NOTIFICATIONS})
    assert every_field(MeetingAgreed).describe() in ("Approved by user", "Approved by expert")


def test_the_codec_reads_a_native_records_field_types_from_its_source() -> None:
    hints = dict(codec.hints(Meeting))
    assert hints["start"] == datetime | None
    assert hints["proposed"] == tuple[datetime, ...]
    assert hints["live"] == LiveSession | None
    assert dict(codec.hints(Account))["credits_posted"] is int
    # An event's own fields and its base's (`ref`, `at`, `actor`), in the dataclass's order.
    assert [name for name, _ in codec.hints(Transfer)][:4] == ["ref", "at", "actor", "id"]
    assert dict(codec.hints(MeetingRequested))["expires_at"] == datetime | None
