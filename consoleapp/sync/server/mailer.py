"""Email through the configured SMTP server; without one, mail is logged and not sent."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from .settings import Settings

log = logging.getLogger("consoleapp.mail")


class Mailer:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @property
    def configured(self) -> bool:
        return bool(self.settings.smtp_host)

    def send(self, to: str, subject: str, body: str, invite: str | None = None) -> bool:
        """Send one message, with `invite` (iCalendar text) as its `invite.ics` attachment if given;
        False (logged) when SMTP is not configured or refuses it."""
        s = self.settings
        if not self.configured:
            log.info("SMTP not configured; not sending %r to %s", subject, to)
            return False
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = s.smtp_from, to, subject
        msg.set_content(body)
        if invite:
            method = "CANCEL" if "\nMETHOD:CANCEL" in invite.replace("\r", "") else "REQUEST"
            msg.add_attachment(invite, subtype="calendar", filename="invite.ics", params={"method": method})
        try:
            with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=10) as smtp:
                if s.smtp_tls:
                    smtp.starttls()
                if s.smtp_user:
                    smtp.login(s.smtp_user, s.smtp_password)
                smtp.send_message(msg)
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("could not send %r to %s: %s", subject, to, exc)
            return False
        return True
