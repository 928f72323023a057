"""Profile & payout (R2, R5) against the real server: typed and clicked with qtbot."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from consoleapp.ui import style, tasks
from consoleapp.ui.screens.profile import ProfileScreen


def open_screen(desk: Any, qtbot: Any) -> ProfileScreen:
    style.apply(QApplication.instance())  # type: ignore[arg-type]
    screen = ProfileScreen(desk.console, desk.ctx)
    qtbot.addWidget(screen)
    screen.resize(1100, 700)
    screen.show()
    return screen


def retype(qtbot: Any, field: Any, text: str) -> None:
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClicks(field, text)


def public(desk: Any) -> dict[str, Any]:
    r = desk.live.call("", "GET", f"/api/experts/{desk.scene.expert}")
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def test_r2_profile_form_shows_the_cache_and_saves_to_the_server(desk, qtbot, qrun) -> None:
    screen = open_screen(desk, qtbot)
    before = public(desk)

    async def steps() -> None:
        await screen.refresh()
        assert screen.name.text() == "Anna K" and screen.specialty.text() == "Tax law"
        assert screen.zone.currentText() == "Europe/Paris" and screen.slug.text() == before["slug"]
        QApplication.processEvents()  # let the layouts take the new texts

        retype(qtbot, screen.name, "Anna Keller")
        retype(qtbot, screen.specialty, "Tax law for freelancers")
        screen.zone.setCurrentText("America/Montreal")
        retype(qtbot, screen.slug, "  Anna-Keller ")
        retype(qtbot, screen.photo, "https://example.com/anna.jpg")
        qtbot.mouseClick(screen.save_profile_button, Qt.MouseButton.LeftButton)
        await tasks.idle()
        assert not desk.ctx.errors, desk.ctx.errors
        assert screen.profile_pending.isVisibleTo(screen)
        assert screen.slug.text() == "anna-keller"  # as the engine keeps it
        await desk.synced()
        after = public(desk)
        assert (after["name"], after["specialty"], after["time_zone"], after["slug"], after["photo"]) == (
            "Anna Keller", "Tax law for freelancers", "America/Montreal", "anna-keller", "https://example.com/anna.jpg")
        await screen.refresh()
        assert not screen.profile_pending.isVisibleTo(screen)

    qrun(steps())


def test_r2_an_unknown_time_zone_is_refused_with_the_engines_message_and_nothing_queued(desk, qtbot, qrun) -> None:
    screen = open_screen(desk, qtbot)

    async def steps() -> None:
        await screen.refresh()
        screen.zone.setCurrentText("Mars/Olympus")
        qtbot.mouseClick(screen.save_profile_button, Qt.MouseButton.LeftButton)
        await tasks.idle()
        assert desk.ctx.errors == ["Unknown time zone 'Mars/Olympus'; use a name like 'Europe/Paris'"]
        assert await desk.console.pending_commands() == []
        assert screen.zone.currentText() == "Mars/Olympus"  # left for the person to fix

    qrun(steps())


def test_r2_copy_link_puts_the_public_address_on_the_clipboard(desk, qtbot, qrun) -> None:
    screen = open_screen(desk, qtbot)
    slug = public(desk)["slug"]

    async def steps() -> None:
        QGuiApplication.clipboard().setText("nothing yet")
        await screen.refresh()
        assert screen.link.text() == f"{desk.live.url}/e/{slug}"
        qtbot.mouseClick(screen.copy_button, Qt.MouseButton.LeftButton)
        await tasks.idle()
        assert QGuiApplication.clipboard().text() == f"{desk.live.url}/e/{slug}"
        r = desk.live.call("", "GET", QGuiApplication.clipboard().text().removeprefix(desk.live.url))
        assert r.status_code == 200 and r.json()["name"] == "Anna K"  # the link really is the page

    qrun(steps())


def test_r5_payout_profile_missing_fields_shown_then_gone_after_saving(desk, open_desk, qtbot, qrun) -> None:
    screen = open_screen(desk, qtbot)

    async def steps() -> None:
        await screen.refresh()
        assert await screen.badge() == 1
        text = screen.missing.text()
        for field in ("legal name", "billing address", "tax id", "bank account"):
            assert field in text
        assert screen.verdict.text() == "Not paid until the payout details are complete"

        qtbot.keyClicks(screen.legal_name, "Anna Keller")
        qtbot.keyClicks(screen.tax_id, "FR 40 303 265 045")
        qtbot.mouseClick(screen.save_payout_button, Qt.MouseButton.LeftButton)
        await tasks.idle()
        assert not desk.ctx.errors, desk.ctx.errors
        text = screen.missing.text()
        assert "legal name" not in text and "tax id" not in text
        assert "billing address" in text and "bank account" in text
        assert await screen.badge() == 1

        screen.billing_address.setPlainText("1 rue de la Paix\n75002 Paris")
        qtbot.keyClicks(screen.bank_account, "FR76 3000 6000 0112 3456 7890 189")
        qtbot.keyClicks(screen.bic, "agrifrpp")
        qtbot.mouseClick(screen.save_payout_button, Qt.MouseButton.LeftButton)
        await tasks.idle()
        assert not desk.ctx.errors, desk.ctx.errors
        assert not screen.missing.isVisibleTo(screen) and screen.complete_chip.text() == "Complete: payouts can be made"
        assert await screen.badge() == 0
        await desk.synced()

        other = await open_desk()  # a second desktop of the same expert sees it from the server
        saved = await other.console.payout_profile()
        assert saved.missing() == () and saved.bank_account == "FR7630006000011234567890189"
        assert saved.bic == "AGRIFRPP"
        assert (await other.console.payout_outlook()).missing == ()

    qrun(steps())


def test_r5_a_malformed_bank_account_is_refused_and_nothing_applied(desk, qtbot, qrun) -> None:
    screen = open_screen(desk, qtbot)

    async def steps() -> None:
        await screen.refresh()
        qtbot.keyClicks(screen.bank_account, "12-34")
        qtbot.mouseClick(screen.save_payout_button, Qt.MouseButton.LeftButton)
        await tasks.idle()
        assert desk.ctx.errors == ["An IBAN is two letters for its country, two check digits, then letters and digits "
                                   "(like DE89 3704 0044 0532 0130 00): copy it from your bank statement"]
        assert await desk.console.pending_commands() == []
        assert (await desk.console.payout_profile()).bank_account == ""

    qrun(steps())
