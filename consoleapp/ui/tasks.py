"""Running coroutines from Qt signals, with errors routed to the window (docs/ARCHITECTURE.md §5).

`start(coro, owner)` makes a task on the qasync loop and keeps a reference until it ends; when
it fails, the error goes to the nearest `Reporter` up the widget tree (the main window's
message bar), never into the void. `@async_slot` does the same for a method of a widget.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Protocol, TypeVar

from PySide6.QtWidgets import QWidget

from .errors import human

log = logging.getLogger("consoleapp.ui")

T = TypeVar("T")
_running: set[asyncio.Task[Any]] = set()


class Reporter(Protocol):
    def report(self, message: str, error: bool = True) -> None: ...


_fallback: list[Callable[[str], None]] = []


def set_fallback(report: Callable[[str], None]) -> None:
    """Where errors go when no widget up the tree can show them (e.g. a closed dialog)."""
    _fallback[:] = [report]


def reporter_of(widget: QWidget | None) -> Reporter | None:
    w: Any = widget
    while w is not None:
        if callable(getattr(w, "report", None)):
            return w  # type: ignore[no-any-return]
        w = w.parentWidget() if isinstance(w, QWidget) else None
    return None


def report(widget: QWidget | None, exc: BaseException) -> str:
    message = human(exc)
    target = reporter_of(widget)
    if target is not None:
        target.report(message, True)
    elif _fallback:
        _fallback[0](message)
    else:
        log.warning("%s", message)
    return message


def start(coro: Coroutine[Any, Any, T], owner: QWidget | None = None,
          done: Callable[[T], None] | None = None) -> asyncio.Task[T]:
    task = asyncio.ensure_future(coro)
    _running.add(task)

    def finished(t: asyncio.Task[T]) -> None:
        _running.discard(t)
        if t.cancelled():
            return
        exc = t.exception()
        if exc is not None:
            report(owner, exc)
        elif done is not None:
            try:
                done(t.result())
            except Exception as err:  # noqa: BLE001 - a callback's bug goes to the bar too
                report(owner, err)

    task.add_done_callback(finished)
    return task


def async_slot(method: Callable[..., Awaitable[Any]]) -> Callable[..., None]:
    """Decorate `async def on_x(self, ...)` of a QWidget so a signal can call it directly."""

    # Qt signals send extra arguments (clicked sends `checked`): pass only what the method takes.
    params = [p for p in inspect.signature(method).parameters.values()
              if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    wanted = None if any(p.kind is p.VAR_POSITIONAL for p in inspect.signature(method).parameters.values()) \
        else len(params) - 1

    @functools.wraps(method)
    def slot(self: QWidget, *args: Any) -> None:
        start(method(self, *(args if wanted is None else args[:wanted])), self)  # type: ignore[arg-type]

    return slot


async def idle() -> None:
    """Wait for every task started here (tests, shutdown)."""
    while _running:
        await asyncio.gather(*list(_running), return_exceptions=True)


def cancel_all() -> None:
    for task in list(_running):
        task.cancel()
