"""What the status bar shows: online or not, syncing, pending changes, issues, last sync."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SyncStatus:
    online: bool = False
    syncing: bool = False
    pending: int = 0
    issues: int = 0
    last_synced: datetime | None = None
    error: str = ""  # empty when the last exchange with the server worked

    def describe(self) -> str:
        parts = ["Online" if self.online else "Offline"]
        if self.syncing:
            parts.append("syncing")
        if self.pending:
            parts.append(f"{self.pending} change{'s' if self.pending != 1 else ''} pending")
        if self.issues:
            parts.append(f"{self.issues} not applied")
        if self.last_synced is not None:
            parts.append(f"last sync {self.last_synced:%H:%M:%S}")
        if self.error:
            parts.append(self.error)
        return " · ".join(parts)
