"""Swarm testing: each seed draws its own mix of actions and faults.

One fixed mix explores one neighbourhood of behaviour however many seeds it runs: with every
action always likely, a run never goes deep into anything (claims need sessions, sessions need
time to pass without the booking being cancelled first). As in TigerBeetle's VOPR and
FoundationDB's simulator, each seed switches some actions off and makes others much likelier,
so some runs are nearly all live sessions, some all claims, some all offline edits.

The draws come from generators of their own (one per action, seeded by the seed and the action's
name), not from the run's `rng`: adding an action to the tables changes no other action's weight,
and a seed replays its mix exactly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import lru_cache

# Kept on in every mix (their weight still varies): without them time stands still or the
# desktops never exchange anything, and a run stops exploring altogether.
ALWAYS = frozenset({"sync", "pass_time", "jump", "settle"})
# Not drawn at all: the goal-directed parties (goals.py) keep their share in every mix, so a long
# run of any seed reaches every outcome; the swarm varies what happens around them.
FIXED = frozenset({"goal"})
OFF = 0.25  # chance an action is switched off for the whole run
MULTIPLIERS = (0.2, 0.5, 1.0, 2.0, 5.0)
# Fault rates: (name, default, choices)
RATES: tuple[tuple[str, float, tuple[float, ...]], ...] = (
    ("api_faults", 0.15, (0.0, 0.05, 0.15, 0.3)),  # a customer's or operator's call cut or duplicated
    ("sync_faults", 0.35, (0.0, 0.15, 0.35, 0.6)),  # a desktop's push or pull duplicated, delayed or cut
    ("wrong", 0.12, (0.02, 0.12, 0.25)),  # an action built to be refused
)


@dataclass(frozen=True)
class Swarm:
    seed: int
    on: bool = True
    rates: dict[str, float] = field(default_factory=dict)

    @classmethod
    def draw(cls, seed: int, on: bool = True) -> Swarm:
        rates = {name: (random.Random(f"swarm:{seed}:{name}").choice(choices) if on else default)
                 for name, default, choices in RATES}
        return cls(seed, on, rates)

    def weight(self, action: str) -> float:
        """The multiplier of an action's table weight in this run (0: switched off)."""
        return _multiplier(self.seed, action) if self.on and action not in FIXED else 1.0

    def describe(self, actions: list[str]) -> dict[str, float]:
        """The mix as printed with the seed: every action's multiplier, then the fault rates."""
        return {**{name: self.weight(name) for name in sorted(actions)}, **self.rates}


@lru_cache(maxsize=4096)
def _multiplier(seed: int, action: str) -> float:
    rng = random.Random(f"swarm:{seed}:{action}")
    if action not in ALWAYS and rng.random() < OFF:
        return 0.0
    return rng.choice(MULTIPLIERS)
