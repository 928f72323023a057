"""Scale benchmark: how the server and the desktop grow with history (issue 15); ONE JSON line.

Measures, and changes nothing:

- server cold start: for each size in `--sizes`, a server data folder holding that many past
  sessions of one expert (bench/client.py's `build`: the server's own Runner, ~16 events a
  session), then the real server process (`consoleapp-server serve`, SQLite) started on a copy
  of it: seconds from spawning it until `/health` answers (`server_cold_start_s`), the RSS of
  its processes right after (`server_rss_mb`, and `rss_ratio` = largest size ÷ smallest), and
  the first customer write after the start, a scheduled request (`first_write_ms`; the second
  one beside it for comparison), and the operators' money page, every month's platform figures
  (`ops_money_ms`, its second load: the first also compiles the templates);
- PostgreSQL pushes: 20 experts' desktops pushing batches of commands (bench/server.py's
  `push_rate`), the server with `--workers 1` and then `--workers 2`, each on a fresh schema
  dropped after; `pg_push_ratio` = two workers' commands/s ÷ one's; then the same pushes to two
  one-worker servers on a database each, sharing nothing (bench/lock_share.py `--separate`):
  `pg_push_separate_ratio`, their commands/s ÷ one worker's, is what this machine gives two
  workers when no write waits for another's, the ceiling of `pg_push_ratio` here. Each is run
  `--pg-rounds` times in turns and its best run kept (every run's rate under "rounds");
- desktop first sync: a fresh client of an expert with `--desktop-sessions` past sessions
  (bench/client.py's `initial_sync`), `desktop_first_sync_s`;
- embedded as they print them: bench/ui.py's line under "ui" (peak memory, every screen
  filled: `ready_s`) and bench/engine.py's under "engine", with bench/engine.py run the same
  way on the code of `--engine-baseline` (a commit; `git archive`) under "engine_baseline" and
  `engine_ratio` = in-memory lifecycles/s now ÷ then: each side run `--engine-rounds` times,
  alternately, its best run kept (every run's rate under "rounds").

The aims are issue 15's and apply at the default sizes; `met` says which are met in this run.
Built folders are kept under `--cache-dir` (one per size and customer count; the UI bench's
cache files too), so a second run skips the builds: delete the folder after a change to the
database schema or to the builder. Every measurement runs on a throwaway copy, so the cache
stays as built.

    .venv/bin/python bench/scale.py            # 10 000 and 200 000 sessions, desktop 50 000, UI 100 000
    .venv/bin/python bench/scale.py --quick    # tiny sizes: a smoke run of a minute or two
    .venv/bin/python bench/scale.py --sizes 10000,50000 --skip-ui --skip-engine

PostgreSQL: CONSOLEAPP_TEST_PG (default postgresql+psycopg://postgres@127.0.0.1:5432/test);
skipped with a note when it does not answer.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import client  # first: it puts the project on sys.path
import httpx
import lock_share
import sqlalchemy as sa
from processes import (
    cpu_model,
    cpu_seconds,
    machine_jiffies,
    postgres_cpu_seconds,
    process_tree,
    rss_mb,
    server_pid,
)
from server import pg_schema, push_rate, register_many
from serving import serving

ROOT = Path(__file__).resolve().parents[1]
AIMS = {"server_cold_start_s": 3.0, "rss_ratio": 1.3, "pg_push_ratio": 1.4, "desktop_first_sync_s": 20.0,
        "ui_peak_mb": 400.0, "ui_ready_s": 3.0, "engine_ratio": 3.0}
PUSH_BATCH = 50  # commands per push, as bench/server.py


# --- the history, built once per size ---------------------------------------------------------------


def history(cache: Path, sessions: int, customers: int, batch: int) -> tuple[Path, dict[str, Any], float | None]:
    """The built folder of this size, its `build` answer, and the build's seconds when built now."""
    folder = cache / f"sessions-{sessions}-customers-{customers}"
    fresh = not (folder / client.BUILT).exists()
    built = client.prepared(folder, sessions, customers, batch)
    return folder, built, built["seconds"] if fresh else None


