"""The "not applied" list: commands the server refused, with its reason; retry or dismiss."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from consoleapp.sync.client.console import Console

from . import fmt
from .i18n import tr
from .models import Column, RowsModel, RowsProxy
from .tasks import async_slot
from .widgets import EmptyState, heading, selected_row, table


def _what(issue: Any) -> str:
    """The refused change in words ('Accept instant request'), from the command's name."""
    name = type(issue.command).__name__
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower()
    return words[:1].upper() + words[1:]


class IssuesDialog(QDialog):
    def __init__(self, console: Console, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.console = console
        self.setObjectName("issues-dialog")
        self.setWindowTitle(tr("Not applied"))
        self.resize(760, 380)
        lay = QVBoxLayout(self)
        lay.addWidget(heading(tr("Changes the server did not apply"),
                              tr("Each was refused for the reason shown; nothing else was affected. "
                                 "Fix the cause and retry, or dismiss it.")))
        self.model: RowsModel[Any] = RowsModel([
            Column(tr("Refused"), lambda i: fmt.when(i.at), sort=lambda i: i.at, width=190),
            Column(tr("Change"), _what, width=170),
            Column(tr("Reason"), lambda i: i.message, tip=lambda i: f"{i.code}: {i.message}"),
        ])
        self.proxy = RowsProxy(self.model)
        self.view = table(self.proxy)
        self.empty = EmptyState(tr("Everything you did was applied. Nothing to look at here."))
        lay.addWidget(self.view, 1)
        lay.addWidget(self.empty)
        buttons = QHBoxLayout()
        self.retry = QPushButton(tr("Retry"))
        self.retry.setObjectName("retry")
        self.retry.setToolTip(tr("Send the change again, as a new change"))
        self.dismiss = QPushButton(tr("Dismiss"))
        self.dismiss.setObjectName("dismiss")
        close = QPushButton(tr("Close"))
        close.clicked.connect(self.accept)
        self.retry.clicked.connect(self.on_retry)
        self.dismiss.clicked.connect(self.on_dismiss)
        buttons.addWidget(self.retry)
        buttons.addWidget(self.dismiss)
        buttons.addStretch(1)
        buttons.addWidget(close)
        lay.addLayout(buttons)
        self._unsubscribe = console.subscribe(self._changed)
        self.finished.connect(lambda _: self._unsubscribe())
        self.load()

    def _changed(self, kinds: frozenset[str]) -> None:
        if kinds & {"issues", "status"}:
            self.load()

    @async_slot
    async def load(self) -> None:
        found = await self.console.sync_issues()
        self.model.set_rows(found)
        self.view.setVisible(bool(found))
        self.empty.setVisible(not found)
        self.retry.setEnabled(bool(found))
        self.dismiss.setEnabled(bool(found))
        if found:
            self.view.selectRow(0)

    def report(self, message: str, error: bool = True) -> None:
        parent: Any = self.parentWidget()
        if parent is not None and hasattr(parent, "report"):
            parent.report(message, error)

    @async_slot
    async def on_retry(self) -> None:
        issue: Any = selected_row(self.view)
        if issue is not None:
            await self.console.retry_issue(issue.seq)
            self.report(tr("Sent again."), False)

    @async_slot
    async def on_dismiss(self) -> None:
        issue: Any = selected_row(self.view)
        if issue is not None:
            await self.console.dismiss_issue(issue.seq)
