"""What a new application and a command-line run cost before their own work.

    .venv/bin/python bench/startup.py [--applications 5] [--requests 300] [--commands 3]

- `new_application`: `create_app` on a fresh SQLite data folder, started in-process (Starlette's
  TestClient, which runs the lifespan), then the CPU of its first three requests: `/health` (the
  last route), `/auth/me` and `/` (the site's first page). Every server a worker, a test or the
  simulation starts pays it once; FastAPI's lazy `include_router` made it build every route again
  (see `consoleapp/sync/server/routing.py`).
- `requests`: then the CPU per request of the same three, `--requests` times each, the TestClient's
  own share included (it runs in the same process).
- `command_line`: wall and CPU of `consoleapp-server admin list-users` and `consoleapp-server verify`
  on a migrated SQLite database, each in a new interpreter, `--commands` times; the medians.
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
warnings.filterwarnings("ignore", message=".*httpx2.*")  # Starlette's TestClient on httpx: a notice, not ours

from fastapi.testclient import TestClient  # noqa: E402

from bench.processes import cpu_model  # noqa: E402
from consoleapp.sync.server.app import create_app  # noqa: E402
from consoleapp.sync.server.settings import Settings  # noqa: E402

PATHS = ("/health", "/auth/me", "/")


def new_applications(count: int, requests: int, folder: Path) -> dict[str, Any]:
    first_ms: list[float] = []
    per_request_ms: list[float] = []
    for n in range(count):
        app = create_app(Settings(data_dir=folder / f"app{n}"))
        with TestClient(app) as client:
            began = time.process_time()
            for path in PATHS:
                client.get(path)
            first_ms.append((time.process_time() - began) * 1000)
            began = time.process_time()
            for _ in range(requests):
                for path in PATHS:
                    client.get(path)
            per_request_ms.append((time.process_time() - began) * 1000 / max(requests * len(PATHS), 1))
    return {"new_application": {"applications": count, "first_requests_cpu_ms": [round(v, 1) for v in first_ms],
                                "first_requests_cpu_ms_median": round(statistics.median(first_ms), 1)},
            "requests": {"per_application": requests * len(PATHS),
                         "cpu_ms_per_request": [round(v, 3) for v in per_request_ms],
                         "cpu_ms_per_request_median": round(statistics.median(per_request_ms), 3)}}


def command_line(times: int, folder: Path) -> dict[str, Any]:
    env = {**os.environ, "CONSOLEAPP_DATA_DIR": str(folder / "cli"), "CONSOLEAPP_DATABASE_URL": ""}
    cli = [sys.executable, "-m", "consoleapp.sync.server.cli"]
    subprocess.run([*cli, "migrate"], env=env, check=True, capture_output=True)
    out: dict[str, Any] = {}
    for name, args in (("admin_list_users", ["admin", "list-users"]), ("verify", ["verify"])):
        walls, cpus = [], []
        for _ in range(times):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            began = time.perf_counter()
            subprocess.run([*cli, *args], env=env, check=True, capture_output=True)
            walls.append(time.perf_counter() - began)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        out[name] = {"wall_s_median": round(statistics.median(walls), 3), "cpu_s_median": round(statistics.median(cpus), 3),
                     "runs": times}
    return {"command_line": out}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--applications", type=int, default=5)
    p.add_argument("--requests", type=int, default=300, help="per path, per application")
    p.add_argument("--commands", type=int, default=3, help="runs of each command")
    args = p.parse_args()
    figures: dict[str, Any] = {"bench": "startup", "date": date.today().isoformat(),
                               "cpu": f"{cpu_model()}, {os.cpu_count()} cores"}
    with tempfile.TemporaryDirectory(prefix="consoleapp-bench-startup-") as tmp:
        figures.update(new_applications(args.applications, args.requests, Path(tmp)))
        figures.update(command_line(args.commands, Path(tmp)))
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
