"""What every route reaches through the request: the one `Server` of this process."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.requests import Request

from consoleapp.store import Store

from .clock import Clock
from .mailer import Mailer
from .runner import Runner
from .settings import Settings

if TYPE_CHECKING:
    from .video.provider import VideoProvider


@dataclass
class Server:
    settings: Settings
    store: Store
    clock: Clock
    runner: Runner
    hub: Any  # hub.Hub: local stream pokes, fanned out across processes on PostgreSQL
    mailer: Mailer
    epoch: str
    video: VideoProvider  # the platform of session video rooms (R17), from `CONSOLEAPP_VIDEO_PROVIDER`


def server_of(request: Request) -> Server:
    server: Server = request.app.state.server
    return server
