"""A partner contact answers the referrals sent to their organisation (partners/referrals.py):
only their own organisation's sent referrals, each step from its status, a reason when they
decline; the worker sees the answer at the referral; reads and answers are audited."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from marketplace.accounts.models import AuditEvent
from marketplace.casework.models import PartnerOrganisation, Referral
from marketplace.casework.referrals import refer
from marketplace.casework.services import set_resident_pc4
from marketplace.extensions import db
from marketplace.notifications.models import OutboxMessage
from marketplace.partners import services
from tests.conftest import TEST_PASSWORD
from tests.functional.test_home_per_role import cards


@pytest.fixture()
def referred(app, make_user, make_area):
    area = make_area("GM1728", "municipality", name="Bladel", pc4=("5527",))
    worker = make_user("worker", areas=(area,))
    org = PartnerOrganisation(name="Schuldhulp Kempen", line=2)
    other = PartnerOrganisation(name="GGZ Oost", line=2)
    db.session.add_all([org, other])
    db.session.flush()
    contact = make_user("partner", name="Petra Partner")
    services.set_contact(contact, org)
    annie, bert = make_user("resident", name="Annie Akkoord"), make_user("resident",
                                                                          name="Bert Boom")
    for resident in (annie, bert):
        set_resident_pc4(resident, "5527")
    mine = refer(worker, annie, partner_id=org.id, reason="Schulden, brieven stapelen zich op.",
                 consent=True)
    elsewhere = refer(worker, bert, partner_id=other.id, reason="Somber, slaapt slecht.",
                      consent=True)
    db.session.commit()
    return {"worker": worker, "contact": contact, "annie": annie, "bert": bert,
            "mine": mine, "elsewhere": elsewhere}


def _login(app, user):
    client = app.test_client()
    assert client.post("/inloggen", data={"email": user.email,
                                          "password": TEST_PASSWORD}).status_code == 302
    return client


def _mails(worker) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.to_address == worker.email).order_by(OutboxMessage.id)))


def test_the_contact_sees_only_the_referrals_to_their_organisation(app, referred):
    client = _login(app, referred["contact"])
    card = cards(client.get("/"))["Verwijzingen"]
    assert card["number"] == 1 and card["href"] == "/partner/verwijzingen"
    page = client.get("/partner/verwijzingen").get_data(as_text=True)
    assert "Annie Akkoord" in page and "Schulden, brieven stapelen zich op." in page
    assert "Bert Boom" not in page and "Somber" not in page
    assert "5527" not in page  # no address or postcode
    viewed = db.session.scalars(select(AuditEvent.subject_user_id).where(
        AuditEvent.action == "referral.partner_viewed")).all()
    assert viewed == [referred["annie"].id]
    # Another organisation's referral, or one that does not exist: 404, nothing moves.
    for referral_id in (referred["elsewhere"].id, 999_999):
        response = client.post(f"/partner/verwijzingen/{referral_id}",
                               data={f"v{referral_id}-status": "accepted"})
        assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Referral, referred["elsewhere"].id).status == "sent"


def test_each_answer_moves_the_referral_and_the_worker_sees_it(app, referred):
    mine = referred["mine"].id
    client = _login(app, referred["contact"])
    # Only the steps open from "sent" are offered.
    page = client.get("/partner/verwijzingen").get_data(as_text=True)
    offered = set(re.findall(rf'name="v{mine}-status"[^>]*value="(\w+)"', page)) | set(
        re.findall(rf'value="(\w+)"[^>]*name="v{mine}-status"', page))
    assert offered == {"accepted", "declined"}
    # A step not open now is refused with the form again, and the referral stays.
    response = client.post(f"/partner/verwijzingen/{mine}", data={f"v{mine}-status": "completed"})
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(Referral, mine).status == "sent"
    for status, note in (("accepted", ""), ("in_care", "Eerste gesprek op 12 december."),
                         ("completed", "Budgetplan staat, het lukt weer zelf.")):
        response = client.post(f"/partner/verwijzingen/{mine}",
                               data={f"v{mine}-status": status, f"v{mine}-note": note})
        assert response.status_code == 302, status
        db.session.expire_all()
        assert db.session.get(Referral, mine).status == status
        # The worker is mailed when there is something to do: here only when care is done.
        assert len(_mails(referred["worker"])) == (status == "completed"), status
        if status == "accepted":
            # In care is the next step only after accepted; declining stays open, unchosen.
            page = client.get("/partner/verwijzingen").get_data(as_text=True)
            assert not re.search(rf'<input[^>]*name="v{mine}-status"[^>]*checked', page)
        if status == "in_care":
            # One step left: it comes chosen, so the contact does not tick the only option.
            page = client.get("/partner/verwijzingen").get_data(as_text=True)
            radios = re.findall(rf'<input[^>]*name="v{mine}-status"[^>]*>', page)
            assert len(radios) == 1 and 'value="completed"' in radios[0], radios
            assert "checked" in radios[0]
    mail, = _mails(referred["worker"])
    assert "Schuldhulp Kempen: de zorg is klaar" in mail.subject
    assert f"/dossier/{referred['annie'].id}/verwijzen#verwijzing-{mine}" in mail.body_text
    assert "Annie" not in mail.subject + mail.body_text  # no name leaves in a mail
    # Done at the organisation: no longer on the contact's list; stepping down is the worker's.
    assert "Annie Akkoord" not in client.get("/partner/verwijzingen").get_data(as_text=True)
    moved = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "referral.moved", AuditEvent.object_id == mine)).all()
    assert [(e.actor_user_id, e.detail["to"]) for e in moved] == [
        (referred["contact"].id, s) for s in ("accepted", "in_care", "completed")]
    worker = _login(app, referred["worker"])
    page = worker.get(f"/dossier/{referred['annie'].id}/verwijzen").get_data(as_text=True)
    assert "Bericht van de organisatie" in page
    assert "Budgetplan staat, het lukt weer zelf." in page
    assert "Klaar bij de organisatie" in page


def test_declining_needs_a_reason_and_keeps_what_was_typed(app, referred):
    mine = referred["mine"].id
    client = _login(app, referred["contact"])
    response = client.post(f"/partner/verwijzingen/{mine}", data={f"v{mine}-status": "declined"})
    assert response.status_code == 200
    assert "Schrijf kort waarom uw organisatie het niet aanneemt." in response.get_data(
        as_text=True)
    long = "x" * 501
    response = client.post(f"/partner/verwijzingen/{mine}",
                           data={f"v{mine}-status": "declined", f"v{mine}-note": long})
    assert response.status_code == 200 and long in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Referral, mine).status == "sent"
    response = client.post(f"/partner/verwijzingen/{mine}", data={
        f"v{mine}-status": "declined", f"v{mine}-note": "Past niet bij ons: GGZ is beter."})
    assert response.status_code == 302
    db.session.expire_all()
    referral = db.session.get(Referral, mine)
    assert referral.status == "declined" and referral.partner_note.startswith("Past niet")
    mail, = _mails(referred["worker"])
    assert "Schuldhulp Kempen neemt de verwijzing niet aan" in mail.subject
    assert cards(client.get("/"))["Verwijzingen"]["number"] in (None, 0)


def test_a_contact_without_organisation_sees_none(app, make_user, referred):
    loose = make_user("partner", name="Losse Partner")
    client = _login(app, loose)
    page = client.get("/partner/verwijzingen").get_data(as_text=True)
    assert "hoort nog niet bij een partnerorganisatie" in page and "Annie" not in page
    mine = referred["mine"].id
    assert client.post(f"/partner/verwijzingen/{mine}",
                       data={f"v{mine}-status": "accepted"}).status_code == 404


def test_the_referrals_waiting_for_an_answer_come_first(app, referred, make_user):
    """An older referral already in care is listed after a newer one that still waits."""
    contact, worker = referred["contact"], referred["worker"]
    org = services.organisation_of(contact)
    cees = make_user("resident", name="Cees Later")
    set_resident_pc4(cees, "5527")
    later = refer(worker, cees, partner_id=org.id, reason="Huur achterstand, deurwaarder.",
                  consent=True)
    db.session.commit()
    client = _login(app, contact)
    mine = referred["mine"].id
    for status in ("accepted", "in_care"):
        assert client.post(f"/partner/verwijzingen/{mine}",
                           data={f"v{mine}-status": status}).status_code == 302
    page = client.get("/partner/verwijzingen").get_data(as_text=True)
    assert page.index(f'id="verwijzing-{later.id}"') < page.index(f'id="verwijzing-{mine}"')


def test_without_its_maker_the_answer_reaches_the_workers_of_the_area(app, referred,
                                                                      make_user):
    """The worker who referred has left: the workers of the resident's area hear it."""
    from marketplace.areas.models import Area

    bladel = db.session.scalar(select(Area).where(Area.code == "GM1728"))
    colleague = make_user("worker", name="Collega Cor", areas=(bladel,))
    referred["worker"].is_active = False
    db.session.commit()
    mine = referred["mine"].id
    client = _login(app, referred["contact"])
    assert client.post(f"/partner/verwijzingen/{mine}", data={
        f"v{mine}-status": "declined", f"v{mine}-note": "Wachtlijst van een half jaar."}
    ).status_code == 302
    assert _mails(referred["worker"]) == []
    assert len(_mails(colleague)) == 1


