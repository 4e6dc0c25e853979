"""A small world with numbers computed by hand, for the reporting tests.

Region REG → municipality GM (no PC4 of its own) → districts D1 (5527, 5528), D2 (5531),
D3 (5529). Every request is made in the first quarter of 2025 (the tests ask 2025-01-01 to
2025-03-31, Q1; the rest of 2025 is empty, so the year's table equals its first quarter).

D1: 30 requests: own network 6, association 5, activity 5, volunteer 7 (support ended
    after 10, 20, …, 70 days; 60 planned; evaluated on the day it ended, 2 goals each,
    the first 5 both attained), worker 5, one still open, one in progress whose
    support was evaluated "extension". Residents of 5 of the 7 volunteer-helped requests
    gave something back. 5 of them scored "social" 2 at intake and 4 at evaluation.
    6 signals, respond by 6 March: 5 handled on 4 March, 1 on 10 March.
    Volunteers V1..V6 (profiles from January, home 5527) do all of D1's support.
D2: 12 requests: volunteer 6 (30 days each, by V1..V3, not evaluated), referred 3, open 3.
D3: 2 requests, own network.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from marketplace.accounts.models import User
from marketplace.brokering.models import Arrangement, Match
from marketplace.casework.models import LifeDomainScore
from marketplace.extensions import db
from marketplace.followup.models import Evaluation
from marketplace.help_requests.models import HelpRequest
from marketplace.reciprocity.models import Contribution
from marketplace.signals.models import Signal
from marketplace.volunteers.models import VolunteerProfile

PERIOD = {"from": "2025-01-01", "to": "2025-03-31"}
T0 = datetime(2025, 2, 1, 10, 0, tzinfo=UTC)

# What the municipality GM must show for PERIOD (k = 5), computed by hand.
EXPECTED_GM = {
    "requests": 44,
    "closed": 39,  # 28 in D1, 9 in D2, 2 in D3
    "solved_own_network": 8,
    "solved_volunteer": 13,
    "solved_worker": 5,
    "solved_association": 5,
    "solved_activity": 5,
    "share_zero_line": round(31 / 39, 3),
    "network_mobilised_share": round(8 / 39, 3),
    "ended_within_plan_share": round(12 / 13, 3),
    "median_support_days": 30.0,  # 10,20,30×7,40,50,60,70
    "evaluations_on_time_share": round(7 / 8, 3),
    "reciprocity_share": round(5 / 13, 3),
    "life_domain_change": 2.0,
    "goals_attained_share": round(10 / 14, 3),
    "signals_in_time_share": round(5 / 6, 3),
    "volunteers_active": 6,
    "volunteers_new": 6,
}
# Under k: never shown.
SMALL_GM = ("referred", "extended", "stepped_down", "not_solved", "volunteers_retained")


@dataclass
class ReportingWorld:
    areas: dict[str, Any]
    people: dict[str, Any] = field(default_factory=dict)


def _user(name: str) -> User:
    user = User(email=f"{name.lower()}@example.org", name=name)
    db.session.add(user)
    db.session.flush()
    return user


_PLACES = {"5527": (51.3632, 5.2563), "5528": (51.3966, 5.2704), "5529": (51.3969, 5.2392),
           "5531": (51.3678, 5.217)}


def _request(area: Any, pc4: str, n: int, *, status: str = "closed",
             solved_by: str | None = None, at: datetime = T0) -> HelpRequest:
    owner = _user(f"Bewoner{area.code}{n}")
    lat, lon = _PLACES[pc4]
    request = HelpRequest(owner_id=owner.id, created_by_id=owner.id, category="shopping",
                          description="Boodschappen", pc4=pc4, house_number=str(n), lat=lat,
                          lon=lon, area_id=area.id, status=status, solved_by=solved_by,
                          created_at=at, closed_at=at if status == "closed" else None)
    db.session.add(request)
    db.session.flush()
    return request


def _support(request: HelpRequest, volunteer: User, days: int | None, *, planned: int = 60,
             evaluated: str | None = None,
             goals: tuple[int, int] | None = None) -> Arrangement:
    match = Match(request_id=request.id, volunteer_id=volunteer.id, status="accepted",
                  origin="worker")
    db.session.add(match)
    db.session.flush()
    start = date(2025, 2, 3)
    ended = start + timedelta(days=days) if days is not None else None
    arrangement = Arrangement(request_id=request.id, match_id=match.id,
                              volunteer_id=volunteer.id,
                              status="ended" if ended else "active", started_on=start,
                              planned_end_on=start + timedelta(days=planned), ended_on=ended)
    db.session.add(arrangement)
    db.session.flush()
    if evaluated:
        done = ended or start + timedelta(days=30)
        db.session.add(Evaluation(arrangement_id=arrangement.id, continuation=evaluated,
                                  extension_reason="Nog nodig" if evaluated == "extension"
                                  else None,
                                  goals_attained=goals[0] if goals else None,
                                  goals_total=goals[1] if goals else None,
                                  done_at=datetime(done.year, done.month, done.day, 15,
                                                   tzinfo=UTC)))
    return arrangement


def build(make_area: Any) -> ReportingWorld:
    reg = make_area("REG", "region", name="Kempen")
    gm = make_area("GM", "municipality", name="Bladel", parent="REG")
    d1 = make_area("D1", "district", name="Hapert", parent="GM", pc4=("5527", "5528"))
    d2 = make_area("D2", "district", name="Bladel-Centrum", parent="GM", pc4=("5531",))
    d3 = make_area("D3", "core", name="Casteren", parent="GM", pc4=("5529",))
    world = ReportingWorld({"REG": reg, "GM": gm, "D1": d1, "D2": d2, "D3": d3})
    volunteers = [_user(f"V{i}") for i in range(1, 7)]
    for v in volunteers:
        db.session.add(VolunteerProfile(user_id=v.id, home_pc4="5527", lat=51.36, lon=5.25,
                                        created_at=datetime(2025, 1, 10, tzinfo=UTC)))
    n = 0
    # D1
    for _ in range(6):
        n += 1
        _request(d1, "5527", n, solved_by="own_network")
    for i, days in enumerate((10, 20, 30, 40, 50, 60, 70)):
        n += 1
        request = _request(d1, "5528", n, solved_by="volunteer")
        arrangement = _support(request, volunteers[i % 6], days, evaluated="none_needed",
                               goals=(2 if i < 5 else 0, 2))
        if i < 5:
            db.session.add(Contribution(person_id=request.owner_id, kind="help_neighbour",
                                        at=T0 + timedelta(days=100)))
            db.session.add(LifeDomainScore(resident_id=request.owner_id, moment="intake",
                                           domain="social", score=2,
                                           recorded_at=T0 - timedelta(days=1)))
            db.session.add(LifeDomainScore(resident_id=request.owner_id,
                                           arrangement_id=arrangement.id,
                                           moment="evaluation", domain="social", score=4,
                                           recorded_at=T0 + timedelta(days=days)))
    for how in ("worker", "association", "activity"):
        for _ in range(5):
            n += 1
            _request(d1, "5527", n, solved_by=how)
    n += 1
    _request(d1, "5527", n, status="open")
    n += 1
    running = _request(d1, "5527", n, status="in_progress")
    _support(running, volunteers[0], None, evaluated="extension")
    for i in range(6):
        db.session.add(Signal(pc4="5527", concern="Zorgen", area_id=d1.id, status="handled",
                              respond_by=date(2025, 3, 6),
                              created_at=datetime(2025, 3, 1, tzinfo=UTC),
                              handled_at=datetime(2025, 3, 4 if i < 5 else 10, 12,
                                                  tzinfo=UTC)))
    # D2
    for i in range(6):
        n += 1
        request = _request(d2, "5531", n, solved_by="volunteer")
        _support(request, volunteers[i % 3], 30)
    for _ in range(3):
        n += 1
        _request(d2, "5531", n, status="referred", solved_by="referred")
    for _ in range(3):
        n += 1
        _request(d2, "5531", n, status="open")
    # D3
    for _ in range(2):
        n += 1
        _request(d3, "5529", n, solved_by="own_network")
    # Outside the period (and its year, so the 2025 table has data in Q1 only): must not
    # count.
    _request(d1, "5527", 999, solved_by="worker", at=datetime(2024, 12, 30, tzinfo=UTC))
    db.session.commit()
    world.people["volunteers"] = volunteers
    return world
