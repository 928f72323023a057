"""Small shared widgets: headings, empty states, chips, and dialogs that never block the loop."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .models import RowsProxy


def heading(text: str, sub: str = "") -> QWidget:
    box = QWidget()
    lay = QVBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 8)
    lay.setSpacing(2)
    title = QLabel(text)
    title.setObjectName("heading")
    lay.addWidget(title)
    if sub:
        s = QLabel(sub)
        s.setObjectName("subheading")
        s.setWordWrap(True)
        lay.addWidget(s)
    return box


class EmptyState(QLabel):
    """Shown instead of an empty list: says what the list is and what to do."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setObjectName("empty")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumHeight(80)


class Card(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(14, 12, 14, 12)
        self.body.setSpacing(6)


class Chip(QLabel):
    """A small coloured label: 'pending', 'instant', 'overdue'…  `tone` picks the colour."""

    def __init__(self, text: str, tone: str = "neutral", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setObjectName("chip")
        self.setProperty("tone", tone)


def row(*widgets: QWidget, stretch_at: int | None = None) -> QWidget:
    box = QWidget()
    lay = QHBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    for i, w in enumerate(widgets):
        lay.addWidget(w)
        if stretch_at is not None and i == stretch_at:
            lay.addStretch(1)
    if stretch_at is None:
        lay.addStretch(1)
    return box


def table(proxy: RowsProxy, widths: Sequence[int] = (), sortable: bool = True) -> QTableView:
    """A read-only, row-selecting table over a RowsProxy; sortable by its headers unless the
    rows' own order is the point (a timeline, requests in the order to answer them).

    Enabling sorting on a view makes Qt sort the proxy at once by the header's default
    indicator (the first column, descending), and disabling it later does not undo that: an
    unsortable table must never enable it."""
    view = QTableView()
    view.setModel(proxy)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSortingEnabled(sortable)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(28)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for i, col in enumerate(proxy.rows_model.columns):
        w = widths[i] if i < len(widths) else col.width
        if w:
            view.setColumnWidth(i, w)
    return view


def selected_row(view: QTableView) -> object | None:
    """The row object selected in a table over a RowsProxy, or None."""
    proxy = view.model()
    if not isinstance(proxy, RowsProxy):
        return None
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    if not rows:
        current = view.currentIndex()
        if not current.isValid():
            return None
        return proxy.row(current.row())
    return proxy.row(rows[0].row())


# --- dialogs without exec(): open() and await the answer ------------------------------------------


async def finished(dialog: QDialog) -> int:
    """Open `dialog` window-modally and wait for it to close, without blocking the loop."""
    done: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def on_finished(result: int) -> None:
        if not done.done():
            done.set_result(result)

    dialog.finished.connect(on_finished)
    dialog.open()
    return await done


async def confirm(parent: QWidget, title: str, text: str, yes: str, no: str = "") -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("confirm")
    ok = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    if no:
        box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    else:
        box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(ok)
    await finished(box)
    answer = box.clickedButton() is ok
    box.deleteLater()  # answered: do not keep one hidden box per question
    return answer


async def ask_text(parent: QWidget, title: str, label: str, text: str = "", multiline: bool = False) -> str | None:
    dialog = QInputDialog(parent)
    dialog.setObjectName("ask-text")
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setTextValue(text)
    if multiline:
        dialog.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput)
    result = await finished(dialog)
    text = dialog.textValue() if result == QDialog.DialogCode.Accepted else None
    dialog.deleteLater()
    return text


def buttons(dialog: QDialog, ok: str, cancel: str) -> QDialogButtonBox:
    box = QDialogButtonBox()
    okb = box.addButton(ok, QDialogButtonBox.ButtonRole.AcceptRole)
    okb.setObjectName("ok")
    box.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box
