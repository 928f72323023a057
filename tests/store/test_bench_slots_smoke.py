"""bench/slots.py runs small and prints exactly one line of valid JSON (no timing asserted)."""

from __future__ import annotations

from tests.bench_line import one_json_line


def test_r4_slots_bench_prints_one_json_line_and_keeps_only_the_slots_not_ended() -> None:
    figures = one_json_line("slots.py", "--experts", "5", "--days", "20")
    assert figures["bench"] == "slots" and figures["slots"] == 5 * 20
    # Each expert's slots of the last two days and tomorrow's: not the twenty days of history.
    assert figures["slots_in_memory"] == 5 * 3
    assert figures["open_s"] > 0 and figures["rss_mb"] > 0 and figures["add_slot_ms"] > 0
