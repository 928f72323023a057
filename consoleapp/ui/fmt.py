"""How numbers, money, times and durations look: one place, localised through QLocale."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime

from .i18n import tr


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def credits(amount: int) -> str:
    """Money is integer credits everywhere."""
    return tr("{amount} cr", amount=QLocale().toString(int(amount)))


def signed_credits(amount: int) -> str:
    return ("+" if amount > 0 else "") + credits(amount)


def _qdt(moment: datetime, tz: ZoneInfo) -> QDateTime:
    local = moment.astimezone(tz)  # formatted as the wall-clock time of that zone
    return QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute, local.second))


def when(moment: datetime | None, tz: ZoneInfo | str | None = None, with_day: bool = True) -> str:
    """'Mon 3 Mar 2026, 14:30' in the given zone (the expert's)."""
    if moment is None:
        return "—"
    z = tz if isinstance(tz, ZoneInfo) else zone(tz)
    pattern = "ddd d MMM yyyy, HH:mm" if with_day else "HH:mm"
    return QLocale().toString(_qdt(moment, z), pattern)


def time_of(moment: datetime | None, tz: ZoneInfo | str | None = None) -> str:
    return when(moment, tz, with_day=False)


def day(d: date) -> str:
    return QLocale().toString(QDate(d.year, d.month, d.day), "dddd d MMMM yyyy")


def month(key: str) -> str:
    """'2026-03' -> 'March 2026'."""
    year, mon = int(key[:4]), int(key[5:7])
    return QLocale().toString(QDate(year, mon, 1), "MMMM yyyy")


def short_month(key: str) -> str:
    year, mon = int(key[:4]), int(key[5:7])
    return QLocale().toString(QDate(year, mon, 1), "MMM yy")


def duration(seconds: int) -> str:
    """'1 h 05 min', '12 min', '45 s'."""
    seconds = max(int(seconds), 0)
    hours, rest = divmod(seconds, 3600)
    minutes = rest // 60
    if hours:
        return tr("{h} h {m:02d} min", h=hours, m=minutes)
    if minutes:
        return tr("{m} min", m=minutes)
    return tr("{s} s", s=seconds)


def countdown(seconds: int) -> str:
    """'4:07' or '1:02:03' for a live clock."""
    seconds = max(int(seconds), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def hours(seconds: int) -> str:
    return QLocale().toString(seconds / 3600, "f", 1)
