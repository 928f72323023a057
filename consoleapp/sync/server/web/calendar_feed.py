"""The customer's calendar feed on the site: the link (shown on "My meetings") and a new one.

The link is the API's (`calendar.feed_token`, `calendar.links`); making a new one revokes the old
at once, so a link that leaked stops working. A new link twice (a double click) is harmless: the
page shows the newest.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from .. import calendar
from ..context import server_of
from . import site

router = APIRouter(include_in_schema=False, dependencies=[Depends(site.page)])


def feed_links(request: Request, user: site.WebUser) -> dict[str, str]:
    """The customer's `url` and `webcal` links, made on first ask."""
    server = server_of(request)
    return calendar.links(server, calendar.feed_token(server, user.id))


@router.post("/me/calendar/reset")
async def new_link(request: Request) -> Response:
    user = site.customer(request)
    await site.Form.read(request)  # checks the CSRF token and the Origin
    calendar.reset_token(server_of(request), user.id)
    return site.redirect(request, "/me/meetings?done=calendar#calendar")
