"""Meeting attachments (R21): upload the bytes, list them, download them.

`PUT /api/meetings/{id}/attachments/{attachment_id}?name=...&kind=file|snippet` takes the raw
bytes as the body. The server streams them to a temporary file while hashing and counting,
refuses with 413 as soon as `max_attachment_bytes` is passed (the temporary file is removed),
then runs the engine's `AddAttachment` with the size and SHA-256 of what actually arrived. Only
when the engine accepts is the file moved, inside the same write transaction, to
content-addressed storage `data_dir/attachments/<sha256[:2]>/<sha256>`: the same bytes are
kept once however many meetings carry them. The name is metadata only; it never becomes a
path, and the engine refuses names with separators, `..` or NUL.

An upload is idempotent by attachment id: the same bytes again answer 200 with the same record
(and store the bytes if only the metadata had arrived, e.g. from a desktop's /sync/push);
other bytes under the same id are a 409.

Participants list and download a meeting's attachments; everyone else gets 404, as if the
meeting did not exist. An operator may read them as evidence while the meeting is Under review
or a claim on it is disputed.

Where the bytes live: always in the server's `data_dir`, also when the database is PostgreSQL.
Several workers on one machine share that folder as they are; servers on several machines need
`data_dir/attachments` on a shared folder (NFS, a mounted volume) so every one sees every file.
The backup of the database does not include these files; copy the folder with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import re
import urllib.parse
import uuid
from pathlib import Path
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from consoleapp.engine import commands as c
from consoleapp.engine.errors import DomainError
from consoleapp.engine.events import AttachmentAdded
from consoleapp.engine.model import ClaimStatus, Meeting, MeetingStatus, Role
from consoleapp.store import schema
from consoleapp.store.db import reading

from .auth import CurrentUser, User
from .context import Server, server_of
from .customer import meeting_row
from .errors import REFUSED, fail, responses
from .write_path import jsonable, titles

router = APIRouter(tags=["attachments"])

UPLOAD_PATH = re.compile(r"^/api/meetings/[^/]+/attachments/[^/]+/?$")  # BodyLimit lets these through
_DIGEST = re.compile(r"^[0-9a-f]{64}$")
_CHUNK = 64 * 1024

AttachmentId = Annotated[str, PathParam(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]


# --- storage ------------------------------------------------------------------------------------


def root(server: Server) -> Path:
    return server.settings.data_dir / "attachments"


def stored_path(server: Server, digest: str) -> Path:
    """Where the bytes with this SHA-256 live; the digest is checked, so it is never a path trick."""
    if not _DIGEST.match(digest):
        raise ValueError(f"not a sha256 digest: {digest!r}")
    return root(server) / digest[:2] / digest


def _keep(server: Server, temp: Path, digest: str) -> None:
    """Move the received file into storage, unless the same bytes are there already."""
    target = stored_path(server, digest)
    if target.is_file() and target.stat().st_size == temp.stat().st_size:
        temp.unlink(missing_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(temp, target)  # atomic: same file system as tmp/, so readers never see half a file


async def _receive(request: Request, temp: Path, limit: int) -> tuple[int, str]:
    """Stream the body to `temp`, hashing; (size, sha256 hex). Over `limit`: 413, file removed by the caller."""
    digest = hashlib.sha256()
    size = 0
    with temp.open("wb") as out:
        async for chunk in request.stream():
            if not chunk:
                continue
            size += len(chunk)
            if size > limit:
                raise fail(413, "too_large", f"an attachment is at most {limit} bytes; this one is larger")
            digest.update(chunk)
            await asyncio.to_thread(out.write, chunk)
    return size, digest.hexdigest()


# --- reading ------------------------------------------------------------------------------------


def _records(conn: sa.Connection, meeting_id: str) -> dict[str, dict[str, Any]]:
    """The meeting's attachments by id, in the order they were added (the first record of an id wins)."""
    e = schema.events.c
    # `kind || ''`: searched by the meeting (its few events), not by the kind (every attachment ever),
    # which SQLite, keeping no statistics, would otherwise choose.
    rows = conn.execute(sa.select(e.position, e.data, e.actor, e.at)
                        .where(e.ref == meeting_id, e.kind.concat("") == "AttachmentAdded").order_by(e.position))
    found: dict[str, dict[str, Any]] = {}
    for position, data, actor, at in rows:
        fields = json.loads(data)
        aid = fields["attachment_id"]
        if aid not in found:
            found[aid] = {"attachment_id": aid, "meeting_id": meeting_id, "name": fields["name"], "kind": fields["kind"],
                          "size": fields["size"], "digest": fields["digest"], "author": fields["author"],
                          "added_by": actor, "added_at": at, "position": position}
    return found


