"""The web side's foundation: templates, languages, time zones, browser sessions, CSRF, forms.

Pages are server-rendered Jinja2 templates; htmx (vendored in static/) refreshes parts of them.
A page handler is a thin adapter: it reads a form, builds the engine command and runs it through
the API's own write path (`write_path.run_once`: the runner's transaction, audience rows, stream
pokes, replays by key), then renders or redirects. No rule is decided here or in a template.

- Languages: English and French (Babel catalogs in translations/, read at start: no compile
  step), chosen by the `ec_lang` cookie (the switch) or else the browser's Accept-Language.
- Time zones: the visitor's, from the `ec_tz` cookie that static/site.js sets from the browser;
  else the account's; else UTC. Times are always shown with the expert's zone beside them.
- Sessions: a random token in an HttpOnly, SameSite=Lax cookie (`Secure` over https), stored
  hashed in the same `tokens` table as API tokens (kind "web"): revocable, expiring, ended by
  logging out or resetting the password, exactly like them.
- CSRF: every visitor gets a random `ec_visitor` cookie; every form carries an HMAC of it under
  the server's secret, checked on every POST together with the Origin header.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import io
import re
import secrets
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jinja2
import sqlalchemy as sa
from babel import Locale
from babel.dates import format_date, format_datetime, get_timezone_name
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from consoleapp.engine import DomainError
from consoleapp.engine.commands import Command
from consoleapp.engine.errors import ALREADY_EXISTS
from consoleapp.engine.model import Role
from consoleapp.store.db import reading

from ..auth import User
from ..context import Server, server_of
from ..passwords import token_hash
from ..runner import Tx
from ..tables import aware, server_meta, tokens, users
from ..write_path import run_once, stored_answer
from . import wording

HERE = Path(__file__).parent
LOCALES = ("en", "fr")
SESSION_COOKIE = "ec_session"
VISITOR_COOKIE = "ec_visitor"
LANG_COOKIE = "ec_lang"
TZ_COOKIE = "ec_tz"
YEAR = 365 * 24 * 3600

E = TypeVar("E", bound=Enum)


# --- languages ---------------------------------------------------------------------------------


def N_(text: str) -> str:  # noqa: N802  (the name the catalog's extraction looks for)
    """Marks a message for the catalog where it is written; translated where it is shown."""
    return text


@functools.cache
def translations(locale: str) -> Translations:
    """The catalog of `locale` from its .po file, compiled in memory (English is the source)."""
    po = HERE / "translations" / locale / "LC_MESSAGES" / "messages.po"
    if not po.is_file():
        return Translations()
    with po.open("rb") as f:
        catalog = read_po(f, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def choose_locale(request: Request) -> str:
    chosen = request.cookies.get(LANG_COOKIE, "")
    if chosen in LOCALES:
        return chosen
    wanted = []
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        if tag:
            wanted.append((weight, tag.split("-")[0].lower()))
    for _, tag in sorted(wanted, key=lambda x: -x[0]):
        if tag in LOCALES:
            return tag
    return "en"


def gettext_for(locale: str) -> Callable[[str], str]:
    return translations(locale).gettext


# --- time zones --------------------------------------------------------------------------------


def zone_of(name: str | None) -> ZoneInfo | None:
    if not name or len(name) > 64:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def browser_zone(request: Request) -> ZoneInfo | None:
    """The zone static/site.js read from the browser (URI-encoded in its cookie)."""
    return zone_of(unquote(request.cookies.get(TZ_COOKIE, "")))


def visitor_zone(request: Request, user: WebUser | None) -> ZoneInfo:
    return browser_zone(request) or zone_of(user.time_zone if user else None) or ZoneInfo("UTC")


def local_input(value: str, zone: ZoneInfo) -> datetime | None:
    """A `datetime-local` field ('2027-03-02T10:30') read on the visitor's wall clock, in UTC."""
    try:
        naive = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if naive.tzinfo is not None:
        return naive.astimezone(UTC)
    return naive.replace(tzinfo=zone).astimezone(UTC)


