"""The workspace under the UI: one qasync loop, a real server, a real cache."""

from __future__ import annotations

from datetime import timedelta

from consoleapp.ui import fmt, i18n

from .conftest import until


def test_workspace_syncs_a_customers_request_in_the_background(desk, qrun) -> None:
    customer, token = desk.scene.customer()
    start = desk.scene.slot_start + timedelta(hours=1)

    async def steps() -> None:
        desk.workspace.start()
        r = await desk.http.post(f"{desk.live.url}/api/requests/scheduled", headers={"Authorization": f"Bearer {token}"},
                                 json={"expert": desk.scene.expert, "mode": "video", "offer": "short",
                                       "topic": "Tax question", "times": [start.isoformat()]})
        assert r.status_code == 201, r.text

        async def arrived() -> bool:
            return len(await desk.console.new_requests()) == 1

        await until(arrived, what="the request in the expert's cache")
        (item,) = await desk.console.new_requests()
        assert item.meeting.customer_name == "Carl"
        await desk.workspace.stop()
        assert not desk.workspace.online_wanted

    qrun(steps())


def test_french_catalog_covers_every_visible_string(qapp) -> None:
    missing = i18n.missing("fr")
    assert not missing, "strings without a French translation:\n" + "\n".join(
        f"  {p.name}:{line}: {text!r}" for text, p, line in missing)


def test_french_is_used_once_installed(qapp) -> None:
    try:
        assert i18n.install("fr") == "fr"
        assert fmt.duration(3900) == "1 h 05 min"
        assert i18n.tr("Session history") == "Historique des séances"
    finally:
        i18n.install("en")
    assert i18n.tr("Session history") == "Session history"


def test_r3_the_desktop_uses_the_servers_policy_and_keeps_it_for_offline(tmp_path, qrun) -> None:
    """A deployment with its own minimum prices: the desktop previews with the same rules."""
    import httpx

    from consoleapp.engine.model import Mode
    from consoleapp.sync.client.accounts import Session
    from consoleapp.ui.workspace import Workspace
    from tests.sync.live import LiveServer

    policy = '{"min_rate": {"video": 4, "chat": 1, "phone": 1}, "instant_timeout_seconds": 120}'
    server = LiveServer(tmp_path / "data", env={"CONSOLEAPP_POLICY": policy}).start()
    try:
        expert, token = server.register("expert", name="Anna")

        async def steps() -> None:
            async with httpx.AsyncClient() as http:
                session = Session(server.url, "a@example.com", expert, "expert", token)
                ws = await Workspace.open(session, http, tmp_path / "c.sqlite3")
                assert ws.console.policy.min_rate[Mode.VIDEO] == 4
                assert ws.console.policy.instant_timeout_seconds == 120
                await ws.close()
            server.stop()
            async with httpx.AsyncClient() as http:  # offline now: the rules heard last time
                ws = await Workspace.open(session, http, tmp_path / "c.sqlite3")
                assert ws.console.policy.min_rate[Mode.VIDEO] == 4
                await ws.close()

        qrun(steps())
    finally:
        server.stop()


def test_r34_timeline_lines_read_in_french(qapp) -> None:
    from consoleapp.ui import timeline

    try:
        i18n.install("fr")
        assert timeline.title({"title": "Approved by expert"}) == "Approuvé par l’expert"
        assert timeline.title({"title": "Cancelled by user"}) == "Annulé par le client"
        assert timeline.title({"title": "Rejected by expert (outside my expertise)"}) == \
            "Refusé par l’expert (hors de mon domaine)"
        assert timeline.title({"title": "Something new"}) == "Something new"  # shown as written
    finally:
        i18n.install("en")
    assert timeline.title({"title": "Cancelled by user"}) == "Cancelled by user"


def test_r34_every_timeline_title_of_the_engine_has_a_translation(qapp) -> None:
    from consoleapp.engine import events
    from consoleapp.ui import timeline

    titles = {cls.title for cls in vars(events).values()
              if isinstance(cls, type) and issubclass(cls, events.Event) and getattr(cls, "title", "")}
    fixed = timeline._fixed()
    missing = sorted(t for t in titles if t not in fixed)
    assert not missing, missing
