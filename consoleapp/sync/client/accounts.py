"""Logging in and keeping the login token in the system keyring (R1; docs/ARCHITECTURE.md §4).

`login` trades an email and password for a `Session`; `register` creates an expert's account and
logs it in; `request_reset` and `confirm_reset` change a forgotten password with a mailed code. A `TokenVault` keeps each session's
token in the system keyring (service "consoleapp", user "<server url>|<email>") and a small
JSON index of the accounts it knows, without tokens, in the user's config folder, so several
accounts on several servers live side by side.

Where no keyring backend exists (a headless machine) the vault refuses with `NoKeyring`,
whose message says what to install, or how to opt in to a plain-text token file; that file is
only ever written after `TokenVault(allow_plaintext=True)`, readable by the owner alone (0600),
and with a warning in the log. Nothing falls back silently.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import httpx
import keyring
import keyring.backends.fail
import keyring.backends.null
import keyring.errors
import platformdirs

log = logging.getLogger("consoleapp.accounts")

SERVICE = "consoleapp"
APP_NAME = "consoleapp"
INDEX_FILE = "accounts.json"
PLAINTEXT_FILE = "tokens.json"
_TIMEOUT = httpx.Timeout(15.0, connect=10.0)


@dataclass(frozen=True, slots=True)
class Session:
    """One logged-in account on one server."""

    server_url: str
    email: str
    user_id: str
    role: str
    token: str
    expires_at: str = ""

    @property
    def key(self) -> str:
        return account_key(self.server_url, self.email)

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def __repr__(self) -> str:  # never print a token into a log or a traceback
        return (f"Session(server_url={self.server_url!r}, email={self.email!r}, user_id={self.user_id!r}, "
                f"role={self.role!r}, token='***')")


class KnownAccount(NamedTuple):
    server_url: str
    email: str
    user_id: str
    role: str


class LoginError(Exception):
    """A login (or logout) that did not work, with a message a person can act on."""

    def __init__(self, message: str, code: str = "login_failed", status: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


class NoKeyring(Exception):
    """No usable system keyring; the message says what to install or how to opt in."""


def normal_url(server_url: str) -> str:
    url = server_url.strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        url = f"https://{url}"
    return url


def normal_email(email: str) -> str:
    return email.strip().lower()


def account_key(server_url: str, email: str) -> str:
    return f"{normal_url(server_url)}|{normal_email(email)}"


# --- talking to the server ----------------------------------------------------------------


def _error_of(response: httpx.Response) -> tuple[str, str]:
    try:
        body = response.json()
        err = body.get("error", {}) if isinstance(body, dict) else {}
        return str(err.get("code", "")), str(err.get("message", ""))
    except ValueError:
        return "", ""


async def login(http: httpx.AsyncClient, server_url: str, email: str, password: str) -> Session:
    """POST /auth/login; a `LoginError` says plainly what went wrong."""
    url = normal_url(server_url)
    address = normal_email(email)
    if not address or not password:
        raise LoginError("enter your email and your password", "missing")
    try:
        r = await http.post(f"{url}/auth/login", json={"email": address, "password": password}, timeout=_TIMEOUT)
    except httpx.TimeoutException:
        raise LoginError(f"the server at {url} did not answer in time; check your connection and try again",
                         "unreachable") from None
    except httpx.HTTPError as exc:
        raise LoginError(f"cannot reach the server at {url} ({type(exc).__name__}); "
                         "check the address and your connection", "unreachable") from None
    code, message = _error_of(r)
    if r.status_code == 401:
        raise LoginError("wrong email or password", code or "bad_credentials", 401)
    if r.status_code == 429:
        raise LoginError(message or "too many failed logins; wait a few minutes or reset your password",
                         code or "too_many_attempts", 429)
    if r.status_code == 403:
        raise LoginError(message or "this account cannot log in", code or "forbidden", 403)
    if r.status_code >= 500:
        raise LoginError(f"the server at {url} failed ({r.status_code}); try again later or tell its operator",
                         code or "server_error", r.status_code)
    if r.status_code != 200:
        raise LoginError(message or f"the server refused the login ({r.status_code})", code or "refused", r.status_code)
    try:
        body = r.json()
        return Session(server_url=url, email=address, user_id=str(body["user_id"]), role=str(body["role"]),
                       token=str(body["token"]), expires_at=str(body.get("expires_at", "")))
    except (ValueError, KeyError, TypeError):
        raise LoginError(f"{url} did not answer like an Expert Console server; check the address",
                         "not_a_server", r.status_code) from None


async def _post(http: httpx.AsyncClient, url: str, path: str, body: dict[str, str]) -> httpx.Response:
    """POST to the server without a token; an unreachable server or a failing one is a `LoginError`."""
    try:
        r = await http.post(f"{url}{path}", json=body, timeout=_TIMEOUT)
    except httpx.TimeoutException:
        raise LoginError(f"the server at {url} did not answer in time; check your connection and try again",
                         "unreachable") from None
    except httpx.HTTPError as exc:
        raise LoginError(f"cannot reach the server at {url} ({type(exc).__name__}); "
                         "check the address and your connection", "unreachable") from None
    if r.status_code >= 500:
        code, _ = _error_of(r)
        raise LoginError(f"the server at {url} failed ({r.status_code}); try again later or tell its operator",
                         code or "server_error", r.status_code)
    return r


def _refused(r: httpx.Response, what: str) -> LoginError:
    code, message = _error_of(r)
    return LoginError(message or f"the server refused {what} ({r.status_code})", code or "refused", r.status_code)


async def register(http: httpx.AsyncClient, server_url: str, name: str, email: str, password: str,
                   time_zone: str) -> Session:
    """POST /auth/register as an expert: the new account, logged in (R1)."""
    url = normal_url(server_url)
    address = normal_email(email)
    if not name.strip() or not address or not password:
        raise LoginError("enter your name, your email and a password", "missing")
    r = await _post(http, url, "/auth/register", {"name": name.strip(), "email": address, "password": password,
                                                   "role": "expert", "time_zone": time_zone})
    if r.status_code != 201:
        raise _refused(r, "the new account")
    try:
        body = r.json()
        return Session(server_url=url, email=address, user_id=str(body["user_id"]), role=str(body["role"]),
                       token=str(body["token"]))
    except (ValueError, KeyError, TypeError):
        raise LoginError(f"{url} did not answer like an Expert Console server; check the address",
                         "not_a_server", r.status_code) from None


async def request_reset(http: httpx.AsyncClient, server_url: str, email: str) -> str:
    """POST /auth/reset/request: the server mails a one-time code if the address has an account.

    The server's answer is the same either way (nobody learns which addresses have accounts); it is returned.
    """
    url = normal_url(server_url)
    address = normal_email(email)
    if not address:
        raise LoginError("enter the email of your account", "missing")
    r = await _post(http, url, "/auth/reset/request", {"email": address})
    if r.status_code != 202:
        raise _refused(r, "the reset")
    try:
        return str(r.json()["status"])
    except (ValueError, KeyError, TypeError):
        raise LoginError(f"{url} did not answer like an Expert Console server; check the address",
                         "not_a_server", r.status_code) from None


async def confirm_reset(http: httpx.AsyncClient, server_url: str, code: str, password: str) -> None:
    """POST /auth/reset/confirm: a new password with the mailed code; every other login of the account ends."""
    url = normal_url(server_url)
    if not code.strip() or not password:
        raise LoginError("enter the code from the email and a new password", "missing")
    r = await _post(http, url, "/auth/reset/confirm", {"token": code.strip(), "password": password})
    if r.status_code != 200:
        raise _refused(r, "the new password")


async def check(http: httpx.AsyncClient, session: Session) -> bool | None:
    """Is the token still good? True/False from GET /auth/me, None when the server is unreachable."""
    try:
        r = await http.get(f"{session.server_url}/auth/me", headers=session.headers(), timeout=_TIMEOUT)
    except httpx.HTTPError:
        return None
    if r.status_code == 200:
        return True
    if r.status_code in (401, 403):
        return False
    return None


async def resume(http: httpx.AsyncClient, vault: TokenVault, server_url: str, email: str) -> Session | None:
    """The saved session, if the server still accepts its token (offline: trusted until it answers).

    A token the server refuses (expired, revoked) is forgotten, so the app asks for the password.
    """
    session = vault.load(server_url, email)
    if session is None:
        return None
    if await check(http, session) is False:
        vault.forget(server_url, email)
        return None
    return session


async def logout(http: httpx.AsyncClient, session: Session, vault: TokenVault | None = None) -> None:
    """Revoke the token on the server (network errors ignored: it expires anyway) and forget it here."""
    with contextlib.suppress(httpx.HTTPError):
        await http.post(f"{session.server_url}/auth/logout", headers=session.headers(), timeout=_TIMEOUT)
    if vault is None:
        vault = TokenVault()
    vault.forget(session.server_url, session.email)


# --- keeping tokens ------------------------------------------------------------------------


def usable_keyring() -> tuple[keyring.backend.KeyringBackend | None, str]:
    """(backend, '') when the system keyring can keep secrets, else (None, why not)."""
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # a broken backend configuration raises from here
        return None, f"the keyring library failed to start: {exc}"
    if isinstance(backend, keyring.backends.fail.Keyring):
        return None, "no keyring backend is installed or running"
    if isinstance(backend, keyring.backends.null.Keyring):
        return None, "the keyring is configured as the null backend, which keeps nothing"
    inner = getattr(backend, "backends", None)
    if inner is not None and not inner:
        return None, "no keyring backend is installed or running"
    return backend, ""


def no_keyring_message(why: str) -> str:
    return (
        f"Cannot keep your login token safely: {why}. "
        "Install or unlock a system keyring: on Linux a Secret Service provider (GNOME Keyring or "
        "KWallet, with `pip install secretstorage dbus-python`); on a headless machine `pip install "
        "keyrings.alt` for an encrypted file keyring; macOS and Windows have one built in. "
        "Or opt in to keeping the token in a plain-text file readable only by you "
        "(TokenVault(allow_plaintext=True); in the app: 'Remember me in a file on this computer'). "
        "Without either, log in each time you start the app."
    )


class TokenVault:
    """Tokens in the system keyring, an index of known accounts (no tokens) in the config folder."""

    def __init__(self, *, allow_plaintext: bool = False, config_dir: Path | None = None) -> None:
        self.allow_plaintext = allow_plaintext
        self.config_dir = Path(config_dir) if config_dir else Path(platformdirs.user_config_dir(APP_NAME))

    @property
    def index_path(self) -> Path:
        return self.config_dir / INDEX_FILE

    @property
    def plaintext_path(self) -> Path:
        return self.config_dir / PLAINTEXT_FILE

    # --- the public surface ---

    def save(self, session: Session) -> None:
        """Keep the token and remember the account; raises `NoKeyring` unless a safe place (or the opt-in) exists."""
        key = session.key
        backend, why = usable_keyring()
        if backend is not None:
            try:
                backend.set_password(SERVICE, key, session.token)
            except keyring.errors.KeyringError as exc:
                backend, why = None, f"the keyring refused to store it ({exc})"
        if backend is None:
            if not self.allow_plaintext:
                raise NoKeyring(no_keyring_message(why))
            log.warning("no usable keyring (%s): keeping the token for %s in the plain-text file %s, "
                        "readable only by you, as you chose", why, key, self.plaintext_path)
            tokens = self._read_plaintext()
            tokens[key] = session.token
            self._write_json(self.plaintext_path, tokens, private=True)
        self._remember(session)

    def load(self, server_url: str, email: str) -> Session | None:
        """The saved session, or None (unknown account, or its token forgotten or unreadable)."""
        key = account_key(server_url, email)
        entry = next((a for a in self._entries() if account_key(a["server_url"], a["email"]) == key), None)
        if entry is None:
            return None
        token = self._token(key)
        if not token:
            return None
        return Session(server_url=entry["server_url"], email=entry["email"], user_id=entry["user_id"],
                       role=entry["role"], token=token, expires_at=entry.get("expires_at", ""))

    def forget(self, server_url: str, email: str, *, remove_account: bool = False) -> None:
        """Drop the token (from the keyring and, if there is one, the plain-text file).

        The account stays in the list (the login screen offers it again) unless `remove_account`.
        """
        key = account_key(server_url, email)
        backend, _ = usable_keyring()
        if backend is not None:
            with contextlib.suppress(keyring.errors.KeyringError):
                backend.delete_password(SERVICE, key)
        if self.plaintext_path.exists():
            tokens = self._read_plaintext()
            if tokens.pop(key, None) is not None:
                self._write_json(self.plaintext_path, tokens, private=True)
        if remove_account:
            kept = [a for a in self._entries() if account_key(a["server_url"], a["email"]) != key]
            self._write_json(self.index_path, {"accounts": kept})

    def accounts(self) -> list[KnownAccount]:
        """Every account this computer has logged in with, most recently used first (no tokens)."""
        return [KnownAccount(a["server_url"], a["email"], a["user_id"], a["role"]) for a in self._entries()]

    def has_token(self, server_url: str, email: str) -> bool:
        return bool(self._token(account_key(server_url, email)))

    # --- inside ---

    def _token(self, key: str) -> str:
        backend, _ = usable_keyring()
        if backend is not None:
            try:
                found = backend.get_password(SERVICE, key)
            except keyring.errors.KeyringError as exc:
                log.warning("the keyring could not be read for %s: %s", key, exc)
                found = None
            if found:
                return found
        if self.plaintext_path.exists():
            return str(self._read_plaintext().get(key, ""))
        return ""

    def _entries(self) -> list[dict[str, str]]:
        data = self._read_json(self.index_path)
        out = []
        for item in data.get("accounts", []) if isinstance(data, dict) else []:
            with contextlib.suppress(KeyError, TypeError, AttributeError):
                entry = {k: str(item[k]) for k in ("server_url", "email", "user_id", "role")}
                entry["expires_at"] = str(item.get("expires_at", ""))
                out.append(entry)
        return out

    def _remember(self, session: Session) -> None:
        entry = {"server_url": session.server_url, "email": session.email, "user_id": session.user_id,
                 "role": session.role, "expires_at": session.expires_at}
        others = [a for a in self._entries() if account_key(a["server_url"], a["email"]) != session.key]
        self._write_json(self.index_path, {"accounts": [entry, *others]})

    def _read_plaintext(self) -> dict[str, str]:
        data = self._read_json(self.plaintext_path)
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    @staticmethod
    def _read_json(path: Path) -> Any:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("ignoring the unreadable file %s: %s", path, exc)
            return {}

    def _write_json(self, path: Path, data: Any, private: bool = False) -> None:
        """Write atomically; a private file is created 0600 from the start, never widened."""
        self.config_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=self.config_dir)
        try:  # mkstemp makes the file 0600 on POSIX
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, indent=2, sort_keys=True)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        if private:
            os.chmod(path, 0o600)
