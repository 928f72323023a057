"""bench/load.py, run tiny (a few streams, a few customers, a few seconds), so it cannot rot.

The real figures come from the full run (`.venv/bin/python bench/load.py`, see its docstring);
this only proves the bench still drives the real server end to end, on SQLite and, when the
local PostgreSQL answers, on two worker processes, without an error.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.store.conftest import PG_URL

BENCH = Path(__file__).resolve().parents[2] / "bench" / "load.py"


def _pg_answers() -> bool:
    try:
        engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:  # the driver missing or the server down
        return False


def _bench(*args: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, str(BENCH), "--streams", "6", "--customers", "2", "--web-customers", "2",
                           "--seconds", "2", *args],
                          capture_output=True, text=True, timeout=240)
    lines = done.stdout.strip().splitlines()
    assert done.returncode == 0 and len(lines) == 1, f"exit {done.returncode}\n{done.stdout}\n{done.stderr[-2000:]}"
    out: dict[str, Any] = json.loads(lines[0])
    return out


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_load_bench_runs_tiny_without_errors(database: str) -> None:
    if database == "postgresql" and not _pg_answers():
        pytest.skip(f"PostgreSQL unreachable at {PG_URL}")
    out = _bench("--only", database)
    [run] = [v for k, v in out.items() if k.startswith(database)]
    assert run["errors"] == 0, run["error_samples"]
    assert run["requests"] > 0 and run["customer_loops"] > 0
    # Booking forms sent twice and cancel forms resent after a dropped answer, read back: one each.
    assert run["web_forms_checked"] > 0 and run["by_kind"]["web_book"]["n"] >= 2 * run["web_forms_checked"]
    assert run["streams_open_at_end"] == 6 and run["pokes"] > 0  # the desktops heard of the customers' moves
    # Memory is measured, not judged: a two-second run is all warm-up.
    assert run["rss_start_mb"] > 0 and run["rss_end_mb"] > 0 and run["rss_growth_pct"] is not None
    if database == "sqlite":
        assert run["server_processes"] == 1
    else:  # uvicorn's supervisor and its two workers (and multiprocessing's helper)
        assert run["server_processes"] >= 3


def test_load_bench_says_clearly_when_open_files_are_too_few() -> None:
    """500 streams need open files; a hard limit too low ends the run with a message, not a crash."""
    script = ("import resource, runpy, sys; resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64)); "
              f"sys.argv = [{str(BENCH)!r}, '--streams', '500']; sys.path.insert(0, {str(BENCH.parent)!r}); "
              f"runpy.run_path({str(BENCH)!r}, run_name='__main__')")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert "hard limit is 64" in out["error"] and "--streams" in out["error"]


def test_the_server_keeps_an_idle_connection_longer_than_clients_do(tmp_path: Path) -> None:
    """The bench's connection resets under load: uvicorn closed idle connections after 5 s, the
    same moment httpx reuses them (its keep-alive expiry is 5 s too). `serve` now keeps them
    longer than clients do, so the client always closes first (cli.KEEP_ALIVE_SECONDS)."""
    import importlib.util
    import socket
    import time
    from urllib.parse import urlsplit

    import httpx

    spec = importlib.util.spec_from_file_location("bench_serving", BENCH.parent / "serving.py")
    assert spec is not None and spec.loader is not None
    serving = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(serving)
    assert httpx.Limits().keepalive_expiry is not None
    idle = httpx.Limits().keepalive_expiry + 1  # past the client's own expiry, and past uvicorn's default
    with serving.serving(tmp_path / "data") as url:
        address = urlsplit(url)
        with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
            for n in range(2):
                if n:
                    time.sleep(idle)
                sock.sendall(b"GET /health HTTP/1.1\r\nHost: bench\r\n\r\n")
                answer = _one_response(sock)
                assert answer.startswith(b"HTTP/1.1 200"), answer[:200]  # b"": the server had hung up


def _one_response(sock: Any) -> bytes:
    """One whole HTTP/1.1 response (headers, then Content-Length bytes of body), or b"" at EOF."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")), 0)
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body
