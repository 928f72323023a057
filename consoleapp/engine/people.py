"""Accounts, expert profiles, payout profiles, offers, availability, wallet grants and bought credits (R1-R5, R11)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import banking
from . import commands as c
from . import events as e
from .availability import holds_time
from .common import aware, check_price, days, hours, person, positive, text
from .errors import (
    ALREADY_EXISTS,
    FORBIDDEN,
    INVALID,
    NOT_FOUND,
    SLOT_OVERLAP,
    SLOT_TAKEN,
    TOO_LATE,
    WRONG_STATE,
    DomainError,
    when,
)
from .ledger import DEPOSITS, PAYMENTS, Label, posted, wallet
from .model import (
    SYSTEM,
    ExpertProfile,
    Offer,
    OfferKind,
    PayoutProfile,
    Person,
    Role,
    Slot,
)
from .policy import Policy
from .world import World, decides, folds, hold_slot

# A person's own records (profile, payout profile, offers): each command that changes one, and the event
# that says so, whose `ref` is the person. Who sees such an event (the server's audience) and which record
# a pending command touches (the desktop's "pending" marks) both read this one table.
PERSONAL: dict[type[c.Command], type[e.Event]] = {
    c.UpdateProfile: e.ProfileUpdated, c.SetPayoutProfile: e.PayoutProfileUpdated, c.SetOffers: e.OffersSet,
}
PERSONAL_EVENTS: tuple[type[e.Event], ...] = (e.AccountOpened, e.AccountClosed, *PERSONAL.values())


SLOT_COMMANDS = (c.AddSlot, c.MoveSlot, c.RemoveSlot)  # an expert's own slots, keyed by slot id


def own_keys(cmd: c.Command) -> tuple[str, ...] | None:
    """What a command is decided over and folds into, if that is only its actor's own prices,
    payout details and slots: the actor and the slot id it names (an id is one namespace for every expert, so two
    experts adding the same one must not be decided apart). Anything else it reads (the actor's
    account, a slot's bookings) changes only by commands outside this set. None: the command
    reaches further (money, meetings, another person's records).

    A store may decide such commands beside other actors' (the server's PostgreSQL workers, each
    locking only these keys): their events commute with those of commands over other keys."""
    if isinstance(cmd, c.SetOffers | c.SetPayoutProfile):
        return (cmd.actor,)
    if isinstance(cmd, SLOT_COMMANDS):
        return (cmd.actor, f"slot:{cmd.slot_id}")
    return None


def reads_slots(cmd: c.Command) -> bool:
    """Whether deciding `cmd` reads every slot of its expert (a new or moved slot must overlap
    none), so that a store deciding it must hold them all, not only those memory kept."""
    return isinstance(cmd, SLOT_COMMANDS)


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# https://host[:port][/path?query#fragment]: no user name or password before the host, no spaces.
_ROOM_URL = re.compile(r"https://([A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::\d{1,5})?(?:[/?#][^\s\x00-\x1f\x7f]*)?", re.IGNORECASE)
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
MAX_SLOT = days(1)  # the longest a slot may last


@decides(c.OpenAccount)
def open_account(w: World, cmd: c.OpenAccount, now: datetime, p: Policy) -> list[e.Event]:
    acting = w.people.get(cmd.actor)
    by_operator = acting is not None and acting.role is Role.OPERATOR
    if cmd.actor not in (SYSTEM, cmd.person) and not by_operator:
        raise DomainError(FORBIDDEN, "accounts are opened by their owner or an operator")
    if cmd.role is Role.OPERATOR and not (by_operator or cmd.actor == SYSTEM):
        raise DomainError(FORBIDDEN, "only an operator may open an operator account")
    if cmd.person in w.people:
        raise DomainError(ALREADY_EXISTS, f"account {cmd.person!r} exists already")
    if not _EMAIL.match(cmd.email):
        raise DomainError(INVALID, f"{cmd.email!r} is not an email address")
    name = text(cmd.name, "a name", 200)
    return [e.AccountOpened(ref=cmd.person, at=now, actor=cmd.actor, role=cmd.role, name=name, email=cmd.email.lower(),
                            time_zone=_zone_name(cmd.time_zone))]


def _zone_name(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise DomainError(INVALID, f"unknown time zone {name!r}; use a name like 'Europe/Paris'") from None
    return name


@decides(c.CloseAccount)
def close_account(w: World, cmd: c.CloseAccount, now: datetime, p: Policy) -> list[e.Event]:
    if cmd.actor != SYSTEM:
        person(w, cmd.actor, Role.OPERATOR)
    person(w, cmd.person)  # a closed account is no longer found
    if cmd.person == cmd.actor:
        raise DomainError(WRONG_STATE, "you cannot close your own account; ask another operator")
    return [e.AccountClosed(ref=cmd.person, at=now, actor=cmd.actor, reason=text(cmd.reason, "a reason"))]


@decides(c.UpdateProfile)
def update_profile(w: World, cmd: c.UpdateProfile, now: datetime, p: Policy) -> list[e.Event]:
    person(w, cmd.actor, Role.EXPERT)
    _zone_name(cmd.time_zone)
    slug = cmd.slug.strip().lower()
    if not _SLUG.match(slug):
        raise DomainError(INVALID, "the public link may use lowercase letters, digits and dashes (e.g. 'anna-k')")
    owner = w.slugs.get(slug)
    if owner is not None and owner != cmd.actor:
        raise DomainError(ALREADY_EXISTS, f"the public link /e/{slug} is taken; choose another")
    return [e.ProfileUpdated(
        ref=cmd.actor, at=now, actor=cmd.actor, name=text(cmd.name, "a name", 200),
        specialty=text(cmd.specialty, "a specialty", 200), photo=cmd.photo, time_zone=cmd.time_zone, slug=slug,
        room_url=room_url(cmd.room_url),
    )]


def room_url(raw: str) -> str:
    """R17: the expert's own meeting room link: empty, or an https address of a meeting platform."""
    url = raw.strip()
    if not url:
        return ""
    if len(url) > 500:
        raise DomainError(INVALID, "the meeting room link is over 500 characters; paste the room's short link")
    host = _ROOM_URL.fullmatch(url)
    if host is None or "." not in host.group(1).strip(".") or ".." in host.group(1):
        raise DomainError(INVALID, "the meeting room link must be a full https:// address, "
                                   "such as https://zoom.us/j/123456789 or https://meet.google.com/abc-defg-hij")
    return url


@folds(e.ProfileUpdated)
def _profile(w: World, ev: e.ProfileUpdated) -> None:
    old = w.profiles.get(ev.ref)
    if old is not None and w.slugs.get(old.slug) == ev.ref:
        del w.slugs[old.slug]
    w.profiles[ev.ref] = ExpertProfile(ev.ref, ev.name, ev.specialty, ev.photo, ev.time_zone, ev.slug, ev.room_url)
    w.slugs[ev.slug] = ev.ref


@folds(e.AccountOpened)
def _opened(w: World, ev: e.AccountOpened) -> None:
    w.people[ev.ref] = Person(ev.ref, ev.role, ev.name, ev.email, time_zone=ev.time_zone)
    if ev.role is Role.EXPERT:
        w.profiles[ev.ref] = ExpertProfile(ev.ref, name=ev.name)


@folds(e.AccountClosed)
def _closed(w: World, ev: e.AccountClosed) -> None:
    w.people[ev.ref] = replace(w.people[ev.ref], closed=True)


@decides(c.SetPayoutProfile)
def set_payout_profile(w: World, cmd: c.SetPayoutProfile, now: datetime, p: Policy) -> list[e.Event]:
    person(w, cmd.actor, Role.EXPERT)
    values = [cmd.legal_name, cmd.billing_address, cmd.tax_id, cmd.bank_account, cmd.bic]
    if any(len(v) > 500 for v in values):
        raise DomainError(INVALID, "payout profile fields are limited to 500 characters")
    # Checked as the bank and the tax office would: a payout to a mistyped IBAN bounces days later.
    account = banking.iban(cmd.bank_account) if cmd.bank_account.strip() else ""
    bic = banking.bic(cmd.bic, account[:2]) if cmd.bic.strip() else ""
    return [e.PayoutProfileUpdated(
        ref=cmd.actor, at=now, actor=cmd.actor, legal_name=cmd.legal_name.strip(),
        billing_address=cmd.billing_address.strip(), tax_id=banking.tax_id(cmd.tax_id, account[:2]),
        bank_account=account, bic=bic,
    )]


@folds(e.PayoutProfileUpdated)
def _payout_profile(w: World, ev: e.PayoutProfileUpdated) -> None:
    w.payout_profiles[ev.ref] = PayoutProfile(ev.ref, ev.legal_name, ev.billing_address, ev.tax_id, ev.bank_account,
                                              ev.bic)


@decides(c.SetOffers)
def set_offers(w: World, cmd: c.SetOffers, now: datetime, p: Policy) -> list[e.Event]:
    person(w, cmd.actor, Role.EXPERT)
    for value in (cmd.per_minute, cmd.short_price, cmd.long_price, cmd.short_minutes, cmd.long_minutes):
        if value < 0:
            raise DomainError(INVALID, "prices and lengths cannot be negative")
    offers = (
        Offer(cmd.mode, OfferKind.PER_MINUTE, cmd.per_minute),
        Offer(cmd.mode, OfferKind.SHORT, cmd.short_price, cmd.short_minutes or p.short_package_minutes),
        Offer(cmd.mode, OfferKind.LONG, cmd.long_price, cmd.long_minutes or p.long_package_minutes),
    )
    for offer in offers:
        check_price(offer, p)
    return [e.OffersSet(ref=cmd.actor, at=now, actor=cmd.actor, mode=cmd.mode, offers=offers)]


@folds(e.OffersSet)
def _offers(w: World, ev: e.OffersSet) -> None:
    w.offers[(ev.ref, ev.mode)] = ev.offers


def _slot_free(w: World, expert: str, start: datetime, end: datetime, exclude: str = "") -> None:
    index = w.slots_of.get(expert)
    for sid in index.overlapping(start, end) if index is not None else ():
        if sid != exclude:
            other = w.slots[sid]
            raise DomainError(
                SLOT_OVERLAP,
                f"this slot overlaps your slot {when(other.start)} - {when(other.end)}; move or remove that one first",
            )


def _window(start: datetime, end: datetime, now: datetime) -> None:
    aware(start, "the slot start")
    aware(end, "the slot end")
    if start < now:
        raise DomainError(TOO_LATE, f"a slot cannot start in the past ({when(start)} is before {when(now)})")
    if end <= start:
        raise DomainError(INVALID, "a slot must end after it starts")
    if end - start > MAX_SLOT:
        raise DomainError(INVALID, "a slot can last at most 24 hours")


@decides(c.AddSlot)
def add_slot(w: World, cmd: c.AddSlot, now: datetime, p: Policy) -> list[e.Event]:
    person(w, cmd.actor, Role.EXPERT)
    if cmd.slot_id in w.slots:
        raise DomainError(ALREADY_EXISTS, f"slot {cmd.slot_id!r} exists already")
    start = cmd.start or now
    end = cmd.end if cmd.start is not None else now + hours(p.now_slot_hours)
    if end is None:
        raise DomainError(INVALID, "say when the slot ends")
    _window(start, end, now)
    _slot_free(w, cmd.actor, start, end)
    for offer in cmd.offers:
        check_price(offer, p)
    return [e.SlotAdded(ref=cmd.slot_id, at=now, actor=cmd.actor, expert=cmd.actor, start=start, end=end, offers=cmd.offers)]


def _own_slot(w: World, actor: str, slot_id: str) -> Slot:
    slot = w.slots.get(slot_id)
    if slot is None:
        raise DomainError(NOT_FOUND, f"no slot {slot_id!r}")
    if slot.expert != actor:
        raise DomainError(FORBIDDEN, "this slot is not yours")
    return slot


def _bookings(w: World, slot_id: str) -> list[str]:
    return [m for m in w.booked_in_slot.get(slot_id, ()) if holds_time(w.meetings[m])]


@decides(c.MoveSlot)
def move_slot(w: World, cmd: c.MoveSlot, now: datetime, p: Policy) -> list[e.Event]:
    _own_slot(w, cmd.actor, cmd.slot_id)
    _window(cmd.start, cmd.end, now)
    _slot_free(w, cmd.actor, cmd.start, cmd.end, exclude=cmd.slot_id)
    for mid in _bookings(w, cmd.slot_id):
        m = w.meetings[mid]
        if m.start is not None and m.end is not None and (m.start < cmd.start or m.end > cmd.end):
            raise DomainError(SLOT_TAKEN, f"a meeting at {when(m.start)} is booked in this slot; the slot must still cover it")
    return [e.SlotMoved(ref=cmd.slot_id, at=now, actor=cmd.actor, start=cmd.start, end=cmd.end)]


@decides(c.RemoveSlot)
def remove_slot(w: World, cmd: c.RemoveSlot, now: datetime, p: Policy) -> list[e.Event]:
    _own_slot(w, cmd.actor, cmd.slot_id)
    if _bookings(w, cmd.slot_id):
        raise DomainError(SLOT_TAKEN, "meetings are booked in this slot; cancel or reject them first")
    return [e.SlotRemoved(ref=cmd.slot_id, at=now, actor=cmd.actor)]


@folds(e.SlotAdded)
def _slot_added(w: World, ev: e.SlotAdded) -> None:
    w.slots[ev.ref] = Slot(ev.ref, ev.expert, ev.start, ev.end, ev.offers)
    hold_slot(w, ev.expert, ev.ref, ev.start, ev.end)


@folds(e.SlotMoved)
def _slot_moved(w: World, ev: e.SlotMoved) -> None:
    slot = w.slots[ev.ref] = replace(w.slots[ev.ref], start=ev.start, end=ev.end)
    # Held at its new times; a slot moved from the past into the future may have been let go from
    # the index by a store.
    hold_slot(w, slot.expert, ev.ref, slot.start, slot.end)


@folds(e.SlotRemoved)
def _slot_removed(w: World, ev: e.SlotRemoved) -> None:
    slot = w.slots.pop(ev.ref)
    index = w.slots_of.get(slot.expert)
    if index is not None:
        index.discard(ev.ref)


@decides(c.GrantCredits)
def grant_credits(w: World, cmd: c.GrantCredits, now: datetime, p: Policy) -> list[e.Event]:
    if cmd.actor != SYSTEM:
        person(w, cmd.actor, Role.OPERATOR)
    person(w, cmd.customer, Role.CUSTOMER)
    amount = positive(cmd.amount, "the grant")
    return [posted(f"grant:{cmd.grant_id}", DEPOSITS, wallet(cmd.customer), amount, Label.GRANT, cmd.customer, now, cmd.actor)]


def payment_transfer(payment_id: str) -> str:
    """The id of a payment's transfer: the ledger's unique ids make crediting it once-only."""
    return f"payment:{payment_id}"


@decides(c.CreditPayment)
def credit_payment(w: World, cmd: c.CreditPayment, now: datetime, p: Policy) -> list[e.Event]:
    if cmd.actor != SYSTEM:
        person(w, cmd.actor, Role.OPERATOR)
    if not cmd.payment_id.strip():
        raise DomainError(INVALID, "say which payment arrived (its id)")
    person(w, cmd.customer, Role.CUSTOMER)
    amount = positive(cmd.amount, "a payment")
    tid = payment_transfer(cmd.payment_id)
    done = w.ledger.transfers.get(tid)
    if done is not None:
        raise DomainError(ALREADY_EXISTS, f"payment {cmd.payment_id} was already credited ({done.amount} credits, {when(done.at)})")
    return [posted(tid, PAYMENTS, wallet(cmd.customer), amount, Label.BOUGHT, cmd.customer, now, cmd.actor)]
