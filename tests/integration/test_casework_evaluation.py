"""The end evaluation as a service: goals, life domains now (with consent only), who carries
on, and how the request was solved, in one transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.brokering.services import accept, propose_match
from marketplace.casework.evaluation import EvaluationInput, evaluate_arrangement
from marketplace.casework.models import LifeDomainScore
from marketplace.casework.services import add_goal, save_intake
from marketplace.errors import DomainError, ValidationFailed
from marketplace.extensions import db
from marketplace.help_requests.services import RequestInput, create_request
from marketplace.volunteers.services import ProfileInput, save_profile


@pytest.fixture()
def started(app, make_user, make_area):
    area = make_area("GM1728", "municipality", pc4=("5527", "5531"))
    worker = make_user("worker", areas=(area,))
    resident = make_user("resident")
    volunteer = make_user("volunteer")
    save_profile(volunteer, ProfileInput(skills=["shopping"], postcode="5531", radius_km=10))

    def start():
        request = create_request(resident, RequestInput(
            category="shopping", description="Boodschappen graag", postcode="5527",
            house_number="2"))
        return accept(volunteer, propose_match(worker, request, volunteer))

    db.session.commit()
    return worker, resident, start


@pytest.mark.parametrize(("continuation", "solved_by"), [
    ("network", "own_network"), ("association", "association"),
    ("volunteer_informal", "volunteer"), ("referral", "referred"),
    ("none_needed", "volunteer")])
def test_who_carries_on_says_how_it_was_solved(app, started, continuation, solved_by):
    worker, _resident, start = started
    arrangement = start()
    evaluate_arrangement(worker, arrangement, EvaluationInput(continuation=continuation))
    db.session.commit()
    assert arrangement.status == "ended"
    assert (arrangement.request.status, arrangement.request.solved_by) == ("closed", solved_by)


def test_goals_and_scores_are_recorded_with_consent_only(app, started):
    worker, resident, start = started
    arrangement = start()
    goal = add_goal(resident, description="Zelf naar de winkel", measure=None, term="short",
                    target_on=None, arrangement_id=arrangement.id)
    other = start()
    elsewhere = add_goal(resident, description="Iets voor een andere afspraak", measure=None,
                         term="short", target_on=None, arrangement_id=other.id)
    db.session.commit()
    with pytest.raises(ValidationFailed) as refused:
        evaluate_arrangement(worker, arrangement, EvaluationInput(
            continuation="network", scores={"social": 4}, goal_statuses={elsewhere.id: "partly"}))
    assert set(refused.value.errors) == {"scores", "goals"}
    db.session.rollback()
    save_intake(worker, resident, question_as_asked="Boodschappen", underlying_need=None,
                own_strength=None, network_strength=None, consent_special_data=True,
                consent_purpose="Het plan", scores={"social": 2})
    evaluate_arrangement(worker, arrangement, EvaluationInput(
        continuation="network", scores={"social": 4}, goal_statuses={goal.id: "achieved"},
        solved_by="own_network"))
    db.session.commit()
    rows = db.session.scalars(select(LifeDomainScore).order_by(LifeDomainScore.id)).all()
    assert [(r.moment, r.score, r.arrangement_id) for r in rows] == [
        ("intake", 2, None), ("evaluation", 4, arrangement.id)]
    assert goal.status == "achieved" and goal.evaluated_at is not None
    with pytest.raises(DomainError):
        evaluate_arrangement(worker, arrangement, EvaluationInput(continuation="network"))


def test_an_extension_needs_a_reason_and_keeps_the_request_open(app, started):
    worker, _resident, start = started
    arrangement = start()
    db.session.commit()
    with pytest.raises(DomainError) as no_reason:
        evaluate_arrangement(worker, arrangement, EvaluationInput(
            continuation="extension", extend_weeks=4))
    assert no_reason.value.field == "extension_reason"
    db.session.rollback()
    end = arrangement.planned_end_on
    evaluate_arrangement(worker, arrangement, EvaluationInput(
        continuation="extension", extend_weeks=4, extension_reason="Nog niet zelfstandig"))
    db.session.commit()
    assert arrangement.status == "active" and (arrangement.planned_end_on - end).days == 28
    assert arrangement.request.status == "matched" and arrangement.request.solved_by is None
