"""The server's processes as the kernel sees them (/proc): which ones, and their memory."""

from __future__ import annotations

import contextlib
from pathlib import Path


def server_pid(port: int) -> int:
    """The `consoleapp-server serve --port N` process (serving() does not hand out its pid)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            if b"consoleapp.sync.server.cli" in argv and b"serve" in argv and str(port).encode() in argv:
                return int(entry.name)
    raise LookupError(f"no server process listening on port {port} was found in /proc")


def process_tree(root: int) -> list[int]:
    """`root` and every descendant (uvicorn's worker processes), from /proc/<pid>/stat."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat[stat.rindex(")") + 2:].split()[1])
    tree, frontier = [root], [root]
    while frontier:
        children = [pid for pid, parent in parents.items() if parent in frontier]
        tree += children
        frontier = children
    return tree


def rss_mb(pids: list[int]) -> float:
    """The resident memory of these processes together (VmRSS), MB."""
    total_kb = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
    return round(total_kb / 1024, 1)
