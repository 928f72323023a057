"""Accounts on the web (R1): sign up, log in, log out, reset a password by emailed code.

Each page keeps `next`, the page that sent the visitor here (a booking form with the chosen
time in its address), and goes back to it once logged in: nothing chosen is lost.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from consoleapp.engine import DomainError
from consoleapp.engine.model import Role

from ..accounts import create_user
from ..auth import address_of, log_in, reset_password, send_reset_code, use_login_link
from ..context import server_of
from . import site
from .site import N_

router = APIRouter(include_in_schema=False, dependencies=[Depends(site.page)])

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# The account refusals a page shows (auth.py words them for the API too); listed for the catalog.
REFUSALS = (N_("Wrong email or password"), N_("An account with this email exists; log in or reset the password"),
            N_("This account is closed"),
            N_("This reset code is unknown, used or expired; ask for a new one"),
            N_("This login link is unknown, used or expired; log in with your password"))


def login_page(request: Request, back: str = "/", status: int = 200, form: site.Form | None = None) -> HTMLResponse:
    return site.render(request, "login.html", status=status, form=form or site.Form(), next=site.safe_next(back))


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    if site.web_user(request) is not None:
        return RedirectResponse(site.safe_next(next), status_code=303)
    return login_page(request, next)


@router.post("/login")
async def login(request: Request) -> Response:
    form = await site.Form.read(request)
    back = site.safe_next(form.get("next"))
    email = form.text("email", limit=320)
    password = form.text("password", limit=200)
    if not form.ok:
        return login_page(request, back, 422, form)
    try:
        _, role, token, _ = log_in(server_of(request), email, password, address_of(request), kind="web")
    except HTTPException as refused:
        form.problem = site.refusal_text(request, refused)
        return login_page(request, back, refused.status_code, form)
    return _logged_in(request, token, _landing(role, back))


def _landing(role: str, back: str) -> str:
    """Where a login goes: back to the page that asked, if it is one of the role's own."""
    if role == Role.CUSTOMER.value:
        return back
    if role == Role.OPERATOR.value:
        return back if back.startswith("/ops") else "/ops"
    return "/"


@router.get("/login/link")
def login_by_link(request: Request, code: str = "", next: str = "/") -> Response:
    """A one-time link (`consoleapp-server admin login-link`, the demo): a session, then the page it names."""
    back = site.safe_next(next)
    try:
        token = use_login_link(server_of(request), code[:200])
    except HTTPException as refused:
        form = site.Form()
        form.problem = site.refusal_text(request, refused)
        return login_page(request, back, refused.status_code, form)
    return _logged_in(request, token, back)


def _logged_in(request: Request, token: str, to: str) -> Response:
    """The browser's new session, and on to the page it came for."""
    response = RedirectResponse(to, status_code=303)
    site.start_session(request, response, token)
    site.remember_visitor(request, response)
    return response


@router.get("/signup")
def signup_form(request: Request, next: str = "/") -> Response:
    return site.render(request, "signup.html", form=site.Form(), next=site.safe_next(next))


def new_account(request: Request, form: site.Form) -> tuple[str, str, str]:
    """A new account's name, email and password from a form, each error beside its field."""
    name = form.text("name", limit=200)
    email = form.text("email", limit=320)
    if email and not EMAIL.match(email):
        form.errors["email"] = site.translate(request, "An email address like name@example.com, please.")
    password = form.values.get("password", "")
    if len(password) < 8:
        form.errors["password"] = site.translate(request, "At least 8 characters, please.")
    return name, email, password


@router.post("/signup")
async def signup(request: Request) -> Response:
    form = await site.Form.read(request)
    back = site.safe_next(form.get("next"))
    name, email, password = new_account(request, form)
    chosen = site.zone_of(form.get("time_zone")) or site.browser_zone(request)
    zone = chosen.key if chosen else "UTC"
    if form.ok:
        try:
            _, token = create_user(server_of(request), email, password, name, Role.CUSTOMER, zone, token_kind="web")
        except HTTPException as refused:  # the email is taken
            form.errors["email"] = site.refusal_text(request, refused)
        except DomainError as refused:
            form.problem = refused.message
    if not form.ok:
        form.values.pop("password", None)  # never sent back into the page
        return site.render(request, "signup.html", status=422, form=form, next=back)
    return _logged_in(request, token, back)


@router.post("/logout")
async def logout(request: Request) -> Response:
    await site.Form.read(request)
    response = RedirectResponse("/", status_code=303)
    site.end_session(request, response)
    return response


@router.get("/reset")
def reset_form(request: Request, token: str = "") -> Response:
    """Without a code: ask for one by email. With the emailed code (the link): choose a new password."""
    return site.render(request, "reset.html", form=site.Form({"token": token[:200]}), sent=False)


@router.post("/reset")
async def reset(request: Request) -> Response:
    form = await site.Form.read(request)
    server = server_of(request)
    if form.get("step") == "ask":
        email = form.text("email", limit=320)
        if not form.ok:
            return site.render(request, "reset.html", status=422, form=form, sent=False)
        send_reset_code(server, email)  # the same answer whether or not the address has an account
        return site.render(request, "reset.html", form=site.Form(), sent=True)
    code = form.text("token", limit=200)
    password = form.values.get("password", "")
    if len(password) < 8:
        form.errors["password"] = site.translate(request, "At least 8 characters, please.")
    if form.ok:
        try:
            reset_password(server, code, password)
        except HTTPException as refused:
            form.errors["token"] = site.refusal_text(request, refused)
    if not form.ok:
        form.values.pop("password", None)
        return site.render(request, "reset.html", status=422, form=form, sent=False)
    response = RedirectResponse("/login?reset=1", status_code=303)
    site.end_session(request, response)  # every session of the account ended with the reset
    return response
