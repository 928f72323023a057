"""What the command line prints as one line and exits 1 on: the tools' refusals share one base,
so `consoleapp-server` catches them without importing every tool (and the whole application with
them) before it has even read its settings."""

from __future__ import annotations


class Refusal(Exception):
    """Something a person must fix; the message says what."""
