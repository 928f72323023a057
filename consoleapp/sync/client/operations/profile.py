"""Profile & payout (R2, R5): the public profile, payout details, the calendar feed."""

from __future__ import annotations

import httpx

from consoleapp.engine import commands as c
from consoleapp.engine.model import (
    ExpertProfile,
    PayoutProfile,
)

from ..calendar import CalendarFeed, calendar_feed
from .base import ConsoleBase


class ProfileOps(ConsoleBase):
    async def profile(self) -> ExpertProfile:
        return self.view().profiles.get(self.me) or ExpertProfile(self.me)

    async def payout_profile(self) -> PayoutProfile:
        """R5: `.missing()` names the fields a payout still needs."""
        return self.view().payout_profiles.get(self.me) or PayoutProfile(self.me)

    async def calendar_feed(self, new: bool = False) -> CalendarFeed:
        """The person's secret calendar feed link, from the server (a SyncError when offline);
        `new` revokes the old link and makes another."""
        return await calendar_feed(self.sync, new)

    async def update_profile(self, name: str, specialty: str, time_zone: str, slug: str, photo: str = "",
                             room_url: str = "") -> int:
        return await self._submit(c.UpdateProfile(actor=self.me, name=name, specialty=specialty,
                                                  time_zone=time_zone, slug=slug, photo=photo, room_url=room_url))

    async def video_provider(self) -> str:
        """How the server makes video rooms (R17): 'jitsi', 'bbb' or 'personal' (the expert's own
        room link); '' while the server cannot be asked."""
        try:
            r = await self.sync.http.get(f"{self.sync.base_url}/policy", timeout=5)
            return str(r.json().get("video_provider", "")) if r.status_code == 200 else ""
        except (httpx.HTTPError, ValueError, AttributeError):
            return ""

    async def set_payout_profile(self, legal_name: str, billing_address: str, tax_id: str, bank_account: str,
                                 bic: str = "") -> int:
        return await self._submit(c.SetPayoutProfile(actor=self.me, legal_name=legal_name,
                                                     billing_address=billing_address, tax_id=tax_id,
                                                     bank_account=bank_account, bic=bic))
