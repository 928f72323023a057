"""Server processes forked from one warm process, for the tests' real servers (tests/sync/live.py).

A server process spends most of its start importing FastAPI, SQLAlchemy, pydantic and the
engine: about half a second of CPU, paid again by each of the several hundred servers the suite
starts. The zygote imports all that once and then forks a child per server. The child takes the
environment, the working folder and the stdout/stderr of the test that asked for it, and runs
uvicorn from its command line exactly as `python -m uvicorn ...` would: each server is still a
process of its own, in its own session, on its own port, stopped and killed with signals.

Protocol, over a SOCK_SEQPACKET socket pair (one message per request, one per answer, JSON):
  {"spawn": {"argv": [...], "env": {...}, "cwd": "..."}} + the caller's fds 1 and 2  -> {"pid": n}
  {"status": pid}                                                                  -> {"returncode": n | null}
The zygote reaps its children itself and keeps their exit codes, since only a parent can.
"""

from __future__ import annotations

import json
import os
import select
import socket
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
_lock = threading.Lock()
_zygote: tuple[subprocess.Popen[bytes], socket.socket] | None = None


class Forked:
    """A server process forked by the zygote: the part of `subprocess.Popen` the tests use."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = _ask({"status": self.pid})["returncode"]
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while (code := self.poll()) is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"server process {self.pid}", timeout or 0)
            time.sleep(0.02)
        return code


def spawn(argv: list[str], env: dict[str, str]) -> Forked:
    """Start `python -m uvicorn <argv>` as a fork of the warm process."""
    sys.stdout.flush()
    sys.stderr.flush()
    answer = _ask({"spawn": {"argv": argv, "env": env, "cwd": os.getcwd()}}, fds=[1, 2])
    return Forked(int(answer["pid"]))


def _ask(message: dict[str, Any], fds: list[int] | None = None) -> dict[str, Any]:
    with _lock:
        conn = _connection()
        socket.send_fds(conn, [json.dumps(message).encode()], fds or [])
        data = conn.recv(1 << 16)
        if not data:
            raise RuntimeError("the server zygote stopped; run one server with `python -m uvicorn --factory "
                               "consoleapp.sync.server.app:create_app` to see why")
        answer: dict[str, Any] = json.loads(data)
        return answer


def _connection() -> socket.socket:
    global _zygote
    if _zygote is None or _zygote[0].poll() is not None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        process = subprocess.Popen([sys.executable, "-m", "tests.sync.zygote", str(theirs.fileno())],
                                   pass_fds=[theirs.fileno()], cwd=ROOT)
        theirs.close()
        _zygote = (process, ours)
    return _zygote[1]


# --- the warm process -----------------------------------------------------------------------------


def serve(conn: socket.socket) -> None:
    import uvicorn.main  # noqa: F401  (what every server would import: once, here)

    import consoleapp.sync.server.app  # noqa: F401

    exited: dict[int, int] = {}
    children: set[int] = set()
    while True:
        _reap(children, exited)
        if not select.select([conn], [], [], 0.05)[0]:
            continue
        data, fds, _, _ = socket.recv_fds(conn, 1 << 16, 2)
        if not data:
            return  # the test process is gone; its servers are stopped by its fixtures
        request = json.loads(data)
        if "spawn" in request:
            pid = _fork(conn, request["spawn"], fds)
            children.add(pid)
            conn.send(json.dumps({"pid": pid}).encode())
        else:
            pid = int(request["status"])
            _reap(children, exited)
            conn.send(json.dumps({"returncode": exited.get(pid)}).encode())


def _reap(children: set[int], exited: dict[int, int]) -> None:
    for pid in list(children):
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            children.discard(pid)
            exited[pid] = os.waitstatus_to_exitcode(status)


def _fork(conn: socket.socket, spec: dict[str, Any], fds: list[int]) -> int:
    pid = os.fork()
    if pid:
        for fd in fds:
            os.close(fd)
        return pid
    code = 1
    try:
        conn.close()
        os.setsid()  # a session of its own: the tests stop it with killpg, as a Popen'd server
        for target, fd in zip((1, 2), fds, strict=False):
            os.dup2(fd, target)
            os.close(fd)
        os.environ.clear()
        os.environ.update(spec["env"])
        os.chdir(spec["cwd"])
        sys.argv = ["uvicorn", *spec["argv"]]
        import uvicorn.main

        try:
            uvicorn.main.main(args=spec["argv"], prog_name="uvicorn")
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


if __name__ == "__main__":
    serve(socket.socket(fileno=int(sys.argv[1])))
