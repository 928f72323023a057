"""`python -m consoleapp`: the desktop console is not built yet; say so plainly and show the engine."""

from __future__ import annotations

import sys


def main() -> int:
    print(
        "Expert Console: the desktop console and the bundled sync server are not built yet.\n"
        "What exists today is the engine (consoleapp/engine) with its persistence (consoleapp/store).\n"
        "Run `make test` to see every rule exercised, or `make bench` for the engine's figures.",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
