"""Partner contacts: tied to an organisation (CLI and admin page), they see only their
organisation's plan actions of residents who consented to that partner, report them, and
the worker sees the report on the plan. Reads are audited."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from marketplace.accounts.models import AuditEvent
from marketplace.casework.models import PartnerOrganisation, PlanAction, SupportPlan
from marketplace.casework.services import set_resident_pc4
from marketplace.extensions import db
from marketplace.partners import services
from marketplace.partners.models import PartnerContact
from tests.conftest import TEST_PASSWORD


@pytest.fixture()
def partner_world(app, make_user, make_area):
    area = make_area("GM1728", "municipality", name="Bladel", pc4=("5527", "5531"))
    worker = make_user("worker", areas=(area,))
    org = PartnerOrganisation(name="Schuldhulp Kempen", line=2)
    other = PartnerOrganisation(name="GGZ Oost", line=2)
    db.session.add_all([org, other])
    db.session.flush()
    contact = make_user("partner", name="Petra Partner")
    services.set_contact(contact, org)
    consenting = make_user("resident", name="Annie Akkoord")
    silent = make_user("resident", name="Bert Zonder")
    actions = {}
    for resident in (consenting, silent):
        set_resident_pc4(resident, "5527")
        plan = SupportPlan(resident_id=resident.id)
        db.session.add(plan)
        db.session.flush()
        for partner, text in ((org, "Budgetplan opstellen"), (other, "Gesprek GGZ")):
            action = PlanAction(plan_id=plan.id, actor="partner", description=text,
                                partner_id=partner.id, due_on=date(2027, 3, 31))
            db.session.add(action)
            db.session.flush()
            actions[(resident.name, partner.name)] = action
    services.set_consent(consenting, org, True, worker=worker)
    services.set_consent(consenting, other, True, worker=worker)
    db.session.commit()
    return {"worker": worker, "contact": contact, "org": org, "other": other,
            "consenting": consenting, "silent": silent, "actions": actions}


def _login(client, user):
    response = client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_partner_sees_only_own_organisation_and_consenting_residents(client, partner_world):
    _login(client, partner_world["contact"])
    page = client.get("/partner/").get_data(as_text=True)
    assert "Annie Akkoord" in page and "Budgetplan opstellen" in page
    assert "Klaar vóór 31 maart 2027." in page
    assert "Bert Zonder" not in page  # no consent
    assert "Gesprek GGZ" not in page  # another organisation
    audited = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "plan.partner_viewed")).all()
    assert [e.subject_user_id for e in audited] == [partner_world["consenting"].id]


def test_hidden_actions_answer_404_and_a_report_reaches_the_plan(client, partner_world):
    actions = partner_world["actions"]
    _login(client, partner_world["contact"])
    hidden = actions[("Bert Zonder", "Schuldhulp Kempen")]
    other_org = actions[("Annie Akkoord", "GGZ Oost")]
    for action in (hidden, other_org):
        response = client.post(f"/partner/acties/{action.id}",
                               data={f"a{action.id}-status": "done"})
        assert response.status_code == 404
    mine = actions[("Annie Akkoord", "Schuldhulp Kempen")]
    # Not possible needs a note: the form comes back with the message.
    response = client.post(f"/partner/acties/{mine.id}",
                           data={f"a{mine.id}-status": "not_possible"})
    assert response.status_code == 200
    assert "waarom het niet mogelijk is" in response.get_data(as_text=True)
    response = client.post(f"/partner/acties/{mine.id}",
                           data={f"a{mine.id}-status": "not_possible",
                                 f"a{mine.id}-note": "Inwoner wil nog niet."})
    assert response.status_code == 302
    client.post("/uitloggen")
    _login(client, partner_world["worker"])
    plan = client.get(f"/dossier/{partner_world['consenting'].id}/plan").get_data(as_text=True)
    assert "Niet mogelijk: Inwoner wil nog niet." in plan


def test_withdrawn_consent_hides_the_plan_again(client, partner_world):
    services.set_consent(partner_world["consenting"], partner_world["org"], False,
                         worker=partner_world["worker"])
    db.session.commit()
    assert services.actions_for(partner_world["contact"]).items == []


def test_worker_records_consent_per_partner(client, partner_world):
    _login(client, partner_world["worker"])
    silent = partner_world["silent"]
    page = client.get(f"/dossier/{silent.id}/partners")
    assert page.status_code == 200
    response = client.post(f"/dossier/{silent.id}/partners",
                           data={"partner": [str(partner_world["org"].id)]})
    assert response.status_code == 302
    assert services.consented_partner_ids(silent.id) == {partner_world["org"].id}


def test_cli_creates_a_partner_contact_tied_to_an_organisation(runner, partner_world):
    result = runner.invoke(args=["users", "create", "p2@example.org", "--role", "partner",
                                 "--partner", "schuldhulp kempen"])
    assert result.exit_code == 0, result.output
    assert "roles=partner" in result.output
    from marketplace.accounts.services import find_by_email

    user = find_by_email("p2@example.org")
    assert db.session.get(PartnerContact, user.id).partner_id == partner_world["org"].id
    bad = runner.invoke(args=["users", "create", "p3@example.org", "--role", "partner",
                              "--partner", "Bestaat Niet"])
    assert bad.exit_code == 1 and "does not exist" in bad.output
    wrong = runner.invoke(args=["users", "create", "p4@example.org", "--role", "resident",
                                "--partner", "GGZ Oost"])
    assert wrong.exit_code == 1 and "--role partner" in wrong.output


def test_admin_ties_a_contact_on_the_admin_page(client, make_user, partner_world):
    admin = make_user("admin")
    loose = make_user("partner", name="Losse Partner")
    _login(client, admin)
    assert client.get("/beheer/partnercontacten").status_code == 200
    response = client.post("/beheer/partnercontacten",
                           data={"user_id": str(loose.id),
                                 "partner_id": str(partner_world["other"].id)})
    assert response.status_code == 302
    assert db.session.get(PartnerContact, loose.id).partner_id == partner_world["other"].id
    response = client.post("/beheer/partnercontacten", data={"user_id": "x", "partner_id": ""})
    assert response.status_code == 200


def test_the_home_card_counts_the_actions_waiting_for_the_contact(client, partner_world):
    """Only what the contact may see (own organisation, consenting resident) and has not
    answered yet; once reported, nothing waits and the card says so."""
    from tests.functional.test_home_per_role import cards

    _login(client, partner_world["contact"])
    card = cards(client.get("/"))["Acties in plannen"]
    assert card["number"] == 1 and "wacht op uw antwoord" in card["text"]
    mine = partner_world["actions"][("Annie Akkoord", "Schuldhulp Kempen")]
    assert client.post(f"/partner/acties/{mine.id}",
                       data={f"a{mine.id}-status": "done"}).status_code == 302
    card = cards(client.get("/"))["Acties in plannen"]
    assert card["number"] is None or card["number"] == 0
    assert "Er wacht nu geen actie op u" in card["text"]
    assert not db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "plan.partner_viewed",
        AuditEvent.subject_user_id == partner_world["silent"].id)).all()


def test_the_actions_page_pages_on_open_ones_first(client, partner_world, monkeypatch):
    """Keyset over (done, id): every visible action once, the open ones first; a report
    sent from the second page comes back to it."""
    monkeypatch.setattr(services, "PAGE_SIZE", 1)
    from marketplace.casework.services import add_action

    org, annie = partner_world["org"], partner_world["consenting"]
    first = partner_world["actions"][("Annie Akkoord", "Schuldhulp Kempen")]
    second = add_action(annie, actor="partner", description="Schuldeisers bellen",
                        partner_id=org.id)
    done = add_action(annie, actor="partner", description="Intake gedaan", partner_id=org.id)
    done.done = True
    db.session.commit()
    seen, after = [], None
    while True:
        page = services.actions_for(partner_world["contact"], after=after)
        seen += [item.action.id for item in page.items]
        if page.next_after is None:
            break
        after = page.next_after
    assert seen == [first.id, second.id, done.id]
    _login(client, partner_world["contact"])
    html = client.get(f"/partner/?na={first.id}").get_data(as_text=True)
    assert "Schuldeisers bellen" in html and "Budgetplan opstellen" not in html
    assert f'href="/partner/?na={second.id}">Volgende acties' in html
    assert "Terug naar het begin van de lijst" in html
    response = client.post(f"/partner/acties/{second.id}?na={first.id}",
                           data={f"a{second.id}-status": "done"})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/partner/?na={first.id}")
