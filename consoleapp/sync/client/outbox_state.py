"""Where one submitted command stands, by its outbox number: a read of the cache's own tables.

The live window needs it for attachments: the bytes are uploaded once the server applied the
attachment's record (see consoleapp/ui/screens/live_uploads.py). `Cache.pending()` forgets a
command once a pull confirmed it, and a refusal leaves the issues list when dismissed;
`sent_commands` keeps every processed command with the server's verdict.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from .cache import Cache, outbox, sent_commands


@dataclass(frozen=True, slots=True)
class CommandState:
    state: str  # 'queued' (not yet processed by the server), 'applied', 'rejected' or 'unknown'
    name: str = ""
    args: dict[str, Any] | None = None
    message: str = ""  # the server's reason, when rejected


def command_state(cache: Cache, seq: int) -> CommandState:
    """Blocking: run it in a thread."""
    with cache.engine.connect() as conn:
        row = conn.execute(sa.select(outbox.c.name, outbox.c.args).where(outbox.c.seq == seq)).first()
        if row is not None:
            return CommandState("queued", row.name, json.loads(row.args))
        s = sent_commands.c
        row = conn.execute(sa.select(s.name, s.args, s.status, s.message).where(s.seq == seq)).first()
    if row is None:
        return CommandState("unknown")
    return CommandState(str(row.status), row.name, json.loads(row.args), row.message or "")
