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
"""

from __future__ import annotations

import logging
import socket
import sys

from uvicorn import Config
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors.multiprocess import Multiprocess, Process

logger = logging.getLogger("uvicorn.error")


def supported() -> bool:
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def bind(config: Config) -> list[socket.socket]:
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


class Spread(Multiprocess):
    """uvicorn's supervisor (signals, health checks, restarts) with worker n on socket n."""

    def __init__(self, config: Config, sockets: list[socket.socket]) -> None:
        super().__init__(config, sockets)
        self.own = sockets

    def init_processes(self) -> None:
        for sock in self.own:
            process = Process(self.config, [sock])
            process.start()
            self.processes.append(process)

    def keep_subprocess_alive(self) -> None:
        """As uvicorn's, with the replacement on the socket of the worker it replaces."""
        if self.should_exit.is_set():
            return
        for idx, process in enumerate(self.processes):
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()  # hung: make sure
            process.join()
            if process.exitcode == STARTUP_FAILURE:
                # It failed before serving (the app cannot start): every replacement would too.
                logger.error(f"Child process [{process.pid}] failed to start, stopping the parent process.")
                self.should_exit.set()
                return
            if self.should_exit.is_set():
                return
            logger.info(f"Child process [{process.pid}] died")
            replacement = Process(self.config, [self.own[idx]])
            replacement.start()
            self.processes[idx] = replacement

    def restart_all(self) -> None:
        """SIGHUP: each worker replaced in turn, the new one on its socket before the old one stops."""
        for idx, old in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            new = Process(self.config, [self.own[idx]])
            new.start()
            if not new.wait_until_ready(self.config.timeout_worker_healthcheck, self.should_exit):
                new.kill()
                new.join()
                logger.error(f"New child process [{new.pid}] was not ready in time; keeping worker [{old.pid}].")
                return
            old.terminate()
            old.join()
            self.processes[idx] = new

    def handle_ttin(self) -> None:
        logger.info("Received SIGTTIN: the number of workers is fixed by --workers; restart to change it.")

    def handle_ttou(self) -> None:
        logger.info("Received SIGTTOU: the number of workers is fixed by --workers; restart to change it.")

    def run(self) -> None:
        try:
            super().run()
        finally:
            for sock in self.own:
                sock.close()
