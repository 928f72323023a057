"""The domain engine: pure deciders over frozen records, and a two-phase ledger.

No Qt, no network, no clock: time is always passed in. See `decide.py` for the entry points.
The rule modules may run compiled with mypyc; `native.py` decides, before any of them is imported.
"""

# First, on purpose: importing `native` decides where the other engine modules load from.
# MODE: 'compiled', or why the .py files run ('not built', 'stale', 'CONSOLEAPP_INTERPRETED is set').
from .native import MODE  # noqa: I001

from .commands import Command
from .decide import decide, evolve, execute, replay
from .due import due
from .errors import DomainError
from .events import Event
from .policy import DEFAULT_POLICY, Policy
from .world import World

__all__ = [
    "DEFAULT_POLICY",
    "MODE",
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
