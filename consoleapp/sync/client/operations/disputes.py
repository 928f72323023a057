"""Disputes (R29-R31): claims with their answer deadline, and the answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from consoleapp.engine import commands as c
from consoleapp.engine.claims import answer_deadline
from consoleapp.engine.model import (
    Claim,
    ClaimStatus,
    GroupEvent,
)
from consoleapp.store.repository import held

from .base import ConsoleBase


@dataclass(frozen=True, slots=True)
class ClaimItem:
    claim: Claim
    deadline: datetime | None  # open: when it goes to the operator unanswered (R30)
    outcome: str  # decided: what happened, in words
    pending: bool

@dataclass(frozen=True, slots=True)
class Claims:
    open: tuple[ClaimItem, ...]
    under_review: tuple[ClaimItem, ...]
    decided: tuple[ClaimItem, ...]

def _claim_outcome(cl: Claim) -> str:
    if cl.status is ClaimStatus.REFUNDED:
        return f"refunded {cl.refunded} of {cl.amount} credits"
    if cl.status is ClaimStatus.DISPUTE_ACCEPTED:
        return "dispute accepted: nothing refunded"
    if cl.status is ClaimStatus.DISPUTE_REJECTED:
        return f"dispute rejected: {cl.refunded or cl.amount} credits refunded from your earnings"
    return cl.status.value


class DisputeOps(ConsoleBase):
    def group_event(self, event_id: str) -> GroupEvent | None:
        """One group event as the optimistic view has it (a claim on a registration names it)."""
        return self.view().group_events.get(event_id)

    async def claims(self) -> Claims:
        """Open claims with their answer deadline, disputed ones under review, decided ones with outcome."""
        w = self.view()
        pending = self._pending()
        open_, review, decided = [], [], []
        # Every claim the cache stored, plus any a queued command made: each as the view has it.
        stored = await self._read(self.store.claims_of, self.me)
        ids = sorted({*(cl.id for cl in stored), *held(w.claims)})
        for cl in (w.claims[cid] for cid in ids if cid in w.claims):
            if cl.expert != self.me:
                continue
            flag = cl.id in pending
            if cl.status is ClaimStatus.OPEN:
                open_.append(ClaimItem(cl, answer_deadline(cl, self.policy), "", flag))
            elif cl.status is ClaimStatus.DISPUTED:
                review.append(ClaimItem(cl, None, "disputed: waiting for the operator", flag))
            else:
                decided.append(ClaimItem(cl, None, _claim_outcome(cl), flag))
        open_.sort(key=lambda x: (x.deadline or x.claim.opened_at, x.claim.id))
        review.sort(key=lambda x: (x.claim.opened_at, x.claim.id))
        decided.sort(key=lambda x: (x.claim.decided_at or x.claim.opened_at, x.claim.id), reverse=True)
        return Claims(tuple(open_), tuple(review), tuple(decided))

    async def refund_claim(self, claim_id: str, amount: int) -> int:
        return await self._submit(c.RefundClaim(actor=self.me, claim_id=claim_id, amount=amount))

    async def dispute_claim(self, claim_id: str, summary: str) -> int:
        return await self._submit(c.DisputeClaim(actor=self.me, claim_id=claim_id, summary=summary))
