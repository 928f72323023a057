"""bench/due.py runs small and prints exactly one line of valid JSON (no timing asserted)."""

from __future__ import annotations

from tests.bench_line import one_json_line


def test_r35_due_bench_prints_one_json_line_over_the_open_meetings() -> None:
    figures = one_json_line("due.py", "--meetings", "300", "--experts", "10")
    assert figures["bench"] == "due" and figures["open_meetings"] == 300  # the 200 asked after were cancelled
    for key in ("open_s", "rss_mb", "book_ms", "cancel_ms", "due_ms", "due_seen_ms"):
        assert figures[key] > 0, key
