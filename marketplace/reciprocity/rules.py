"""Reciprocity rules, pure: when to invite and remind, and how to count given/received.

Never a condition for help: these rules only decide when a warm invitation is due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

INVITE_AFTER_DAYS = 14
REMIND_AFTER_DAYS = 14


def invitation_due(ended_on: date, today: date) -> bool:
    return today >= ended_on + timedelta(days=INVITE_AFTER_DAYS)


def invited_if_ended_on_or_before(today: date) -> date:
    """The same rule as `invitation_due`, as a cut-off date a query can use."""
    return today - timedelta(days=INVITE_AFTER_DAYS)


def reminded_if_invited_at_or_before(now: datetime) -> datetime:
    """The time rule of `reminder_due`, as a cut-off moment a query can use."""
    return now - timedelta(days=REMIND_AFTER_DAYS)


def reminder_due(invited_at: datetime, answered: bool, reminded: bool, now: datetime) -> bool:
    """One gentle reminder, only when nothing was answered."""
    return not answered and not reminded and now >= invited_at + timedelta(days=REMIND_AFTER_DAYS)


@dataclass(frozen=True)
class Tally:
    given: int
    received: int

    @property
    def balance_words(self) -> str:
        """A plain description instead of an hour balance (no 1:1 exchange is implied)."""
        if self.given == 0 and self.received == 0:
            return "nog niets"
        return f"{self.given}× geholpen, {self.received}× hulp gekregen"


def tally(given: int, received: int) -> Tally:
    if given < 0 or received < 0:
        raise ValueError("counts cannot be negative")
    return Tally(given, received)