# --- the server's secret and CSRF ---------------------------------------------------------------


def secret(server: Server) -> bytes:
    """One random secret per deployment, in the database so every worker signs alike."""
    cached: bytes | None = getattr(server, "_web_secret", None)
    if cached is not None:
        return cached
    with server.store.engine.begin() as conn:
        value = conn.execute(sa.select(server_meta.c.value).where(server_meta.c.name == "web_secret")).scalar()
        if value is None:
            value = secrets.token_hex(32)
            conn.execute(server_meta.insert().values(name="web_secret", value=value))
    found = bytes.fromhex(str(value))
    server._web_secret = found  # type: ignore[attr-defined]
    return found


def visitor(request: Request) -> str:
    """The visitor's random id (its cookie, or a new one the response will set)."""
    known = request.cookies.get(VISITOR_COOKIE, "")
    if re.fullmatch(r"[0-9a-f]{32}", known):
        return known
    fresh: str | None = getattr(request.state, "new_visitor", None)
    if fresh is None:
        fresh = request.state.new_visitor = uuid.uuid4().hex
    return fresh


def csrf_token(request: Request) -> str:
    return hmac.new(secret(server_of(request)), f"csrf:{visitor(request)}".encode(), hashlib.sha256).hexdigest()


class Forbidden(HTTPException):
    def __init__(self, message: str) -> None:
        super().__init__(403, message)


def check_csrf(request: Request, form: Mapping[str, Any]) -> None:
    """A POST must come from one of our pages: its token matches the visitor's cookie, and the
    Origin (which browsers send with every POST) is this server."""
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host", ""):
        raise Forbidden("this form was sent from another site; nothing was done")
    sent = str(form.get("csrf") or request.headers.get("x-csrf-token") or "")
    known = request.cookies.get(VISITOR_COOKIE, "")
    if not known or not hmac.compare_digest(sent, csrf_token(request)):
        raise Forbidden("this form has expired (or came from elsewhere); nothing was done. Reload the page and send it again")


# --- browser sessions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WebUser:
    id: str
    email: str
    role: Role
    token_hash: str
    name: str = ""
    time_zone: str = "UTC"

    @property
    def api(self) -> User:
        """The same caller as the API knows it (the write path and the read helpers take it)."""
        return User(self.id, self.email, self.role, self.token_hash)


def web_user(request: Request) -> WebUser | None:
    """The logged-in person of this browser, or None; read once per request."""
    if hasattr(request.state, "web_user"):
        found: WebUser | None = request.state.web_user
        return found
    request.state.web_user = None
    token = request.cookies.get(SESSION_COOKIE, "")
    if not token or len(token) > 200:
        return None
    server = server_of(request)
    h = token_hash(token)
    with reading(server.store.engine) as conn:
        row = conn.execute(
            sa.select(users.c.id, users.c.email, users.c.role, users.c.closed, tokens.c.expires_at, tokens.c.revoked_at)
            .join(tokens, tokens.c.user_id == users.c.id).where(tokens.c.hash == h, tokens.c.kind == "web")).first()
    now = server.clock.now()
    if row is None or row.revoked_at is not None or row.closed or aware(row.expires_at) <= now:
        return None
    if row.role == Role.OPERATOR.value:
        _keep_alive(server, h, aware(row.expires_at), now)
    person = server.store.world.people.get(row.id)
    request.state.web_user = WebUser(row.id, row.email, Role(row.role), h, person.name if person else "",
                                     person.time_zone if person else "UTC")
    return request.state.web_user  # type: ignore[no-any-return]


def _keep_alive(server: Server, h: str, expires: datetime, now: datetime) -> None:
    """An operator's browser session ends after `operator_idle_minutes` without a request: each
    request moves its end that far ahead (written at most once a minute)."""
    idle = timedelta(minutes=server.settings.operator_idle_minutes)
    if expires > now + idle or expires < now + idle - timedelta(minutes=1):
        with server.store.engine.begin() as conn:
            conn.execute(tokens.update().where(tokens.c.hash == h).values(expires_at=now + idle))


