"""The desktop client's sync core, without Qt: the local cache and outbox, and the sync loop."""

from .cache import Cache, CacheError, Pending, SyncIssue
from .status import SyncStatus
from .sync import Changes, SyncClient, SyncError

__all__ = ["Cache", "CacheError", "Changes", "Pending", "SyncClient", "SyncError", "SyncIssue", "SyncStatus"]
