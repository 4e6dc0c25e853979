"""Offers to give something back reach the workers of the resident's area: the page
/werk/teruggeven/, marking an offer "opgepakt" or "niet meer nodig", the worklist's count,
the thank-you page's promise, and changing or taking back an answer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from marketplace.accounts.models import AuditEvent
from marketplace.brokering.models import Arrangement, Match
from marketplace.clock import now as clock_now
from marketplace.clock import today
from marketplace.extensions import db
from marketplace.help_requests.services import RequestInput, create_request
from marketplace.reciprocity import services
from marketplace.reciprocity.models import Contribution, ReciprocityInvitation


def _text(response) -> str:
    return " ".join(BeautifulSoup(response.text, "html.parser").get_text(" ").split())


def _invitation(resident, volunteer, postcode: str) -> ReciprocityInvitation:
    """Support for the resident that ended, and the invitation that followed it."""
    request = create_request(resident, RequestInput(
        category="shopping", description="Boodschappen op vrijdag, ik loop slecht.",
        postcode=postcode, house_number="17"))
    match = Match(request_id=request.id, volunteer_id=volunteer.id, status="accepted",
                  origin="worker")
    db.session.add(match)
    db.session.flush()
    arrangement = Arrangement(request_id=request.id, match_id=match.id,
                              volunteer_id=volunteer.id, status="ended",
                              started_on=today() - timedelta(weeks=10),
                              planned_end_on=today() - timedelta(weeks=3),
                              ended_on=today() - timedelta(weeks=3))
    db.session.add(arrangement)
    db.session.flush()
    invitation = ReciprocityInvitation(resident_id=resident.id, arrangement_id=arrangement.id,
                                       invited_at=clock_now() - timedelta(days=1))
    db.session.add(invitation)
    db.session.commit()
    return invitation


@pytest.fixture()
def offers_world(make_area, make_user):
    bladel = make_area("GM1728", "municipality", name="Bladel", pc4=("5527", "5531"))
    veldhoven = make_area("GM0861", "municipality", name="Veldhoven", pc4=("5501",))
    worker = make_user("worker", name="Wim Werker", areas=(bladel,))
    other = make_user("worker", name="Olga Overkant", areas=(veldhoven,))
    volunteer = make_user("volunteer")
    rita = make_user("resident", name="Rita Rietveld")
    far = make_user("resident", name="Verre Vera")
    quiet = make_user("resident", name="Stille Sanne")
    rita_inv = _invitation(rita, volunteer, "5527 AB")
    services.answer(rita_inv, "share_skill", "Ik kan goed met computers.")
    far_inv = _invitation(far, volunteer, "5501 AA")
    services.answer(far_inv, "help_activity")
    quiet_inv = _invitation(quiet, volunteer, "5531 CD")
    services.answer(quiet_inv, "not_now")
    db.session.commit()
    return {"worker": worker, "other": other, "rita": rita_inv, "far": far_inv,
            "quiet": quiet_inv, "volunteer": volunteer}


def test_the_area_worker_sees_the_offer_and_marks_it_taken_up(client, login, offers_world):
    login(offers_world["worker"])
    worklist = _text(client.get("/werk/"))
    assert "Inwoners die iets terug willen doen (1)" in worklist
    page = client.get("/werk/teruggeven/")
    assert page.status_code == 200
    shown = _text(page)
    assert "Rita Rietveld" in shown and "Postcode 5527 (Bladel)" in shown
    assert "Iets wat ik goed kan aan anderen leren" in shown
    assert "Ik kan goed met computers." in shown
    assert "Verre Vera" not in shown  # another area
    assert "Stille Sanne" not in shown  # "nu niet" is no offer
    offer_id = offers_world["rita"].id

    marked = client.post(f"/werk/teruggeven/{offer_id}", data={f"o{offer_id}-follow_up":
                                                                "volunteer"})
    assert marked.status_code == 302
    db.session.expire_all()
    invitation = db.session.get(ReciprocityInvitation, offer_id)
    assert invitation.follow_up == "volunteer"
    assert invitation.followed_up_by_id == offers_world["worker"].id
    assert invitation.followed_up_at is not None
    after = _text(client.get("/werk/teruggeven/"))
    assert "Er wacht geen aanbod op contact." in after
    assert "Opgepakt: is vrijwilliger geworden" in after and "Wim Werker" in after
    assert "Inwoners die iets terug willen doen (0)" in _text(client.get("/werk/"))
    actions = set(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.actor_user_id == offers_world["worker"].id)))
    assert {"reciprocity.offers_listed", "reciprocity.offer_followed_up"} <= actions

    # "Niet meer nodig" replaces it; who and when are recorded again.
    client.post(f"/werk/teruggeven/{offer_id}", data={f"o{offer_id}-follow_up": "not_needed"})
    db.session.expire_all()
    assert db.session.get(ReciprocityInvitation, offer_id).follow_up == "not_needed"


def test_a_worker_of_another_area_neither_sees_nor_marks(client, login, offers_world):
    login(offers_world["other"])
    shown = _text(client.get("/werk/teruggeven/"))
    assert "Verre Vera" in shown and "Rita Rietveld" not in shown
    offer_id = offers_world["rita"].id
    assert client.post(f"/werk/teruggeven/{offer_id}",
                       data={f"o{offer_id}-follow_up": "contacted"}).status_code == 404
    # Not an offer ("nu niet") and a missing one: the same 404.
    quiet_id = offers_world["quiet"].id
    login(offers_world["worker"])
    assert client.post(f"/werk/teruggeven/{quiet_id}",
                       data={f"o{quiet_id}-follow_up": "contacted"}).status_code == 404
    assert client.post("/werk/teruggeven/999999",
                       data={"o999999-follow_up": "contacted"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(ReciprocityInvitation, offer_id).follow_up is None


@pytest.mark.parametrize("role", ["resident", "volunteer", "association", "municipality",
                                  "admin"])
def test_other_roles_are_refused(client, login, make_user, offers_world, role):
    login(make_user(role))
    offer_id = offers_world["rita"].id
    assert client.get("/werk/teruggeven/").status_code == 403
    assert client.post(f"/werk/teruggeven/{offer_id}",
                       data={f"o{offer_id}-follow_up": "contacted"}).status_code == 403


def test_a_missing_or_unknown_choice_shows_the_page_with_the_message(client, login,
                                                                     offers_world):
    login(offers_world["worker"])
    offer_id = offers_world["rita"].id
    for data in ({}, {f"o{offer_id}-follow_up": "betaald"}):
        again = client.post(f"/werk/teruggeven/{offer_id}", data=data)
        assert again.status_code == 200
        soup = BeautifulSoup(again.text, "html.parser")
        assert soup.select_one(f"#fouten-o{offer_id}") is not None
        assert "Rita Rietveld" in _text(again)
    db.session.expire_all()
    assert db.session.get(ReciprocityInvitation, offer_id).follow_up is None


def test_thanks_promises_contact_only_where_a_worker_sees_it(client, offers_world,
                                                              make_user, make_area):
    from marketplace.reciprocity.services import _serializer

    rita = offers_world["rita"]
    thanks = _text(client.post(f"/iets-terugdoen/{_serializer().dumps(rita.id)}",
                               data={"answer": "share_skill"}))
    assert "Een welzijnswerker uit uw buurt ziet uw antwoord en neemt contact met u op" \
        in thanks
    make_area("GM0753", "municipality", name="Best", pc4=("5681",))
    lonely = _invitation(make_user("resident"), offers_world["volunteer"], "5681 AB")
    thanks = _text(client.post(f"/iets-terugdoen/{_serializer().dumps(lonely.id)}",
                               data={"answer": "help_neighbour"}))
    assert "neemt contact met u op" not in thanks
    assert "kunnen we niet beloven" in thanks


def test_changing_the_answer_keeps_one_contribution_and_nu_niet_takes_it_back(
        client, offers_world):
    rita = offers_world["rita"]
    worker = offers_world["worker"]
    from marketplace.reciprocity import offers

    offers.follow_up(worker, rita.id, "contacted")
    services.answer(rita, "help_neighbour")  # another offer: open again, the words kept
    db.session.commit()
    found = db.session.scalars(select(Contribution).where(
        Contribution.person_id == rita.resident_id)).all()
    assert [(c.kind, c.description) for c in found] == [
        ("help_neighbour", "Ik kan goed met computers.")]
    assert rita.follow_up is None and rita.contribution_id == found[0].id
    services.answer(rita, "not_now")
    db.session.commit()
    assert db.session.scalars(select(Contribution).where(
        Contribution.person_id == rita.resident_id)).all() == []
    assert rita.contribution_id is None


def test_hostile_input_never_breaks_the_page(client, login, offers_world):
    login(offers_world["worker"])
    offer_id = offers_world["rita"].id
    field = f"o{offer_id}-follow_up"
    for raw in (f"{field}=%00%ED%A0%80x%00", f"{field}=contacted&{field}=not_needed",
                f"{field}={'x' * 5000}", f"{field}=%C2%B2"):
        response = client.post(f"/werk/teruggeven/{offer_id}", data=raw,
                               content_type="application/x-www-form-urlencoded")
        assert response.status_code in (200, 302), (raw[:40], response.status_code)
    for url in ("/werk/teruggeven/?na=" + "9" * 40, "/werk/teruggeven/?na=-1",
                "/werk/teruggeven/?na=%00"):
        assert client.get(url).status_code == 200
    assert client.post("/werk/teruggeven/" + "9" * 30, data={field: "contacted"}
                       ).status_code == 404
    # Only a listed choice is stored: of the two values the first; nothing else after it.
    db.session.expire_all()
    assert db.session.get(ReciprocityInvitation, offer_id).follow_up == "contacted"
