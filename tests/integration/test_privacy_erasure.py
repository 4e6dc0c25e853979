"""Erasure (GDPR art. 17): a canary written into every free-text field a person can fill (and
the texts others wrote about them) is found nowhere in a full logical dump of the database
after the person is erased; what the reports count stays. On SQLite (iterdump) and
PostgreSQL (pg_dump of the test schema)."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from marketplace.accounts.models import ApiToken, AuditEvent, LoginSession, User
from marketplace.associations.services import add_member, create_association
from marketplace.brokering.models import Arrangement, Match
from marketplace.brokering.services import accept, offer_help, propose_match
from marketplace.casework import services as casework
from marketplace.casework.referrals import refer, save_partner
from marketplace.clock import now as clock_now
from marketplace.extensions import db
from marketplace.followup.services import evaluate
from marketplace.help_requests import messages as request_messages
from marketplace.help_requests.models import HelpRequest, RequestEvent
from marketplace.help_requests.services import RequestInput, create_request, withdraw
from marketplace.notifications.outbox import enqueue
from marketplace.reciprocity.services import record_contribution
from marketplace.residents.erasure import erase_person
from marketplace.residents.erasure_rules import ERASED_NAME, REDACTED, erased_email
from marketplace.residents.services import save_member
from marketplace.signals.models import Signal
from marketplace.signals.services import assign, record_outcome, report
from marketplace.volunteers.services import ProfileInput, save_profile
from tests.integration.test_sweeps_world import START, make_world, post_request, start_support

CANARY = "kanarie7431"
WORRY = "zorgwoord5520"  # an open signal about someone else: it stays, without the reporter


def dump(backend: str, url: str) -> str:
    """A full logical dump of the test database, as text."""
    db.session.commit()
    if backend == "sqlite":
        connection = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            return "\n".join(connection.iterdump())
        finally:
            connection.close()
    pg_dump = shutil.which("pg_dump") or "/usr/lib/postgresql/15/bin/pg_dump"
    base, _, query = url.partition("?")
    schema = re.search(r"search_path%3D(\w+)", query).group(1)
    plain = base.replace("postgresql+psycopg://", "postgresql://")
    return subprocess.run([pg_dump, "--no-owner", f"--schema={schema}", plain],
                          check=True, capture_output=True, text=True).stdout


def fill_everything(world, resident, volunteer):
    """The resident and the volunteer write the canary everywhere they can; so do others
    about them (a worker's file, a mail)."""
    c = CANARY
    request = create_request(resident, RequestInput(
        category="shopping", description=f"Ik loop slecht sinds mijn val {c}",
        postcode="5531", house_number="12", recurrence=f"elke week {c}",
        network_note=f"mijn zus {c}", for_person_name=f"Opa {c}",
        for_person_relation=f"opa {c}", for_person_consent=True))
    withdrawn = post_request(world, resident=resident)
    withdraw(resident, withdrawn, reason=f"mijn dochter helpt {c}")
    save_member(resident, name=f"Zus {c}", relation="family", can_help=["shopping"],
                cannot_help=f"niet tillen {c}")
    save_profile(volunteer, ProfileInput(skills=["shopping"], postcode="5531", radius_km=10,
                                         paused_until=date(2026, 3, 3),
                                         pause_reason=f"op vakantie {c}", about=f"Ik {c}"))
    accept(volunteer, propose_match(world.worker, request, volunteer))
    request_messages.send(resident, request, f"Komt u dinsdag? {c}")
    request_messages.send(volunteer, request, f"Ja hoor {c}")
    handled = report(resident, postcode="5531", about=f"Kerkstraat 3 {c}",
                     concern=f"Meneer komt niet buiten {c}")
    record_outcome(world.worker, handled, "visited", note=f"bezocht {c}")
    still_open = report(resident, postcode="5531", about=f"Dorpsstraat 1 {WORRY}",
                        concern=f"Mevrouw zien we niet meer {WORRY}")
    about_her = report(world.worker, postcode="5531", about=f"{resident.name} {c}",
                       concern=f"Zorgen over haar {c}")
    about_her.resident_id = resident.id
    casework.set_resident_pc4(resident, "5531")
    casework.open_file(world.worker, resident.id, purpose=f"huisbezoek {resident.name}")
    casework.save_intake(world.worker, resident, question_as_asked=f"boodschappen {c}",
                         underlying_need=f"eenzaam {c}", own_strength=f"kookt zelf {c}",
                         network_strength=f"zus {c}", consent_special_data=True,
                         consent_purpose=f"hulp {c}", scores={"social": 2}, request=request)
    casework.add_goal(resident, description=f"twee keer per week buiten {c}",
                      measure=f"telt zelf {c}", term="short", target_on=None)
    casework.add_action(resident, actor="network", description=f"zus belt {c}")
    casework.add_note(world.worker, resident, kind="note", body=f"gesprek {c}")
    # A mail to someone else that names her.
    enqueue(world.worker.email, "signal_new", dedupe_key=f"canary-{c}", pc4="5531",
            respond_by=date(2026, 3, 9), user=SimpleNamespace(name=resident.name), url="/")
    other = post_request(world)
    offer_help(volunteer, other, message=f"Ik woon om de hoek {c}")
    # Further texts about them: the evaluation, a referral, a contribution, a signal's
    # timeline, an association whose contact is the volunteer.
    arrangement = db.session.scalar(select(Arrangement).where(
        Arrangement.request_id == request.id))
    evaluate(world.worker, arrangement, continuation="extension", extend_weeks=4,
             extension_reason=f"valt vaak {c}")  # kept as an arrangement_extension row
    evaluate(world.worker, arrangement, continuation="network",
        note=f"eenzaam {c}", goals_attained=1, goals_total=2)
    partner = save_partner(f"Partner {CANARY[:3]}")
    db.session.flush()
    refer(world.worker, resident, partner_id=partner.id, reason=f"schulden {c}", consent=True)
    record_contribution(resident.id, "help_neighbour", f"hielp de buurvrouw {c}",
                        recorded_by_id=world.worker.id)
    assign(world.worker, about_her, world.worker, reason=f"ik ken {resident.name}")
    club = create_association(world.worker, name="Buurtclub", postcode="5531",
                              contact=f"{volunteer.name}, 06-12345678")
    add_member(world.worker, club, volunteer)
    db.session.commit()
    return request, still_open, about_her


def test_erasure_leaves_the_canary_nowhere(app, database, make_area, make_user, api_token):
    backend, url = database
    world = make_world(make_area, make_user)
    resident = make_user("resident", name=f"Riek {CANARY}", email=f"{CANARY}@example.org")
    volunteer = make_user("volunteer", name=f"Vera {CANARY}v",
                          email=f"{CANARY}v@example.org")
    request, still_open, about_her = fill_everything(world, resident, volunteer)
    headers = api_token(resident)
    assert CANARY in dump(backend, url)

    assert app.test_client().delete("/api/v1/me", headers=headers).status_code == 202
    erase_person(db.session.get(User, volunteer.id), actor=world.worker)
    db.session.commit()

    text = dump(backend, url)
    assert CANARY not in text.lower()
    # The open worry about someone else stays, without the reporter.
    assert WORRY in text
    signal = db.session.get(Signal, still_open.id)
    assert signal.reporter_id is None and signal.status == "new"
    # The same token answers 401 now.
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401


def test_what_the_reports_need_stays(app, make_area, make_user):
    world = make_world(make_area, make_user)
    arrangement = start_support(world, now=START)
    request_id, volunteer_id = arrangement.request_id, world.volunteer.id
    resident_id = world.resident.id
    erase_person(world.resident, actor=world.resident)
    db.session.commit()
    db.session.expire_all()
    request = db.session.get(HelpRequest, request_id)
    # The running request is withdrawn at once; what reports count stays, the text goes.
    assert (request.category, request.pc4, request.area_id) == ("shopping", "5531",
                                                                world.area.id)
    assert request.status == "withdrawn" and request.closed_at is not None
    assert request.description == REDACTED and request.house_number == ""
    assert request.owner_id == resident_id and request.anonymised_at is not None
    assert [e.to_status for e in db.session.scalars(select(RequestEvent).where(
        RequestEvent.request_id == request_id).order_by(RequestEvent.id))][-1] == "withdrawn"
    arrangement = db.session.get(Arrangement, arrangement.id)
    assert arrangement.status == "ended" and arrangement.volunteer_id == volunteer_id
    from marketplace.followup.models import CheckIn
    assert all(c.closed_at is not None for c in db.session.scalars(
        select(CheckIn).where(CheckIn.arrangement_id == arrangement.id)))
    user = db.session.get(User, resident_id)
    assert (user.name, user.email, user.password_hash, user.is_active) == (
        ERASED_NAME, erased_email(resident_id), None, False)
    assert user.erased_at is not None
    # Audited without the name.
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.erased"))
    assert event.subject_user_id == resident_id and "Riek" not in str(event.detail)
    # The address is free again.
    again = world.resident.__class__
    assert again is User
    from marketplace.accounts.services import create_user
    create_user("resident2@example.org", "Nieuw")
    db.session.commit()


def test_volunteer_erasure_reopens_the_request(app, make_area, make_user):
    world = make_world(make_area, make_user)
    arrangement = start_support(world, now=START)
    erase_person(world.volunteer, actor=world.worker)
    db.session.commit()
    db.session.expire_all()
    request = db.session.get(HelpRequest, arrangement.request_id)
    assert request.status == "open"
    assert db.session.get(Match, arrangement.match_id).status == "cancelled"
    assert db.session.get(Arrangement, arrangement.id).status == "ended"
    # Broken-off support: the resident is not invited to give something back for it.
    from marketplace.reciprocity.models import ReciprocityInvitation
    from marketplace.reciprocity.services import send_invitations

    send_invitations(clock_now() + timedelta(days=60))
    assert db.session.scalars(select(ReciprocityInvitation)).all() == []
    from marketplace.followup.models import CheckIn
    checkins = list(db.session.scalars(select(CheckIn).where(
        CheckIn.arrangement_id == arrangement.id)))
    assert checkins and all(c.closed_at is not None for c in checkins)  # never asked now
    from marketplace.volunteers.models import VolunteerProfile
    assert db.session.get(VolunteerProfile, world.volunteer.id) is None
    # The area's worker hears it, without the volunteer's name.
    from tests.integration.test_sweeps_world import messages
    told = messages(to=world.worker.email, template_key="helper-erased:")
    assert len(told) == 1 and "Vera" not in told[0].body_text
    assert f"/hulpvragen/{request.id}" in told[0].body_text


def test_sessions_and_tokens_stop(app, client, make_user, login, api_token):
    resident = make_user("resident", name="Sanne Sessie")
    headers = api_token(resident)
    login(resident)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert client.delete("/api/v1/me", headers=headers).status_code == 202
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert client.delete("/api/v1/me", headers=headers).status_code == 401
    assert db.session.scalar(select(func.count()).select_from(LoginSession)) == 0
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0
    page = client.get("/mijn-gegevens")
    assert page.status_code == 302 and "/inloggen" in page.headers["Location"]
    # The e-mail address is free again.
    again = make_user("resident", email="resident1@example.org")
    assert again.id != resident.id


def test_staff_cannot_erase_themselves_through_the_api(app, client, make_user, make_area,
                                                       api_token):
    area = make_area("GM1")
    worker = make_user("worker", areas=(area,))
    assert client.delete("/api/v1/me", headers=api_token(worker)).status_code == 403
    both = make_user("volunteer", "worker", areas=(area,))
    answer = client.delete("/api/v1/me", headers=api_token(both))
    assert answer.status_code == 409
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    assert db.session.get(User, both.id).erased_at is None


@pytest.mark.parametrize("extra", [None])
def test_erasing_twice_is_refused(app, make_user, extra):
    from marketplace.errors import Conflict

    resident = make_user("resident")
    erase_person(resident, actor=None)
    db.session.commit()
    with pytest.raises(Conflict):
        erase_person(db.session.get(User, resident.id), actor=None)


def statements_to_erase(person) -> int:
    from sqlalchemy import event

    seen: list[str] = []

    def listener(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        erase_person(person, actor=None)
        db.session.commit()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen)


def test_erasure_takes_the_same_statements_however_much_history(app, make_area, make_user):
    """Set-based: a person with 1 closed request or 30 costs the same number of queries."""
    world = make_world(make_area, make_user)
    counts = []
    for n in (1, 30):
        person = make_user("resident")
        for _ in range(n):
            withdraw(person, post_request(world, resident=person))
            save_member(person, name="Zus", relation="family", can_help=["shopping"],
                        cannot_help=None)
        db.session.commit()
        counts.append(statements_to_erase(db.session.get(User, person.id)))
    assert counts[0] == counts[1], counts
    assert counts[1] < 120, counts


def test_a_resident_without_e_mail_is_erased_too(app, make_area, make_user):
    """Registered at the desk, no address: nothing to match on in mail or logins."""
    world = make_world(make_area, make_user)
    from marketplace.accounts.services import create_user

    resident = create_user(None, "Zonder Mail", roles=("resident",))
    save_member(resident, name="Broer Bas", relation="family", can_help=["shopping"],
                cannot_help=None)
    db.session.commit()
    erase_person(resident, actor=world.worker)
    db.session.commit()
    db.session.expire_all()
    erased = db.session.get(User, resident.id)
    assert erased.email == erased_email(resident.id) and erased.name == ERASED_NAME
