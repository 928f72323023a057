"""The sync wire protocol shared by the server and the desktop client (docs/ARCHITECTURE.md §4)."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1
MAX_COMMANDS_PER_PUSH = 500
PULL_PAGE = 5000  # events per pull page (the server caps `limit` at it)
# Log positions and command seqs are stored as 64-bit integers: a larger one is refused
# with a 422 rather than failing in the database (a 500 the API fuzz found).
MAX_POSITION = 2**63 - 1


def new_id() -> str:
    """The id of a record a command creates: the sender makes it, so the command means the same
    on the desktop, which decides it first, and on the server."""
    return uuid.uuid4().hex


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PushedCommand(Strict):
    seq: int = Field(ge=1, le=MAX_POSITION, description="per-client contiguous sequence number, starting at 1")
    command_id: str = Field(min_length=1, max_length=64, description="a UUID naming the command")
    name: str = Field(min_length=1, max_length=64, description="the engine command's class name")
    args: dict[str, Any] = Field(default_factory=dict)


class PushRequest(Strict):
    client_id: str = Field(min_length=8, max_length=64)
    schema_version: int
    commands: list[PushedCommand] = Field(max_length=MAX_COMMANDS_PER_PUSH)


class CommandResult(Strict):
    seq: int
    command_id: str
    status: Literal["applied", "rejected"]
    code: str = ""
    message: str = ""
    position: int = 0  # the log position of the command's last event, when applied


class PushResponse(Strict):
    last_seq: int
    results: list[CommandResult]
    gap: bool = False  # commands after a missing seq were not processed; push again from last_seq + 1


class PullRequest(Strict):
    client_id: str = Field(min_length=8, max_length=64)
    cursor: str = ""  # '<epoch>:<position>', empty for a first pull
    limit: int = Field(default=PULL_PAGE, ge=1, le=PULL_PAGE)


class Change(Strict):
    position: int
    kind: str
    ref: str
    at: str
    data: dict[str, Any]


class PullResponse(Strict):
    cursor: str
    last_seq: int
    changes: list[Change]  # empty when the request asked for `packed`
    results: list[CommandResult]
    reset: bool = False  # the server's epoch changed or the cursor is unknown: drop the cache, keep the outbox
    more: bool = False  # another page is waiting
    # Only in the answer to `/sync/pull?packed=true` (the desktop's): the changes as (kind, data)
    # with the data as the log's own JSON text, read once where it is used, and `changes` empty.
    # A first sync moves ~600 000 changes: as objects, parsing them, encoding them again for the
    # cache and collecting the garbage took a third of it. A query parameter, so a server that
    # predates it ignores it and answers with `changes`, which the desktop still reads.
    packed: list[tuple[str, str]] | None = None