def ended_operator_session(request: Request) -> bool:
    """Whether this browser holds an operator's session that has ended (idle too long, or logged
    out): that browser is told to log in again rather than shown a 404."""
    token = request.cookies.get(SESSION_COOKIE, "")
    if not token or len(token) > 200:
        return False
    server = server_of(request)
    with reading(server.store.engine) as conn:
        role = conn.execute(sa.select(users.c.role).join(tokens, tokens.c.user_id == users.c.id)
                            .where(tokens.c.hash == token_hash(token), tokens.c.kind == "web")).scalar()
    return role == Role.OPERATOR.value


def page(request: Request) -> None:
    """Router dependency of every page: errors raised while making it answer as pages.

    It also notes how far this process has read the log before the page reads anything: the
    page's live channel asks for every change after that (`stream_since`), so a change made
    between this moment and the channel's opening still refreshes the page."""
    request.state.page = True
    request.state.since = server_of(request).store.world.version


def stream_since(request: Request, since: int) -> int | None:
    """Where a page's live channel starts: the page's `since`, or the last event the browser
    heard if it is reconnecting (EventSource sends `Last-Event-ID`); None: from now on."""
    header = request.headers.get("last-event-id", "").strip()
    heard = int(header) if header.isdigit() and len(header) < 19 else -1
    found = max(since, heard)
    return found if found >= 0 else None


def secure(request: Request) -> bool:
    return request.url.scheme == "https" or server_of(request).settings.public_url.startswith("https://")


def start_session(request: Request, response: Response, token: str) -> None:
    response.set_cookie(SESSION_COOKIE, token, max_age=server_of(request).settings.token_hours * 3600, httponly=True,
                        samesite="lax", secure=secure(request), path="/")


def end_session(request: Request, response: Response) -> None:
    token = request.cookies.get(SESSION_COOKIE, "")
    if token:
        server = server_of(request)
        with server.store.engine.begin() as conn:
            conn.execute(tokens.update().where(tokens.c.hash == token_hash(token), tokens.c.kind == "web",
                                               tokens.c.revoked_at.is_(None)).values(revoked_at=server.clock.now()))
    response.delete_cookie(SESSION_COOKIE, path="/")


class LoginNeeded(Exception):
    """Raised by a page that needs a customer; answered with the login page, coming back after."""

    def __init__(self, back: str) -> None:
        self.back = back


def customer(request: Request) -> WebUser:
    user = web_user(request)
    if user is None:
        raise LoginNeeded(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    if user.role is not Role.CUSTOMER:
        raise Forbidden("these pages are for customers; experts work in the desktop console")
    return user


def safe_next(value: str | None) -> str:
    """Only a path on this server (never '//elsewhere' or 'https://elsewhere')."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


# --- forms --------------------------------------------------------------------------------------


@dataclass
class Form:
    """A submitted form: what was typed (shown again), and an error beside each field that needs fixing."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    problem: str = ""  # a refusal of the whole form (the engine's message)
    tr: Callable[[str], str] = field(default=lambda s: s, repr=False)  # the page's language

    @classmethod
    async def read(cls, request: Request) -> Form:
        data = await request.form()
        check_csrf(request, data)
        values = {k: v for k, v in data.items() if isinstance(v, str)}
        return cls(values, tr=gettext_for(choose_locale(request)))

    @property
    def ok(self) -> bool:
        return not self.errors and not self.problem

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)

    def text(self, name: str, required: bool = True, limit: int = 2000) -> str:
        value = self.values.get(name, "").strip()
        if required and not value:
            self.errors[name] = self.tr("Please fill this in.")
        elif len(value) > limit:
            self.errors[name] = self.tr("At most {n} characters, please.").format(n=limit)
        return value

    def whole(self, name: str, low: int = 0, high: int = 10**9, required: bool = True) -> int:
        raw = self.values.get(name, "").strip()
        if not raw and not required:
            return 0
        if not re.fullmatch(r"\d{1,10}", raw) or not low <= int(raw) <= high:
            self.errors[name] = self.tr("A whole number from {low} to {high}, please.").format(low=low, high=high)
            return 0
        return int(raw)

    def choice(self, name: str, kind: type[E]) -> E | None:
        raw = self.values.get(name, "")
        try:
            return kind(raw)
        except ValueError:
            self.errors[name] = self.tr("Please choose one.")
            return None

    def moment(self, name: str, zone: ZoneInfo, required: bool = True) -> datetime | None:
        raw = self.values.get(name, "").strip()
        if not raw:
            if required:
                self.errors[name] = self.tr("Please choose a date and time.")
            return None
        found = local_input(raw, zone)
        if found is None:
            self.errors[name] = self.tr("A date and time like 2027-03-02 10:30, please.")
        return found

    def key(self) -> str:
        """The form's idempotency key (one per rendered form): a double submit runs once."""
        key = self.values.get("idem", "")
        return key if re.fullmatch(r"[0-9a-f]{32}", key) else ""

    def fingerprint(self, request: Request) -> str:
        data = {k: v for k, v in sorted(self.values.items()) if k not in ("csrf", "idem")}
        return hashlib.sha256(f"{request.url.path}\n{data}".encode()).hexdigest()


