"""Attachment uploads from the desktop: the bytes of a file or snippet to the server (R21).

`upload` streams a file (or sends bytes) to `PUT /api/meetings/{id}/attachments/{attachment_id}`.
The server hashes what it receives and records the attachment; uploading the same bytes under the
same id again is harmless (200), so a failed or interrupted upload is simply retried.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

CHUNK = 256 * 1024


class UploadError(Exception):
    """The server refused the upload: `status`, the problem's `code` and its `message`."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


async def _chunks(path: Path) -> AsyncIterator[bytes]:
    handle = await asyncio.to_thread(path.open, "rb")
    try:
        while chunk := await asyncio.to_thread(handle.read, CHUNK):
            yield chunk
    finally:
        await asyncio.to_thread(handle.close)


async def upload(http: httpx.AsyncClient, base_url: str, token: str, meeting_id: str, attachment_id: str,
                 source: Path | str | bytes, name: str = "", kind: str = "file") -> dict[str, Any]:
    """Send the bytes; the attachment's record as the server keeps it (digest, size, stored)."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/octet-stream"}
    content: bytes | AsyncIterator[bytes]
    if isinstance(source, bytes):
        if not name:
            raise ValueError("give the attachment a name")
        content = source
    else:
        path = Path(source)
        name = name or path.name
        headers["Content-Length"] = str(path.stat().st_size)  # lets the server refuse an oversize file at once
        content = _chunks(path)
    url = f"{base_url.rstrip('/')}/api/meetings/{quote(meeting_id, safe='')}/attachments/{quote(attachment_id, safe='')}"
    response = await http.put(url, params={"name": name, "kind": kind}, content=content, headers=headers)
    if response.status_code >= 400:
        try:
            error = response.json()["error"]
            code, message = str(error["code"]), str(error["message"])
        except (ValueError, KeyError, TypeError):
            code, message = f"http_{response.status_code}", response.text[:500]
        raise UploadError(response.status_code, code, message)
    record: dict[str, Any] = response.json()["attachment"]
    return record
