"""The server's processes as the kernel sees them (/proc): which ones, their memory and CPU time."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def server_pid(port: int) -> int:
    """The `... serve --port N` process (serving() does not hand out its pid)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            # `... serve --port N ...`: the server's CLI, or a bench's wrapper around it (bench/lock_share.py)
            if b"serve" in argv and b"--port" in argv[:-1] and argv[argv.index(b"--port") + 1] == str(port).encode():
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


def cpu_model() -> str:
    """The processor's name (/proc/cpuinfo): figures of two sessions compare only on one kind of core."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    return ""


def machine_jiffies() -> tuple[int, int]:
    """(busy, total) CPU time of the whole machine so far, in clock ticks (/proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    return sum(fields) - idle, sum(fields)


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time these processes used so far (/proc/<pid>/stat), seconds."""
    ticks = 0
    for pid in pids:
        with contextlib.suppress(OSError, ValueError, IndexError):
            stat = (Path(f"/proc/{pid}") / "stat").read_text()
            parts = stat[stat.rindex(")") + 2:].split()
            ticks += int(parts[11]) + int(parts[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def postgres_cpu_seconds() -> float:
    """CPU time PostgreSQL's processes used so far, seconds, including the connections that ended.

    Summing the live processes alone misses a connection's backend once it exits (a server's pool
    closes the connections it opened beyond its size as they come back, all through a push
    window), and the postmaster's command line is a path, not `postgres: ...`. A process's
    children's time that it has waited for (`cutime`, `cstime`) is where an ended backend's time
    goes: the postmaster's, added to the live processes' own."""
    ticks = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            stat = (entry / "stat").read_text()
            if stat[stat.index("(") + 1:stat.rindex(")")] != "postgres":
                continue
            parts = stat[stat.rindex(")") + 2:].split()
            ticks += int(parts[11]) + int(parts[12]) + int(parts[13]) + int(parts[14])
    return ticks / os.sysconf("SC_CLK_TCK")
