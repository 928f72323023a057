"""Saving exports from the Earnings screen: a non-blocking save dialog, and the month CSV.

The save dialog is opened with `open()` and awaited (never `exec()`), and the bytes are written
off the UI thread. The month CSV is the transaction record (R32) of one month, in the same
column names as the engine's payout statement CSV, so both read alike in a spreadsheet.
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from .. import widgets

_DIR_KEY = "earnings/export_dir"


@dataclass(frozen=True, slots=True)
class Movement:
    """One row of the transaction record, with its month in the expert's zone worked out once."""

    row: dict[str, Any]
    month: str  # 'YYYY-MM' where it happened, in the expert's zone
    local: datetime
    about: str = ""  # the session (or payout) the movement belongs to, in words

    @property
    def id(self) -> str:
        return str(self.row["id"])


def movements(rows: Iterable[dict[str, Any]], zone: ZoneInfo,
              about: Callable[[str], str] = lambda ref: "") -> list[Movement]:
    """Run off the UI thread: a record can be 100 000 lines."""
    out = []
    names: dict[str, str] = {}
    for r in rows:
        local = r["at"].astimezone(zone)
        ref = str(r["ref"])
        if ref not in names:
            names[ref] = about(ref)
        out.append(Movement(r, f"{local.year:04d}-{local.month:02d}", local, names[ref]))
    return out


def month_csv(moves: Iterable[Movement]) -> bytes:
    """The month's movements, oldest first; `balance` is the posted balance after each one."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "description", "reference", "transfer", "credits", "posted", "balance"])
    for m in sorted(moves, key=lambda m: (m.row["at"], m.id)):
        r = m.row
        writer.writerow([m.local.strftime("%Y-%m-%d %H:%M"), r["label"], r["ref"], r["id"], r["amount"],
                         "yes" if r["posted"] else "no", r["balance"]])
    return out.getvalue().encode("utf-8")


async def save_as(parent: QWidget, settings: QSettings, title: str, name: str, filters: str,
                  suffix: str) -> Path | None:
    """Ask where to save (window-modal, without blocking the loop); None if cancelled."""
    start = str(settings.value(_DIR_KEY, "") or "") or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    dialog = QFileDialog(parent, title, str(Path(start) / name), filters)
    dialog.setObjectName("save-export")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setDefaultSuffix(suffix)
    chosen: list[str] = []
    dialog.fileSelected.connect(chosen.append)
    await widgets.finished(dialog)
    dialog.deleteLater()
    if not chosen or not chosen[-1]:
        return None
    path = Path(chosen[-1])
    settings.setValue(_DIR_KEY, str(path.parent))
    return path


async def write(path: Path, data: bytes) -> None:
    await asyncio.to_thread(path.write_bytes, data)
