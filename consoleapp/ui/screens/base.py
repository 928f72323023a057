"""What every screen is: a widget that asks the Console and refreshes itself on changes."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, Protocol

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from consoleapp.sync.client.console import Console


class Context(Protocol):
    """What a screen may ask of the window around it; screens never reach into each other."""

    def open_live(self, meeting_id: str) -> None:
        """Open (or raise) the live session window of a meeting."""

    def show_screen(self, key: str, ref: str = "") -> None:
        """Switch to another screen, selecting the record `ref` there if given."""

    def report(self, message: str, error: bool = True) -> None:
        """A message in the window's message bar (an error in red, else a confirmation)."""

    def settings(self) -> QSettings:
        """Preferences and layout, kept between runs."""

    def now(self) -> datetime:
        """The server's time (the console's clock)."""


class Screen(QWidget):
    """A page of the main window.

    `kinds` are the change kinds (see Console.subscribe) that make it stale; the window calls
    `refresh()` when one arrives while the screen is shown, or when it is shown after one.
    `badge()` gives the sidebar count (0: none).
    """

    key: ClassVar[str] = ""
    kinds: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, console: Console, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.console = console
        self.ctx = ctx
        self.setObjectName(f"screen-{self.key}")

    @classmethod
    def caption(cls) -> str:
        """The screen's name in the sidebar (translated)."""
        raise NotImplementedError

    async def refresh(self) -> None:
        """Read what the screen shows from the console and show it."""
        raise NotImplementedError

    async def badge(self) -> int:
        return 0

    def select(self, ref: str) -> None:
        """Show the record `ref` (a meeting, claim, slot id) if the screen has it."""

    def report(self, message: str, error: bool = True) -> None:
        self.ctx.report(message, error)
