"""Policy as data: every window, fee and deadline a deployment may set for itself."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import INVALID, DomainError
from .model import Mode


def _default_minimums() -> dict[Mode, int]:
    return {Mode.VIDEO: 1, Mode.CHAT: 1, Mode.PHONE: 1}


@dataclass(frozen=True, slots=True)
class Policy:
    commission_percent: int = 10
    late_cancel_hours: int = 48
    late_cancel_fee_percent: int = 50
    join_before_minutes: int = 15
    join_after_minutes: int = 60
    auto_evaluation_hours: int = 168
    claim_window_hours: int = 72
    # An unanswered claim goes to the operator after this long.
    claim_answer_hours: int = 72
    event_max_participants: int = 49
    event_presence_minutes: int = 5
    review_bonus_credits: int = 10
    payout_days: tuple[int, ...] = (1, 16)
    payout_threshold: int = 50
    instant_timeout_seconds: int = 90
    now_slot_hours: int = 3
    short_package_minutes: int = 15
    long_package_minutes: int = 30
    reminder_hours_before: int = 24
    link_minutes_before: int = 60
    evaluation_reminder_hours: int = 24
    session_warning_seconds: int = 30
    gift_seconds: int = 120
    platform_fault_percent: int = 50
    lost_disputes_flag_over: int = 3
    lost_disputes_days: int = 90
    # Minimum per-minute rate, per communication mode.
    min_rate: Mapping[Mode, int] = field(default_factory=_default_minimums)
    # Minimum package price, per communication mode.
    min_package: Mapping[Mode, int] = field(default_factory=_default_minimums)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Policy:
        """A deployment's overrides; unknown or negative settings are refused by name."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise DomainError(INVALID, f"unknown policy setting(s): {', '.join(unknown)}")
        clean: dict[str, Any] = {}
        for name, value in values.items():
            if name in ("min_rate", "min_package"):
                clean[name] = {Mode(k): int(v) for k, v in dict(value).items()}
            elif name == "payout_days":
                days = tuple(int(d) for d in value)
                if not days or any(not 1 <= d <= 28 for d in days):
                    raise DomainError(INVALID, "payout_days must be days 1 to 28 of the month")
                clean[name] = days
            else:
                number = int(value)
                if number < 0:
                    raise DomainError(INVALID, f"policy setting {name} cannot be negative")
                clean[name] = number
        policy = dataclasses.replace(cls(), **clean)
        if policy.event_max_participants > 49:
            raise DomainError(INVALID, "event_max_participants can be at most 49")
        if policy.commission_percent > 100 or policy.late_cancel_fee_percent > 100:
            raise DomainError(INVALID, "percentages must be between 0 and 100")
        return policy

    def to_mapping(self) -> dict[str, Any]:
        """Every setting as plain JSON values; `from_mapping(to_mapping())` gives the same policy."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Mapping):
                value = {str(k): int(v) for k, v in value.items()}
            elif isinstance(value, tuple):
                value = list(value)
            out[f.name] = value
        return out


DEFAULT_POLICY = Policy()
