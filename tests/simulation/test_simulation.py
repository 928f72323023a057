"""The simulation in CI: fixed seeds, each dwelling on the rules it is named after, and a short
swarm batch with the goal-directed parties that must reach every required outcome.

Every run checks all the invariants after every step (checks.py) whatever its focus; the focus
only makes some actions likelier, and each test asserts the run really reached the records it
is about, so a change to the harness cannot quietly hollow a test out. A failure prints the
command that replays it; longer runs: `make simulate`, `make simulate-batch`.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from consoleapp.engine import events as e
from consoleapp.engine.model import Answer, MeetingKind, Mode, OfferKind, Outcome, Party
from tests.store.conftest import _pg_schema

from . import coverage
from .__main__ import main
from .actors import TABLE
from .harness import Simulation, Stats
from .swarm import ALWAYS, Swarm

STEPS = 160
BATCH, BATCH_STEPS = (1, 2, 3, 4), 400  # the CI's short form of `make simulate`


def simulate(seed: int, steps: int = STEPS, database_url: str = "", **focus: float) -> Stats:
    """One seed in the plain mix (no swarm, no goal-directed parties unless asked), dwelling on
    the actions in `focus`: the run stays on the rules the test is named after."""
    focus = {"goal": 0, **focus}
    return asyncio.run(Simulation(seed, steps, database_url=database_url, focus=focus, swarm=False).run())


def test_r6_r11_requests_bookings_and_answers_never_overdraw() -> None:
    stats = simulate(3, book=3, instant=3, scheduled=3, answer_request=3, top_up=0.2)
    assert stats.outcomes["meetings agreed"] + stats.outcomes["meetings held"] + stats.outcomes["meetings settled"] > 0
    assert stats.outcomes["meetings expired"] > 0 and stats.api_refused > 0  # some ran out of credits or time
    assert stats.outcomes["promo codes in use"] > 0  # holds with the platform's part beside them, in every check


def test_r12_r16_cancels_and_new_times_while_experts_are_offline() -> None:
    stats = simulate(3, cancel=4, reschedule=4, change_time=4, answer_alternative=4, expert_cancel=3, connectivity=3)
    assert stats.outcomes["meetings cancelled"] > 0 and stats.rejected > 0


def test_r8_r12_booking_site_forms_act_once_under_double_clicks_duplicates_and_cut_answers() -> None:
    # web.py asserts, at every form sent, that it booked or cancelled at most once whatever the network did
    stats = simulate(6, web_book=6, web_cancel=6)
    assert stats.actions["web_book"] > 5 and stats.actions["web_cancel"] > 2
    assert {"duplicate", "cut"} <= set(stats.faults) and stats.outcomes["meetings cancelled"] > 0


def test_sync_exactly_once_under_duplicated_delayed_and_cut_requests() -> None:
    stats = simulate(3, sync=3, late_delivery=4, connectivity=2)
    assert {"duplicate", "delay", "cut", "offline"} <= set(stats.faults) and stats.delivered_late > 0


def test_sync_converges_across_server_restarts_restores_and_app_restarts() -> None:
    stats = simulate(2, restart_server=4, restart_client=4, backup_or_restore=6, settle=3)
    assert stats.restarts > 0 and stats.restores > 0 and stats.client_restarts > 0 and stats.settles > 1


def test_payments_and_promo_codes_under_duplicated_delayed_and_replayed_webhooks() -> None:
    # R11, R32: money.py asserts the exact effect of every call (credited once, or nothing); the
    # checks, after every step, that credits bought are exactly the payment requests received.
    bank, card = (simulate(seed, buy_credits=4, confirm_transfer=3, stripe_webhook=5, promo=3, jump=2)
                  for seed in (2, 3))  # the seeds' own draws: bank, then Stripe
    assert (bank.payment_provider, card.payment_provider) == ("bank", "stripe")
    reached = bank.outcomes + card.outcomes
    for outcome in ("credits bought by bank transfer", "credits bought through Stripe", "payments expired",
                    "webhooks duplicated or replayed (ignored)", "webhooks refused (bad signature/old/amount)",
                    "promo codes created"):
        assert reached[outcome] > 0, outcome


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from _pg_schema()


def test_the_server_on_postgresql(pg_url: str) -> None:
    stats = simulate(5, steps=120, database_url=pg_url, backup_or_restore=3)
    assert stats.settles > 0


def test_one_seed_replays_the_same_run() -> None:
    first, again = simulate(8, steps=60), simulate(8, steps=60)
    assert (first.digest, first.log_length, first.actions) == (again.digest, again.log_length, again.actions)
    assert simulate(9, steps=60).digest != first.digest


def test_the_command_line_prints_one_json_line_and_a_failure_says_how_to_replay() -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["--seed", "2", "--steps", "25", "--focus", "sync=2"]) == 0
    line = json.loads(out.getvalue().strip().splitlines()[-1])
    assert line["seeds"] == [2] and line["steps"] == 25 and {"faults", "restarts", "time_jumps", "seconds"} <= set(line)
    sim = Simulation(41, 300, focus={"claim": 2})
    sim.step_index = 57
    message = sim.failure("check", AssertionError("a hold was resolved twice"))
    assert "seed 41" in message and "a hold was resolved twice" in message
    assert message.endswith(".venv/bin/python -m tests.simulation --seed 41 --steps 57 --customers 3 "
                            "--experts 2 --second 1 --focus claim=2")


def test_a_long_run_that_misses_an_outcome_fails_and_names_it() -> None:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert main(["--seed", "2", "--steps", "20", "--long", "20", "--require", "5"]) == 1
    line = json.loads(out.getvalue().strip().splitlines()[-1])
    assert line["short_of"] and "R30 dispute rejected" in line["short_of"]
    assert "fewer than 5: R30 dispute rejected" in err.getvalue()
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["--seed", "2", "--steps", "20"]) == 0  # a short run is not judged on coverage


def test_swarm_each_seed_draws_its_own_mix_and_replays_it() -> None:
    names = [action.__name__ for action, _, _ in TABLE]
    one, again, other = Swarm.draw(1).describe(names), Swarm.draw(1).describe(names), Swarm.draw(2).describe(names)
    assert one == again and one != other
    assert {name for name, w in one.items() if w == 0} and {"api_faults", "sync_faults", "wrong"} <= set(one)
    assert all(one[name] > 0 for name in ALWAYS if name in one)  # time passes and the apps sync in every mix
    assert set(Swarm.draw(1, on=False).describe(names).values()) >= {1.0}
    sim = Simulation(41, 300)
    sim.stats.swarm = sim.swarm.describe(names)
    assert "the seed's mix (swarm.py): " in sim.failure("check", AssertionError("x"))


def test_outcomes_are_counted_from_the_log_cell_by_cell() -> None:
    """coverage.count on a hand-written log: each branch lands in its own row."""
    at = datetime(2027, 3, 1, 9, tzinfo=UTC)

    def asked(ref: str, kind: MeetingKind = MeetingKind.BOOKING, offer: OfferKind = OfferKind.SHORT,
              price: int = 20, rate: int = 0) -> e.Event:
        return e.MeetingRequested(ref=ref, at=at, actor="c", kind=kind, expert="x", customer="c", mode=Mode.VIDEO,
                                  offer=offer, topic="t", price=price, rate=rate, minutes=15, start=at, end=at,
                                  proposed=(), slot="", expires_at=None)

    def settled(ref: str, outcome: Outcome, automatic: bool) -> e.Event:
        return e.MeetingSettled(ref=ref, at=at, actor="s", outcome=outcome, charged=0, expert_share=0, commission=0,
                                returned=0, platform_paid=0, automatic=automatic)

    said = lambda ref, party, answer: e.ProgressRecorded(ref=ref, at=at, actor="c", party=party, answer=answer)  # noqa: E731
    agreed = lambda ref: e.MeetingAgreed(ref=ref, at=at, actor="x", by=Party.EXPERT, start=at, end=at, overlaps=())  # noqa: E731
    cancelled = lambda ref, by, fee: e.MeetingCancelled(ref=ref, at=at, actor="c", by=by, reason="r", fee=fee)  # noqa: E731
    log = [
        asked("a"), cancelled("a", Party.CUSTOMER, 0),
        asked("b"), agreed("b"), cancelled("b", Party.CUSTOMER, 10),
        asked("c"), agreed("c"), cancelled("c", Party.EXPERT, 0),
        asked("d"), said("d", Party.EXPERT, Answer.SMOOTH), settled("d", Outcome.PAY, True),
        said("d", Party.CUSTOMER, Answer.OTHER_PARTY),
        asked("e"), said("e", Party.CUSTOMER, Answer.OTHER_PARTY), said("e", Party.EXPERT, Answer.SMOOTH),
        e.ReviewRequired(ref="e", at=at, actor="x", reason="r"), settled("e", Outcome.SPLIT, False),
        asked("f", MeetingKind.INSTANT, OfferKind.PER_MINUTE, price=10, rate=2),
        e.SessionEnded(ref="f", at=at, actor="s", connected_seconds=300, billed_minutes=5, amount=10),
        settled("f", Outcome.PAY, False),
    ]
    found = coverage.count(log)
    assert {name for name, n in found.items() if n} == {
        "R12 cancelled while awaiting approval", "R13 cancelled late, fee to the expert", "R14 cancelled by the expert",
        "R22 paid: expert answered, customer silent 168 h", "R26 answer after settlement, not re-settled",
        "R25 sent to operator review", "R25 review decided: split", "R20 live session billed",
        "R20 per-minute session billed up to its budget"}
    assert coverage.missing(found, 1) and "R24 both said the platform broke" in coverage.missing(found, 1)


def test_r12_r33_a_short_swarm_batch_reaches_every_required_outcome() -> None:
    """The CI's short form of `make simulate`: a few seeds, each its own swarm mix, with the
    goal-directed parties; together they reach every required outcome (coverage.REQUIRED): live
    sessions with gifts, drops and the budget cap, every settlement cell and review decision,
    events settled and voided, claims refunded and disputes decided both ways, payouts paid and
    withheld — each checked by the invariants after every step on the way."""
    found: Counter[str] = Counter()
    for seed in BATCH:
        found.update(asyncio.run(Simulation(seed, BATCH_STEPS, customers=5, experts=3).run()).outcomes)
    assert coverage.missing(found, 2) == [], coverage.table(found)