# --- rendering ----------------------------------------------------------------------------------


@functools.cache
def environment(locale: str) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_translations(translations(locale), newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(when=_when, day=_day, clock=_clock, credits=_credits, zone_label=_zone_label, enum=_enum)
    return env


def _zone(ctx: Any, zone: ZoneInfo | str | None) -> ZoneInfo:
    if isinstance(zone, str):
        return zone_of(zone) or ZoneInfo("UTC")
    return zone or ctx.get("zone") or ZoneInfo("UTC")


@jinja2.pass_context
def _when(ctx: Any, moment: datetime | None, zone: ZoneInfo | str | None = None) -> str:
    """'Thu 3 Dec 2026, 10:30' on the visitor's clock (or `zone`'s)."""
    if moment is None:
        return "—"
    return format_datetime(moment, "EEE d MMM y, HH:mm", tzinfo=_zone(ctx, zone), locale=ctx["babel_locale"])


@jinja2.pass_context
def _day(ctx: Any, moment: datetime | None, zone: ZoneInfo | str | None = None) -> str:
    if moment is None:
        return "—"
    return format_date(moment.astimezone(_zone(ctx, zone)).date(), "EEEE d MMMM", locale=ctx["babel_locale"])


@jinja2.pass_context
def _clock(ctx: Any, moment: datetime | None, zone: ZoneInfo | str | None = None) -> str:
    if moment is None:
        return "—"
    return moment.astimezone(_zone(ctx, zone)).strftime("%H:%M")  # the same in every language: no Babel needed


@jinja2.pass_context
def _credits(ctx: Any, amount: int) -> str:
    return f"{format_decimal(int(amount), locale=ctx['babel_locale'])} cr"


@jinja2.pass_context
def _zone_label(ctx: Any, zone: ZoneInfo | str | None) -> str:
    """'Paris' or the zone's id: short and unambiguous beside a time."""
    z = _zone(ctx, zone)
    city = str(z.key).rsplit("/", 1)[-1].replace("_", " ")
    try:
        return city if "/" in z.key else get_timezone_name(z, "short", locale=ctx["babel_locale"])
    except LookupError:
        return city


@jinja2.pass_context
def _enum(ctx: Any, value: Enum | str | None) -> str:
    """An engine value (a status, an answer, a reason) in the page's language."""
    if value is None:
        return ""
    text = value.value if isinstance(value, Enum) else str(value)
    found = wording.say(text, gettext_for(ctx["locale"]))
    return found[:1].upper() + found[1:]


@functools.cache
def babel_locale(locale: str) -> Locale:
    """Parsed once per language: Babel's formatters otherwise parse the name at every call."""
    return Locale.parse(locale)


@functools.cache
def language_name(locale: str) -> str:
    return str(babel_locale(locale).get_display_name(locale)).capitalize()


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    server = server_of(request)
    locale = choose_locale(request)
    user = web_user(request)
    zone = visitor_zone(request, user)
    base = {
        "request": request, "user": user, "locale": locale, "zone": zone, "now": server.clock.now(),
        "since": getattr(request.state, "since", 0),
        "csrf": csrf_token(request), "idem": uuid.uuid4().hex, "path": request.url.path,
        "full_path": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        "zone_known": browser_zone(request) is not None,
        "babel_locale": babel_locale(locale), "language_name": language_name(locale),
        "quote": quote, "timedelta": timedelta,
    }
    html = environment(locale).get_template(template).render({**base, **context})
    response = HTMLResponse(html, status_code=status)
    remember_visitor(request, response)
    return response


def remember_visitor(request: Request, response: Response) -> None:
    fresh = getattr(request.state, "new_visitor", None)
    if fresh and not request.cookies.get(VISITOR_COOKIE):
        response.set_cookie(VISITOR_COOKIE, fresh, max_age=YEAR, httponly=True, samesite="lax",
                            secure=secure(request), path="/")


def redirect(request: Request, to: str) -> Response:
    """After a POST: see the result (303), or tell htmx to go there."""
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": to})
    return RedirectResponse(to, status_code=303)


def translate(request: Request, text: str, **values: Any) -> str:
    found = gettext_for(choose_locale(request))(text)
    return found.format(**values) if values else found


def replayed(request: Request, user: WebUser, form: Form) -> Any:
    """What this very form already did (a double submit, a reload of the POST), or None: checked
    first, since the page it came from may no longer fit (the free time it booked is taken now)."""
    try:
        found = stored_answer(server_of(request), user.api, form.key(), form.fingerprint(request))
    except HTTPException:
        return None  # the key of another request: `run` says so
    return None if found is None else found[1]


def run(request: Request, user: WebUser, form: Form, commands: Sequence[Command], answer: dict[str, Any],
        extra: Callable[[Tx], None] | None = None, reason: str = "") -> Any:
    """Run a form's commands through the API's write path (`run_once`), keyed by the form: a
    double submit or a reload answers the first result. A refusal raises the engine's DomainError.
    `extra` writes the page's own rows in the same transaction; `reason` goes to the audit log."""
    key = form.key()
    try:
        _, payload, _ = run_once(server_of(request), user.api, key, form.fingerprint(request) if key else "",
                                 commands, lambda tx, events: answer, extra=extra, reason=reason)
    except HTTPException as reused:  # the same form sent again with other values (back button, edit, send)
        if reused.status_code != 409:
            raise
        raise DomainError(ALREADY_EXISTS, form.tr("This form was already sent with other values; "
                                                  "check My meetings, then send it again if needed.")) from None
    return payload


# The server's own sentences an error page shows (errors.REBUILT_PAGE, errors.CRASHED), as `error_page`
# capitalises them: written here for the catalog's extraction, which reads this package only.
SERVER_SENTENCES = (
    N_("A stored record could not be read; the server rebuilt its tables from the log and nothing was changed: "
       "reload the page, or send the form again"),
    N_("The server failed; nothing was changed; try again or tell the operator"),
)


def error_page(request: Request, status: int, message: str) -> Response:
    """What a page answers when it cannot be shown: what happened, in the page's language."""
    text = translate(request, message[:1].upper() + message[1:]) if message else ""
    return render(request, "error.html", status=status, code=status, message=text)


def refusal_text(request: Request, refused: HTTPException) -> str:
    """The message of a refusal raised by the API's helpers, for a page."""
    detail = refused.detail if isinstance(refused.detail, dict) else {}
    message = str(detail.get("message", refused.detail))
    return translate(request, message[:1].upper() + message[1:])
