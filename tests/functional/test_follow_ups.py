"""Follow-ups that surface: due and overdue follow-up dates on top of the worklist (own, and
the team's for a coordinator), done with a note or a new date; the daily mail of today's
follow-ups (one per worker, idempotent, time travel through ``flask jobs run-due --at``)."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
import time_machine
from sqlalchemy import select

from marketplace.brokering.followup_models import FollowUpDone
from marketplace.casework.models import CaseNote
from marketplace.casework.services import add_note, set_resident_pc4
from marketplace.clock import DOMAIN_TZ
from marketplace.extensions import db
from marketplace.notifications.models import OutboxMessage
from tests.conftest import TEST_PASSWORD

MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=DOMAIN_TZ)


@pytest.fixture()
def notes_world(app, make_user, make_area):
    area = make_area("GM1728", "municipality", name="Bladel", pc4=("5527", "5531"))
    worker = make_user("worker", areas=(area,), name="Wil Werker")
    colleague = make_user("worker", areas=(area,), name="Cor Collega")
    resident = make_user("resident", name="Rita Rustig")
    set_resident_pc4(resident, "5527")
    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=DOMAIN_TZ), tick=False):
        overdue = add_note(worker, resident, kind="call", body="Terugbellen over de tuin",
                           follow_up_on=date(2026, 12, 4))
        today_note = add_note(worker, resident, kind="note", body="Vraag naar de post",
                              follow_up_on=date(2026, 12, 7))
        later = add_note(worker, resident, kind="note", body="Later eens kijken",
                         follow_up_on=date(2026, 12, 20))
        colleagues = add_note(colleague, resident, kind="note", body="Van de collega",
                              follow_up_on=date(2026, 12, 7))
    db.session.commit()
    return {"worker": worker, "colleague": colleague, "resident": resident,
            "overdue": overdue, "today": today_note, "later": later, "colleagues": colleagues}


def _login(client, user):
    assert client.post("/inloggen", data={"email": user.email,
                                          "password": TEST_PASSWORD}).status_code == 302


def test_worklist_shows_due_and_overdue_own_follow_ups_on_top(client, notes_world):
    with time_machine.travel(MONDAY, tick=False):
        _login(client, notes_world["worker"])
        page = client.get("/werk/").get_data(as_text=True)
    top = page.split('id="opvolging"')[1].split("</section>")[0]
    assert "Terugbellen over de tuin" in top and "Te laat" in top
    assert "Vraag naar de post" in top
    assert "Later eens kijken" not in top
    assert "Van de collega" not in top  # not a coordinator: own follow-ups only
    assert page.index('id="opvolging"') < page.index('id="signalen"')


def test_done_with_a_new_date_or_a_note_and_validation(client, notes_world):
    overdue, today_note = notes_world["overdue"], notes_world["today"]
    with time_machine.travel(MONDAY, tick=False):
        _login(client, notes_world["worker"])
        empty = client.post(f"/werk/opvolging/{overdue.id}", data={})
        assert empty.status_code == 200
        assert "of kies een nieuwe datum" in empty.get_data(as_text=True)
        moved = client.post(f"/werk/opvolging/{overdue.id}",
                            data={f"f{overdue.id}-new_date": "2026-12-14"})
        assert moved.status_code == 302
        noted = client.post(f"/werk/opvolging/{today_note.id}",
                            data={f"f{today_note.id}-note": "Gebeld, alles goed."})
        assert noted.status_code == 302
        # Someone else's follow-up is not the worker's to close: 404 as for a missing one.
        other = notes_world["colleagues"]
        assert client.post(f"/werk/opvolging/{other.id}",
                           data={f"f{other.id}-note": "x"}).status_code == 404
        page = client.get("/werk/").get_data(as_text=True)
    top = page.split('id="opvolging"')[1].split("</section>")[0]
    assert "Niets om vandaag op te volgen" in top
    done = db.session.get(FollowUpDone, overdue.id)
    follow = db.session.get(CaseNote, done.next_note_id)
    assert follow.follow_up_on == date(2026, 12, 14)


def test_coordinator_sees_the_team_follow_ups(client, notes_world, make_area):
    from marketplace.teams.services import save_team, set_member

    team = save_team(notes_world["resident"] and make_area(
        "WK172801", "district", name="Hapert", parent="GM1728", pc4=("5527",)), "Team Hapert")
    set_member(team, notes_world["worker"], coordinator=True)
    set_member(team, notes_world["colleague"])
    db.session.commit()
    with time_machine.travel(MONDAY, tick=False):
        _login(client, notes_world["worker"])
        page = client.get("/werk/").get_data(as_text=True)
    top = page.split('id="opvolging"')[1].split("</section>")[0]
    assert "Van de collega" in top and "Cor Collega" in top


def test_daily_mail_of_todays_follow_ups_once(runner, notes_world):
    def run(at: str) -> dict:
        result = runner.invoke(args=["jobs", "run-due", "--at", at])
        assert result.exit_code == 0, result.output
        return json.loads(result.output.strip().splitlines()[-1])

    assert run("2026-12-07T07:15")["follow_ups_due"] == 2  # the worker and the colleague
    assert run("2026-12-07T07:15")["follow_ups_due"] == 0
    mails = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.dedupe_key.like("followups:%"))).all()
    assert sorted(m.to_address for m in mails) == sorted(
        [notes_world["worker"].email, notes_world["colleague"].email])
    assert run("2026-12-08T07:15")["follow_ups_due"] == 0  # nothing due on the 8th
    assert run("2026-12-20T07:15")["follow_ups_due"] == 1  # "Later eens kijken"
