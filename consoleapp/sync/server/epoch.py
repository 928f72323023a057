"""The epoch: the name of this copy of the data. A restore takes a new one, so every client
resynchronises. Apart from the application so `consoleapp-server serve` can make it before its
workers start without importing what only the workers run."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from .tables import server_meta


def ensure_epoch(engine: sa.Engine, renew: bool = False) -> str:
    """The epoch, made on first use; `renew` takes a new one (after a restore)."""
    with engine.begin() as conn:
        current = conn.execute(sa.select(server_meta.c.value).where(server_meta.c.name == "epoch")).scalar()
        if current is not None and not renew:
            return str(current)
        epoch = uuid.uuid4().hex[:12]
        if current is None:
            conn.execute(server_meta.insert().values(name="epoch", value=epoch))
        else:
            conn.execute(server_meta.update().where(server_meta.c.name == "epoch").values(value=epoch))
        return epoch
