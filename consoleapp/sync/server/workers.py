"""Several worker processes, each accepting on a listening socket of its own (`serve --workers N`).

uvicorn's own supervisor hands every worker one shared listening socket. Whichever worker wakes
first accepts every connection waiting (asyncio accepts up to the backlog at each wake-up), so a
burst of clients connecting at once — every desktop reconnecting after a restart — could land on
one worker and stay there for as long as they keep their connections alive: 18 of 20 desktops on
one worker pushed a quarter less than 10 and 10 (bench/scale.py's `pg_push`). Here each worker
has its own socket, all bound to the one port with SO_REUSEPORT, and the kernel spreads new
connections over them.

The parent binds the sockets and keeps them open, so a worker that dies leaves its socket
listening: the connections the kernel gives it meanwhile wait in its backlog for the replacement,
which gets the same socket, instead of being refused. Where SO_REUSEPORT does not spread
connections (not Linux), `supported()` is false and the server keeps uvicorn's shared socket.

The supervisor is our own, on uvicorn's public `Server.run(sockets)`: uvicorn's
(`uvicorn.supervisors.Multiprocess`) hands each worker the one list of sockets, and its
constructor's arguments changed between the versions this project accepts.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import signal
import socket
import sys
import threading
from types import FrameType

import uvicorn
from uvicorn.config import STARTUP_FAILURE

logger = logging.getLogger("uvicorn.error")
SPAWN = multiprocessing.get_context("spawn")  # a fresh interpreter per worker, as uvicorn's own workers
CHECK_SECONDS = 0.5


def supported() -> bool:
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def bind(config: uvicorn.Config) -> list[socket.socket]:
    """One listening socket per worker on `config`'s host and port. A port another process listens
    on is refused with "address already in use", as a single socket is: SO_REUSEPORT would
    otherwise let a second server on the same port (of the same user) share its connections."""
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    where = (config.host, config.port)
    with socket.socket(family, socket.SOCK_STREAM) as probe:  # without SO_REUSEPORT: fails if anyone listens
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(where)
    sockets: list[socket.socket] = []
    try:
        for _ in range(config.workers):
            sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind(where)
            # Listening now, before the workers start: a connection that comes while they load
            # waits in a backlog instead of being refused.
            sock.listen(config.backlog)
            sock.set_inheritable(True)
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def _worker(config: uvicorn.Config, sock: socket.socket) -> None:
    """A worker process: uvicorn's server on its own socket (it stops gracefully on SIGTERM/SIGINT)."""
    config.configure_logging()
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C reaches every process of the terminal's group
        uvicorn.Server(config).run(sockets=[sock])


class Spread:
    """Starts a worker per socket and replaces one that dies on the same socket, until SIGINT or
    SIGTERM; then stops them all (each finishes its requests) and closes the sockets."""

    def __init__(self, config: uvicorn.Config, sockets: list[socket.socket]) -> None:
        self.config = config
        self.sockets = sockets
        self.processes: list[multiprocessing.process.BaseProcess] = []
        self.stop = threading.Event()

    def _start(self, sock: socket.socket) -> multiprocessing.process.BaseProcess:
        process = SPAWN.Process(target=_worker, args=(self.config, sock), daemon=False)
        process.start()
        return process

    def _stop(self, signum: int, _frame: FrameType | None) -> None:
        logger.info(f"Received {signal.Signals(signum).name}, stopping the workers.")
        self.stop.set()

    def run(self) -> int:
        """The exit status: 0, or uvicorn's STARTUP_FAILURE when a worker could not start (every
        replacement would fail the same way)."""
        status = 0
        previous = {s: signal.signal(s, self._stop) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            self.processes = [self._start(sock) for sock in self.sockets]
            while not self.stop.wait(CHECK_SECONDS):
                for n, process in enumerate(self.processes):
                    if process.is_alive():
                        continue
                    process.join()
                    if process.exitcode == STARTUP_FAILURE:
                        logger.error(f"Worker [{process.pid}] failed to start; stopping the server.")
                        status = STARTUP_FAILURE
                        self.stop.set()
                        break
                    logger.warning(f"Worker [{process.pid}] ended ({process.exitcode}); starting another on its socket.")
                    self.processes[n] = self._start(self.sockets[n])
        finally:
            for process in self.processes:
                if process.is_alive() and process.pid is not None:
                    process.terminate()  # SIGTERM: uvicorn's graceful shutdown
            for process in self.processes:
                process.join()
            for sock in self.sockets:
                sock.close()
            for s, handler in previous.items():
                signal.signal(s, handler)
        return status
