"""Compile the engine's rule modules with mypyc: `.so` files beside their `.py` files.

Run by `make` after `pip install -e '.[test]'` (and whenever an engine source is newer than
the last build). Never fails the install: without mypyc, a C compiler or Python's headers it
prints one line and the engine runs as pure Python, as it does with CONSOLEAPP_INTERPRETED=1.
It writes `consoleapp/engine/_native.json` with a hash of the sources it compiled;
`consoleapp/engine/native.py` runs the `.py` files instead of a build older than them.

    python tools/compile_engine.py [--force] [--clean]
"""

from __future__ import annotations

import argparse
import importlib.machinery
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import tomllib
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
ENGINE = ROOT / "consoleapp" / "engine"

# Left interpreted, each for a reason:
#   __init__, native   decide, at import, whether the compiled modules may be used at all
#   model, commands, policy, ledger_records
#                      the records: frozen slots dataclasses, which mypyc cannot keep as they are
#                      (native classes refuse __slots__), and whose __init__ mypyc leaves
#                      interpreted anyway; the few swapped on nearly every event are compiled
#                      apart, in records.py, and the events in events.py, with __init__s of their
#                      own (and their titles declared apart: mypyc takes a compiled dataclass's
#                      class variables for fields, mypyc issue #1122)
#   answers            the records queries return: a compiled dataclass loses the field types that
#                      are not one class (`datetime | None`), which the store's codec reads
#   building           builds those records (generated code, twin classes): it belongs with them
#   errors             DomainError, an exception other packages catch, raise and inspect
INTERPRETED = frozenset({"__init__", "native", "model", "commands", "policy", "ledger_records",
                         "answers", "building", "errors"})
GROUP = "consoleapp.engine._native"  # the shared library lives in the package, not on sys.path's root
# What the build imports: mypyc (with mypy), setuptools, and the libraries the engine's modules
# import (banking.py), as pyproject.toml asks for them (`--needs`). `make` installs these first,
# so the build runs while pip installs the rest.
NEEDS = ("mypy", "setuptools", "schwifty", "python-stdnum")


def _native() -> ModuleType:
    """`consoleapp/engine/native.py` alone, without importing the engine (which may be stale)."""
    spec = importlib.util.spec_from_file_location("_engine_native", ENGINE / "native.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["_engine_native"] = module  # dataclasses and friends look modules up by name
    spec.loader.exec_module(module)
    return module


def needs() -> list[str]:
    """The requirements of NEEDS, as pyproject.toml writes them. Each name is cut at its first
    version or extra sign by hand: `packaging`, which parses requirements, is not installed yet
    when this runs (a fresh venv holds only pip, which keeps its own copy private)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    specs = [*project["build-system"]["requires"], *project["project"]["dependencies"],
             *(spec for extra in project["project"].get("optional-dependencies", {}).values() for spec in extra)]
    return [spec for spec in specs if re.split(r"[<>=!~\[;\s]", spec, maxsplit=1)[0].lower() in NEEDS]


def built_files() -> list[Path]:
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    return sorted(p for p in ENGINE.iterdir() if p.name.endswith(suffixes))


def clean() -> None:
    for path in [*built_files(), ENGINE / "_native.json"]:
        path.unlink(missing_ok=True)


def missing_tools() -> str:
    """Why this machine cannot compile, or ''."""
    if importlib.util.find_spec("mypyc") is None:
        return "mypyc is not installed (pip install -e '.[test]' brings it with mypy)"
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        return f"no C compiler ({compiler}; apt-get install gcc)"
    include = Path(sysconfig.get_paths()["include"]) / "Python.h"
    if not include.exists():
        return f"no Python headers ({include}; apt-get install python3-dev)"
    return ""


def compile_engine(sources_hash: str) -> str:
    """Build into a scratch folder, then put the `.so` files in place; '' or what went wrong."""
    modules = sorted(p for p in ENGINE.glob("*.py") if p.stem not in INTERPRETED)
    setup = (
        "import os\n"
        "import sys\n"
        "from setuptools import setup\n"
        "from mypyc.build import mypycify\n"
        f"paths = {[str(p.relative_to(ROOT)) for p in modules]!r}\n"
        # One C file per module (multi_file): the whole group in one file took 94 s to build, in
        # 22 files 63 s, the compiler's optimiser taking longer than in proportion on one long
        # file; the engine runs as fast either way (bench/engine.py). The group's headers are
        # written beside the modules, where the compiler is not told to look (a dotted group
        # name), hence the include folder. `--parallel` builds the modules' small shims side by side.
        f"exts = mypycify(paths, opt_level='3', group_name={GROUP!r}, target_dir=sys.argv[1], multi_file=True)\n"
        "for ext in exts:\n"
        "    ext.include_dirs.append(os.path.join(sys.argv[1], *" + repr(GROUP.split(".")[:-1]) + "))\n"
        "setup(name='consoleapp-engine-native', py_modules=[], packages=[], ext_modules=exts,\n"
        "      script_args=['build_ext', '--inplace', '--parallel', str(os.cpu_count() or 1),\n"
        "                   '--build-temp', sys.argv[1] + '/temp'])\n"
    )
    with tempfile.TemporaryDirectory(prefix="consoleapp-mypyc-") as tmp:
        script = Path(tmp) / "setup_native.py"
        script.write_text(setup)
        done = subprocess.run([sys.executable, str(script), str(Path(tmp) / "build")], cwd=ROOT,
                              capture_output=True, text=True, check=False)
    if done.returncode != 0:
        clean()  # never leave half a build beside the sources
        lines = [line for line in (done.stderr + done.stdout).splitlines() if line.strip()]
        return " | ".join(lines[-3:])[-400:]
    (ENGINE / "_native.json").write_text(json.dumps(
        {"sources": sources_hash, "modules": [p.stem for p in modules], "python": sys.version.split()[0]},
        indent=1) + "\n")
    return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rebuild even if the build is up to date")
    parser.add_argument("--clean", action="store_true", help="remove the compiled modules and stop")
    parser.add_argument("--needs", action="store_true", help="print the requirements the build needs, one a line, and stop")
    args = parser.parse_args(argv)
    if args.needs:
        print("\n".join(needs()))  # a requirements file: `make` pipes it to pip
        return 0
    if args.clean:
        clean()
        print("engine: compiled modules removed; it runs as pure Python")
        return 0
    native = _native()
    sources_hash = native.source_hash(ENGINE)
    try:
        stamp = json.loads((ENGINE / "_native.json").read_text())
    except (OSError, ValueError):
        stamp = {}
    if not args.force and stamp.get("sources") == sources_hash and native.built_modules(ENGINE):
        print("engine: compiled modules up to date")
        return 0
    why = missing_tools() or ("" if os.environ.get("CONSOLEAPP_NO_COMPILE", "") in ("", "0")
                              else "CONSOLEAPP_NO_COMPILE is set")
    if why:
        clean()
        print(f"engine: not compiled, it runs as pure Python: {why}")
        return 0
    print("engine: compiling the rule modules with mypyc (about a minute)...", flush=True)
    clean()
    failed = compile_engine(sources_hash)
    if failed:
        print(f"engine: compilation failed, it runs as pure Python: {failed}")
        return 0
    print(f"engine: compiled {len(built_files()) - 1} modules with mypyc")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
