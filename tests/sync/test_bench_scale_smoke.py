"""`bench/scale.py` runs end to end, prints one JSON line and reuses its builds (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TINY = ["--quick", "--sizes", "200,400", "--desktop-sessions", "200", "--ui-sessions", "200", "--pg-clients", "2",
        "--pg-batches", "1"]


def scale(cache: Path, *args: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "scale.py"), *TINY, "--cache-dir", str(cache), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1, done.stdout
    figures: dict[str, Any] = json.loads(lines[0])
    return figures


def test_bench_scale_prints_one_json_line_and_reuses_its_builds(tmp_path: Path) -> None:
    first = scale(tmp_path, "--engine-baseline", "HEAD")  # any checkout has HEAD; the figure is the ratio's plumbing
    assert first["bench"] == "scale" and first["sizes"] == [200, 400]
    assert first["cpu"].endswith(" cores")  # which processor: figures compare only on one kind
    assert all(first["build_s"][n] > 0 for n in ("200", "400"))
    assert set(first["server_cold_start_s"]) == set(first["server_rss_mb"]) == set(first["first_write_ms"]) \
        == set(first["ops_money_ms"]) == {"200", "400"}
    assert all(v > 0 for key in ("server_cold_start_s", "server_rss_mb", "first_write_ms", "ops_money_ms")
               for v in first[key].values())
    assert first["rss_ratio"] > 0
    assert first["desktop_first_sync_s"] > 0 and first["desktop_first_sync"]["meetings"] == 200
    assert first["pg_push_ratio"] is not None or any("PostgreSQL skipped" in n for n in first["notes"])
    assert (first["pg_push_ratio"] is None) == (first["pg_push_separate_ratio"] is None)
    assert first["ui"]["bench"] == "ui" and first["ui"]["peak_mb"] > 0
    assert first["engine"]["in_memory"]["lifecycles_per_s"] > 0
    assert first["engine_ratio"] is not None or "error" in first["engine_baseline"]
    assert first["engine"]["rounds"] == [first["engine"]["in_memory"]["lifecycles_per_s"]]  # --quick: one round
    assert set(first["met"]) == set(first["aims"])
    # One size again (each size is a server started), nothing else: enough to see a build taken from the cache.
    again = scale(tmp_path, "--sizes", "200", "--skip-pg", "--skip-desktop", "--skip-ui", "--skip-engine")
    assert again["build_s"] == {"200": None}  # taken from the cache
    assert again["server_runs"][0]["events"] == first["server_runs"][0]["events"]


def test_bench_lock_share_measures_the_lock_over_the_pushes() -> None:
    """`bench/lock_share.py` on a tiny run: the counter was held for part of the pushes' window, never more."""
    import pytest
    import sqlalchemy as sa

    url = __import__("os").environ.get("CONSOLEAPP_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    try:
        with sa.create_engine(url, connect_args={"connect_timeout": 3}).connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as err:  # the PostgreSQL cases skip when no server answers, as the store's do
        pytest.skip(f"PostgreSQL unreachable at {url}: {type(err).__name__}")
    # The pushes are experts' own prices and slots: local writes, which hold the counter only from
    # its grant in their rows' round trip on; with --whole-log, from their catch-up on, as every other write.
    for whole_log, names, held_from in ((False, ["locking", "catch_up", "decide", "rows", "counter_wait",
                                                 "round_trip", "commit"], "round_trip"),
                                        (True, ["locking", "catch_up", "decide", "rows", "round_trip", "commit"],
                                         "catch_up")):
        figures = _lock_share("--clients", "2", "--batches", "2", *(["--whole-log"] if whole_log else []))
        assert figures["bench"] == "lock_share" and figures["errors"] == [] and figures["whole_log"] is whole_log
        assert 0 < figures["held_s"] <= figures["window_s"]
        assert 0 < figures["held_share"] <= 1 and figures["ceiling_ratio"] >= 1
        assert figures["held_ms_per_push"] > 0 and figures["server_cpu_ms_per_push"] > 0
        assert figures["postgresql_cpu_ms_per_push"] >= 0 and 0 < figures["machine_busy"] <= 1
        # Each write cut in phases: all noted, and those while the counter is held together no longer
        # than its holds (held_s is rounded to 10 ms).
        phases = figures["phases_ms_per_write"]
        assert figures["writes"] >= 1 and figures["pushes_per_write"] >= 1
        assert list(phases) == names
        assert all(p["wall"] >= 0 and p["cpu"] >= 0 for p in phases.values())
        assert phases["decide"]["cpu"] > 0 and phases["rows"]["cpu"] > 0
        holding = names[names.index(held_from):]
        assert sum(phases[n]["wall"] for n in holding) * figures["writes"] <= figures["held_s"] * 1000 + 10
    # Two servers on a database each: every push answered, no shared lock, so no ceiling from it.
    apart = _lock_share("--clients", "3", "--batches", "2", "--servers", "2", "--separate")
    assert apart["separate"] is True and apart["servers"] == 2 and apart["errors"] == []
    assert apart["commands_per_s"] > 0 and apart["ceiling_ratio"] is None
    # The other ordering (--ordered): two servers on one database, positions reserved from a sequence
    # and commits in their order. Each write's catch-up refuses a log with a gap, so a push answered
    # by both servers without an error is a log that stayed whole.
    ordered = _lock_share("--clients", "4", "--batches", "3", "--servers", "2", "--ordered")
    assert ordered["ordered"] is True and ordered["servers"] == 2 and ordered["errors"] == []
    assert ordered["commands_per_s"] > 0 and ordered["writes"] >= 2
    # --unfolded: two servers on one database, each counting the other's events past unfolded. Each
    # expert pushes to one server only, so every push is still answered; a count past the log's end
    # would fail the next write's catch-up (StaleLog), and its push with it.
    unfolded = _lock_share("--clients", "4", "--batches", "3", "--servers", "2", "--unfolded")
    assert unfolded["unfolded"] is True and ordered["unfolded"] is False and unfolded["errors"] == []
    assert unfolded["commands_per_s"] > 0 and unfolded["writes"] >= 2


def _lock_share(*args: str) -> dict[str, Any]:
    """`bench/lock_share.py` run with `args`: its one JSON line."""
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "lock_share.py"), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    (line,) = done.stdout.strip().splitlines()
    figures: dict[str, Any] = json.loads(line)
    return figures
