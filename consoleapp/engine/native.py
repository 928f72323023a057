"""Whether the engine runs compiled (mypyc) or from its sources, decided once, at import.

`tools/compile_engine.py` (run by `make`'s install step) compiles the rule modules into `.so`
files beside their `.py` files and writes `_native.json` with a hash of every engine source.
Python imports a `.so` before the `.py` of the same name, so a source edited after the build
would silently run its old code. `consoleapp/engine/__init__.py` therefore imports this module
first, and its `choose()` runs before any other engine module is imported: when the hash differs from the sources (or when
CONSOLEAPP_INTERPRETED is set) it says so in one line and makes every engine module load from
its `.py`. This module and `__init__.py` are never compiled, so the check itself is always the
current source.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
STAMP = HERE / "_native.json"
PACKAGE = __name__.rpartition(".")[0]  # consoleapp.engine
ENV = "CONSOLEAPP_INTERPRETED"


def source_hash(folder: Path = HERE) -> str:
    """One hash of every engine source: what the compiled modules were built from."""
    h = hashlib.sha256()
    for source in sorted(folder.glob("*.py")):
        h.update(source.name.encode() + b"\0")
        h.update(source.read_bytes())
    return h.hexdigest()


def built_modules(folder: Path = HERE) -> list[str]:
    """The engine modules with a compiled `.so` beside them (for this interpreter's suffix)."""
    suffixes = importlib.machinery.EXTENSION_SUFFIXES
    return sorted({p.name.split(".")[0] for p in folder.iterdir()
                   if any(p.name.endswith(s) for s in suffixes) and not p.name.startswith("_native")})


class _FromSource(importlib.abc.MetaPathFinder):
    """Finds `consoleapp.engine.<name>` in `<name>.py`, whatever `.so` lies beside it."""

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        package, _, name = fullname.rpartition(".")
        source = HERE / f"{name}.py"
        if package != PACKAGE or not source.is_file():
            return None
        return importlib.util.spec_from_file_location(fullname, source)


def choose() -> str:
    """'compiled', or why the engine runs from its sources; installs the source finder then."""
    if not built_modules():
        return "not built"
    if os.environ.get(ENV, "") not in ("", "0"):
        reason = f"{ENV} is set"
    else:
        try:
            built_from = json.loads(STAMP.read_text()).get("sources")
        except (OSError, ValueError):
            built_from = None
        if built_from == source_hash():
            return "compiled"
        reason = "stale"
        print(f"{PACKAGE}: the compiled modules are older than the sources; running the .py files "
              f"(`make` or `python tools/compile_engine.py` rebuilds them)", file=sys.stderr)
    sys.meta_path.insert(0, _FromSource())
    return reason


def compiled_modules() -> list[str]:
    """The engine modules actually imported from a `.so` in this process."""
    prefix = PACKAGE + "."
    return sorted(name[len(prefix):] for name, module in list(sys.modules.items())
                  if name.startswith(prefix) and not name.startswith(prefix + "_native")
                  and str(getattr(module, "__file__", "")).endswith(
                      tuple(importlib.machinery.EXTENSION_SUFFIXES)))


# Decided when imported as the engine's module; tools/compile_engine.py loads this file alone
# (no package) only for `source_hash`, and must not be told the build is stale.
MODE = choose() if PACKAGE else "not chosen"
