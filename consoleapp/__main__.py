"""`python -m consoleapp`: the expert's desktop console (see `--help`)."""

from __future__ import annotations

import sys


def main() -> int:
    from consoleapp.ui.app import main as run

    return run(sys.argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
