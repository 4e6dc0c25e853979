"""The life of a request in one home (marketplace.support.lifecycle): every move, who made
it, how a closed request was solved, and what the other features do on its signals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace.brokering.models import Match
from marketplace.brokering.services import accept, end_arrangement, offer_help, propose_match
from marketplace.casework.referrals import refer, save_partner
from marketplace.clock import now as clock_now
from marketplace.errors import Conflict, DomainError, ValidationFailed
from marketplace.extensions import db
from marketplace.followup.models import CheckIn
from marketplace.help_requests.services import (
    RequestInput,
    close_without_arrangement,
    create_request,
    withdraw,
)
from marketplace.support import events, lifecycle
from marketplace.volunteers.services import ProfileInput, save_profile


@pytest.fixture()
def people(app, make_user, make_area):
    area = make_area("GM1728", "municipality", pc4=("5527", "5531"))
    other = make_area("GM0770", "municipality", pc4=("5521",))
    volunteer = make_user("volunteer")
    save_profile(volunteer, ProfileInput(skills=["shopping"], postcode="5531", radius_km=10))
    db.session.commit()
    return {"worker": make_user("worker", areas=(area,)), "resident": make_user("resident"),
            "volunteer": volunteer, "stranger": make_user("worker", areas=(other,))}


def new_request(people):
    request = create_request(people["resident"], RequestInput(
        category="shopping", description="Boodschappen graag", postcode="5527",
        house_number="2"))
    db.session.commit()
    return request


def started(people):
    request = new_request(people)
    arrangement = accept(people["volunteer"],
                         propose_match(people["worker"], request, people["volunteer"]))
    db.session.commit()
    return request, arrangement


def moves(request) -> list[tuple[str | None, str, int | None]]:
    # Status travels only: a worker taking the case on is a timeline entry without a move.
    return [(e.from_status, e.to_status, e.actor_id) for e in request.events
            if e.from_status != e.to_status]


@pytest.mark.parametrize("solved_by", lifecycle.SOLVED_BY)
def test_close_records_how_and_by_whom(app, people, solved_by):
    request, worker = new_request(people), people["worker"]
    at = (clock_now() + timedelta(minutes=1)).replace(microsecond=0)
    lifecycle.close_request(request, solved_by=solved_by, actor=worker, now=at)
    db.session.commit()
    db.session.refresh(request)
    assert (request.status, request.solved_by, request.closed_at) == ("closed", solved_by, at)
    last = request.events[-1]
    assert (last.from_status, last.to_status, last.actor_id, last.at) == (
        "open", "closed", worker.id, at)
    assert last.reason == lifecycle.CLOSE_REASONS[solved_by]


def test_close_keeps_the_note_and_refuses_nonsense(app, people):
    request = new_request(people)
    with pytest.raises(ValidationFailed) as refused:
        lifecycle.close_request(request, solved_by="magic", actor=None, note="x" * 501)
    assert set(refused.value.errors) == {"solved_by", "note"}
    assert request.status == "open" and request.solved_by is None
    lifecycle.close_request(request, solved_by="own_network", actor=None,
                            note="  De buurvrouw doet het  ")
    assert request.events[-1].reason == "De buurvrouw doet het"
    assert request.events[-1].actor_id is None  # closed by the system, and it says so
    assert request.status == "closed"
    with pytest.raises(Conflict):
        lifecycle.close_request(request, solved_by="worker", actor=people["worker"])


def test_every_travel_from_open_to_closed_is_on_the_timeline(app, people):
    request, arrangement = started(people)
    lifecycle.record_status(request, "in_progress", actor=people["volunteer"], reason="bezig")
    end_arrangement(people["worker"], arrangement, solved_by="volunteer")
    db.session.commit()
    assert moves(request) == [
        ("draft", "open", people["resident"].id),
        ("open", "matched", people["volunteer"].id),
        ("matched", "in_progress", people["volunteer"].id),
        ("in_progress", "closed", people["worker"].id),
    ]
    assert (request.solved_by, request.events[-1].reason) == ("volunteer", "hulp afgerond")
    assert arrangement.status == "ended"


def test_a_move_outside_the_table_is_refused(app, people):
    request = new_request(people)
    with pytest.raises(DomainError):
        lifecycle.record_status(request, "in_progress", actor=None)
    lifecycle.close_request(request, solved_by="not_solved", actor=None)
    for status in ("open", "matched", "withdrawn"):
        with pytest.raises(DomainError):
            lifecycle.record_status(request, status, actor=None)


def test_status_changes_are_announced(app, people):
    seen = []

    def receiver(request, **kw):
        seen.append((request, kw["from_status"], kw["to_status"], kw["actor"]))

    with events.request_status_changed.connected_to(receiver):
        request = new_request(people)
        lifecycle.close_request(request, solved_by="worker", actor=people["worker"])
    assert seen == [(request, "draft", "open", people["resident"]),
                    (request, "open", "closed", people["worker"])]


def test_closing_cancels_proposed_matches(app, people):
    request = new_request(people)
    match = offer_help(people["volunteer"], request, "Ik kan dinsdag")
    db.session.commit()
    close_without_arrangement(people["worker"], request, solved_by="own_network")
    db.session.commit()
    assert (match.status, match.reason) == ("cancelled", "hulpvraag afgesloten")


def test_closing_without_arrangement_checks_area_value_and_arrangement(app, people):
    from marketplace.errors import NotFound

    request, _arrangement = started(people)
    with pytest.raises(NotFound):
        close_without_arrangement(people["stranger"], request, solved_by="worker")
    with pytest.raises(ValidationFailed):
        close_without_arrangement(people["worker"], request, solved_by="volunteer")
    with pytest.raises(Conflict):
        close_without_arrangement(people["worker"], request, solved_by="worker")
    assert request.status == "matched"


def test_closing_a_request_with_a_running_arrangement_ends_it_and_its_checkins(app, people):
    """What the associations' "solve collectively" does: the lifecycle closes, brokering
    ends the arrangement, follow-up closes the check-ins not asked yet."""
    request, arrangement = started(people)
    planned = db.session.scalars(select(CheckIn).where(
        CheckIn.arrangement_id == arrangement.id)).all()
    assert planned, "accepting plans check-ins (arrangement_started → follow-up)"
    lifecycle.close_request(request, solved_by="activity", actor=people["worker"])
    db.session.commit()
    assert arrangement.status == "ended" and request.solved_by == "activity"
    assert all(c.closed_at is not None for c in planned)


def test_withdrawal_ends_everything_through_the_signals(app, people):
    request, arrangement = started(people)
    matches = db.session.scalars(select(Match).where(
        Match.request_id == request.id)).all()
    assert [m.status for m in matches] == ["accepted"]
    withdraw(people["resident"], request, reason="buurman helpt")
    db.session.commit()
    assert request.status == "withdrawn" and request.solved_by is None
    assert moves(request)[-1] == ("matched", "withdrawn", people["resident"].id)
    assert arrangement.status == "ended"
    assert db.session.scalar(select(CheckIn.id).where(
        CheckIn.arrangement_id == arrangement.id, CheckIn.closed_at.is_(None))) is None
    with pytest.raises(DomainError):
        withdraw(people["resident"], request)


def test_referral_ends_the_request_as_referred(app, people):
    request = new_request(people)
    partner = save_partner("GGZ Oost", line=2)
    refer(people["worker"], people["resident"], partner_id=partner.id,
          reason="Zorgen die om specialistische hulp vragen", consent=True, request=request)
    db.session.commit()
    assert (request.status, request.solved_by) == ("referred", "referred")
    assert moves(request)[-1] == ("open", "referred", people["worker"].id)
    # A request that ended already stays as it was.
    assert lifecycle.refer_request(request, actor=None, reason="nogmaals") is False


def test_expired_request_renewed_is_open_again(app, people):
    request = new_request(people)
    at = clock_now()
    lifecycle.record_status(request, "expired", actor=None, reason="verlopen", now=at)
    assert request.closed_at == at
    lifecycle.record_status(request, "open", actor=people["resident"], reason="verlengd",
                            now=at + timedelta(days=1))
    assert request.closed_at is None and request.status == "open"


def test_one_list_of_solved_by_values():
    from marketplace.casework.labels import SOLVED_BY_LABELS
    from marketplace.help_requests.models import SOLVED_BY

    assert SOLVED_BY == lifecycle.SOLVED_BY
    assert set(SOLVED_BY_LABELS) == set(lifecycle.SOLVED_BY)


def test_the_evaluation_page_counts_goals_attained_for_the_reports(app, people):
    """The web evaluation marks goals one by one; the evaluation keeps attained of total."""
    from marketplace.casework.evaluation import EvaluationInput, evaluate_arrangement
    from marketplace.casework.services import add_goal
    from marketplace.followup.models import Evaluation

    request, arrangement = started(people)
    goals = [add_goal(people["resident"], description=f"Doel {n}", measure=None, term="short",
                      target_on=None, arrangement_id=arrangement.id) for n in range(4)]
    db.session.commit()
    evaluate_arrangement(people["worker"], arrangement, EvaluationInput(
        continuation="network", goal_statuses={goals[0].id: "achieved", goals[1].id: "partly",
                                               goals[2].id: "achieved", goals[3].id: "open"}))
    db.session.commit()
    evaluation = db.session.scalar(select(Evaluation))
    assert (evaluation.goals_attained, evaluation.goals_total) == (2, 3)
    assert (request.status, request.solved_by) == ("closed", "own_network")
