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
    # lupdate re-extracts the code into a copy of each catalog: `type="unfinished"` (or an empty
    # plural form) is a string the code shows that the catalog does not translate.
    for language in i18n.LANGUAGES:
        missing = i18n.missing(language)
        assert not missing, f"strings without a translation in {language}.ts (run `make translations`):\n" + \
            "\n".join(f"  {text!r}" for text in missing)


def test_plurals_take_the_languages_form(qapp) -> None:
    try:
        i18n.install("en")
        assert i18n.tr("%n change(s) waiting to be sent", None, 1) == "1 change waiting to be sent"
        assert i18n.tr("%n change(s) waiting to be sent", None, 3) == "3 changes waiting to be sent"
        assert i18n.tr("%n day(s) {hours} h", None, 1, hours=4) == "1 day 4 h"
        i18n.install("fr")
        assert i18n.tr("%n booked", None, 1) == "1 réservé"
        assert i18n.tr("%n booked", None, 0) == "0 réservé"  # French's singular covers 0
        assert i18n.tr("%n booked", None, 2) == "2 réservés"
        assert i18n.tr("%n day(s) {hours} h", None, 2, hours=4) == "2 jours 4 h"
    finally:
        i18n.install("en")


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

    titles = {events.title_of(cls) for cls in vars(events).values()
              if isinstance(cls, type) and issubclass(cls, events.Event) and events.title_of(cls)}
    fixed = timeline._fixed()
    missing = sorted(t for t in titles if t not in fixed)
    assert not missing, missing


def test_a_fresh_install_compiles_the_catalog_on_first_use(qapp, tmp_path, monkeypatch) -> None:
    # No .qm is committed: lrelease makes one into the (empty) cache, named by the catalog's hash.
    from PySide6.QtCore import QTranslator

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    qm = i18n.compiled("fr")
    assert qm.is_relative_to(tmp_path) and qm.stat().st_size > 0
    assert i18n.compiled("fr") == qm  # the second start finds it
    french = QTranslator()
    assert french.load(str(qm))
    assert french.translate("", "Session history") == "Historique des séances"