@contextlib.contextmanager
def copy_of(folder: Path) -> Iterator[Path]:
    """A throwaway copy of a built folder (beside it, on the same disk): a run's writes stay out of the cache."""
    with tempfile.TemporaryDirectory(prefix="run-", dir=folder.parent) as tmp:
        copied = Path(shutil.copytree(folder, Path(tmp) / "data"))
        os.sync()  # the copy's hundreds of MB written back before a measurement starts, not during it
        yield copied


# --- the server ---------------------------------------------------------------------------------------


def scheduled_request(http: httpx.Client, expert: str, n: int) -> float:
    """One customer write through the engine (R7: a request proposing a time next week); ms."""
    start = (datetime.now(UTC) + timedelta(days=7 + n)).replace(minute=0, second=0, microsecond=0)
    began = time.perf_counter()
    r = http.post("/api/requests/scheduled", json={"expert": expert, "mode": "video", "offer": "short",
                                                   "topic": f"scale bench {n}", "times": [start.isoformat()]})
    elapsed = (time.perf_counter() - began) * 1000
    if r.status_code != 201:
        raise SystemExit(f"POST /api/requests/scheduled answered {r.status_code}: {r.text[:300]}")
    return round(elapsed, 1)


def cold_start(folder: Path, built: dict[str, Any], wait: float) -> dict[str, Any]:
    with copy_of(folder) as data:
        began = time.perf_counter()
        with serving(data, wait=wait) as url:
            seconds = time.perf_counter() - began
            pids = process_tree(server_pid(int(url.rsplit(":", 1)[1])))
            rss = rss_mb(pids)
            token = client.login(url, built["buyer_email"])  # not timed: a password hash, no engine
            # The client is made before the clock starts: building one costs tens of ms of its own.
            with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=wait) as http:
                first, second = (scheduled_request(http, built["expert"], n) for n in range(2))
            rss_after = rss_mb(process_tree(pids[0]))
            money = ops_money_ms(data, url, wait)
    return {"sessions": built["sessions"], "events": built["events"], "cold_start_s": round(seconds, 2),
            "rss_mb": rss, "first_write_ms": first, "second_write_ms": second, "rss_after_writes_mb": rss_after,
            "ops_money_ms": money, "processes": len(pids)}


def ops_money_ms(data: Path, url: str, wait: float) -> float:
    """The operators' money page loaded twice by an operator opened in the running server's database
    by this process, as `admin create-operator` does beside a running server (not timed); the
    second load's ms."""
    from consoleapp.engine.model import Role
    from consoleapp.sync.server.accounts import create_user
    from consoleapp.sync.server.opening import open_server
    from consoleapp.sync.server.settings import Settings

    server = open_server(Settings(data_dir=data))
    try:
        _, token = create_user(server, f"ops-{time.time_ns()}@example.com", client.PASSWORD, "Olga", Role.OPERATOR,
                               token_kind="web")
    finally:
        server.store.close()
    with httpx.Client(base_url=url, cookies={"ec_session": token}, headers={"Accept": "text/html"},
                      timeout=wait) as http:
        elapsed = 0.0
        for _ in range(2):
            began = time.perf_counter()
            r = http.get("/ops/money")
            elapsed = (time.perf_counter() - began) * 1000
            if r.status_code != 200:
                raise SystemExit(f"GET /ops/money answered {r.status_code}: {r.text[:300]}")
    return round(elapsed, 1)


