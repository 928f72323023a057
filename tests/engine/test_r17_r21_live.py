"""R17-R21: video meetings and links, attendance, live sessions, billing, chat and attachments."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from consoleapp.engine import commands as c
from consoleapp.engine.events import (
    NotificationQueued,
    SessionEnded,
    VideoMeetingCreated,
    VideoMeetingEdited,
)
from consoleapp.engine.live import MAX_ATTACHMENT_BYTES
from consoleapp.engine.model import MeetingStatus, Mode, OfferKind, PaymentStatus

from .scenario import T0, Scenario

START = T0 + timedelta(days=3)
END = START + timedelta(minutes=30)
DIGEST = hashlib.sha256(b"notes").hexdigest()


def refused(s: Scenario, command: c.Command, code: str) -> str:
    return s.refused(command, code)


def agreed(price: int = 55) -> Scenario:
    """anna and carl agreed a 30 min video meeting at START for `price` credits."""
    s = Scenario()
    s.expert("anna", per_minute=2, short=20, long=price)
    s.customer("carl", credits=1000)
    s.do(c.RequestScheduled(actor="carl", meeting_id="m1", expert="anna", mode=Mode.VIDEO,
                            offer=OfferKind.LONG, topic="contract review", times=(START,)))
    s.do(c.PickTime(actor="anna", meeting_id="m1", start=START))
    return s


def live(offer: OfferKind = OfferKind.PER_MINUTE, budget: int = 0, rate: int = 2) -> Scenario:
    """carl's instant request to anna, accepted at T0: the session runs from T0."""
    s = Scenario()
    s.expert("anna", per_minute=rate, short=20, long=50)
    s.customer("carl", credits=1000)
    s.do(c.RequestInstant(actor="carl", meeting_id="m1", expert="anna", mode=Mode.VIDEO, offer=offer,
                          topic="quick question", max_budget=budget))
    s.do(c.AcceptInstant(actor="anna", meeting_id="m1"))
    return s


def meeting(s: Scenario):
    return s.world.meetings["m1"]


def ended(s: Scenario) -> SessionEnded:
    return next(ev for ev in s.log if isinstance(ev, SessionEnded))


# --- R17 video meeting -----------------------------------------------------------------------


def test_r17_agreed_creates_video_meeting_with_link_window():
    s = agreed()
    created = [ev for ev in s.log if isinstance(ev, VideoMeetingCreated)]
    assert len(created) == 1
    assert (created[0].revision, created[0].valid_from, created[0].valid_until) == (
        1, START - timedelta(minutes=15), END + timedelta(minutes=60))
    assert meeting(s).video_active and meeting(s).video_revision == 1
    assert "Video meeting created" in s.titles("m1")


def test_r17_no_video_meeting_before_agreement():
    s = Scenario()
    s.expert("anna")
    s.customer("carl")
    s.do(c.RequestScheduled(actor="carl", meeting_id="m1", expert="anna", mode=Mode.VIDEO,
                            offer=OfferKind.LONG, topic="t", times=(START,)))
    assert not meeting(s).video_active
    s.now = START
    refused(s, c.OpenLink(actor="carl", meeting_id="m1"), "wrong_state")


def test_r17_rescheduling_regenerates_links():
    s = agreed()
    new = START + timedelta(days=1)
    s.do(c.ProposeAlternative(actor="anna", meeting_id="m1", start=new))
    s.do(c.ApproveAlternative(actor="carl", meeting_id="m1"))
    edited = [ev for ev in s.log if isinstance(ev, VideoMeetingEdited)]
    assert [(ev.revision, ev.valid_from) for ev in edited] == [(2, new - timedelta(minutes=15))]
    assert meeting(s).video_revision == 2
    s.now = START  # the old time no longer opens
    refused(s, c.OpenLink(actor="carl", meeting_id="m1"), "too_early")
    s.now = new - timedelta(minutes=15)
    s.do(c.OpenLink(actor="carl", meeting_id="m1"))


def test_r17_cancelling_cancels_the_video_meeting():
    s = agreed()
    s.do(c.CancelMeeting(actor="carl", meeting_id="m1", reason="plans changed"))
    assert not meeting(s).video_active
    assert "Video meeting cancelled" in s.titles("m1")
    s.now = START
    refused(s, c.OpenLink(actor="anna", meeting_id="m1"), "wrong_state")


