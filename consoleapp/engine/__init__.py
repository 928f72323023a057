"""The domain engine: pure deciders over frozen records, and a two-phase ledger.

No Qt, no network, no clock: time is always passed in. See `decide.py` for the entry points.
"""

from .commands import Command
from .decide import decide, evolve, execute, replay
from .due import due
from .errors import DomainError
from .events import Event
from .policy import DEFAULT_POLICY, Policy
from .world import World

__all__ = [
    "DEFAULT_POLICY",
    "Command",
    "DomainError",
    "Event",
    "Policy",
    "World",
    "decide",
    "due",
    "evolve",
    "execute",
    "replay",
]