def pg_pushes(clients: int, batches: int, rounds: int = 1) -> dict[str, Any]:
    """The same pushes against one worker, then two, each on a fresh PostgreSQL schema, `rounds`
    times in turns; then two servers sharing nothing as often. Each side's best run counts (every
    run's rate under "rounds"): on two cores one run of each moved the ratio from 1.0 to 1.4."""
    out: dict[str, Any] = {"clients": clients, "batches_per_client": batches, "batch": PUSH_BATCH}
    runs: dict[int, list[dict[str, Any]]] = {1: [], 2: []}
    with tempfile.TemporaryDirectory(prefix="consoleapp-bench-scale-") as tmp:
        for n in range(rounds):
            for workers in (1, 2):
                runs[workers].append(pushes_once(Path(tmp) / f"pg{workers}-{n}", clients, batches, workers))
    for workers, done in runs.items():
        out[f"workers_{workers}"] = {**max(done, key=_rate), "rounds": [r["commands_per_s"] for r in done]}
    one, two = out["workers_1"]["commands_per_s"], out["workers_2"]["commands_per_s"]
    out["ratio"] = round(two / one, 2) if one and two else None
    apart = [lock_share.measure(clients, batches, 2, separate=True) for _ in range(rounds)]
    best = max(apart, key=_rate)
    out["separate_2"] = {**{k: best[k] for k in ("commands_per_s", "errors", "machine_busy")},
                         "rounds": [a["commands_per_s"] for a in apart]}
    out["separate_ratio"] = round(best["commands_per_s"] / one, 2) if one and best["commands_per_s"] else None
    return out


def _rate(run: dict[str, Any]) -> int:
    return int(run["commands_per_s"] or 0)  # None: the run failed (its errors are kept)


def pushes_once(folder: Path, clients: int, batches: int, workers: int) -> dict[str, Any]:
    with pg_schema() as pg, serving(folder, pg, workers) as url:
        # Where the CPU goes: whether the machine had cores left for a second worker.
        servers = process_tree(server_pid(int(url.rsplit(":", 1)[1])))
        # Signed up first: a sign-up hashes a password, which is no push's work (nor the clients').
        people = register_many(url, "expert", clients)
        busy0, total0 = machine_jiffies()
        server0, pg0, own0 = cpu_seconds(servers), postgres_cpu_seconds(), sum(os.times()[:2])
        began = time.perf_counter()
        figures = push_rate(url, clients, batches, PUSH_BATCH, people)
        wall = time.perf_counter() - began
        busy1, total1 = machine_jiffies()
        cores = os.cpu_count() or 1
        figures["machine_busy"] = round((busy1 - busy0) / max(total1 - total0, 1), 2)
        figures["cores_used"] = {
            "server": round((cpu_seconds(servers) - server0) / wall, 2),
            "postgresql": round((postgres_cpu_seconds() - pg0) / wall, 2),
            "bench_clients": round((sum(os.times()[:2]) - own0) / wall, 2), "of": cores}
    return figures


def desktop_first_sync(folder: Path, built: dict[str, Any], wait: float) -> dict[str, Any]:
    with copy_of(folder) as data, serving(data, wait=wait) as url:
        token = client.login(url, built["expert_email"])
        path = data.parent / "cache.sqlite3"
        first = asyncio.run(client.initial_sync(url, path, built["expert"], token, False))
    return {"sessions": built["sessions"], **first}


# --- the other benches, as they print themselves -----------------------------------------------------