# --- R18 opening a link records attendance ------------------------------------------------------


def test_r18_opening_links_records_attendance_once():
    s = agreed()
    s.now = START - timedelta(minutes=15)
    s.do(c.OpenLink(actor="anna", meeting_id="m1"))
    s.advance(minutes=20)
    s.do(c.OpenLink(actor="carl", meeting_id="m1"))
    s.advance(minutes=1)
    assert s.do(c.OpenLink(actor="anna", meeting_id="m1")) == []
    m = meeting(s)
    assert (m.expert_attended, m.customer_attended) == (START - timedelta(minutes=15), START + timedelta(minutes=5))
    titles = s.titles("m1")
    assert titles.count("Expert attended") == 1
    assert titles.count("User attended") == 1


def test_r18_link_too_early_says_when_it_opens():
    s = agreed()
    s.now = START - timedelta(minutes=16)
    msg = refused(s, c.OpenLink(actor="carl", meeting_id="m1"), "too_early")
    assert msg == "your link opens at 5 Mar 08:45 UTC"


def test_r18_link_too_late_after_60_minutes_past_the_end():
    s = agreed()
    s.now = END + timedelta(minutes=60)
    s.do(c.OpenLink(actor="carl", meeting_id="m1"))  # the last moment still works
    s.advance(seconds=1)
    msg = refused(s, c.OpenLink(actor="anna", meeting_id="m1"), "too_late")
    assert "closed at 5 Mar 10:30 UTC" in msg


def test_r18_link_still_opens_after_the_meeting_is_held():
    s = agreed()
    s.now = END
    s.run_due()
    assert meeting(s).status is MeetingStatus.HELD
    s.wait(minutes=30)
    s.do(c.OpenLink(actor="carl", meeting_id="m1"))
    assert "User attended" in s.titles("m1")


def test_r18_strangers_have_no_link():
    s = agreed()
    s.customer("dora")
    s.now = START
    refused(s, c.OpenLink(actor="dora", meeting_id="m1"), "not_found")


# --- R19 live session ---------------------------------------------------------------------------


def test_r19_countdown_and_30s_warning_via_due():
    s = live(budget=20)  # 20 credits at 2 a minute: 10 minutes
    assert meeting(s).live.remaining(s.now) == 600
    s.wait(minutes=9, seconds=29)
    assert meeting(s).live.remaining(s.now) == 31
    assert "Both warned: session ends soon" not in s.titles("m1")
    warned = s.wait(seconds=1)
    assert s.titles("m1").count("Both warned: session ends soon") == 1
    notes = {n.recipient: n.text for n in warned if isinstance(n, NotificationQueued) and n.kind == "session_ending"}
    assert notes == {"anna": "The session ends in 30 s; you can gift 2 more minutes once",  # both, as notifications
                     "carl": "The session ends in 30 s"}
    s.wait(seconds=29)
    assert meeting(s).status is MeetingStatus.AGREED
    s.wait(seconds=1)
    assert meeting(s).status is MeetingStatus.SETTLED
    assert s.titles("m1").count("Both warned: session ends soon") == 1
    assert ended(s).connected_seconds == 600


def test_r19_warning_before_its_time_refused():
    s = live(budget=20)
    s.advance(minutes=5)
    refused(s, c.WarnSessionEnding(actor="system", meeting_id="m1"), "too_early")


def test_r19_gift_two_minutes_once_unbilled():
    s = live(budget=20)
    s.wait(minutes=9, seconds=45)  # warned already
    s.do(c.GiftMinutes(actor="anna", meeting_id="m1"))
    assert meeting(s).live.remaining(s.now) == 15 + 120
    assert "Expert gifted extra minutes" in s.titles("m1")
    msg = refused(s, c.GiftMinutes(actor="anna", meeting_id="m1"), "wrong_state")
    assert "once" in msg
    s.wait(seconds=105)  # 30 s left of the gift: warned again
    assert s.titles("m1").count("Both warned: session ends soon") == 2
    s.wait(seconds=30)
    assert ended(s).connected_seconds == 720
    assert (ended(s).billed_minutes, ended(s).amount) == (10, 20)
    assert (s.wallet("carl").balance, s.earnings("anna"), s.commission()) == (980, 18, 2)


def test_r19_only_the_expert_gifts():
    s = live(budget=20)
    refused(s, c.GiftMinutes(actor="carl", meeting_id="m1"), "forbidden")


