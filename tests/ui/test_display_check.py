"""`make run` on a desktop without the X11 libraries Qt's xcb plugin needs: one apt-get line, not Qt's abort."""

from __future__ import annotations

import os
import subprocess
import sys

from consoleapp.ui import display_check

EVERYTHING = {"xcb-cursor": "libxcb-cursor.so.0", "xcb-icccm": "libxcb-icccm.so.4", "xcb-keysyms": "libxcb-keysyms.so.1"}


def finder(present: dict[str, str]) -> display_check.Finder:
    return present.get


def test_missing_cursor_library_names_the_one_package_to_install() -> None:
    present = {k: v for k, v in EVERYTHING.items() if k != "xcb-cursor"}
    said = display_check.problem({"DISPLAY": ":0"}, finder(present), "linux")
    assert said.splitlines()[-1].strip() == "sudo apt-get install libxcb-cursor0"
    said = display_check.problem({"DISPLAY": ":0", "WAYLAND_DISPLAY": "w", "QT_QPA_PLATFORM": "xcb"}, finder({}), "linux")
    assert said.splitlines()[-1].strip() == "sudo apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1"


def test_nothing_to_say_when_the_libraries_are_there_or_xcb_is_not_used() -> None:
    assert display_check.problem({"DISPLAY": ":0"}, finder(EVERYTHING), "linux") == ""
    for env in ({}, {"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, {"DISPLAY": ":0", "QT_QPA_PLATFORM": "wayland"},
                {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}):
        assert display_check.problem(env, finder({}), "linux") == ""
    assert display_check.problem({"DISPLAY": ":0"}, finder({}), "darwin") == ""


def test_the_console_stops_before_qt_with_the_line_when_a_library_is_missing(tmp_path) -> None:
    # A DISPLAY that does not exist and a finder that finds nothing: the app must exit non-zero
    # with the apt-get line, before Qt would try (and fail) to connect.
    code = ("import ctypes.util, sys; ctypes.util.find_library = lambda name: None; "
            "from consoleapp.ui.app import main; sys.exit(main(['--settings', sys.argv[1]]))")
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")} | {
        "DISPLAY": ":99", "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "s.ini")], env=env, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 3, done.stderr
    assert "sudo apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1" in done.stderr
    assert "could not load the Qt platform plugin" not in done.stderr
