"""The periods casework's reports cover: kept apart from the reports themselves (which need
pandas and the indicator methods) so that the reports' form and URLs load without them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

__all__ = ["DEFAULT_PERIOD", "PERIODS", "Period", "period"]


@dataclass(frozen=True)
class Period:
    """The referrals made, and the reviews held, from `start` to `end` (both included)."""

    key: str
    label: str
    start: datetime.date | None
    end: datetime.date

    @property
    def description(self) -> str:
        if self.start is None:
            return f"up to {self.end:%-d %B %Y}"
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"


PERIODS = {
    "3-months": ("The last 3 months", 91),
    "6-months": ("The last 6 months", 182),
    "12-months": ("The last 12 months", 365),
    "all": ("All time", None),
}
DEFAULT_PERIOD = "12-months"


def period(key: str = DEFAULT_PERIOD, *, today: datetime.date | None = None) -> Period:
    today = today or timezone.localdate()
    label, days = PERIODS[key]
    start = today - datetime.timedelta(days=days - 1) if days else None
    return Period(key, label, start, today)