def _view(server: Server, record: dict[str, Any]) -> dict[str, Any]:
    digest = record["digest"]
    stored = bool(_DIGEST.match(digest)) and stored_path(server, digest).is_file()
    return {**jsonable(record), "stored": stored,
            "download": f"/api/meetings/{record['meeting_id']}/attachments/{record['attachment_id']}"}


def _evidence(server: Server, m: Meeting) -> bool:
    """An operator reads attachments while the meeting is Under review or a claim on it is disputed."""
    if m.status is MeetingStatus.UNDER_REVIEW:
        return True
    cl = schema.claims.c
    with reading(server.store.engine) as conn:
        disputed = conn.execute(sa.select(cl.id).where(cl.session == m.id, cl.status == ClaimStatus.DISPUTED.value)
                                .limit(1)).first()
    return disputed is not None


def _readable(server: Server, user: User, meeting_id: str) -> Meeting:
    m = meeting_row(server, meeting_id)
    if m is not None and (user.id in (m.customer, m.expert) or (user.role is Role.OPERATOR and _evidence(server, m))):
        return m
    raise fail(404, "not_found", f"you have no meeting {meeting_id!r}")


def _participant(server: Server, user: User, meeting_id: str) -> Meeting:
    m = meeting_row(server, meeting_id)
    if m is None or user.id not in (m.customer, m.expert):
        raise fail(404, "not_found", f"you have no meeting {meeting_id!r}")
    return m


def content_disposition(name: str) -> str:
    """`attachment` with an ASCII fallback and the exact name in RFC 5987 `filename*`."""
    fallback = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\;%' else "_" for ch in name) or "attachment"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{urllib.parse.quote(name, safe='')}"


# --- routes -------------------------------------------------------------------------------------


@router.put("/api/meetings/{meeting_id}/attachments/{attachment_id}", status_code=201, responses={
    200: {"description": "these bytes were already added under this id", "content": {"application/json": {"schema": {"type": "object"}}}},
    **responses(400, 413, *REFUSED)},
    # The body is read as a raw stream, so FastAPI cannot see it: say what it is.
    openapi_extra={"requestBody": {"required": True, "description": "the file's bytes", "content": {
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}})
async def upload(meeting_id: str, attachment_id: AttachmentId, request: Request, user: CurrentUser,
                 name: Annotated[str, Query(max_length=1000, description="the file's name; metadata only")],
                 kind: Annotated[str, Query(description="'file' or 'snippet'")] = "file") -> JSONResponse:
    """R21: the raw bytes as the body; 201 when added, 200 when these bytes were already added under this id."""
    server = server_of(request)
    limit = server.settings.max_attachment_bytes
    await run_in_threadpool(_participant, server, user, meeting_id)
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise fail(413, "too_large", f"an attachment is at most {limit} bytes; this one is {int(length)}")
    tmp = root(server) / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    temp = tmp / f"{uuid.uuid4().hex}.part"
    try:
        try:
            size, digest = await _receive(request, temp, limit)
        except ClientDisconnect:
            raise fail(400, "incomplete", "the upload was interrupted; send the file again") from None
        status, payload = await run_in_threadpool(record, server, user, meeting_id, attachment_id, name, kind, size,
                                                  digest, temp)
        return JSONResponse(payload, status_code=status)
    finally:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)


