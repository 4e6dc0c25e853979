"""Batch proposals for an area: ``flask matching propose`` (CONTRACT.md §4) and the service
behind the worker's page "Voorstellen voor alle open hulpvragen"."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from marketplace.brokering import batch_proposals
from marketplace.brokering.models import Match
from marketplace.extensions import db
from marketplace.help_requests.services import RequestInput, create_request
from marketplace.notifications.models import OutboxMessage
from marketplace.volunteers.services import ProfileInput, save_profile

KEYS = {"area", "requests", "proposed", "without_candidate", "total_km", "greedy_total_km",
        "greedy_proposed"}


@pytest.fixture()
def area_world(app, make_user, make_area):
    area = make_area("GM1728", "municipality", name="Bladel", pc4=("5527", "5531"))
    worker = make_user("worker", areas=(area,))
    helper = make_user("volunteer", name="Hanna Helper")
    save_profile(helper, ProfileInput(skills=["garden", "shopping"], postcode="5527",
                                      radius_km=10, max_commitments=2))
    shopper = make_user("volunteer", name="Sem Shopper")
    save_profile(shopper, ProfileInput(skills=["shopping"], postcode="5531", radius_km=10))
    requests = []
    for category, postcode in (("garden", "5527 AB"), ("shopping", "5531 AA"),
                               ("shopping", "5527 AC"), ("paperwork", "5527 AB")):
        resident = make_user("resident")
        requests.append(create_request(resident, RequestInput(
            category=category, description="Graag wat hulp, ik kan het zelf niet meer.",
            postcode=postcode, house_number="1")))
    db.session.commit()
    return {"area": area, "worker": worker, "helper": helper, "shopper": shopper,
            "requests": requests}


def _run(runner, *args):
    result = runner.invoke(args=["matching", "propose", *args])
    assert "Traceback" not in result.output
    return result


def test_dry_run_prints_the_contract_json_and_writes_nothing(runner, area_world):
    result = _run(runner, "--area", "GM1728", "--dry-run")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert KEYS <= summary.keys()
    assert summary["area"] == "GM1728"
    assert summary["requests"] == 4
    assert summary["proposed"] == 3  # paperwork: nobody has that skill
    assert summary["without_candidate"] == 1
    assert summary["without_candidate_why"]["no_skill_nearby"] == 1
    assert summary["greedy_proposed"] <= summary["proposed"]
    assert summary["total_km"] <= summary["greedy_total_km"] + 1e-9 or (
        summary["greedy_proposed"] < summary["proposed"])
    assert db.session.scalar(select(func.count()).select_from(Match)) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_propose_writes_once_one_mail_per_volunteer_and_a_rerun_proposes_nothing(
        runner, area_world):
    first = json.loads(_run(runner, "--area", "GM1728").output.strip().splitlines()[-1])
    assert first["proposed"] == 3
    matches = list(db.session.scalars(select(Match)))
    assert len(matches) == 3
    assert {m.status for m in matches} == {"proposed"}
    assert {m.awaiting for m in matches} == {"volunteer"}
    # The helper has two proposals and gets one mail; the shopper one.
    mails = list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.dedupe_key.like("batch:%"))))
    by_address = sorted(m.to_address for m in mails)
    assert by_address == sorted([area_world["helper"].email, area_world["shopper"].email])
    helper_mail = next(m for m in mails if m.to_address == area_world["helper"].email)
    assert helper_mail.body_text.count("/vrijwilliger") >= 2 or helper_mail.body_text.count(
        "http") >= 2
    again = json.loads(_run(runner, "--area", "GM1728").output.strip().splitlines()[-1])
    assert again["requests"] == 1 and again["proposed"] == 0
    assert db.session.scalar(select(func.count()).select_from(Match)) == 3


def test_unknown_area_is_one_clear_line_and_exit_1(runner, area_world):
    result = _run(runner, "--area", "XX9999", "--dry-run")
    assert result.exit_code == 1
    assert "XX9999" in result.output and "does not exist" in result.output


def test_plan_explains_pairs_and_the_send_takes_the_case_on(app, area_world):
    plan = batch_proposals.plan(area_world["area"])
    assert len(plan.pairs) == 3
    for pair in plan.pairs:
        assert pair.reasons, pair  # the single-request engine's reasons
        assert any("km" in text for text in pair.reasons)
    keep = [plan.pairs[0].key]
    sent = batch_proposals.send(plan, keep + ["999-999"], worker=area_world["worker"])
    db.session.commit()
    assert len(sent) == 1
    taken = sent[0].request
    assert taken.assigned_worker_id == area_world["worker"].id
    assert "opgepakt door" in taken.events[-1].reason


def test_a_vog_request_without_vog_volunteers_says_so(app, area_world, make_user):
    from marketplace.categories.models import Category

    # The category table is kept between tests (conftest KEEP_TABLES), so the change is put
    # back afterwards; left in place it made 'garden' need a VOG for every later test
    # (test_take_on's offer failed with "Voor deze hulp is een geldige VOG nodig.").
    db.session.get(Category, "garden").vog_required = True
    db.session.commit()
    try:
        plan = batch_proposals.plan(area_world["area"])
        whys = {u.request.category: u.why for u in plan.unmatched}
        assert whys["garden"] == batch_proposals.NO_VOG
    finally:
        db.session.rollback()
        db.session.get(Category, "garden").vog_required = False
        db.session.commit()
