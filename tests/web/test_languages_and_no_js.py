"""The site in French (from the browser's language, or the switch) and with JavaScript off."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from consoleapp.sync.server.web import catalog

from .conftest import Site, shot


def test_the_french_catalog_covers_every_message_of_the_pages() -> None:
    assert catalog.missing("fr") == []  # `python -m consoleapp.sync.server.web.catalog` lists and adds them


@pytest.fixture
def french(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport={"width": 1100, "height": 900}, timezone_id="Europe/Paris", locale="fr-FR")
    yield ctx
    ctx.close()


def test_r8_a_french_browser_books_in_french(site: Site, french: BrowserContext) -> None:
    page = french.new_page()
    page.goto(site.page_of_expert())
    expect(page.get_by_role("heading", name="Horaires libres")).to_be_visible()
    expect(page.locator("footer")).to_contain_text("Europe/Paris")
    page.get_by_role("link", name="Réserver").first.click()
    page.get_by_role("link", name="S’inscrire").first.click()
    page.get_by_label("Votre nom").fill("Élise")
    page.get_by_label("E-mail", exact=True).fill("elise@example.com")
    page.get_by_label("Mot de passe").fill("correct horse")
    page.get_by_role("button", name="S’inscrire").click()
    expect(page.get_by_role("heading", name="Réserver un horaire avec Anna K")).to_be_visible()
    site.grant("elise@example.com", 200)
    page.reload()
    page.get_by_label("De quoi voulez-vous parler ?").fill("Ma déclaration")
    shot(page, "book-fr")
    page.get_by_role("button", name="Réserver").click()
    expect(page.get_by_role("status")).to_contain_text("Réservé : l’expert accepte ou refuse")
    expect(page.locator(".facts")).to_contain_text("En attente d’approbation")
    expect(page.locator(".facts")).to_contain_text("Bloqué")


def test_the_language_switch_is_kept(site: Site, page: Page) -> None:
    page.goto(site.page_of_expert())
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()
    expect(page.get_by_role("heading", name="Horaires libres")).to_be_visible()
    page.goto(f"{site.url}/experts")
    expect(page.get_by_role("heading", name="Trouver un expert")).to_be_visible()


def test_r8_r12_booking_and_cancelling_work_with_javascript_off(site: Site, browser: Browser) -> None:
    ctx = browser.new_context(java_script_enabled=False, viewport={"width": 1100, "height": 900}, locale="en-US")
    try:
        page = ctx.new_page()
        page.goto(site.page_of_expert())
        page.get_by_role("link", name="Book").first.click()
        page.get_by_role("link", name="Sign up").first.click()
        page.get_by_label("Your name").fill("Nils")
        page.get_by_label("Email", exact=True).fill("nils@example.com")
        page.get_by_label("Password").fill("correct horse")
        page.get_by_role("button", name="Sign up").click()
        site.grant("nils@example.com", 200)
        page.reload()
        page.get_by_label("What would you like to talk about?").fill("No scripts")
        page.get_by_role("button", name="Book").click()
        expect(page.get_by_role("status")).to_contain_text("Booked")
        expect(page.locator("footer")).to_contain_text("UTC")  # no script: the account's zone
        page.get_by_role("button", name="Cancel the meeting").click()
        expect(page.get_by_role("status")).to_have_text("Cancelled.")
        expect(page.locator(".facts")).to_contain_text("Returned")
    finally:
        ctx.close()