def test_r19_disconnect_pauses_and_reconnect_resumes_the_count():
    s = live(budget=40)  # 20 minutes
    s.advance(minutes=3, seconds=10)
    s.do(c.Disconnect(actor="carl", meeting_id="m1"))
    assert "Connection lost, count paused" in s.titles("m1")
    s.wait(minutes=10)
    assert meeting(s).live.remaining(s.now) == 1200 - 190
    s.do(c.Reconnect(actor="carl", meeting_id="m1"))
    assert "Reconnected, count resumed" in s.titles("m1")
    s.advance(minutes=1)
    assert meeting(s).live.remaining(s.now) == 1200 - 250
    s.do(c.EndSession(actor="carl", meeting_id="m1"))
    # 250 connected seconds: 5 minutes billed, the 10 paused minutes are not
    assert (ended(s).connected_seconds, ended(s).billed_minutes, ended(s).amount) == (250, 5, 10)
    assert (s.wallet("carl").balance, s.wallet("carl").available) == (990, 990)
    assert (s.earnings("anna"), s.commission()) == (9, 1)


def test_r19_repeated_disconnect_changes_nothing():
    s = live(budget=40)
    s.do(c.Disconnect(actor="anna", meeting_id="m1"))
    assert s.do(c.Disconnect(actor="anna", meeting_id="m1")) == []
    s.do(c.Reconnect(actor="anna", meeting_id="m1"))
    assert s.do(c.Reconnect(actor="anna", meeting_id="m1")) == []


def test_r19_session_paused_too_long_ends_by_due():
    s = live(budget=20)
    s.advance(minutes=2)
    s.do(c.Disconnect(actor="carl", meeting_id="m1"))
    s.wait(minutes=67)  # 10 min meeting + 60 min join window from the start
    assert meeting(s).status is MeetingStatus.AGREED
    s.wait(minutes=1)
    assert meeting(s).status is MeetingStatus.SETTLED
    assert (ended(s).billed_minutes, ended(s).amount) == (2, 4)


# --- R20 billing -----------------------------------------------------------------------------------


def test_r20_per_minute_rounds_connected_minutes_up():
    s = live(budget=100, rate=3)
    s.advance(seconds=61)
    s.do(c.EndSession(actor="anna", meeting_id="m1"))
    assert (ended(s).billed_minutes, ended(s).amount) == (2, 6)
    m = meeting(s)
    assert (m.status, m.payment, m.charged) == (MeetingStatus.SETTLED, PaymentStatus.PAID, 6)
    assert (s.wallet("carl").balance, s.wallet("carl").available) == (994, 994)
    assert (s.earnings("anna"), s.commission()) == (6, 0)  # 10 % of 6 rounds down to 0


def test_r20_exact_minute_is_not_rounded_up():
    s = live(budget=100, rate=3)
    s.advance(seconds=120)
    s.do(c.EndSession(actor="carl", meeting_id="m1"))
    assert (ended(s).billed_minutes, ended(s).amount) == (2, 6)


def test_r20_never_above_the_max_budget():
    s = live(budget=25, rate=2)  # 12 whole minutes fit in 25 credits
    assert meeting(s).live.allotted_seconds == 720
    s.wait(minutes=30)  # the session ends by itself at 12 minutes
    assert (ended(s).billed_minutes, ended(s).amount) == (12, 24)
    assert s.wallet("carl").balance == 976
    assert (s.earnings("anna"), s.commission()) == (22, 2)


def test_r20_package_bills_the_fixed_price():
    s = live(offer=OfferKind.SHORT)  # 20 credits for 15 minutes
    s.advance(minutes=3)
    s.do(c.EndSession(actor="carl", meeting_id="m1"))
    assert ended(s).amount == 20
    assert (s.wallet("carl").balance, s.earnings("anna"), s.commission()) == (980, 18, 2)


