"""The whole suite's own hook: the main pass hands the time-travel pass its list of tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`make test`'s main pass runs `-m "not dates"` and leaves the calendar's tests to the
    time-travel pass (tests/timetravel/run). Before `-m` deselects them, their ids are written
    where CONSOLEAPP_DATED_LIST says, so that pass need not collect the whole suite once more
    (12 s, alone on the machine). Every xdist worker collects the same items; each writes the
    same list, whole, by renaming."""
    target = os.environ.get("CONSOLEAPP_DATED_LIST")
    if not target:
        return
    dated = "".join(f"{item.nodeid}\n" for item in items if item.get_closest_marker("dates"))
    partial = Path(f"{target}.{os.getpid()}")
    partial.write_text(dated)
    partial.replace(target)
