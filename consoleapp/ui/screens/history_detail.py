"""The detail of one past session (R21-R26, R34): what happened, what was said, what was paid.

Everything shown comes from `Console.session_detail`; the expert's evaluation form sends
`Console.evaluate` and the engine decides what the answer does.
"""

from __future__ import annotations

import html
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFormLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from consoleapp.engine.model import Answer, MeetingStatus, Party
from consoleapp.engine.settlement import awaits_answer, deadline
from consoleapp.sync.client.console import Console, SessionDetail

from .. import fmt, timeline
from ..i18n import tr
from ..tasks import async_slot
from ..widgets import Card, Chip, EmptyState, row
from .session_text import (
    actor_label,
    customer_answer_label,
    customer_label,
    expert_answer_label,
    kind_label,
    mode_label,
    outcome_label,
    payment_label,
    size_label,
    status_label,
    status_tone,
)


class SessionPane(QScrollArea):
    """Right-hand side of the Session history. `evaluated` fires after the expert's answer was queued."""

    evaluated = Signal(str)

    def __init__(self, console: Console, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.console = console
        self.meeting_id = ""
        self.zone = ZoneInfo("UTC")
        self.setObjectName("session-pane")
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self._asked = 0  # numbers the show_session calls, so only the latest one is shown
        self.answers: QButtonGroup | None = None
        self.send: QPushButton | None = None
        self.form: Card | None = None  # the evaluation form, when the expert has not answered
        self._show_empty()

    # --- what is shown ---------------------------------------------------------------------------

    def _show_empty(self) -> None:
        self._asked += 1
        self.meeting_id = ""
        self.answers = self.send = self.form = None
        self.setWidget(EmptyState(tr("Select a session on the left to see its timeline, chat, files, "
                                     "evaluations and payment.")))

    def clear(self) -> None:
        self._show_empty()

    async def show_session(self, meeting_id: str, zone: ZoneInfo) -> None:
        if not meeting_id:
            self._show_empty()
            return
        self._asked += 1
        asked = self._asked
        detail = await self.console.session_detail(meeting_id)
        if asked != self._asked:
            return  # a newer request (another selection, a refresh) is being shown instead
        # a choice made but not sent stays chosen when the same session is shown again
        same = self.answers is not None and isValid(self.answers) and meeting_id == self.meeting_id
        keep = self.answers.checkedId() if same and self.answers is not None else -1
        self.meeting_id = meeting_id
        self.zone = zone
        self.answers, self.send, self.form = None, None, None
        self.setWidget(self._build(detail))  # the old page (and its form) is deleted here
        if keep >= 0 and self.answers is not None and self.answers.button(keep) is not None:
            self.answers.button(keep).setChecked(True)

    def _build(self, d: SessionDetail) -> QWidget:
        m = d.meeting
        page = QWidget()
        page.setObjectName("page")  # the canvas colour, so the cards stand out
        page.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        lay = QVBoxLayout(page)
        lay.setContentsMargins(4, 0, 4, 4)
        lay.setSpacing(10)

        title = QLabel(m.topic or tr("(no topic)"))
        title.setObjectName("heading")
        title.setWordWrap(True)
        lay.addWidget(title)
        moment = m.start or m.requested_at
        sub = QLabel(tr("{customer} · {when} · {mode} · {kind}", customer=customer_label(m.customer_name, m.customer),
                        when=fmt.when(moment, self.zone), mode=mode_label(m.mode.value), kind=kind_label(m.kind.value)))
        sub.setObjectName("subheading")
        sub.setWordWrap(True)
        lay.addWidget(sub)
        chips: list[QWidget] = [Chip(status_label(m.status.value), status_tone(m.status.value))]
        if d.pending:
            chips.append(Chip(tr("Not yet on the server"), "warn"))
        lay.addWidget(row(*chips))

        asked = awaits_answer(m, Party.EXPERT)
        if asked and m.status is MeetingStatus.HELD:  # the answer still decides: first thing shown
            lay.addWidget(self._evaluation_form(d))
        lay.addWidget(self._facts(d))
        if asked and m.status is not MeetingStatus.HELD:  # decided already: the answer is for the record
            lay.addWidget(self._evaluation_form(d))
        lay.addWidget(self._tabs(d), 1)
        return page

    # --- the evaluation form (R22-R26) --------------------------------------------------------------

    def _evaluation_form(self, d: SessionDetail) -> QWidget:
        m = d.meeting
        card = Card()
        self.form = card
        head = QLabel(tr("How did this session go?"))
        head.setObjectName("figure-label")
        card.body.addWidget(head)
        if m.status is MeetingStatus.HELD:
            text = tr("Your answer and the customer's decide whether you are paid. It cannot be changed once sent.")
            if m.end is not None:
                text += " " + tr("Without your answer, the session is evaluated automatically on {when}.",
                                 when=fmt.when(deadline(m, self.console.policy), self.zone))
        else:
            text = tr("The payment of this session is already decided; your answer is kept on its record.")
        explain = QLabel(text)
        explain.setWordWrap(True)
        card.body.addWidget(explain)
        group = QButtonGroup(card)
        for i, answer in enumerate(Answer):
            choice = QRadioButton(expert_answer_label(answer))
            choice.setObjectName(f"answer-{answer.name}")
            group.addButton(choice, i)
            card.body.addWidget(choice)
        send = QPushButton(tr("Send evaluation"))
        send.setObjectName("send-evaluation")
        send.setProperty("primary", True)
        send.setEnabled(False)
        send.setToolTip(tr("Send your answer (Ctrl+Return)"))
        group.idToggled.connect(lambda _id, _on: send.setEnabled(group.checkedId() >= 0))
        send.clicked.connect(self._send)
        shortcut = QShortcut(QKeySequence("Ctrl+Return"), card)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(send.click)
        card.body.addWidget(row(send))
        self.answers, self.send = group, send
        return card

    @async_slot
    async def _send(self) -> None:
        if self.answers is None or self.answers.checkedId() < 0 or not self.meeting_id:
            return
        answer = list(Answer)[self.answers.checkedId()]
        meeting_id = self.meeting_id
        if self.send is not None:
            self.send.setEnabled(False)  # one answer per session; the engine refuses a second anyway
        await self.console.evaluate(meeting_id, answer)
        self.report(tr("Your evaluation was recorded: {answer}.", answer=expert_answer_label(answer)), False)
        self.evaluated.emit(meeting_id)

    def report(self, message: str, error: bool = True) -> None:
        from ..tasks import reporter_of

        target = reporter_of(self.parentWidget())
        if target is not None:
            target.report(message, error)

    # --- facts: evaluations, settlement, recording, claims -----------------------------------------------

    def _facts(self, d: SessionDetail) -> QWidget:
        """What each side said, the state of the money, the recording and the claims."""
        m = d.meeting
        card = Card()
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        form.setHorizontalSpacing(18)
        card.body.addLayout(form)
        left = right = form

        def line(form: QFormLayout, label: str, value: str, name: str = "") -> None:
            shown = QLabel(value)
            shown.setWordWrap(True)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            if name:
                shown.setObjectName(name)
            form.addRow(label, shown)

        mine = expert_answer_label(d.expert_answer) if d.expert_answer else tr("Not answered yet")
        theirs = customer_answer_label(d.customer_answer) if d.customer_answer else tr("Not answered yet")
        line(left, tr("Your evaluation"), mine, "expert-answer")
        line(left, tr("Customer's evaluation"), theirs, "customer-answer")
        line(left, tr("Price"), fmt.credits(m.price))
        line(left, tr("Payment"), payment_label(m.payment.value))
        line(left, tr("Recording"), d.recording or tr("No recording"), "recording")
        s = d.settlement
        if s is not None:
            how = tr("automatically") if s.get("automatic") else tr("on the answers")
            line(right, tr("Settlement"), tr("{outcome} ({how}, {when})", outcome=outcome_label(str(s.get("outcome") or "")),
                                             how=how, when=fmt.when(s.get("at"), self.zone)), "settlement")
            line(right, tr("Charged to the customer"), fmt.credits(int(s.get("charged") or 0)), "charged")
            line(right, tr("Your share"), fmt.credits(int(s.get("expert_share") or 0)), "expert-share")
            line(right, tr("Platform commission"), fmt.credits(int(s.get("commission") or 0)))
            line(right, tr("Returned to the customer"), fmt.credits(int(s.get("returned") or 0)))
            if s.get("platform_paid"):
                line(right, tr("Paid by the platform"), fmt.credits(int(s["platform_paid"])))
        else:
            line(right, tr("Settlement"), tr("Not settled yet"), "settlement")
        if d.claims:
            texts = [tr("{amount} claimed on {when}: {reason} — {status}, {refunded} refunded",
                        amount=fmt.credits(cl.amount), when=fmt.when(cl.opened_at, self.zone), reason=cl.reason,
                        status=claim_status_label(cl.status.value), refunded=fmt.credits(cl.refunded))
                     for cl in d.claims]
            line(right, tr("Claims"), "\n".join(texts), "claims")
        else:
            line(right, tr("Claims"), tr("None"), "claims")
        return card

    # --- timeline, chat, files -------------------------------------------------------------------------

    def _tabs(self, d: SessionDetail) -> QWidget:
        tabs = QTabWidget()
        tabs.setObjectName("session-tabs")
        tabs.setMinimumHeight(260)
        tabs.addTab(self._timeline(d), tr("Timeline ({n})", n=len(d.timeline)))
        tabs.addTab(self._chat(d), tr("Chat ({n})", n=len(d.chat)))
        tabs.addTab(self._files(d), tr("Files ({n})", n=len(d.attachments)))
        return tabs

    def _actor(self, actor: str, d: SessionDetail) -> str:
        return actor_label(actor, self.console.me, d.meeting.customer)

    def _timeline(self, d: SessionDetail) -> QWidget:
        tree = _tree([tr("When"), tr("What happened"), tr("By")], "timeline")
        for entry in d.timeline:
            tree.addTopLevelItem(QTreeWidgetItem([fmt.when(entry.get("at"), self.zone), timeline.title(entry),
                                                  self._actor(str(entry.get("actor", "")), d)]))
        tree.setColumnWidth(0, 170)
        tree.setColumnWidth(1, 190)
        return tree

    def _chat(self, d: SessionDetail) -> QWidget:
        view = QTextBrowser()
        view.setObjectName("transcript")
        view.setOpenLinks(False)
        if not d.chat:
            view.setPlainText(tr("No chat messages in this session."))
            return view
        view.setHtml(transcript_html(d.chat, self.console.me, d.meeting.customer, self.zone))
        return view

    def _files(self, d: SessionDetail) -> QWidget:
        tree = _tree([tr("Name"), tr("Kind"), tr("Size"), tr("Added by"), tr("When")], "files")
        for a in d.attachments:
            kind = tr("Code snippet") if a.get("kind") == "snippet" else tr("File")
            item = QTreeWidgetItem([str(a.get("name", "")), kind, size_label(int(a.get("size") or 0)),
                                    self._actor(str(a.get("actor", "")), d), fmt.when(a.get("at"), self.zone)])
            item.setToolTip(0, tr("SHA-256 {digest}", digest=str(a.get("digest", ""))))
            tree.addTopLevelItem(item)
        if not d.attachments:
            tree.addTopLevelItem(QTreeWidgetItem([tr("No files or snippets in this session.")]))
        tree.setColumnWidth(0, 220)
        return tree


def _tree(headers: list[str], name: str) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setObjectName(name)
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(False)
    tree.setAlternatingRowColors(True)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    tree.setWordWrap(True)
    return tree


def claim_status_label(status: str) -> str:
    labels = {"open": tr("open"), "refunded": tr("refunded"), "disputed": tr("disputed, with the operator"),
              "dispute accepted": tr("dispute accepted"), "dispute rejected": tr("dispute rejected")}
    return labels.get(status, status)


def transcript_html(chat: list[dict[str, Any]], me: str, customer: str, zone: ZoneInfo,
                    waiting: list[str] | None = None) -> str:
    """The chat as simple HTML: who, when, what (escaped). `waiting`: own messages still being sent."""
    parts = []
    for message in chat:
        who = actor_label(str(message.get("actor", "")), me, customer)
        parts.append(f"<p><b>{html.escape(who)}</b> &nbsp;<small>{html.escape(fmt.time_of(message.get('at'), zone))}"
                     f"</small><br>{html.escape(str(message.get('text', ''))).replace(chr(10), '<br>')}</p>")
    for text in waiting or ():
        you, sending = tr("You"), tr("sending…")  # outside the f-string, where lupdate finds them
        parts.append(f"<p><b>{html.escape(you)}</b> &nbsp;<small><i>{html.escape(sending)}</i></small>"
                     f"<br><i>{html.escape(text).replace(chr(10), '<br>')}</i></p>")
    return "".join(parts)
