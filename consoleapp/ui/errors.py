"""What went wrong, in words a person can act on: never a traceback on screen."""

from __future__ import annotations

import logging

import httpx

from consoleapp.engine.errors import DomainError
from consoleapp.sync.client.accounts import LoginError, NoKeyring
from consoleapp.sync.client.cache import CacheError, is_damage, is_disk_refusal
from consoleapp.sync.client.sync import SyncError

from .i18n import tr

log = logging.getLogger("consoleapp.ui")


def human(exc: BaseException) -> str:
    """One or two sentences for the message bar; unexpected errors are logged with their stack."""
    if isinstance(exc, DomainError):
        return exc.message[:1].upper() + exc.message[1:]
    if isinstance(exc, LoginError | SyncError):
        return exc.message[:1].upper() + exc.message[1:]
    if isinstance(exc, NoKeyring | CacheError):
        return str(exc)
    if is_damage(exc):
        return tr("Your local copy of the data is damaged ({error}). Close Expert Console and start it again: "
                  "it checks the copy and offers to download your data again, keeping what you have not sent yet.",
                  error=str(getattr(exc, "orig", exc)))
    if is_disk_refusal(exc):
        return tr("This computer's disk did not take the change ({error}): it was not made. Free some space "
                  "and do it again; everything saved before is kept.", error=str(getattr(exc, "orig", exc)))
    if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
        return tr("The server cannot be reached. Check its address and your connection; your work is kept "
                  "and sent when it is back.")
    if isinstance(exc, httpx.TimeoutException):
        return tr("The server took too long to answer. Try again in a moment.")
    if isinstance(exc, httpx.HTTPError):
        return tr("The connection to the server failed: {error}", error=str(exc) or type(exc).__name__)
    if isinstance(exc, OSError):
        return tr("A file could not be used: {error}", error=exc.strerror or str(exc))
    log.error("unexpected error", exc_info=exc)
    return tr("Something went wrong ({kind}). The details are in the log; nothing you did was lost.",
              kind=type(exc).__name__)
