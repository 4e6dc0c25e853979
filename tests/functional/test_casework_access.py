"""Who may open a resident's file: workers of the resident's area only; a worker of another
area gets 404 everywhere (web and API), exactly like a file that does not exist. Every open
is written to the audit trail."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from marketplace.accounts.models import AuditEvent
from marketplace.brokering.models import Match
from marketplace.brokering.services import accept, propose_match
from marketplace.casework.referrals import refer, save_partner
from marketplace.casework.services import add_action, add_goal
from marketplace.extensions import db
from marketplace.help_requests.services import RequestInput, create_request
from marketplace.volunteers.services import ProfileInput, save_profile
from tests.conftest import TEST_PASSWORD


def sign_in(app, user):
    client = app.test_client()
    assert client.post("/inloggen", data={"email": user.email,
                                          "password": TEST_PASSWORD}).status_code == 302
    return client


@pytest.fixture()
def two_areas(app, make_user, make_area):
    bladel = make_area("GM1728", "municipality", pc4=("5527", "5531"))
    eersel = make_area("GM0770", "municipality", pc4=("5521",))
    resident = make_user("resident", name="Riet")
    volunteer = make_user("volunteer", name="Vera")
    save_profile(volunteer, ProfileInput(skills=["shopping"], postcode="5531", radius_km=10))
    create_request(resident, RequestInput(
        category="shopping", description="Boodschappen graag", postcode="5527",
        house_number="1"))
    worker = make_user("worker", areas=(bladel,))
    other = make_user("worker", areas=(eersel,))
    partner = save_partner("Thuiszorg", line=2)
    goal = add_goal(resident, description="Zelf naar de winkel", measure=None, term="short",
                    target_on=None)
    action = add_action(resident, actor="resident", description="Loopt elke dag")
    referral = refer(worker, resident, partner_id=partner.id, reason="Meer zorg is nodig.",
                     consent=True)
    second = create_request(resident, RequestInput(
        category="shopping", description="Nog een keer boodschappen", postcode="5527",
        house_number="1"))
    arrangement = accept(volunteer, propose_match(worker, second, volunteer))
    third = create_request(resident, RequestInput(
        category="shopping", description="Derde vraag", postcode="5527", house_number="1"))
    db.session.commit()
    return {"worker": worker, "other": other, "resident": resident, "volunteer": volunteer,
            "request": third, "goal": goal, "action": action, "referral": referral,
            "arrangement": arrangement}


def web_urls(w) -> list[tuple[str, str]]:
    rid = w["resident"].id
    base = f"/dossier/{rid}"
    return [("GET", base), ("GET", f"{base}/vraagverheldering"),
            ("POST", f"{base}/vraagverheldering"), ("GET", f"{base}/contact"),
            ("POST", f"{base}/contact"), ("GET", f"{base}/plan"), ("POST", f"{base}/plan/doel"),
            ("POST", f"{base}/plan/actie"), ("POST", f"{base}/plan/doel/{w['goal'].id}"),
            ("POST", f"{base}/plan/actie/{w['action'].id}"), ("GET", f"{base}/verwijzen"),
            ("POST", f"{base}/verwijzen"),
            ("POST", f"{base}/verwijzingen/{w['referral'].id}"),
            ("POST", f"/hulpvragen/{w['request'].id}/voorstellen"),
            ("POST", f"/hulpvragen/{w['request'].id}/openzetten"),
            ("GET", f"/hoe-gaat-het/afspraken/{w['arrangement'].id}/evaluatie"),
            ("POST", f"/hoe-gaat-het/afspraken/{w['arrangement'].id}/evaluatie")]


def test_a_worker_of_another_area_gets_404_everywhere(app, two_areas, api_token):
    w = two_areas
    outsider = sign_in(app, w["other"])
    for method, url in web_urls(w):
        response = outsider.open(url, method=method, data={
            "status": "achieved", "volunteer_id": str(w["volunteer"].id), "kind": "note",
            "body": "x", "continuation": "network"})
        assert response.status_code == 404, (method, url, response.status_code)
    # Ids that do not exist answer the same, also for the worker of the area.
    insider = sign_in(app, w["worker"])
    for url in ("/dossier/999999", "/dossier/99999999999", "/hulpvragen/999999/openzetten",
                f"/dossier/{w['resident'].id}/plan/doel/999999",
                f"/dossier/{w['resident'].id}/verwijzingen/99999999999",
                "/hoe-gaat-het/afspraken/999999/evaluatie"):
        method = "GET" if url.startswith("/dossier/9") or "afspraken" in url else "POST"
        assert insider.open(url, method=method).status_code == 404, url
    headers = api_token(w["other"])
    api = app.test_client()
    rid = w["resident"].id
    for method, url in (("GET", f"/api/v1/requests/{w['request'].id}/candidates"),
                        ("GET", f"/api/v1/residents/{rid}/file"),
                        ("POST", f"/api/v1/residents/{rid}/notes"),
                        ("POST", f"/api/v1/residents/{rid}/goals"),
                        ("POST", f"/api/v1/residents/{rid}/referrals"),
                        ("POST", f"/api/v1/residents/{rid}/intake"),
                        ("POST", f"/api/v1/residents/{rid}/referrals/{w['referral'].id}/status")):
        response = api.open(url, method=method, headers=headers, json={"kind": "note",
                                                                      "body": "x"})
        assert response.status_code == 404, (url, response.status_code)
        assert response.mimetype == "application/problem+json"
    # The outsider read nothing of the resident's, so nothing about them was audited.
    assert not db.session.scalars(select(AuditEvent).where(
        AuditEvent.actor_user_id == w["other"].id, AuditEvent.subject_user_id == rid)).all()
    assert db.session.scalar(select(func.count()).select_from(Match)) == 1


def test_other_roles_are_refused_and_the_panel_is_for_workers_only(app, two_areas):
    w = two_areas
    resident = sign_in(app, w["resident"])
    assert resident.get(f"/dossier/{w['resident'].id}").status_code == 403
    page = resident.get(f"/hulpvragen/{w['request'].id}")
    assert page.status_code == 200 and 'id="werker"' not in page.text
    assert "Vera" not in page.text  # candidates are for workers
    worker_page = sign_in(app, w["worker"]).get(f"/hulpvragen/{w['request'].id}")
    assert 'id="werker"' in worker_page.text and "Vera" in worker_page.text


def test_every_read_of_the_file_is_audited(app, two_areas, api_token):
    w = two_areas
    rid = w["resident"].id
    browser = sign_in(app, w["worker"])

    def reads() -> list[AuditEvent]:
        return db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "file.viewed", AuditEvent.subject_user_id == rid)
            .order_by(AuditEvent.id)).all()

    pages = [f"/dossier/{rid}", f"/dossier/{rid}/vraagverheldering", f"/dossier/{rid}/plan",
             f"/dossier/{rid}/verwijzen", f"/dossier/{rid}/contact"]
    for number, url in enumerate(pages, start=1):
        assert browser.get(url).status_code == 200, url
        assert len(reads()) == number, url
    assert app.test_client().get(f"/api/v1/residents/{rid}/file",
                                 headers=api_token(w["worker"])).status_code == 200
    found = reads()
    assert len(found) == len(pages) + 1
    assert {e.actor_user_id for e in found} == {w["worker"].id}
    assert [e.detail["purpose"] for e in found] == [
        "file", "intake", "plan", "referral", "notes", "file"]
    assert all(e.object_type == "resident_file" and e.object_id == rid for e in found)