async def receive_file(server: Server, chunks: Any) -> tuple[Path, int, str]:
    """A file from a web form (an async iterator of chunks), streamed to a temporary file while
    hashing; (the file, its size, sha256). Over the limit: 413 and nothing kept."""
    limit = server.settings.max_attachment_bytes
    tmp = root(server) / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    temp = tmp / f"{uuid.uuid4().hex}.part"
    digest = hashlib.sha256()
    size = 0
    try:
        with temp.open("wb") as out:
            async for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise fail(413, "too_large", f"an attachment is at most {limit} bytes; this one is larger")
                digest.update(chunk)
                await asyncio.to_thread(out.write, chunk)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp, size, digest.hexdigest()


def record(server: Server, user: User, meeting_id: str, attachment_id: str, name: str, kind: str,
           size: int, digest: str, temp: Path) -> tuple[int, dict[str, Any]]:
    """Decide AddAttachment and keep the bytes in one write transaction (serialised with other
    uploads); (201, the attachment) when added, (200, it) when these bytes already were."""
    with server.runner.transaction() as tx:
        existing = _records(tx.conn, meeting_id).get(attachment_id)
        if existing is not None:
            if existing["digest"] != digest:
                raise fail(409, "attachment_conflict",
                           f"attachment {attachment_id!r} of this meeting holds other bytes; upload under a new id")
            _keep(server, temp, digest)  # the metadata may have come first (from /sync/push)
            return 200, jsonable({"attachment": _view(server, existing), "events": []})
        result = tx.execute(c.AddAttachment(actor=user.id, meeting_id=meeting_id, attachment_id=attachment_id,
                                            name=name, kind=kind, size=size, digest=digest))
        if isinstance(result, DomainError):
            raise result  # rolls back; the caller removes the temporary file
        _keep(server, temp, digest)  # before the commit: an event never points at missing bytes
        [ev] = [x for x in result if isinstance(x, AttachmentAdded)]
        added = {"attachment_id": attachment_id, "meeting_id": meeting_id, "name": ev.name, "kind": ev.kind,
                  "size": ev.size, "digest": ev.digest, "author": ev.author.value, "added_by": ev.actor,
                  "added_at": ev.at, "position": tx.last_position}
        payload = {"attachment": _view(server, added), "events": titles(result)}
    return 201, jsonable(payload)


@router.get("/api/meetings/{meeting_id}/attachments", responses=responses(404))
def list_attachments(meeting_id: str, request: Request, user: CurrentUser) -> dict[str, Any]:
    """R21: the meeting's attachments, oldest first; `stored` says whether the bytes are on the server."""
    server = server_of(request)
    _readable(server, user, meeting_id)
    with reading(server.store.engine) as conn:
        found = _records(conn, meeting_id)
    return {"attachments": [_view(server, r) for r in found.values()]}


@router.get("/api/meetings/{meeting_id}/attachments/{attachment_id}", response_class=FileResponse, responses={
    200: {"description": "the bytes, as a download", "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
    **responses(404)})
def download(meeting_id: str, attachment_id: str, request: Request, user: CurrentUser) -> FileResponse:
    """The bytes, as a download under the original name (never shown inline)."""
    return attachment_file(server_of(request), user, meeting_id, attachment_id)


def attachment_file(server: Server, user: User, meeting_id: str, attachment_id: str) -> FileResponse:
    """What a participant (or an operator reading evidence) downloads; anyone else: 404."""
    _readable(server, user, meeting_id)
    with reading(server.store.engine) as conn:
        found = _records(conn, meeting_id).get(attachment_id)
    if found is None:
        raise fail(404, "not_found", f"meeting {meeting_id!r} has no attachment {attachment_id!r}")
    path = stored_path(server, found["digest"]) if _DIGEST.match(found["digest"]) else None
    if path is None or not path.is_file():
        raise fail(404, "not_uploaded", "the bytes of this attachment are not on the server yet; the author must upload them")
    headers = {"Content-Disposition": content_disposition(found["name"]), "X-Content-Type-Options": "nosniff",
               "Content-Security-Policy": "default-src 'none'; sandbox", "Cache-Control": "private, no-store",
               "X-Attachment-Digest": found["digest"]}
    return FileResponse(path, media_type="application/octet-stream", headers=headers)
