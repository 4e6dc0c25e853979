"""The plain values matching works on: a request, a volunteer candidate, a network member.

Frozen dataclasses with no behaviour beyond validation and a few questions about themselves.
The database side (``service``) builds them; tests build them by hand. Collections are stored
as frozensets (lists and tuples are accepted and converted) so the values stay hashable and
order never leaks into a result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

# Day-part codes of the API contract, in week order (the order reasons list them in).
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PARTS = ("morning", "afternoon", "evening")
DAY_PARTS: tuple[str, ...] = tuple(f"{d}_{p}" for d in DAYS for p in PARTS)
DAY_PART_ORDER = {code: i for i, code in enumerate(DAY_PARTS)}

# Nobody travels further than this for informal help; the index searches at most this far.
MAX_RADIUS_KM = 25.0
PRONOUNS = ("haar", "zijn")  # "binnen haar straal"; None gives the neutral "de straal"


def _frozen(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, frozenset(value))  # type: ignore[arg-type]


def _check_position(lat: float, lon: float) -> None:
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"not a coordinate in degrees: ({lat!r}, {lon!r})")


def _check_slots(slots: frozenset[str]) -> None:
    unknown = slots - DAY_PART_ORDER.keys()
    if unknown:
        raise ValueError(f"unknown day-part codes: {sorted(unknown)}")


@dataclass(frozen=True, slots=True)
class MatchRequest:
    """What matching needs to know about a help request (never the house number)."""

    id: int
    category: str
    lat: float
    lon: float
    reach_km: float
    when: date
    needs_vog: bool = False
    slots: frozenset[str] = field(default_factory=frozenset)  # wanted day parts; empty = flexible
    language: str | None = None  # a language the resident needs besides Dutch (ISO 639 code)
    resident_id: int | None = None

    def __post_init__(self) -> None:
        _check_position(self.lat, self.lon)
        if not (math.isfinite(self.reach_km) and self.reach_km > 0):
            raise ValueError(f"reach_km must be a positive number, got {self.reach_km!r}")
        _frozen(self, "slots", self.slots)
        _check_slots(self.slots)


@dataclass(frozen=True, slots=True)
class VolunteerCandidate:
    """A volunteer as matching sees them. ``user_id`` is the id used everywhere else."""

    user_id: int
    lat: float
    lon: float
    radius_km: float
    skills: frozenset[str]
    has_vog: bool = False
    vog_valid_until: date | None = None  # None with has_vog: no known end date
    paused: bool = False
    active_commitments: int = 0
    max_commitments: int = 1
    availability: frozenset[str] = field(default_factory=frozenset)
    languages: frozenset[str] = field(default_factory=frozenset)
    helped_residents: frozenset[int] = field(default_factory=frozenset)
    pronoun: str | None = None  # "haar" or "zijn" when the volunteer told us; else neutral

    def __post_init__(self) -> None:
        _check_position(self.lat, self.lon)
        if not (math.isfinite(self.radius_km) and self.radius_km >= 0):
            raise ValueError(f"radius_km must be a non-negative number, got {self.radius_km!r}")
        if self.active_commitments < 0 or self.max_commitments < 0:
            raise ValueError("commitment counts cannot be negative")
        if self.pronoun is not None and self.pronoun not in PRONOUNS:
            raise ValueError(f"pronoun must be one of {PRONOUNS} or None, got {self.pronoun!r}")
        for name in ("skills", "availability", "languages", "helped_residents"):
            _frozen(self, name, getattr(self, name))
        _check_slots(self.availability)

    def vog_valid_on(self, day: date) -> bool:
        """Holds a VOG that has not expired on ``day`` (valid through its last day)."""
        return self.has_vog and (self.vog_valid_until is None or self.vog_valid_until >= day)

    @property
    def capacity_left(self) -> int:
        return max(0, self.max_commitments - self.active_commitments)


@dataclass(frozen=True, slots=True)
class NetworkMember:
    """Someone from the resident's own network (the 0th line): family, neighbour, friend."""

    name: str
    relation: str
    can_help: frozenset[str] = field(default_factory=frozenset)
    cannot_help: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        _frozen(self, "can_help", self.can_help)
        _frozen(self, "cannot_help", self.cannot_help)

    def can_help_with(self, category: str) -> bool:
        """Said they can help with it and did not also say they cannot (the "no" wins)."""
        return category in self.can_help and category not in self.cannot_help
