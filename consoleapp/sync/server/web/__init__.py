"""The booking site: the customers' web pages, served by the server itself (see site.py)."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from .. import errors
from ..routing import add_routes
from . import (
    account,
    booking,
    calendar_feed,
    events,
    live,
    meetings,
    ops,
    public,
    site,
    stream,
    wallet,
)
from .ops import access

ROUTERS: tuple[APIRouter, ...] = (
    public.router, account.router, booking.router, meetings.router, live.router, events.router, wallet.router,
    stream.router, calendar_feed.router, *ops.ROUTERS,
)


def install(app: FastAPI) -> None:
    """The pages, their static files, and what a page answers when a login is needed."""
    add_routes(app, ROUTERS)
    app.mount("/static", StaticFiles(directory=site.HERE / "static"), name="static")
    app.add_middleware(access.NoStore)
    errors.page_errors[:] = [site.error_page]

    @app.exception_handler(site.LoginNeeded)
    async def login_first(request: Request, exc: site.LoginNeeded) -> Response:
        if isinstance(exc, access.SessionEnded):
            form = site.Form()
            minutes = site.server_of(request).settings.operator_idle_minutes
            form.problem = site.translate(request, "Your session ended after {minutes} minutes without activity, "
                                          "or you logged out; log in again to go on.", minutes=minutes)
            return account.login_page(request, back=exc.back, status=401, form=form)
        return account.login_page(request, back=exc.back, status=401)
