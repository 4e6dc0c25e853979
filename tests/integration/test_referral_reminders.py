"""A referral nobody answers (`jobs run-due --at`): 14 days after it was sent, the partner
organisation's contacts are reminded and the worker who referred hears it, once; answered,
still proposed, or younger referrals stay quiet. The mails carry no name or reason."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine

from marketplace.casework.models import PartnerOrganisation, Referral
from marketplace.casework.referrals import move, refer
from marketplace.casework.services import set_resident_pc4
from marketplace.extensions import db
from marketplace.jobs import JOBS
from marketplace.partners import services
from marketplace.partners.referrals import answer
from tests.integration.test_sweeps_world import START, links, messages

JOB = "referral_reminders"


def run_due(runner, at) -> int:
    result = runner.invoke(args=["jobs", "run-due", "--at", at.isoformat()])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert list(summary) == [job.name for job in JOBS]
    db.session.expire_all()
    return summary[JOB]


@pytest.fixture()
def referrals(app, make_area, make_user):
    with time_machine.travel(START, tick=False):
        area = make_area("GM1728", "municipality", name="Bladel", pc4=("5527",))
        worker = make_user("worker", name="Wim Werker", areas=(area,), email="wim@example.org")
        colleague = make_user("worker", name="Cor Collega", areas=(area,),
                              email="cor@example.org")
        org = PartnerOrganisation(name="Schuldhulp Kempen", line=2, contact="0497 123 456")
        quiet = PartnerOrganisation(name="GGZ Oost", line=2)
        db.session.add_all([org, quiet])
        db.session.flush()
        petra = make_user("partner", name="Petra Partner", email="petra@example.org")
        services.set_contact(petra, org)
        people = [make_user("resident", name=n) for n in ("Annie Akkoord", "Bert Boom",
                                                           "Carla Claes", "Dirk Dool")]
        for resident in people:
            set_resident_pc4(resident, "5527")
        reason = "Schulden, brieven stapelen zich op."
        waiting = refer(worker, people[0], partner_id=org.id, reason=reason, consent=True)
        answered = refer(worker, people[1], partner_id=org.id, reason=reason, consent=True)
        no_portal = refer(worker, people[2], partner_id=quiet.id, reason=reason, consent=True)
        db.session.commit()
    with time_machine.travel(START + timedelta(days=3), tick=False):
        answer(petra, answered.id, "accepted", None)
        later = refer(worker, people[3], partner_id=org.id, reason=reason, consent=True)
        db.session.commit()
    return {"worker": worker, "colleague": colleague, "petra": petra, "waiting": waiting,
            "answered": answered, "no_portal": no_portal, "later": later}


def test_an_unanswered_referral_reaches_the_partner_and_the_worker_once(app, runner,
                                                                        referrals):
    assert run_due(runner, START + timedelta(days=13, hours=23)) == 0
    assert run_due(runner, START + timedelta(days=14, hours=1)) == 2  # waiting, no_portal

    to_petra = messages(to="petra@example.org", template_key="referral-unanswered:")
    assert [m.dedupe_key for m in to_petra] == [
        f"referral-unanswered:{referrals['waiting'].id}:partner:{referrals['petra'].id}"]
    assert "Een verwijzing wacht op uw antwoord" in to_petra[0].subject
    assert links(to_petra[0]) == ["/partner/verwijzingen"]

    to_wim = messages(to="wim@example.org", template_key="referral-unanswered:")
    assert sorted(m.subject for m in to_wim) == [
        "GGZ Oost heeft nog niet geantwoord op een verwijzing",
        "Schuldhulp Kempen heeft nog niet geantwoord op een verwijzing"]
    kempen = next(m for m in to_wim if "Kempen" in m.subject)
    assert "0497 123 456" in kempen.body_text
    assert "ook een herinnering gekregen" in kempen.body_text
    ggz = next(m for m in to_wim if "GGZ" in m.subject)
    assert "ook een herinnering gekregen" not in ggz.body_text
    resident_id = referrals["waiting"].resident_id
    assert links(kempen) == [f"/dossier/{resident_id}/verwijzen"]
    # Only the worker who referred; no names, reasons or postcodes in any of them.
    assert messages(to="cor@example.org", template_key="referral-unanswered:") == []
    for mail in to_petra + to_wim:
        assert "Annie" not in mail.body_text and "Schulden" not in mail.body_text
        assert "5527" not in mail.body_text

    # Once: the next runs find nothing; the later referral comes due on its own day.
    assert run_due(runner, START + timedelta(days=14, hours=2)) == 0
    assert run_due(runner, START + timedelta(days=17, hours=1)) == 1
    assert run_due(runner, START + timedelta(days=30)) == 0
    assert len(messages(to="wim@example.org", template_key="referral-unanswered:")) == 3


def test_answered_or_moved_on_referrals_stay_quiet(app, runner, referrals):
    with time_machine.travel(START + timedelta(days=5), tick=False):
        move(referrals["worker"], referrals["no_portal"], "declined")
        db.session.commit()
    # Waiting (day 0) and the later one (day 3) are due; no_portal was declined, answered
    # was taken on by the organisation.
    assert run_due(runner, START + timedelta(days=20)) == 2
    keys = {m.dedupe_key.split(":")[1] for m in messages(template_key="referral-unanswered:")}
    assert keys == {str(referrals["waiting"].id), str(referrals["later"].id)}


def test_when_the_referrer_left_the_area_workers_hear_it(app, runner, referrals):
    with time_machine.travel(START + timedelta(days=1), tick=False):
        referrals["worker"].is_active = False
        db.session.commit()
    assert run_due(runner, START + timedelta(days=14, hours=1)) == 2
    assert messages(to="wim@example.org", template_key="referral-unanswered:") == []
    assert len(messages(to="cor@example.org", template_key="referral-unanswered:")) == 2
    assert db.session.get(Referral, referrals["waiting"].id).status == "sent"
