"""The selected claim on the Disputes screen: what was claimed and why, and the two answers (R30).

The card only shows and collects: the refund amount (capped at what was claimed) and the
dispute summary. The screen asks for confirmation and sends the Console's commands.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from consoleapp.engine.model import ClaimStatus

from .. import fmt, style, widgets
from ..i18n import tr
from .dispute_parts import (
    ClaimRow,
    answer_within,
    outcome_text,
    session_text,
    status_text,
    status_tone,
    urgent,
)


def _muted(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName("subheading")
    label.setWordWrap(True)
    return label


class ClaimCard(widgets.Card):
    def __init__(self, refund_keys: str, dispute_keys: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.row: ClaimRow | None = None
        self.body.setSpacing(10)
        self.body.setContentsMargins(18, 16, 18, 16)

        self.title = QLabel("")
        self.title.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.title.setWordWrap(True)
        self.status = widgets.Chip("")
        self.pending = widgets.Chip(tr("Waiting to be sent"), "warn")
        self.pending.setToolTip(tr("Your answer is kept on this computer until the server has it"))
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.pending, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.status, 0, Qt.AlignmentFlag.AlignTop)
        self.body.addLayout(head)

        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(6)
        self.session = QLabel("")
        self.session.setWordWrap(True)
        self.opened = QLabel("")
        self.deadline = QLabel("")
        self.deadline.setWordWrap(True)
        self.outcome = QLabel("")
        self.outcome.setWordWrap(True)
        form.addRow(tr("Session"), self.session)
        form.addRow(tr("Opened"), self.opened)
        self.deadline_caption = QLabel(tr("Deadline"))
        form.addRow(self.deadline_caption, self.deadline)
        self.outcome_caption = QLabel(tr("Outcome"))
        form.addRow(self.outcome_caption, self.outcome)
        self.body.addLayout(form)

        reason_caption = QLabel(tr("The customer's reason"))
        reason_caption.setObjectName("figure-label")
        self.reason = QLabel("")
        self.reason.setObjectName("claim-reason")
        self.reason.setWordWrap(True)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reason.setStyleSheet(f"background: {style.CANVAS}; border-left: 3px solid {style.LINE}; padding: 8px;")
        self.body.addWidget(reason_caption)
        self.body.addWidget(self.reason)

        self.summary_caption = QLabel(tr("Your summary for the operator"))
        self.summary_caption.setObjectName("figure-label")
        self.summary_shown = QLabel("")
        self.summary_shown.setWordWrap(True)
        self.body.addWidget(self.summary_caption)
        self.body.addWidget(self.summary_shown)

        self.answer = QWidget()
        self.answer.setObjectName("claim-answer")
        self.body.addWidget(self.answer)
        self._answer_parts(refund_keys, dispute_keys)
        self.body.addStretch(1)

    def _answer_parts(self, refund_keys: str, dispute_keys: str) -> None:
        lay = QVBoxLayout(self.answer)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.setSpacing(8)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet(f"color: {style.LINE};")
        lay.addWidget(line)

        refund_title = QLabel(tr("Refund"))
        refund_title.setStyleSheet("font-weight: 600;")
        lay.addWidget(refund_title)
        lay.addWidget(_muted(tr("Give back all or part of what was claimed; it is taken from your earnings.")))
        self.amount = QSpinBox()
        self.amount.setObjectName("refund-amount")
        self.amount.setMinimum(1)
        self.amount.setSuffix(" " + tr("cr"))
        self.amount.setMinimumWidth(110)
        self.amount.setToolTip(tr("At most what the customer claimed"))
        self.refund = QPushButton(tr("Refund…"))
        self.refund.setObjectName("refund")
        self.refund.setProperty("primary", True)
        self.refund.setToolTip(tr("Refund this amount to the customer ({key})", key=refund_keys))
        self.of_claimed = _muted("")
        refund_row = QHBoxLayout()
        refund_row.addWidget(self.amount)
        refund_row.addWidget(self.of_claimed)
        refund_row.addStretch(1)
        refund_row.addWidget(self.refund)
        lay.addLayout(refund_row)

        lay.addSpacing(6)
        dispute_title = QLabel(tr("Dispute"))
        dispute_title.setStyleSheet("font-weight: 600;")
        lay.addWidget(dispute_title)
        lay.addWidget(_muted(tr("If you think the claim is unfounded, say what happened. An operator decides, with "
                                "your summary and the session's record (attendance, chat, evaluations).")))
        self.summary = QPlainTextEdit()
        self.summary.setObjectName("dispute-summary")
        self.summary.setPlaceholderText(tr("What happened in the session, in a few sentences (required)"))
        self.summary.setMaximumHeight(110)
        self.summary_error = QLabel("")
        self.summary_error.setObjectName("summary-error")
        self.summary_error.setStyleSheet(f"color: {style.BAD};")
        self.summary_error.setWordWrap(True)
        self.summary_error.hide()
        self.summary.textChanged.connect(self.summary_error.hide)  # typing clears the refusal
        self.dispute = QPushButton(tr("Dispute…"))
        self.dispute.setObjectName("dispute")
        self.dispute.setProperty("danger", True)
        self.dispute.setToolTip(tr("Send the claim to the operator with your summary ({key})", key=dispute_keys))
        lay.addWidget(self.summary)
        lay.addWidget(self.summary_error)
        lay.addWidget(self.dispute, 0, Qt.AlignmentFlag.AlignRight)

    # --- showing a claim -------------------------------------------------------------------------

    def show_row(self, row: ClaimRow, zone: ZoneInfo, now: datetime) -> None:
        same = self.row is not None and self.row.id == row.id
        self.row = row
        cl = row.claim
        self.title.setText(tr("{customer} claims {amount}", customer=row.customer, amount=fmt.credits(cl.amount)))
        self.status.setText(status_text(cl))
        self.status.setProperty("tone", status_tone(cl))
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.pending.setVisible(row.pending)
        self.session.setText(session_text(row, zone))
        self.opened.setText(fmt.when(cl.opened_at, zone))
        self.reason.setText(cl.reason)
        is_open = cl.status is ClaimStatus.OPEN
        self.deadline_caption.setVisible(is_open)
        self.deadline.setVisible(is_open)
        self.tick(zone, now)
        decided = not is_open and cl.status is not ClaimStatus.DISPUTED
        self.outcome_caption.setVisible(not is_open)
        self.outcome.setVisible(not is_open)
        self.outcome.setText(outcome_text(row.item) if not is_open else "")
        self.summary_caption.setVisible(bool(cl.summary) and not is_open)
        self.summary_shown.setVisible(bool(cl.summary) and not is_open)
        self.summary_shown.setText(cl.summary)
        self.answer.setVisible(is_open)
        self.answer.setEnabled(is_open and not row.pending)  # one answer per claim; a sent one is on its way
        self.outcome.setStyleSheet("font-weight: 600;" if decided else "")
        if not same:
            self.amount.setMaximum(max(cl.amount, 1))
            self.amount.setValue(cl.amount)
            self.summary.clear()
            self.summary_error.hide()
        self.of_claimed.setText(tr("of {amount} claimed", amount=fmt.credits(cl.amount)))

    def tick(self, zone: ZoneInfo, now: datetime) -> None:
        """Move the countdown on (the screen calls this every half minute)."""
        if self.row is None or self.row.item.deadline is None:
            return
        deadline = self.row.item.deadline
        countdown = answer_within(deadline, now)
        self.deadline.setText(tr("{countdown}, by {when}", countdown=countdown[:1].upper() + countdown[1:],
                                 when=fmt.when(deadline, zone)))
        self.deadline.setStyleSheet(f"color: {style.WARN}; font-weight: 600;" if urgent(deadline, now) else "")

    def refuse_summary(self, message: str) -> None:
        self.summary_error.setText(message)
        self.summary_error.show()
        self.summary.setFocus()
