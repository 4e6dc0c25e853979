"""What a worker of the area sees on a request besides the request itself: the resident's own
network first, ranked volunteers with their reasons, the matches, the arrangement with its
check-ins, and when to evaluate. Built here so the request page stays the request's."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import lazyload

from marketplace.accounts.models import User
from marketplace.brokering import services as brokering
from marketplace.brokering.models import Arrangement, Match
from marketplace.clock import today
from marketplace.extensions import db
from marketplace.followup.models import CheckIn, Evaluation
from marketplace.followup.services import BEFORE_END_DAYS, checkins_of
from marketplace.help_requests.access import is_area_worker
from marketplace.help_requests.messages import UNKNOWN
from marketplace.help_requests.models import HelpRequest
from marketplace.matching.service import SearchOptions, find_candidates
from marketplace.matching.sources import marketplace_sources, match_request_for
from marketplace.residents.services import network_of

PROPOSABLE = ("new", "clarifying", "open")
DEFAULT_LIMIT = 20


@dataclass
class Candidate:
    user: User
    score: float
    distance_km: float
    reasons: list[str]
    match: Match | None  # an open proposal or offer of this volunteer on this request


@dataclass
class WorkerPanel:
    request: HelpRequest
    network: list[Any] = field(default_factory=list)  # matching NetworkMember values
    others: list[Any] = field(default_factory=list)  # the rest of the resident's network
    candidates: list[Candidate] = field(default_factory=list)
    can_propose: bool = False
    matches: list[Match] = field(default_factory=list)
    arrangement: Arrangement | None = None
    checkins: list[CheckIn] = field(default_factory=list)
    evaluation_due: bool = False  # ending soon or past its planned end
    overdue: bool = False
    evaluations: list[tuple[Arrangement, Evaluation | None]] = field(default_factory=list)
    # Workers who wrote down an answer for someone (an offer, a check-in): id -> name.
    entered_by: dict[int, str] = field(default_factory=dict)

    def for_resident(self, match: Match) -> bool:
        """A worker gave the resident's answer to this offer (brokering.on_behalf)."""
        return (match.awaiting == "resident" and match.decided_by_id is not None
                and match.decided_by_id != self.request.owner_id)


def ranking_for(help_request: HelpRequest, limit: int = DEFAULT_LIMIT, on: date | None = None):
    """The matching engine's answer for this request: own network first, then volunteers."""
    request = match_request_for(help_request, today=on or today())
    return find_candidates(request, marketplace_sources(), SearchOptions(limit=limit))


def evaluation_due(arrangement: Arrangement, on: date) -> tuple[bool, bool]:
    """(due, overdue): from two weeks before the planned end, or when marked as ending."""
    overdue = arrangement.planned_end_on < on
    due = overdue or arrangement.status == "ending" or (
        arrangement.planned_end_on - timedelta(days=BEFORE_END_DAYS) <= on)
    return due, overdue


def build(worker: User, help_request: HelpRequest, limit: int = DEFAULT_LIMIT, *,
          matches: list | None = None, arrangement: object = UNKNOWN) -> WorkerPanel | None:
    """None for anyone who is not a worker of the request's area. A page that already loaded
    the request's matches and active arrangement passes them (not asked for again)."""
    if not is_area_worker(worker, help_request):
        return None
    on = today()
    panel = WorkerPanel(request=help_request, matches=brokering.matches_for_request(help_request)
                        if matches is None else matches)
    panel.can_propose = help_request.status in PROPOSABLE
    if panel.can_propose:
        ranking = ranking_for(help_request, limit + 1, on)  # the resident may be a volunteer
        panel.network = list(ranking.network)
        helping = {(m.name, m.relation) for m in panel.network}
        panel.others = [m for m in network_of(help_request.owner_id or 0)
                        if (m.name, m.relation) not in helping]
        open_matches = {m.volunteer_id: m for m in panel.matches
                        if m.status in ("proposed", "accepted")}
        chosen = [c for c in ranking.candidates if c.user_id != help_request.owner_id][:limit]
        users = {u.id: u for u in db.session.scalars(
            select(User).where(User.id.in_([c.user_id for c in chosen]))
            .options(lazyload(User.role_rows), lazyload(User.areas)))}  # names only
        panel.candidates = [
            Candidate(users[c.user_id], c.score, c.display_km, c.reason_texts(),
                      open_matches.get(c.user_id))
            for c in chosen if c.user_id in users]
    panel.arrangement = brokering.active_arrangement(help_request) \
        if arrangement is UNKNOWN else arrangement
    if panel.arrangement is not None:
        panel.checkins = checkins_of(panel.arrangement)
        panel.evaluation_due, panel.overdue = evaluation_due(panel.arrangement, on)
    ended = db.session.execute(select(Arrangement, Evaluation).outerjoin(
        Evaluation, Evaluation.arrangement_id == Arrangement.id).where(
        Arrangement.request_id == help_request.id, Arrangement.status == "ended")
        .order_by(Arrangement.id)).all()
    panel.evaluations = [(done, evaluation) for done, evaluation in ended]
    panel.entered_by = _names(
        {m.decided_by_id for m in panel.matches if panel.for_resident(m)}
        | {c.resident_answer_by_id for c in panel.checkins}
        | {c.volunteer_answer_by_id for c in panel.checkins})
    return panel


def _names(ids: set[int | None]) -> dict[int, str]:
    wanted = sorted(i for i in ids if i)
    if not wanted:
        return {}  # the common case: no query
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(wanted))).all())


def labels() -> dict[str, Any]:
    """The words the panel's template needs for codes."""
    from marketplace.casework import labels as words
    from marketplace.residents.forms import RELATION_LABELS

    return {"relation_labels": RELATION_LABELS, "match_status_labels": words.MATCH_STATUS_LABELS,
            "checkin_labels": words.CHECKIN_LABELS, "answer_labels": words.ANSWER_LABELS,
            "continuation_labels": words.CONTINUATION_LABELS,
            "solved_by_labels": words.SOLVED_BY_LABELS}
