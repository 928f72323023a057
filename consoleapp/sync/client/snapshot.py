"""The cache's folded world, kept in a file beside it, so opening a large cache is quick.

Opening a cache folds its whole event log into a World (about 7 s for 20 000 past sessions);
reading back a pickled World is several times faster. The file is written when the cache
closes and read when it opens. It is used only when everything about it fits: the same file
format and engine code (a fingerprint of the engine's source), the same server epoch, and the
same event at the position it was taken at; then only the events after that position are
folded. Anything else — a missing, damaged or foreign file — means the log is folded from the
start, as without a snapshot: the file can never make the cache wrong, only faster.

The file lies in the account's own data folder beside the cache, written by this app only
(like the cache itself); it is replaced atomically.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
from collections.abc import Callable
from functools import cache
from pathlib import Path

import consoleapp.engine as engine_package
from consoleapp.engine import World

log = logging.getLogger("consoleapp.cache")

FORMAT = 1


@cache
def fingerprint() -> str:
    """Changes whenever the engine's code does, so a World pickled by another version is not used."""
    h = hashlib.sha256(f"snapshot-{FORMAT}".encode())
    for source in sorted(Path(engine_package.__file__).parent.glob("*.py")):
        h.update(source.name.encode())
        h.update(source.read_bytes())
    return h.hexdigest()


def path_for(cache_path: Path) -> Path:
    return cache_path.with_name(cache_path.name + ".world")


def save(path: Path, world: World, epoch: str, marker: str) -> None:
    header = {"fingerprint": fingerprint(), "epoch": epoch, "position": world.version, "marker": marker}
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as f:
        f.write(json.dumps(header).encode() + b"\n")
        pickle.dump(world, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def load(path: Path, epoch: str, marker_at: Callable[[int], str]) -> World | None:
    """The saved World if it fits this cache (see the module's docstring), else None."""
    if not path.exists():
        return None
    try:
        with path.open("rb") as f:
            header = json.loads(f.readline())
            if (header.get("fingerprint") != fingerprint() or header.get("epoch") != epoch
                    or header.get("marker") != marker_at(int(header["position"]))):
                return None
            import gc

            gc.disable()  # a large unpickle runs about twice as fast without collections
            try:
                world = pickle.load(f)  # noqa: S301 - our own file, in the account's data folder
            finally:
                gc.enable()
        if not isinstance(world, World) or world.version != header["position"]:
            return None
        return world
    except Exception as exc:  # never fatal: fold the log instead
        log.info("cache snapshot %s not used: %s", path, exc)
        return None


def forget(path: Path) -> None:
    path.unlink(missing_ok=True)
