"""The codec: every event, command and record survives encode -> JSON -> decode unchanged."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import UTC, datetime, timedelta, timezone
from enum import Enum
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consoleapp.engine import model
from consoleapp.engine.ledger import Account
from consoleapp.store import codec
from tests.engine.scenario import Scenario
from tests.store.twin import varied

ZONES = [UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5, minutes=-30))]
RECORDS = [model.Person, model.ExpertProfile, model.PayoutProfile, model.Offer, model.Slot,
           model.Alternative, model.LiveSession, model.Meeting, model.Registration, model.GroupEvent,
           model.Claim, model.Review, model.MonthSummary, model.Payout, Account]


def strategy(tp: Any) -> st.SearchStrategy[Any]:
    """Values of a type, read from the same hints the codec reads (aware datetimes only)."""
    if tp is str:
        return st.text(max_size=20)
    if tp is int:
        return st.integers(-(2**53), 2**53)
    if tp is bool:
        return st.booleans()
    if tp is datetime:
        return st.datetimes(timezones=st.sampled_from(ZONES))
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is None and isinstance(tp, type) and issubclass(tp, Enum):
        return st.sampled_from(list(tp))
    if origin is None and dataclasses.is_dataclass(tp):
        return st.builds(tp, **{name: strategy(hint) for name, hint in codec.hints(tp)})
    if origin in (typing.Union, types.UnionType):
        inner = next(a for a in args if a is not type(None))
        return st.none() | strategy(inner)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return st.lists(strategy(args[0]), max_size=3).map(tuple)
        return st.tuples(*map(strategy, args))
    if origin is frozenset:
        return st.frozensets(strategy(args[0]), max_size=3)
    raise TypeError(f"no strategy for {tp!r}")


def round_trip(cls: type, value: Any) -> None:
    text = json.dumps(codec.encode(value))
    back = codec.decode(cls, json.loads(text))
    assert back == value
    # Equal datetimes in other zones would compare equal; the offset must survive too.
    assert codec.encode(back) == codec.encode(value)


def test_every_event_and_command_type_is_registered() -> None:
    events, commands = codec.event_types(), codec.command_types()
    assert {"Transfer", "MeetingRequested", "NotificationQueued", "PayoutMade"} <= events.keys()
    assert {"OpenAccount", "RunPayouts", "DecideDispute"} <= commands.keys()
    assert len(events) >= 59 and len(commands) >= 56


@pytest.mark.parametrize("kind", sorted(codec.event_types()))
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_every_event_type_round_trips(kind: str, data: st.DataObject) -> None:
    cls = codec.event_types()[kind]
    event = data.draw(strategy(cls))
    round_trip(cls, event)
    assert codec.event_from(kind, json.loads(codec.dumps(event))) == event


@pytest.mark.parametrize("name", sorted(codec.command_types()))
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_every_command_type_round_trips(name: str, data: st.DataObject) -> None:
    cls = codec.command_types()[name]
    command = data.draw(strategy(cls))
    round_trip(cls, command)
    assert codec.command_from_dict(json.loads(json.dumps(codec.command_to_dict(command)))) == command


@pytest.mark.parametrize("cls", RECORDS, ids=lambda cls: cls.__name__)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_every_record_type_round_trips(cls: type, data: st.DataObject) -> None:
    round_trip(cls, data.draw(strategy(cls)))


def test_every_event_of_a_scenario_round_trips() -> None:
    s = Scenario()
    varied(s)
    for ev in s.log:
        assert codec.event_from(type(ev).__name__, json.loads(codec.dumps(ev))) == ev
    for record in [*s.world.meetings.values(), *s.world.group_events.values(), *s.world.claims.values(),
                   *s.world.months.values(), *s.world.payouts.values(), *s.world.slots.values()]:
        round_trip(type(record), record)


def test_sets_encode_in_a_stable_order() -> None:
    encode = codec.encoder(frozenset[str])
    assert encode(frozenset({"reminder", "link", "evaluation"})) == ["evaluation", "link", "reminder"]


def test_unknown_kinds_are_refused_by_name() -> None:
    with pytest.raises(ValueError, match="unknown event kind 'Nope'"):
        codec.event_from("Nope", {})
    with pytest.raises(ValueError, match="unknown command 'Nope'"):
        codec.command_from_dict({"name": "Nope", "args": {}})


def test_a_row_stored_before_a_field_with_a_default_existed_takes_the_default() -> None:
    s = Scenario()
    varied(s)
    checked = 0
    for ev in s.log:
        for field in dataclasses.fields(ev):
            if field.default is dataclasses.MISSING:
                continue
            data = json.loads(codec.dumps(ev))
            del data[field.name]
            older = codec.event_from(type(ev).__name__, data)
            assert getattr(older, field.name) == field.default
            assert dataclasses.replace(older, **{field.name: getattr(ev, field.name)}) == ev
            checked += 1
    assert checked > 0


PERSON = {"id": "p1", "role": "customer", "name": "Ana", "email": "ana@example.com", "closed": False,
          "time_zone": "UTC"}


def test_a_stored_value_that_is_no_member_is_refused_with_it() -> None:
    assert codec.decode(model.Person, PERSON).role is model.Role.CUSTOMER
    with pytest.raises(ValueError, match="astronaut"):
        codec.decode(model.Person, {**PERSON, "role": "astronaut"})
    with pytest.raises(ValueError):
        codec.decode(model.Person, {**PERSON, "role": ["customer"]})  # not even hashable


def test_a_row_missing_a_field_without_a_default_is_refused() -> None:
    with pytest.raises(TypeError, match="name"):
        codec.decode(model.Person, {k: v for k, v in PERSON.items() if k != "name"})


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=20)


@given(JSON, st.booleans())
@settings(max_examples=300, deadline=None)
def test_parse_json_reads_what_the_standard_library_reads(value: Any, ascii_only: bool) -> None:
    """Events' data and pull pages are parsed by orjson (`codec.parse_json`), for speed: it must read
    every text the standard library reads as the standard library does, escapes and all."""
    text = json.dumps(value, ensure_ascii=ascii_only)
    assert codec.parse_json(text) == json.loads(text)
    assert codec.parse_json(text.encode()) == json.loads(text)


def test_parse_json_reads_what_orjson_refuses_through_the_standard_library() -> None:
    for text in ['"\\ud800 alone"', '{"x": NaN}', '[Infinity]']:
        assert repr(codec.parse_json(text)) == repr(json.loads(text))
    with pytest.raises(ValueError):
        codec.parse_json('{"not json"')
