"""The Console: what the expert's screens ask and tell, in one async facade.

Queries read the optimistic view (the server's state as last pulled plus the commands still
in the outbox, replayed through the engine) for records, and mark the records a pending
command touches, so a screen can show "not yet on the server". Timelines, transcripts,
earnings and the transaction record come from the cache's stored tables, read off the event
loop. Every command is built here with the logged-in expert as actor and handed to the sync
client, which keeps it in the outbox until the server has decided it.

Each screen's queries and commands live in their own module of `operations/` (like Anki's
`aqt/operations`); the facade only puts them together. Screens refresh themselves on `subscribe`: the listener gets the kinds of data that changed
('meetings', 'requests', 'history', 'earnings', 'claims', 'availability', 'offers',
'profile', 'notifications', as each event type declares them, and 'issues', 'status'), like
Anki's OpChanges.
"""

from __future__ import annotations

from ..protocol import new_id
from .operations.availability import AvailabilityOps, SlotItem
from .operations.base import Changes, Listener, month_key
from .operations.disputes import ClaimItem, Claims, DisputeOps
from .operations.earnings import EarningsOps, PayoutOutlook
from .operations.history import (
    HISTORY_STATUSES,
    HistoryItem,
    HistoryOps,
    HistoryPage,
    SessionDetail,
)
from .operations.live import LiveClock, LiveOps
from .operations.notifications import NotificationOps
from .operations.profile import ProfileOps
from .operations.requests import RequestItem, RequestOps
from .operations.upcoming import Day, UpcomingItem, UpcomingOps


class Console(RequestOps, UpcomingOps, LiveOps, HistoryOps, EarningsOps, DisputeOps, AvailabilityOps, ProfileOps,
              NotificationOps):
    """Every screen's operations over one session, cache and sync client (`operations.base`)."""


__all__ = [
    "HISTORY_STATUSES", "Changes", "ClaimItem", "Claims", "Console", "Day", "HistoryItem", "HistoryPage", "Listener",
    "LiveClock", "PayoutOutlook", "RequestItem", "SessionDetail", "SlotItem", "UpcomingItem", "month_key", "new_id",
]