def test_r20_started_appointment_billed_in_full_via_settlement():
    s = agreed(55)
    s.now = START
    s.do(c.StartSession(actor="anna", meeting_id="m1"))
    assert "Expert attended" in s.titles("m1")
    s.advance(minutes=5)
    s.do(c.EndSession(actor="carl", meeting_id="m1"))
    assert (ended(s).billed_minutes, ended(s).amount) == (30, 55)
    assert meeting(s).status is MeetingStatus.HELD
    assert s.wallet("carl").available == 945  # still held until the evaluation settles it
    s.wait(hours=168, minutes=24)
    assert meeting(s).status is MeetingStatus.HELD
    s.wait(minutes=1)  # nobody answered: settled 168 h after the end
    m = meeting(s)
    assert (m.status, m.payment, m.charged) == (MeetingStatus.SETTLED, PaymentStatus.PAID, 55)
    assert (s.wallet("carl").balance, s.earnings("anna"), s.commission()) == (945, 50, 5)


def test_r20_session_cannot_start_before_the_link_window():
    s = agreed()
    s.now = START - timedelta(minutes=16)
    refused(s, c.StartSession(actor="anna", meeting_id="m1"), "too_early")
    s.now = END
    refused(s, c.StartSession(actor="anna", meeting_id="m1"), "too_late")


# --- R21 chat, attachments, recording ------------------------------------------------------------


def attachment(name: str = "notes.txt", size: int = 1200, digest: str = DIGEST, aid: str = "a1",
               kind: str = "file", actor: str = "carl") -> c.AddAttachment:
    return c.AddAttachment(actor=actor, meeting_id="m1", attachment_id=aid, name=name, kind=kind,
                           size=size, digest=digest)


def test_r21_chat_attachments_and_recording_on_the_timeline():
    s = live(budget=40)
    s.do(c.PostChat(actor="carl", meeting_id="m1", message_id="c1", text="Hello"))
    s.do(c.PostChat(actor="anna", meeting_id="m1", message_id="c2", text="Hi, share the file"))
    s.do(attachment())
    s.do(attachment(name="fix.py", kind="snippet", aid="a2", actor="anna", size=80))
    s.do(c.EndSession(actor="anna", meeting_id="m1"))
    s.do(c.AttachRecording(actor="anna", meeting_id="m1", uri="rec://m1/1"))
    titles = s.titles("m1")
    assert titles.count("Chat message") == 2
    assert titles.count("Attachment added") == 2
    assert "Recording available" in titles
    assert titles.index("Session ended") < titles.index("Recording available")
    chat = [ev.text for ev in s.log if type(ev).__name__ == "ChatMessagePosted"]  # type: ignore[attr-defined]
    assert chat == ["Hello", "Hi, share the file"]


@pytest.mark.parametrize("name", ["../secret.txt", "dir/notes.txt", "C:\\notes.txt", ".."])
def test_r21_path_in_file_name_refused(name):
    s = live(budget=40)
    msg = refused(s, attachment(name=name), "invalid")
    assert "path" in msg or "name" in msg


@pytest.mark.parametrize("size", [0, MAX_ATTACHMENT_BYTES + 1])
def test_r21_oversize_or_empty_attachment_refused(size):
    s = live(budget=40)
    msg = refused(s, attachment(size=size), "invalid")
    assert "MiB" in msg


def test_r21_largest_attachment_accepted():
    s = live(budget=40)
    s.do(attachment(size=MAX_ATTACHMENT_BYTES))


@pytest.mark.parametrize("digest", ["abc", DIGEST.upper(), DIGEST[:-1] + "g", ""])
def test_r21_bad_digest_refused(digest):
    s = live(budget=40)
    msg = refused(s, attachment(digest=digest), "invalid")
    assert "SHA-256" in msg


def test_r21_attachment_kind_must_be_file_or_snippet():
    s = live(budget=40)
    refused(s, attachment(kind="exe"), "invalid")


def test_r21_empty_chat_message_refused():
    s = live(budget=40)
    refused(s, c.PostChat(actor="carl", meeting_id="m1", message_id="c1", text="  "), "invalid")


def test_r21_only_the_expert_attaches_the_recording():
    s = live(budget=40)
    refused(s, c.AttachRecording(actor="carl", meeting_id="m1", uri="rec://x"), "forbidden")


def test_r21_no_chat_on_a_cancelled_meeting():
    s = agreed()
    s.do(c.CancelMeeting(actor="carl", meeting_id="m1", reason="plans changed"))
    refused(s, c.PostChat(actor="carl", meeting_id="m1", message_id="c1", text="hi"), "wrong_state")


def test_r21_strangers_cannot_post():
    s = live(budget=40)
    s.customer("dora")
    refused(s, c.PostChat(actor="dora", meeting_id="m1", message_id="c1", text="hi"), "not_found")
