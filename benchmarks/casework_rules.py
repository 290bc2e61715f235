"""How fast casework's pure rules are at the issue's scale (200,000 referrals).

    .venv/bin/python benchmarks/casework_rules.py [--referrals 200000] [--seed 12]

Prints, for synthetic referrals sent on random days of 2024-2027 and answered 0 to 30 days
later: the time to work out every referral's chase date (`add_working_days(sent, 5)`), every
response time in working days (`working_days_between`), both with and without a council's
closure days, and to check a status change for each (`check_transition`, allowed and refused).
Figures only, never an assertion: a report over all referrals, or the nightly chase, does each
of these once a referral.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

# This checkout's code, whichever checkout the virtualenv was installed from.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from thedeal.casework.lifecycle import (  # noqa: E402
    TRANSITIONS,
    Party,
    Status,
    TransitionRefused,
    check_transition,
)
from thedeal.casework.working_days import WorkingDays  # noqa: E402


def timed(label: str, n: int, work: Callable[[], object]) -> None:
    started = time.perf_counter()
    work()
    took = time.perf_counter() - started
    print(f"{label:<58} {took * 1000:8.1f} ms  {took / n * 1e6:6.2f} µs each")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--referrals", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    n = args.referrals

    first = date(2024, 1, 1)
    sent = [first + timedelta(days=rng.randrange(4 * 365)) for _ in range(n)]
    answered = [day + timedelta(days=rng.randrange(31)) for day in sent]
    closures = [date(y, 12, d) for y in range(2024, 2028) for d in (29, 30, 31)]
    print(f"{n:,} referrals, sent {min(sent)} to {max(sent)}")

    for name, calendar in (("England", WorkingDays()), ("with closures", WorkingDays(closures))):
        timed(
            f"chase dates, add_working_days(sent, 5) ({name})",
            n,
            lambda c=calendar: [c.add(day, 5) for day in sent],
        )
        timed(
            f"response times, working_days_between ({name})",
            n,
            lambda c=calendar: [c.between(a, b) for a, b in zip(sent, answered, strict=True)],
        )

    allowed = [(s, e, next(iter(t.by))) for (s, e), t in TRANSITIONS.items()]
    attempts = [rng.choice(allowed) for _ in range(n)]
    timed(
        "check_transition, allowed changes",
        n,
        lambda: [check_transition(s, e, by=p, reason="Moved away") for s, e, p in attempts],
    )

    def refused() -> None:
        for _ in range(n):
            try:
                check_transition(Status.COMPLETED, Status.REQUESTED, by=Party.REQUESTER)
            except TransitionRefused:
                pass

    timed("check_transition, refused (completed -> requested)", n, refused)


if __name__ == "__main__":
    main()