def bench_line(script: Path, args: list[str], cwd: Path) -> dict[str, Any]:
    """Run one bench script; its JSON line, or what went wrong."""
    done = subprocess.run([sys.executable, str(script), *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")})
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        return {"error": f"{script.name} exited with {done.returncode}: {done.stderr.strip()[-500:]}"}
    figures: dict[str, Any] = json.loads(lines[-1])
    return figures


@contextlib.contextmanager
def tree_at(commit: str) -> Iterator[Path | str]:
    """`bench` and `consoleapp` of `commit` in a scratch folder (or why not), removed after."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "bench", "consoleapp"],
                             capture_output=True, check=False)
    if archive.returncode != 0:
        yield f"git archive {commit}: {archive.stderr.decode(errors='replace').strip()[-300:]}"
        return
    with tempfile.TemporaryDirectory(prefix="consoleapp-engine-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(tmp, filter="data")
        yield Path(tmp)


def engine_rounds(baseline: str, args: list[str], rounds: int) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """bench/engine.py now and on `baseline`'s code, alternately, `rounds` times each; the best
    run of each side (this machine's speed moves by a third between runs, so one run of each
    compares the machine's moments as much as the code: the best of a few, taken side by side,
    is the least disturbed figure of each, as `timeit` advises)."""
    now: list[dict[str, Any]] = []
    then: list[dict[str, Any]] = []
    with contextlib.ExitStack() as stack:
        tree = stack.enter_context(tree_at(baseline)) if baseline else None
        for _ in range(rounds):
            now.append(bench_line(ROOT / "bench" / "engine.py", args, ROOT))
            if isinstance(tree, Path):
                # Its own folder first on the path (the script puts its parent there), so its engine is run.
                then.append(bench_line(tree / "bench" / "engine.py", args, tree))
    best_now = max(now, key=lambda f: lifecycles_per_s(f) or 0)
    best_now["rounds"] = [lifecycles_per_s(f) for f in now]
    if tree is None:
        return best_now, None
    if isinstance(tree, str):
        return best_now, {"commit": baseline, "error": tree}
    best_then = max(then, key=lambda f: lifecycles_per_s(f) or 0)
    return best_now, {"commit": baseline, **best_then, "rounds": [lifecycles_per_s(f) for f in then]}


def lifecycles_per_s(figures: dict[str, Any]) -> float | None:
    rate = figures.get("in_memory", {}).get("lifecycles_per_s")
    return float(rate) if rate else None


# --- the run -----------------------------------------------------------------------------------------------


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--sizes", default=None, help="past sessions in the server, comma-separated (default 10000,200000)")
    p.add_argument("--desktop-sessions", type=int, default=None, help="the desktop's expert's sessions (default 50000)")
    p.add_argument("--ui-sessions", type=int, default=None, help="bench/ui.py's cache size (default 100000)")
    p.add_argument("--customers", type=int, default=300, help="customers the sessions are spread over (default 300)")
    p.add_argument("--batch", type=int, default=500, help="commands per transaction while building (default 500)")
    p.add_argument("--pg-clients", type=int, default=20, help="experts pushing at once (default 20)")
    p.add_argument("--pg-batches", type=int, default=None, help="pushes of 50 commands per expert (default 30)")
    p.add_argument("--pg-rounds", type=int, default=3,
                   help="runs of one worker, two and two sharing nothing, in turns; the best of each counts (default 3)")
    p.add_argument("--engine-baseline", default="4fcef4a", help="the commit the engine is compared with ('' skips)")
    p.add_argument("--engine-rounds", type=int, default=3, help="runs of each engine, alternated; the best counts (default 3)")
    p.add_argument("--cache-dir", type=Path, default=ROOT / ".bench-cache", help="where built histories are kept")
    p.add_argument("--wait", type=float, default=1800, help="seconds a server may take to answer /health")
    p.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run")
    for part in ("pg", "desktop", "ui", "engine"):
        p.add_argument(f"--skip-{part}", action="store_true", help=f"leave out the {part} figures")
    args = p.parse_args(argv)
    args.sizes = sorted({int(x) for x in (args.sizes or ("1000,5000" if args.quick else "10000,200000")).split(",")})
    args.desktop_sessions = args.desktop_sessions or (2_000 if args.quick else 50_000)
    args.ui_sessions = args.ui_sessions or (2_000 if args.quick else 100_000)
    args.pg_batches = args.pg_batches or (10 if args.quick else 30)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    began = time.perf_counter()
    cache: Path = args.cache_dir.resolve()
    cache.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    out: dict[str, Any] = {"bench": "scale", "date": datetime.now(UTC).date().isoformat(),
                           "cpu": f"{cpu_model()}, {os.cpu_count()} cores", "quick": args.quick,
                           "sizes": args.sizes, "customers": args.customers,
                           "desktop_sessions": None if args.skip_desktop else args.desktop_sessions,
                           "ui_sessions": None if args.skip_ui else args.ui_sessions}

    wanted = [*args.sizes, *([] if args.skip_desktop else [args.desktop_sessions])]
    built = {n: history(cache, n, max(1, min(args.customers, n)), args.batch) for n in dict.fromkeys(wanted)}
    out["build_s"] = {str(n): seconds for n, (_, _, seconds) in built.items()}  # null: taken from the cache

    runs = [cold_start(folder, made, args.wait) for n, (folder, made, _) in built.items() if n in args.sizes]
    out["server_cold_start_s"] = {str(r["sessions"]): r["cold_start_s"] for r in runs}
    out["server_rss_mb"] = {str(r["sessions"]): r["rss_mb"] for r in runs}
    out["rss_ratio"] = round(runs[-1]["rss_mb"] / runs[0]["rss_mb"], 2) if len(runs) > 1 else None
    out["first_write_ms"] = {str(r["sessions"]): r["first_write_ms"] for r in runs}
    out["ops_money_ms"] = {str(r["sessions"]): r["ops_money_ms"] for r in runs}
    out["server_runs"] = runs

    out["pg_push_ratio"] = out["pg_push_commands_per_s"] = out["pg_push_separate_ratio"] = None
    if not args.skip_pg:
        try:
            pushes = pg_pushes(args.pg_clients, args.pg_batches, 1 if args.quick else args.pg_rounds)
            out["pg_push_ratio"] = pushes["ratio"]
            out["pg_push_separate_ratio"] = pushes["separate_ratio"]
            out["pg_push_commands_per_s"] = {str(w): pushes[f"workers_{w}"]["commands_per_s"] for w in (1, 2)}
            out["pg_push"] = pushes
        except (sa.exc.SQLAlchemyError, ImportError) as exc:
            notes.append(f"PostgreSQL skipped: {str(exc).splitlines()[0]}")

    out["desktop_first_sync_s"] = None
    if not args.skip_desktop:
        folder, made, _ = built[args.desktop_sessions]
        first = desktop_first_sync(folder, made, args.wait)
        out["desktop_first_sync_s"], out["desktop_first_sync"] = first["seconds"], first

    if not args.skip_ui:
        out["ui"] = bench_line(ROOT / "bench" / "ui.py", ["--sessions", str(args.ui_sessions), "--cache",
                                                          str(cache / f"ui-{args.ui_sessions}.sqlite3")], ROOT)
    out["engine_ratio"] = None
    if not args.skip_engine:
        sizes = ["--lifecycles", "5000", "--persisted", "500"] if args.quick else []
        out["engine"], baseline = engine_rounds(args.engine_baseline, sizes, 1 if args.quick else args.engine_rounds)
        if baseline is not None:
            out["engine_baseline"] = baseline
            now, then = lifecycles_per_s(out["engine"]), lifecycles_per_s(baseline)
            out["engine_ratio"] = round(now / then, 2) if now and then else None

    ui = out.get("ui", {})
    largest = str(args.sizes[-1])
    figures = {"server_cold_start_s": out["server_cold_start_s"].get(largest), "rss_ratio": out["rss_ratio"],
               "pg_push_ratio": out["pg_push_ratio"], "desktop_first_sync_s": out["desktop_first_sync_s"],
               "ui_peak_mb": ui.get("peak_mb"), "ui_ready_s": ui.get("ready_s"), "engine_ratio": out["engine_ratio"]}
    at_least = {"pg_push_ratio", "engine_ratio"}  # the others are ceilings
    out["aims"] = AIMS
    out["met"] = {k: None if v is None else (v >= AIMS[k] if k in at_least else v <= AIMS[k]) for k, v in figures.items()}
    out["notes"] = notes
    out["seconds"] = round(time.perf_counter() - began, 1)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
