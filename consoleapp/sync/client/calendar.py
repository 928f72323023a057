"""The person's calendar feed link, asked of the server (`GET /api/calendar`,
`POST /api/calendar/reset`): unlike everything else on the desktop it is not in the synced
cache, so it needs a connection, and says so when there is none."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from .sync import SyncClient, SyncError


@dataclass(frozen=True)
class CalendarFeed:
    url: str  # https:// (or http://) to copy into a calendar's "from URL"
    webcal: str  # webcal:// to open in the system's calendar program


async def calendar_feed(sync: SyncClient, new: bool = False) -> CalendarFeed:
    """The link (made on the server on first ask); `new` revokes the old one and makes another."""
    method, path = ("POST", "/api/calendar/reset") if new else ("GET", "/api/calendar")
    try:
        response = await sync.http.request(method, f"{sync.base_url}{path}", timeout=sync.request_timeout,
                                           headers={"Authorization": f"Bearer {sync.token}"})
    except httpx.HTTPError:
        raise SyncError("offline: the calendar link needs a connection to the server; try again when online") from None
    if response.status_code == 401:
        raise SyncError("signed out: the server no longer accepts this login; sign in again", online=True)
    if response.status_code != 200:
        raise SyncError(f"the server could not give the calendar link (HTTP {response.status_code}); try again later",
                        online=True)
    try:
        body = response.json()
        return CalendarFeed(url=str(body["url"]), webcal=str(body["webcal"]))
    except (ValueError, KeyError, TypeError):
        raise SyncError("the server sent an answer the app cannot read; try again later", online=True) from None
