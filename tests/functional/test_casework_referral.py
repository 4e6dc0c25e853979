"""Referral to the 2nd line from a resident's file (a managed list of partners, a reason,
the resident's consent), its status steps, and the step-down back to the 0th line."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.accounts.models import AuditEvent
from marketplace.casework.models import PartnerOrganisation, Referral
from marketplace.extensions import db
from marketplace.help_requests.models import HelpRequest
from marketplace.help_requests.services import RequestInput, create_request
from tests.conftest import TEST_PASSWORD


def sign_in(app, user):
    client = app.test_client()
    assert client.post("/inloggen", data={"email": user.email,
                                          "password": TEST_PASSWORD}).status_code == 302
    return client


@pytest.fixture()
def people(app, make_user, make_area):
    area = make_area("GM1728", "municipality", pc4=("5527",))
    resident = make_user("resident", name="Karel Smit")
    request = create_request(resident, RequestInput(
        category="paperwork", description="Ik kom niet uit met de rekeningen.",
        postcode="5527", house_number="3"))
    db.session.commit()
    return {"worker": make_user("worker", areas=(area,)), "admin": make_user("admin"),
            "resident": resident, "request": request}


def test_admin_keeps_the_list_of_partners(app, people):
    admin = sign_in(app, people["admin"])
    assert "Er staan nog geen organisaties" in admin.get("/beheer/partners").text
    blank = admin.post("/beheer/partners/nieuw", data={"name": "", "line": "2",
                                                       "kind": "Schuldhulp"})
    assert blank.status_code == 200
    assert "Vul de naam van de organisatie in." in blank.text and "Schuldhulp" in blank.text
    made = admin.post("/beheer/partners/nieuw", data={
        "name": "Schuldhulp De Kempen", "line": "2", "kind": "Schuldhulp",
        "contact": "040 123 45 67", "active": "y"})
    assert made.status_code == 302
    twice = admin.post("/beheer/partners/nieuw", data={"name": "Schuldhulp De Kempen",
                                                       "line": "1"})
    assert "Deze organisatie staat al in de lijst." in twice.text
    partner = db.session.scalar(select(PartnerOrganisation))
    edit = admin.get(f"/beheer/partners/{partner.id}")
    assert 'value="Schuldhulp De Kempen"' in edit.text
    assert admin.post(f"/beheer/partners/{partner.id}", data={
        "name": "Schuldhulp Kempen", "line": "1", "active": ""}).status_code == 302
    db.session.refresh(partner)
    assert (partner.name, partner.line, partner.active) == ("Schuldhulp Kempen", 1, False)
    assert admin.get("/beheer/partners/999999").status_code == 404
    assert sign_in(app, people["worker"]).get("/beheer/partners").status_code == 403


def test_refer_with_consent_then_step_down_to_the_neighbourhood(app, people):
    from marketplace.casework.referrals import save_partner

    partner = save_partner("Schuldhulp De Kempen", line=2)
    save_partner("Oud en stopt", line=1, active=False)
    db.session.commit()
    resident, request = people["resident"], people["request"]
    browser = sign_in(app, people["worker"])
    url = f"/dossier/{resident.id}/verwijzen"
    page = browser.get(url)
    assert "Schuldhulp De Kempen" in page.text and "Oud en stopt" not in page.text

    no_consent = browser.post(url, data={"partner_id": str(partner.id),
                                         "request_id": str(request.id),
                                         "reason": "Schulden lopen op, budgetcoach nodig."})
    assert no_consent.status_code == 200
    assert "Doorverwijzen mag alleen met toestemming van de inwoner." in no_consent.text
    assert "Schulden lopen op, budgetcoach nodig." in no_consent.text
    assert db.session.scalar(select(Referral.id)) is None

    sent = browser.post(url, data={"partner_id": str(partner.id), "request_id": str(request.id),
                                   "reason": "Schulden lopen op, budgetcoach nodig.",
                                   "consent": "y"})
    assert sent.status_code == 302
    referral = db.session.scalar(select(Referral))
    assert referral.status == "sent"
    db.session.refresh(request)
    assert (request.status, request.solved_by) == ("referred", "referred")

    step_url = f"/dossier/{resident.id}/verwijzingen/{referral.id}"
    wrong = browser.post(step_url, data={"status": "stepped_down"})
    assert wrong.status_code == 200 and "Deze stap kan nu niet." in wrong.text
    for status in ("accepted", "in_care", "completed"):
        assert browser.post(step_url, data={"status": status}).status_code == 302
    down = browser.post(step_url, data={"status": "stepped_down",
                                        "note": "De buurvrouw kijkt wekelijks om het hoekje."},
                        follow_redirects=True)
    assert "De inwoner is terug in de buurt." in down.text
    assert "Terug naar de buurt (afgeschaald)" in down.text
    assert "De buurvrouw kijkt wekelijks om het hoekje." in down.text
    db.session.refresh(referral)
    assert referral.status == "stepped_down" and referral.stepped_down_at is not None
    moves = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "referral.moved")
                               .order_by(AuditEvent.id)).all()
    assert [m.detail["to"] for m in moves] == ["accepted", "in_care", "completed",
                                               "stepped_down"]
    assert all(m.actor_user_id == people["worker"].id for m in moves)
    # The file's overview lists it too.
    assert "Schuldhulp De Kempen" in browser.get(f"/dossier/{resident.id}").text
    assert db.session.get(HelpRequest, request.id).status == "referred"
