"""Persistence for the engine: an event log, the ledger tables and projections (SQLAlchemy Core).

    store = Store.open("sqlite:///console.db")        # or a postgresql+psycopg:// URL
    events = store.execute(command, now)              # one transaction; DomainError changes nothing
    store.world                                       # the engine's World, caught up with the log
    store.verify()                                    # [] when the tables equal a replay of the log
"""

from .store import Decision, StaleLog, Store

__all__ = ["Decision", "StaleLog", "Store"]
