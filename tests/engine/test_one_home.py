"""One home per rule: the desktop, the sync client and the routes render the engine's answers.

A grep-level guard: each pattern below is the body of a rule that lives in `consoleapp/engine`;
finding it in a screen, the client or a route means the rule was written a second time there
(and the copies drift apart: the desktop once hid Join for the last hour of the R17 window).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "consoleapp"
OUTSIDE = sorted(
    [*(ROOT / "ui").rglob("*.py"), *(ROOT / "sync" / "client").rglob("*.py"), *(ROOT / "sync" / "server").rglob("*.py")]
)

# (rule, pattern, where it lives in the engine)
COPIES = [
    ("R17 join window", r"timedelta\([^)]*join_(before|after)_minutes", "requests.join_window"),
    ("R17 window end cut at the meeting's end", r"min\([^)]*closes", "requests.JoinWindow"),
    ("R17 window test", r"opens\s*<=\s*[\w.()]+\s*<=\s*closes", "JoinWindow.is_open"),
    ("R19 warning threshold", r"<=\s*[\w.]*session_warning_seconds", "live.warning_due"),
    ("R21 chat statuses", r"MeetingStatus\.AGREED,\s*MeetingStatus\.HELD,\s*MeetingStatus\.SETTLED", "live.CHAT_STATUSES"),
    ("R22-R26 statuses that ask for an answer", r"_ASKED\s*=", "settlement.awaits_answer"),
    ("R4/R8 statuses that hold a slot", r"MeetingStatus\.AWAITING_APPROVAL,\s*MeetingStatus\.AGREED\)", "availability.holds_time"),
    ("R29 claim answer deadline", r"claim_answer_hours", "claims.answer_deadline"),
    ("R6 instant request's time left", r"expires_at\s*-\s*now|instant_timeout_seconds\)", "requests.seconds_to_answer"),
    ("R6-R8 request categories", r"category\s*==\s*\"|\"(instant|booking|scheduled|alternative)\":\s*\d", "requests.RequestCategory"),
    ("R27 stars for the operator", r"!=\s*m\.customer:\s*$", "settlement.sees_stars"),
]


def _hits(pattern: str) -> list[str]:
    rx = re.compile(pattern)
    found = []
    for path in OUTSIDE:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if rx.search(line):
                found.append(f"{path.relative_to(ROOT.parent)}:{n}: {line.strip()}")
    return found


@pytest.mark.parametrize(("rule", "pattern", "home"), COPIES, ids=[c[0] for c in COPIES])
def test_r17_r29_no_rule_is_written_outside_the_engine(rule: str, pattern: str, home: str) -> None:
    assert _hits(pattern) == [], f"{rule} is re-derived outside the engine; call consoleapp.engine.{home}"


def test_the_guard_finds_a_copy_when_there_is_one(tmp_path: Path) -> None:
    """Each pattern matches the copy it was written against, so the guard cannot pass vacuously."""
    copies = {
        "R17 join window": "opens = m.start - timedelta(minutes=policy.join_before_minutes)",
        "R17 window end cut at the meeting's end": "return opens, min(item.closes or item.end, item.end)",
        "R17 window test": "return opens <= self.console.now() <= closes",
        "R19 warning threshold": "if clock.remaining_seconds <= self.console.policy.session_warning_seconds:",
        "R21 chat statuses": "chatting = m.status in (MeetingStatus.AGREED, MeetingStatus.HELD, MeetingStatus.SETTLED,",
        "R22-R26 statuses that ask for an answer": "_ASKED = (MeetingStatus.HELD, MeetingStatus.SETTLED)",
        "R4/R8 statuses that hold a slot": "if m.status in (MeetingStatus.AWAITING_APPROVAL, MeetingStatus.AGREED)",
        "R29 claim answer deadline": "answer = timedelta(hours=self.policy.claim_answer_hours)",
        "R6 instant request's time left": "left = int((expires_at - now).total_seconds())",
        "R6-R8 request categories": 'if item.category == "instant":',
        "R27 stars for the operator": "    if viewer != m.customer:",
    }
    assert set(copies) == {c[0] for c in COPIES}
    for rule, pattern, _ in COPIES:
        assert re.search(pattern, copies[rule]), rule


@pytest.mark.parametrize("name", ["Transfer", "MeetingSettled", "SessionEnded", "MeetingHeld", "ClaimOpened",
                                  "ClaimRefunded", "RegistrationCancelled", "GroupEventSettled",
                                  "ClaimWindowClosed", "CancellationReimbursed"])
def test_these_events_fold_in_one_place(name: str) -> None:
    """A fold split over modules runs in import order; each of these has one fold, beside its rules."""
    import consoleapp.engine.decide  # noqa: F401  (registers every fold)
    from consoleapp.engine import events as e
    from consoleapp.engine.ledger import Transfer
    from consoleapp.engine.world import FOLDERS

    event_type = Transfer if name == "Transfer" else getattr(e, name)
    homes = [f"{f.__module__}.{f.__name__}" for f in FOLDERS[event_type]]
    expected = {"Transfer": "ledger", "ClaimOpened": "claims", "ClaimRefunded": "claims",
                "RegistrationCancelled": "groups", "GroupEventSettled": "groups"}.get(name, "meetings")
    expected = f"consoleapp.engine.{expected}"
    assert len(homes) == 1 and homes[0].startswith(expected + "."), homes


def test_screens_ask_the_console_not_its_insides() -> None:
    """Screens read the Console's answers: not its raw optimistic World, not the sync client's internals."""
    reaching = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\.view\(\)|_set_status|\.store\.engine, self\.meeting_id", line):
                reaching.append(f"{path.relative_to(ROOT.parent)}:{n}: {line.strip()}")
    for path in sorted((ROOT / "sync" / "client").rglob("*.py")):
        if path.name != "sync.py" and "_set_status" in path.read_text(encoding="utf-8"):
            reaching.append(str(path.relative_to(ROOT.parent)))
    assert reaching == []