def test_a_long_list_pages_on_and_an_answer_keeps_its_page(app, referred, make_user,
                                                           monkeypatch):
    """Keyset paging over (waiting first, oldest first, id): every referral once; a refused
    answer on the second page shows that page again with what was typed."""
    from marketplace.partners import referrals

    monkeypatch.setattr(referrals, "PAGE_SIZE", 1)
    org = services.organisation_of(referred["contact"])
    cees = make_user("resident", name="Cees Later")
    set_resident_pc4(cees, "5527")
    later = refer(referred["worker"], cees, partner_id=org.id,
                  reason="Huur achterstand, deurwaarder.", consent=True)
    db.session.commit()
    client = _login(app, referred["contact"])
    first = client.get("/partner/verwijzingen").get_data(as_text=True)
    mine = referred["mine"].id
    assert f'id="verwijzing-{mine}"' in first and f'id="verwijzing-{later.id}"' not in first
    assert f'href="/partner/verwijzingen?na={mine}">Volgende verwijzingen' in first
    second = client.get(f"/partner/verwijzingen?na={mine}").get_data(as_text=True)
    assert f'id="verwijzing-{later.id}"' in second and f'id="verwijzing-{mine}"' not in second
    assert "Volgende verwijzingen" not in second and "Terug naar het begin" in second
    assert f'action="/partner/verwijzingen/{later.id}?na={mine}"' in second
    typed = "x" * 501
    again = client.post(f"/partner/verwijzingen/{later.id}?na={mine}", data={
        f"v{later.id}-status": "declined", f"v{later.id}-note": typed})
    assert again.status_code == 200
    html = again.get_data(as_text=True)
    assert f'id="verwijzing-{later.id}"' in html and typed in html
    done = client.post(f"/partner/verwijzingen/{later.id}?na={mine}", data={
        f"v{later.id}-status": "accepted"})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"?na={mine}")
    for hostile in ("-1", "99999999999", "²", "abc"):
        assert client.get("/partner/verwijzingen", query_string={"na": hostile}
                          ).status_code == 200


def test_the_menu_marks_only_the_referrals(app, referred):
    """"/partner/" (the actions) is a prefix of "/partner/verwijzingen": one item is marked."""
    from bs4 import BeautifulSoup

    client = _login(app, referred["contact"])
    for url, marked in (("/partner/verwijzingen", "Verwijzingen"),
                        ("/partner/", "Acties voor uw organisatie")):
        soup = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
        current = [a.get_text(strip=True) for a in soup.select("header nav a[aria-current]")]
        assert set(current) == {marked}, url  # the menu stands twice: wide and folded
