"""`make` installs what the engine's build needs first (tools/compile_engine.py `NEEDS`, `--needs`)
and builds while pip installs the rest: a library the engine imports but `NEEDS` misses would fail
that early build (mypy finds no module), and the build would wait for the whole install again."""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("compile_engine_tool", ROOT / "tools" / "compile_engine.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_builds_needs_cover_every_library_the_engine_imports() -> None:
    tool = _tool()
    imported: set[str] = set()
    for path in (ROOT / "consoleapp" / "engine").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    outside = {name for name in imported if name not in sys.stdlib_module_names and name != "consoleapp"}
    assert outside, "the engine imports no library: the scan found nothing"
    owners = importlib.metadata.packages_distributions()
    libraries = {owner.lower() for name in outside for owner in owners.get(name, [name])}
    assert libraries <= set(tool.NEEDS), f"the engine imports {sorted(libraries - set(tool.NEEDS))}, not in NEEDS"


def test_needs_prints_each_requirement_as_pyproject_asks_for_it() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "compile_engine.py"), "--needs"],
                          capture_output=True, text=True, check=True)
    lines = done.stdout.split()
    assert {re.split(r"[<>=!~\[;]", line)[0].lower() for line in lines} == set(_tool().NEEDS)
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert all(f'"{line}"' in pyproject for line in lines), lines
