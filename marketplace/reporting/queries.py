"""The indicator queries: one aggregate query per indicator family, read-only.

Each additive family groups by the request's (most specific) area and quarter, so one
query serves an area, every area below it and every quarter of a year; the caller sums the
rows up the area tree (`indicators.py`). Nothing here loops over cases.

Rows are ``(area_id, part, {metric: count})`` where part is the quarter ("Q1".."Q4") when
the period is a calendar year, else "all"; histograms (for medians) are
``(area_id, part, days, count)``. The SQL building blocks (row shapes, quarter buckets, day
arithmetic) live in ``queries_sql.py`` and stay importable from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, bindparam, case, distinct, exists, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from marketplace.areas.models import AreaPostcode
from marketplace.brokering.models import Arrangement
from marketplace.casework.models import LifeDomainScore, Referral, ResidentArea
from marketplace.extensions import db
from marketplace.followup.models import ArrangementExtension, Evaluation
from marketplace.help_requests.models import HelpRequest
from marketplace.reciprocity.models import Contribution, ReciprocityInvitation
from marketplace.reporting.periods import Period
from marketplace.reporting.queries_sql import ALL_BUCKET as ALL_BUCKET  # re-exported
from marketplace.reporting.queries_sql import (
    HistRow,
    Row,
    _flag,
    _grouped,
    _in_period,
    area_ids,
    bucket_of,
    day_of,
    days_between,
    kept,
    values,
)
from marketplace.signals.models import Signal

# How a request ended → the count it adds to. Anything else closed counts as "closed_other".
OUTCOME_CELLS = {
    "own_network": "solved_own_network",
    "volunteer": "solved_volunteer",
    "association": "solved_association",
    "activity": "solved_activity",
    "worker": "solved_worker",
    "referred": "referred",
    "not_solved": "not_solved",
}
ZERO_LINE = ("own_network", "volunteer", "association", "activity")
CONTRIBUTED = ("help_neighbour", "help_activity", "share_skill")


def _requests_in() -> list[ColumnElement[bool]]:
    return [HelpRequest.area_id.in_(area_ids()), _in_period(HelpRequest.created_at)]


@kept
def _outcomes(dialect: str, year: bool) -> Any:
    outcome = case((HelpRequest.solved_by.isnot(None), HelpRequest.solved_by),
                   (HelpRequest.status == "referred", "referred"), else_=None).label("outcome")
    network = (select(Arrangement.request_id.label("request_id"))
               .join(Evaluation, Evaluation.arrangement_id == Arrangement.id)
               .where(Evaluation.continuation == "network").distinct().subquery())
    part = bucket_of(HelpRequest.created_at, year).label("part")
    return (select(HelpRequest.area_id, part, outcome, func.count(),
                   _flag(or_(HelpRequest.solved_by == "own_network",
                             network.c.request_id.isnot(None))))
            .outerjoin(network, network.c.request_id == HelpRequest.id)
            .where(*_requests_in())
            .group_by(*_grouped(HelpRequest.area_id, part, outcome)))


def outcomes(area_ids: Sequence[int], period: Period) -> list[Row]:
    """Requests created in the period by how they ended (2 → 1 → 0), network mobilised."""
    rows: list[Row] = []
    for area_id, part_key, how, count, mobilised in db.session.execute(
            _outcomes(period), values(area_ids, period)):
        metrics = {"requests": count}
        if how is None:
            metrics["not_closed"] = count
        else:
            metrics["closed"] = count
            metrics[OUTCOME_CELLS.get(how, "closed_other")] = count
            metrics["network_mobilised"] = int(mobilised)
            if how in ZERO_LINE:
                metrics["zero_line"] = count
        rows.append((area_id, part_key, metrics))
    return rows


@kept
def _step_downs(dialect: str, year: bool) -> Any:
    part = bucket_of(Referral.stepped_down_at, year).label("part")
    return (select(ResidentArea.area_id, part, func.count())
            .select_from(Referral)
            .join(ResidentArea, ResidentArea.resident_id == Referral.resident_id)
            .where(ResidentArea.area_id.in_(area_ids()), _in_period(Referral.stepped_down_at))
            .group_by(*_grouped(ResidentArea.area_id, part)))


def step_downs(area_ids: Sequence[int], period: Period) -> list[Row]:
    """Referrals to the 2nd line stepped down to the neighbourhood in the period (by the
    resident's area)."""
    return [(a, m, {"stepped_down": n})
            for a, m, n in db.session.execute(_step_downs(period), values(area_ids, period))]


SUPPORT_METRICS = ("arrangements", "ended", "ended_within_plan", "extended", "evaluations",
                   "evaluations_on_time", "goals_total", "goals_attained", "goal_cases")


@kept
def _support(dialect: str, year: bool) -> Any:
    ended = Arrangement.status == "ended"
    extensions = (select(ArrangementExtension.arrangement_id.label("arrangement_id"))
                  .distinct().subquery())
    days = case((and_(ended, Arrangement.ended_on.isnot(None)),
                 days_between(Arrangement.started_on, Arrangement.ended_on, dialect)),
                else_=None).label("days")
    part = bucket_of(HelpRequest.created_at, year).label("part")
    return (select(
        HelpRequest.area_id, part, days,
        func.count(Arrangement.id),
        _flag(ended),
        _flag(and_(ended, Arrangement.ended_on <= Arrangement.planned_end_on)),
        # Every extension is kept (arrangement_extension); the evaluation row only shows
        # the last one, and fixtures written before that table existed.
        _flag(or_(extensions.c.arrangement_id.isnot(None),
                  Evaluation.continuation == "extension")),
        _flag(Evaluation.id.isnot(None)),
        _flag(and_(Evaluation.id.isnot(None),
                   day_of(Evaluation.done_at, dialect) <= Arrangement.planned_end_on)),
        func.coalesce(func.sum(Evaluation.goals_total), 0),
        func.coalesce(func.sum(Evaluation.goals_attained), 0),
        _flag(Evaluation.goals_total > 0))
        .select_from(Arrangement)
        .join(HelpRequest, HelpRequest.id == Arrangement.request_id)
        .outerjoin(Evaluation, Evaluation.arrangement_id == Arrangement.id)
        .outerjoin(extensions, extensions.c.arrangement_id == Arrangement.id)
        .where(*_requests_in())
        .group_by(*_grouped(HelpRequest.area_id, part, days)))


def support(area_ids: Sequence[int], period: Period) -> tuple[list[Row], list[HistRow]]:
    """Arrangements (temporary support) for requests created in the period: their end and
    duration (a histogram of days, for the median), whether they were ever extended, and
    the evaluation with its goals. One pass over the rows."""
    rows: list[Row] = []
    hist: list[HistRow] = []
    for row in db.session.execute(_support(period), values(area_ids, period)):
        area_id, part_key, length = row[0], row[1], row[2]
        rows.append((area_id, part_key,
                     dict(zip(SUPPORT_METRICS, (int(v) for v in row[3:]), strict=True))))
        if length is not None:
            hist.append((area_id, part_key, int(length), int(row[4])))
    return rows, hist


@kept
def _reciprocity(dialect: str, year: bool) -> Any:
    latest = func.row_number().over(
        partition_by=HelpRequest.owner_id,
        order_by=(HelpRequest.created_at.desc(), HelpRequest.id.desc()))
    helped = (select(HelpRequest.area_id.label("area_id"),
                     HelpRequest.created_at.label("created_at"),
                     HelpRequest.owner_id.label("person_id"), latest.label("rank"))
              .join(Arrangement, Arrangement.request_id == HelpRequest.id)
              .where(Arrangement.status == "ended", HelpRequest.owner_id.isnot(None),
                     *_requests_in())
              .subquery())
    gave = or_(
        exists().where(Contribution.person_id == helped.c.person_id),
        exists().where(ReciprocityInvitation.resident_id == helped.c.person_id,
                       ReciprocityInvitation.answer.in_(CONTRIBUTED)))
    part = bucket_of(helped.c.created_at, year).label("part")
    return (select(helped.c.area_id, part, func.count(), _flag(gave))
            .where(helped.c.rank == 1)
            .group_by(*_grouped(helped.c.area_id, part)))


def reciprocity(area_ids: Sequence[int], period: Period) -> list[Row]:
    """Helped residents (persons) and those of them who offered to give something back
    (a "yes" to the invitation, or the contribution it recorded): an offer, an intention,
    not what came of it.

    A helped resident owns a request created in the period whose support ended. Each person
    counts once, in the area and quarter of their latest such request, so the counts still
    add up over areas and quarters (and are protected with the other counts)."""
    return [(a, m, {"helped_residents": n, "residents_contributed": int(c)})
            for a, m, n, c in db.session.execute(_reciprocity(period), values(area_ids, period))]


@kept
def _life_domains(dialect: str, year: bool) -> Any:
    intake = LifeDomainScore.__table__.alias("intake_score")
    intake_score = (select(intake.c.score)
                    .where(intake.c.resident_id == LifeDomainScore.resident_id,
                           intake.c.domain == LifeDomainScore.domain,
                           intake.c.moment == "intake")
                    .order_by(intake.c.recorded_at.desc(), intake.c.id.desc())
                    .limit(1).scalar_subquery())
    pairs = (select(HelpRequest.area_id.label("area_id"),
                    bucket_of(HelpRequest.created_at, year).label("part"),
                    LifeDomainScore.arrangement_id.label("arrangement_id"),
                    (LifeDomainScore.score - intake_score).label("change"))
             .join(Arrangement, Arrangement.id == LifeDomainScore.arrangement_id)
             .join(HelpRequest, HelpRequest.id == Arrangement.request_id)
             .where(LifeDomainScore.moment == "evaluation", *_requests_in())
             .subquery())
    return (select(pairs.c.area_id, pairs.c.part, func.count(distinct(pairs.c.arrangement_id)),
                   func.count(), func.coalesce(func.sum(pairs.c.change), 0))
            .where(pairs.c.change.isnot(None))
            .group_by(pairs.c.area_id, pairs.c.part))


def life_domains(area_ids: Sequence[int], period: Period) -> list[Row]:
    """Evaluation scores beside the resident's last intake score of the same domain."""
    return [(a, m, {"domain_cases": c, "domain_pairs": p, "domain_change_sum": int(s)})
            for a, m, c, p, s in db.session.execute(_life_domains(period),
                                                    values(area_ids, period))]


@kept
def _signals(dialect: str, year: bool) -> Any:
    # Met by the first contact attempt or by the outcome, whichever came first: in time when
    # either fell on or before the respond-by date.
    handled = Signal.handled_at.isnot(None)
    attempted = Signal.first_attempt_on.isnot(None)
    part = bucket_of(Signal.created_at, year).label("part")
    return (select(Signal.area_id, part,
                   _flag(or_(handled, attempted, Signal.respond_by < bindparam("today"))),
                   _flag(or_(and_(attempted, Signal.first_attempt_on <= Signal.respond_by),
                             and_(handled,
                                  day_of(Signal.handled_at, dialect) <= Signal.respond_by))))
            .where(Signal.area_id.in_(area_ids()), _in_period(Signal.created_at))
            .group_by(*_grouped(Signal.area_id, part)))


def signals(area_ids: Sequence[int], period: Period, today: date) -> list[Row]:
    """Signals made in the period: due (tried, handled, or past respond-by) and met in time
    (first attempt or outcome on or before respond-by)."""
    return [(a, m, {"signals_due": int(d), "signals_in_time": int(t)})
            for a, m, d, t in db.session.execute(_signals(period),
                                                 values(area_ids, period, today=today))]


@lru_cache(maxsize=1)
def _direct_postcode_areas() -> Any:
    return select(AreaPostcode.area_id).where(AreaPostcode.area_id.in_(area_ids())).distinct()


def direct_postcode_areas(ids: Iterable[int]) -> set[int]:
    """Areas with PC4 codes of their own (not only through the areas below them)."""
    return set(db.session.scalars(_direct_postcode_areas(), {"area_ids": list(ids)}))
