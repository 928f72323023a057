"""Several worker processes, each accepting on a listening socket of its own (`serve --workers N`).

uvicorn's own supervisor hands every worker one shared listening socket. Whichever worker wakes
first accepts every connection waiting (its event loop accepts up to the backlog at each wake-up), so a
burst of clients connecting at once — every desktop reconnecting after a restart — could land on
one worker and stay there for as long as they keep their connections alive: 18 of 20 desktops on
one worker pushed a quarter less than 10 and 10 (bench/scale.py's `pg_push`). Here each worker
has its own socket, all bound to the one port with SO_REUSEPORT, and the kernel spreads new
connections over them. It spreads them by a hash of their addresses, not evenly: 20 desktops
came as 9 and 11 or 8 and 12 in most runs, and kept that split for as long as their connections
lived (for ever under load). So each worker says in an array shared with the others how many
connections it holds, and one that holds more than its share closes one now and then after an
answer (`EvenOut`): the client connects again, and the kernel places it afresh. Each worker is a
session of its own, so that the kernel shares the CPU between the workers as between separate
servers, and dies with the parent (`_own_session`).

The parent binds the sockets and keeps them open, so a worker that dies leaves its socket
listening: the connections the kernel gives it meanwhile wait in its backlog for the replacement,
which gets the same socket, instead of being refused. A worker that hangs is worse here than
with a shared socket, where the others took what it left: the connections sent to its socket
would wait for ever. So the parent watches each socket's queue of connections not yet accepted
(the kernel's `TCP_INFO`); a running worker's event loop empties it at each turn, and one whose
queue has not been empty once in `stuck_seconds` is killed and replaced. Where SO_REUSEPORT does
not spread connections (not Linux), `supported()` is false and the server keeps uvicorn's shared
socket.

The supervisor is our own, on uvicorn's public `Server.run(sockets)`: uvicorn's
(`uvicorn.supervisors.Multiprocess`) hands each worker the one list of sockets, and its
constructor's arguments changed between the versions this project accepts. gunicorn's
`--reuse-port` (since 23) binds a socket in each worker, but a worker that dies closes it with the
connections queued on it, and a second server on the port joins the first instead of being refused.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import signal
import socket
import struct
import sys
import threading
import time
from multiprocessing.synchronize import Event as EventType
from types import FrameType
from typing import Any

import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.config import STARTUP_FAILURE
from uvicorn.server import ServerState

logger = logging.getLogger("uvicorn.error")
SPAWN = multiprocessing.get_context("spawn")  # a fresh interpreter per worker, as uvicorn's own workers
CHECK_SECONDS = 0.5
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent dies
PUBLISH_SECONDS = 0.1  # how often an idle worker says how many connections it holds
SHED_SECONDS = 0.05  # a worker holding more than its share closes at most one connection in this time
Loads = Any  # multiprocessing.Array of C ints, one per worker (typeshed has no name for it)


class EvenOut:
    """A worker's app, wrapped (uvicorn's `Config.load`, then its `loaded_app` replaced): while the
    worker holds more connections than its share of the serving workers' (`loads`, rounded up), one answer
    in `SHED_SECONDS` says `Connection: close`. Its client reads the answer whole and then opens another
    connection for its next request, as HTTP/1.1 asks: nothing is lost or sent twice, unlike a
    connection closed while idle (cli.KEEP_ALIVE_SECONDS). An event stream is never the one closed:
    its answer lasts as long as the connection."""

    def __init__(self, app: ASGIApp, state: ServerState, loads: Loads, n: int) -> None:
        self.app, self.state, self.loads, self.n = app, state, loads, n
        self.shed_at = 0.0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def answer(message: Message) -> None:
            if message["type"] == "http.response.start" and self._over():
                headers = list(message.get("headers", ()))
                if not any(k.lower() == b"content-type" and v.startswith(b"text/event-stream") for k, v in headers):
                    message = {**message, "headers": [*headers, (b"connection", b"close")]}
                    self.shed_at = time.monotonic()
            await send(message)

        await self.app(scope, receive, answer)

    def _over(self) -> bool:
        """Whether this worker holds more connections than its share (and has not closed one just now)."""
        mine = len(self.state.connections)
        self.loads[self.n] = mine
        if time.monotonic() - self.shed_at < SHED_SECONDS:
            return False
        # Among the workers serving: one still loading (-1) would leave the connections sent to it
        # waiting until it is ready. Rounded up: an odd one out is not shed for ever.
        serving: list[int] = [load for load in self.loads if load >= 0]
        share = -(-sum(serving) // len(serving))
        return mine > share


def supported() -> bool:
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT") and hasattr(socket, "TCP_INFO")


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


def waiting(sock: socket.socket) -> int:
    """Connections in a listening socket's queue that no worker has accepted yet: for a socket in
    the LISTEN state, `tcp_info.tcpi_unacked` (its 5th 32-bit field, after 8 bytes) is that queue."""
    info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 32)
    return int(struct.unpack_from("I", info, 24)[0])


def _own_session(parent: int) -> None:
    """Make this worker a session of its own, which dies with the parent.

    Linux's autogroup shares the CPU between sessions, not processes: where no CPU cgroup says
    otherwise (a terminal, a systemd service without one), every worker of one session took a
    single share between them, against PostgreSQL's share and every other program's. Two workers
    pushed 12 396 commands/s in one session, 13 634 with a session each, and two servers 13 527
    (bench/scale.py's pushes on two cores, the mean of six runs of each, in turns).

    Out of the parent's session, a worker no longer gets the terminal's signals with it: the parent
    stops the workers it started (`Spread`), and if the parent is killed, the kernel kills them
    (PR_SET_PDEATHSIG) rather than leave them serving on the port with nobody watching them (they
    died with the killed process group before)."""
    os.setsid()
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent:  # the parent died before the line above: nobody would stop this worker
        os._exit(1)


def _worker(config: uvicorn.Config, sock: socket.socket, serving: EventType, loads: Loads, n: int,
            parent: int) -> None:
    """A worker process: uvicorn's server on its own socket (it stops gracefully on SIGTERM/SIGINT),
    in a session of its own (`_own_session`).
    `serving` is set once it has started (the open business loaded): from then on it is watched.
    `loads[n]` is where it says how many connections it holds once serving (`EvenOut`)."""
    _own_session(parent)
    config.configure_logging()
    server = uvicorn.Server(config)
    config.load()  # what `server.run` would load, loaded first to be wrapped
    config.loaded_app = EvenOut(config.loaded_app, server.server_state, loads, n)

    def tell() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        if server.started:
            serving.set()

    def publish() -> None:
        while not server.should_exit:
            if server.started:
                loads[n] = len(server.server_state.connections)
            time.sleep(PUBLISH_SECONDS)

    threading.Thread(target=tell, daemon=True).start()
    threading.Thread(target=publish, daemon=True).start()
    with contextlib.suppress(KeyboardInterrupt):  # a SIGINT sent to this worker: stop as on SIGTERM
        server.run(sockets=[sock])


class Spread:
    """Starts a worker per socket and replaces one that dies on the same socket, until SIGINT or
    SIGTERM; then stops them all (each finishes its requests) and closes the sockets."""

    def __init__(self, config: uvicorn.Config, sockets: list[socket.socket], stuck_seconds: float = 30.0) -> None:
        self.config = config
        self.sockets = sockets
        self.stuck_seconds = stuck_seconds
        self.processes: list[multiprocessing.process.BaseProcess] = []
        self.serving: list[EventType] = []
        # When each worker's queue was last seen empty, from when it began to serve (one still loading
        # the open business is not hung, though connections wait for it).
        self.emptied: list[float | None] = []
        self.stop = threading.Event()
        self.loads: Loads = SPAWN.Array("i", len(sockets), lock=False)

    def _start(self, n: int) -> None:
        serving = SPAWN.Event()
        self.loads[n] = -1  # not serving yet (a worker that died holds no connection any more)
        process = SPAWN.Process(target=_worker, daemon=False,
                                args=(self.config, self.sockets[n], serving, self.loads, n, os.getpid()))
        process.start()
        if n < len(self.processes):
            self.processes[n], self.serving[n], self.emptied[n] = process, serving, None
        else:
            self.processes.append(process)
            self.serving.append(serving)
            self.emptied.append(None)

    def _stop(self, signum: int, _frame: FrameType | None) -> None:
        logger.info(f"Received {signal.Signals(signum).name}, stopping the workers.")
        self.stop.set()

    def _hung(self, n: int) -> bool:
        """Worker n left connections waiting on its socket for `stuck_seconds` (then it is killed, and
        the loop replaces it)."""
        if not self.serving[n].is_set():
            return False
        now = time.monotonic()
        emptied = self.emptied[n]
        if emptied is None or waiting(self.sockets[n]) == 0:
            self.emptied[n] = now
            return False
        if now - emptied < self.stuck_seconds:
            return False
        process = self.processes[n]
        logger.error(f"Worker [{process.pid}] has left connections waiting for {now - emptied:.0f} s; "
                     "killing it, to start another on its socket.")
        process.kill()
        process.join()
        return True

    def run(self) -> int:
        """The exit status: 0, or uvicorn's STARTUP_FAILURE when a worker could not start (every
        replacement would fail the same way)."""
        status = 0
        previous = {s: signal.signal(s, self._stop) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            for n in range(len(self.sockets)):
                self._start(n)
            while not self.stop.wait(CHECK_SECONDS):
                for n, process in enumerate(self.processes):
                    if process.is_alive() and not self._hung(n):
                        continue
                    process.join()
                    if process.exitcode == STARTUP_FAILURE:
                        logger.error(f"Worker [{process.pid}] failed to start; stopping the server.")
                        status = STARTUP_FAILURE
                        self.stop.set()
                        break
                    logger.warning(f"Worker [{process.pid}] ended ({process.exitcode}); starting another on its socket.")
                    self._start(n)
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
