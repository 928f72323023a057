"""The pages of the main window, in sidebar order."""

from __future__ import annotations

import importlib

from .base import Screen

# (module, class): imported when the window is built, so each screen stays in its own file.
ORDER = (
    ("requests", "RequestsScreen"),
    ("upcoming", "UpcomingScreen"),
    ("history", "HistoryScreen"),
    ("earnings", "EarningsScreen"),
    ("disputes", "DisputesScreen"),
    ("availability", "AvailabilityScreen"),
    ("profile", "ProfileScreen"),
)


def screen_classes() -> list[type[Screen]]:
    found = []
    for module, name in ORDER:
        cls = getattr(importlib.import_module(f"{__name__}.{module}"), name)
        assert issubclass(cls, Screen)
        found.append(cls)
    return found
