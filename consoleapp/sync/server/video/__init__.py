"""Video rooms (R17, R18): the providers (one per module), the `/join` links and ending old rooms."""

from __future__ import annotations

from .routes import link_for, router

__all__ = ["link_for", "router"]
