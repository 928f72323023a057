"""The benchmarks' server start survives losing its port to another process, and never measures a stranger."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import serving  # noqa: E402


def test_a_port_taken_before_the_server_binds_it_is_tried_again_on_another(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        lost = taken.getsockname()[1]
        ports: Iterator[int] = iter([lost, serving.free_port()])
        monkeypatch.setattr(serving, "free_port", lambda: next(ports))
        with serving.serving(tmp_path / "data", wait=60) as url:
            assert not url.endswith(f":{lost}")
            assert httpx.get(f"{url}/health").json()["status"] == "ok"


def test_a_server_that_cannot_start_says_why(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("a file where the data folder should be")
    with pytest.raises(RuntimeError, match="the server exited with"), serving.serving(tmp_path / "data", wait=60):
        pass
