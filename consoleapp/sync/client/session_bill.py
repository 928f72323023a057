"""The bill of a live session (R20) as the server decided it, for the live window's summary.

`Console.session_detail` gives the settlement, which an appointment only gets after the
evaluations (R22-R26); the bill itself (connected time, billed minutes, amount) is the
`SessionEnded` event itself, decoded here from the cache's log. None until the server's
end of the session has been pulled.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import sqlalchemy as sa

from consoleapp.engine.events import SessionEnded
from consoleapp.store import schema
from consoleapp.store.codec import event_from
from consoleapp.store.db import reading


@dataclass(frozen=True, slots=True)
class Bill:
    connected_seconds: int
    billed_minutes: int
    amount: int


def session_bill(engine: sa.Engine, meeting_id: str) -> Bill | None:
    """Blocking: run it in a thread."""
    e = schema.events.c
    with reading(engine) as conn:
        data = conn.execute(sa.select(e.data).where(e.ref == meeting_id, e.kind == SessionEnded.__name__)
                            .order_by(e.position.desc()).limit(1)).scalar()
    if data is None:
        return None
    ended = event_from(SessionEnded.__name__, json.loads(data))
    assert isinstance(ended, SessionEnded)
    return Bill(ended.connected_seconds, ended.billed_minutes, ended.amount)
