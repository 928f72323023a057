"""A deployment's policy travels to the desktops as JSON and comes back the same."""

from __future__ import annotations

import json

from consoleapp.engine.model import Mode
from consoleapp.engine.policy import DEFAULT_POLICY, Policy


def test_policy_round_trips_through_json() -> None:
    custom = Policy.from_mapping({"commission_percent": 15, "payout_days": [5, 20],
                                  "min_rate": {"video": 3, "chat": 1, "phone": 2}})
    for policy in (DEFAULT_POLICY, custom):
        again = Policy.from_mapping(json.loads(json.dumps(policy.to_mapping())))
        assert again == policy
    assert custom.to_mapping()["min_rate"] == {"video": 3, "chat": 1, "phone": 2}
    assert custom.min_rate[Mode.PHONE] == 2
