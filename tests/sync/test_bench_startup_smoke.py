"""`bench/startup.py` runs small and prints one JSON line (no timing asserted)."""

from __future__ import annotations

from tests.bench_line import one_json_line


def test_bench_startup_prints_one_json_line() -> None:
    figures = one_json_line("startup.py", "--applications", "2", "--requests", "2", "--commands", "1")
    assert figures["bench"] == "startup" and figures["cpu"].endswith(" cores")
    assert len(figures["new_application"]["first_requests_cpu_ms"]) == 2
    assert figures["new_application"]["first_requests_cpu_ms_median"] > 0
    assert figures["requests"]["per_application"] == 6 and figures["requests"]["cpu_ms_per_request_median"] > 0
    for command in ("admin_list_users", "verify"):
        assert figures["command_line"][command]["runs"] == 1
        assert figures["command_line"][command]["wall_s_median"] > 0 and figures["command_line"][command]["cpu_s_median"] > 0
