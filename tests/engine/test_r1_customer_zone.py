"""R1/R7: a customer's time zone and name travel with each request, so the expert (whose cache
holds no other people) can show who asks and what time it is for them."""

from __future__ import annotations

from datetime import timedelta

from consoleapp.engine import commands as c
from consoleapp.engine.model import SYSTEM, Mode, OfferKind, Role

from .scenario import Scenario


def test_r1_account_keeps_its_time_zone_and_refuses_an_unknown_one() -> None:
    s = Scenario()
    s.do(c.OpenAccount(actor=SYSTEM, person="kenji", role=Role.CUSTOMER, name="Kenji", email="k@example.com",
                       time_zone="Asia/Tokyo"))
    assert s.world.people["kenji"].time_zone == "Asia/Tokyo"
    message = s.refused(c.OpenAccount(actor=SYSTEM, person="x", role=Role.CUSTOMER, name="X",
                                      email="x@example.com", time_zone="Mars/Base"), "invalid")
    assert "Mars/Base" in message and "Europe/Paris" in message


def test_r7_request_carries_the_customers_name_and_zone() -> None:
    s = Scenario()
    s.expert()
    s.do(c.OpenAccount(actor=SYSTEM, person="kenji", role=Role.CUSTOMER, name="Kenji Sato", email="k@example.com",
                       time_zone="Asia/Tokyo"))
    s.do(c.GrantCredits(actor=SYSTEM, grant_id="g-kenji", customer="kenji", amount=500))
    start = s.now + timedelta(days=3)
    s.do(c.RequestScheduled(actor="kenji", meeting_id="m1", expert="anna", mode=Mode.VIDEO,
                            offer=OfferKind.SHORT, topic="visa", times=(start,)))
    m = s.world.meetings["m1"]
    assert (m.customer_name, m.customer_zone) == ("Kenji Sato", "Asia/Tokyo")
