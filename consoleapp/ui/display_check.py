"""Before Qt starts: are the X11 libraries its xcb platform plugin needs installed?

Without `libxcb-cursor0` (and, on minimal systems, `libxcb-icccm4` or `libxcb-keysyms1`) Qt aborts
with "could not load the Qt platform plugin xcb" and a list of plugins that helps nobody; this
check says which package to install instead, in one line a person can paste.
"""

from __future__ import annotations

import ctypes.util
import sys
from collections.abc import Callable, Mapping

# Debian/Ubuntu package -> the library name `ctypes.util.find_library` looks for.
XCB_PACKAGES = {"libxcb-cursor0": "xcb-cursor", "libxcb-icccm4": "xcb-icccm", "libxcb-keysyms1": "xcb-keysyms"}

Finder = Callable[[str], str | None]


def needs_xcb(env: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Qt will use its xcb plugin: Linux, a DISPLAY, and xcb chosen, or nothing chosen outside a Wayland
    session (there Qt takes its wayland plugin first, and a working desktop must not be stopped)."""
    if not platform.startswith("linux") or not env.get("DISPLAY"):
        return False
    chosen = env.get("QT_QPA_PLATFORM", "").strip()
    return chosen.startswith("xcb") if chosen else not env.get("WAYLAND_DISPLAY")


def missing_packages(find: Finder = ctypes.util.find_library) -> list[str]:
    return [package for package, library in XCB_PACKAGES.items() if not find(library)]


def problem(env: Mapping[str, str], find: Finder = ctypes.util.find_library, platform: str = sys.platform) -> str:
    """The sentence to print before giving up, or '' when Qt can start."""
    if not needs_xcb(env, platform):
        return ""
    missing = missing_packages(find)
    if not missing:
        return ""
    return ("Expert Console cannot open a window: Qt's X11 (xcb) platform plugin needs "
            f"{', '.join(missing)}, which {'is' if len(missing) == 1 else 'are'} not installed. Install with:\n"
            f"    sudo apt-get install {' '.join(missing)}")
