"""The live window's side panels: the chat, the session's files and snippets, the snippet dialog."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from consoleapp.engine.commands import AddAttachment, PostChat
from consoleapp.sync.client.console import SessionDetail

from ..i18n import tr
from ..widgets import Card, buttons, row
from .history_detail import transcript_html
from .live_uploads import Uploads
from .session_text import actor_label, size_label


class ChatPanel(Card):
    """The transcript (R21) and a box to write in; Enter sends."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel(tr("Chat"))
        title.setObjectName("figure-label")
        self.body.addWidget(title)
        self.transcript = QTextBrowser()
        self.transcript.setObjectName("chat-transcript")
        self.transcript.setOpenLinks(False)
        self.transcript.setMinimumHeight(180)
        self.body.addWidget(self.transcript, 1)
        self.input = QLineEdit()
        self.input.setObjectName("chat-input")
        self.input.setPlaceholderText(tr("Write to the customer and press Enter"))
        self.input.setMaxLength(4000)
        self.send = QPushButton(tr("Send"))
        self.send.setObjectName("chat-send")
        self.send.setToolTip(tr("Send the message (Enter)"))
        self.input.returnPressed.connect(self.send.click)
        line = QHBoxLayout()
        line.addWidget(self.input, 1)
        line.addWidget(self.send)
        self.body.addLayout(line)
        self._shown = ""

    def show_chat(self, d: SessionDetail, me: str, zone: ZoneInfo, pending: list[object]) -> None:
        seen = {str(x.get("message_id", "")) for x in d.chat}
        waiting = [p.text for p in pending if isinstance(p, PostChat) and p.meeting_id == d.meeting.id
                   and p.message_id not in seen]
        if not d.chat and not waiting:
            text = "<p><i>" + tr("No messages yet. What you write here is kept with the session.") + "</i></p>"
        else:
            text = transcript_html(d.chat, me, d.meeting.customer, zone, waiting)
        if text != self._shown:  # only when it changed, so the reader's scroll position stays
            self._shown = text
            self.transcript.setHtml(text)
            bar = self.transcript.verticalScrollBar()
            bar.setValue(bar.maximum())


class FilesPanel(Card):
    """The session's files and code snippets, with the state of the ones sent from here."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel(tr("Files and snippets"))
        title.setObjectName("figure-label")
        self.body.addWidget(title)
        self.list = QListWidget()
        self.list.setObjectName("attachments")
        self.list.setMinimumHeight(90)
        self.body.addWidget(self.list, 1)
        self.attach = QPushButton(tr("Attach file…"))
        self.attach.setObjectName("attach-file")
        self.attach.setToolTip(tr("Share a file with the customer (Ctrl+O)"))
        self.snippet = QPushButton(tr("Code snippet…"))
        self.snippet.setObjectName("attach-snippet")
        self.snippet.setToolTip(tr("Share a piece of code with the customer (Ctrl+K)"))
        self.body.addWidget(row(self.attach, self.snippet))

    def show_files(self, d: SessionDetail, me: str, pending: list[object], uploads: Uploads) -> None:
        self.list.clear()
        seen = set()
        for a in d.attachments:
            aid = str(a.get("attachment_id", ""))
            seen.add(aid)
            self._add(str(a.get("name", "")), str(a.get("kind", "file")), int(a.get("size") or 0),
                      actor_label(str(a.get("actor", "")), me, d.meeting.customer), uploads.state(aid))
        for p in pending:
            if isinstance(p, AddAttachment) and p.meeting_id == d.meeting.id and p.attachment_id not in seen:
                self._add(p.name, p.kind, p.size, tr("You"), uploads.state(p.attachment_id) or "queued")
        if self.list.count() == 0:
            empty = QListWidgetItem(tr("Nothing shared yet."))
            self.list.addItem(empty)

    def _add(self, name: str, kind: str, size: int, by: str, state: str) -> None:
        what = tr("snippet") if kind == "snippet" else tr("file")
        notes = {"queued": tr("not yet on the server"), "waiting": tr("upload waiting for the server"),
                 "sending": tr("uploading…"), "sent": tr("uploaded")}
        text = tr("{name} · {what} · {size} · {by}", name=name, what=what, size=size_label(size), by=by)
        if state in notes:
            text += f" · {notes[state]}"
        self.list.addItem(QListWidgetItem(text))


class SnippetDialog(QDialog):
    """A name and a piece of code, in a monospace box."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("snippet-dialog")
        self.setWindowTitle(tr("Share a code snippet"))
        self.resize(560, 400)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit("snippet.py")
        self.name.setObjectName("snippet-name")
        self.name.setMaxLength(255)
        form.addRow(tr("Name"), self.name)
        lay.addLayout(form)
        self.code = QPlainTextEdit()
        self.code.setObjectName("snippet-code")
        self.code.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.code.setPlaceholderText(tr("Paste or type the code here"))
        lay.addWidget(self.code, 1)
        box = buttons(self, tr("Attach snippet"), tr("Cancel"))
        lay.addWidget(box)
