"""bench/history_tables.py runs small and prints exactly one line of valid JSON (no timing asserted)."""

from __future__ import annotations

from tests.bench_line import one_json_line


def test_r27_r32_history_tables_bench_prints_one_json_line_and_keeps_no_review_and_recent_months() -> None:
    figures = one_json_line("history_tables.py", "--experts", "20", "--customers", "40", "--per-customer", "3", "--months", "6")
    assert figures["bench"] == "history_tables" and figures["sessions"] == figures["reviews"] == 40 * 3
    assert figures["reviews_in_memory"] == 0
    # Six months of figures for each of the 20 experts; memory holds the last 40 days' (three months at most).
    assert figures["months"] > 20 * 4 and 0 < figures["months_in_memory"] <= 20 * 3
    assert figures["open_s"] > 0 and figures["rss_mb"] > 0 and figures["edit_review_ms"] > 0 and figures["settle_ms"] > 0
    # Nobody is paid: every expert's share of every session is unpaid, named by id (R33), and
    # memory holds no transfer once the sessions after the start are settled.
    assert figures["unpaid_ids"] >= figures["sessions"] and figures["transfers_in_memory"] == 0
    # The 40 customers and their wallets stay in their tables (R11 reads one back when a rule asks).
    assert figures["accounts"] >= 40 + 20 and figures["accounts_in_memory"] <= figures["accounts"] - 40
    assert figures["people"] == 40 + 20 and figures["people_in_memory"] == 20  # the experts
