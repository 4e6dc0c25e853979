"""Signals through the JSON API (CONTRACT.md §5) and the signal services on every database:
the respond-by date in working days from the area setting, escalation to the coordinator."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from marketplace.areas import settings as area_settings
from marketplace.extensions import db
from marketplace.notifications.models import OutboxMessage
from marketplace.signals import services
from marketplace.signals.models import Signal
from marketplace.signals.rules import add_working_days, is_overdue
from marketplace.teams.services import save_team, set_member

CONCERN = "Mevrouw op de hoek lijkt niet meer buiten te komen; de krant blijft liggen."
THURSDAY = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)


@pytest.fixture()
def region(make_area):
    make_area("RG", "region")
    bladel = make_area("GM1728", "municipality", name="Bladel", parent="RG", pc4=("5531",))
    hapert = make_area("GM1728-HAPERT", "core", name="Hapert", parent="GM1728", pc4=("5527",))
    eersel = make_area("GM0770", "municipality", name="Eersel", parent="RG", pc4=("5521",))
    return bladel, hapert, eersel


@pytest.fixture()
def people(make_user, region):
    bladel, _hapert, eersel = region
    return {
        "resident": make_user("resident", name="Buurman Bas"),
        "volunteer": make_user("volunteer"),
        "worker": make_user("worker", name="Wim Werker", areas=(bladel,)),
        "coordinator": make_user("worker", name="Coby Coördinator", areas=(bladel,)),
        "other_worker": make_user("worker", name="Olga Elders", areas=(eersel,)),
        "municipality": make_user("municipality", areas=(bladel,)),
    }


def post_signal(client, headers, **overrides):
    body = {"postcode": "5527 AB", "concern": CONCERN, "about": "Hoek Kerkstraat"}
    body.update(overrides)
    return client.post("/api/v1/signals", json=body, headers=headers)


@pytest.mark.parametrize("who", ["resident", "volunteer", "worker", "municipality"])
def test_post_signal_answers_exactly_the_contract(client, people, api_token, who):
    response = post_signal(client, api_token(people[who]))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert set(body) == {"id", "status", "respond_by"}
    assert body["status"] == "new"
    assert date.fromisoformat(body["respond_by"]) > date(2000, 1, 1)
    assert db.session.get(Signal, body["id"]).reporter_id == people[who].id


def test_post_signal_field_errors_and_bad_bodies(client, people, api_token):
    headers = api_token(people["resident"])
    response = post_signal(client, headers, postcode="12", concern="ko", about=17)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    errors = response.get_json()["errors"]
    assert set(errors) == {"postcode", "concern", "about"}
    response = post_signal(client, headers, postcode="12", concern="ko")
    assert set(response.get_json()["errors"]) == {"postcode", "concern"}
    response = client.post("/api/v1/signals", json={}, headers=headers)
    assert set(response.get_json()["errors"]) == {"postcode", "concern"}
    response = post_signal(client, headers, postcode=5527, concern=["x"])
    assert response.status_code == 422
    response = post_signal(client, headers, postcode="1000")
    assert response.get_json()["errors"]["postcode"] == [
        "Deze postcode kennen wij niet. Kijk of de cijfers kloppen."]
    response = post_signal(client, headers, concern="x" * 4001)
    assert "concern" in response.get_json()["errors"]
    response = post_signal(client, headers, concern="Zorg\x00" * 5, about="\x00")
    assert response.status_code == 201  # control characters are dropped, never a 500
    assert client.post("/api/v1/signals", data="nee", headers=headers).status_code == 400
    assert post_signal(client, {}).status_code == 401
    assert db.session.scalar(select(Signal.concern)) == "Zorg" * 5


def test_respond_by_counts_working_days_from_the_area_setting(client, people, region,
                                                             api_token):
    _bladel, hapert, _eersel = region
    area_settings.set_value(hapert, "signal_respond_days", "3")
    db.session.commit()
    headers = api_token(people["resident"])
    with time_machine.travel(THURSDAY, tick=False):
        in_hapert = post_signal(client, headers).get_json()
        in_bladel = post_signal(client, headers, postcode="5531").get_json()
    # Thursday + 3 working days skips the weekend: Tuesday. The default is 5: next Thursday.
    assert in_hapert["respond_by"] == "2026-03-10"
    assert in_bladel["respond_by"] == "2026-03-12"
    # Reported on a Saturday: the count starts on Monday.
    with time_machine.travel(THURSDAY + timedelta(days=2), tick=False):
        saturday = post_signal(client, headers).get_json()
    assert saturday["respond_by"] == "2026-03-12"


def test_working_day_and_overdue_rules():
    assert add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)  # Friday → Monday
    assert add_working_days(date(2026, 3, 7), 0) == date(2026, 3, 9)  # Saturday → Monday
    with pytest.raises(ValueError):
        add_working_days(date(2026, 3, 6), -1)
    assert is_overdue(date(2026, 3, 5), "new", date(2026, 3, 6))
    assert not is_overdue(date(2026, 3, 5), "new", date(2026, 3, 5))
    assert not is_overdue(date(2026, 3, 5), "handled", date(2026, 3, 9))


def test_workers_list_their_areas_open_signals_only(client, people, api_token):
    reported = post_signal(client, api_token(people["resident"])).get_json()
    post_signal(client, api_token(people["resident"]), postcode="5521",
                concern="In Eersel staat een fiets al weken tegen de deur.")
    rows = client.get("/api/v1/signals", headers=api_token(people["worker"])).get_json()
    assert [r["id"] for r in rows] == [reported["id"]]
    assert rows[0]["concern"] == CONCERN and rows[0]["pc4"] == "5527"
    assert rows[0]["respond_by"] == reported["respond_by"] and rows[0]["overdue"] is False
    other = client.get("/api/v1/signals", headers=api_token(people["other_worker"])).get_json()
    assert CONCERN not in str(other) and [r["pc4"] for r in other] == ["5521"]
    for who in ("resident", "volunteer", "municipality"):
        response = client.get("/api/v1/signals", headers=api_token(people[who]))
        assert response.status_code == 403


def test_signal_of_another_area_is_404_like_a_missing_one(client, people, api_token):
    signal_id = post_signal(client, api_token(people["resident"])).get_json()["id"]
    headers = api_token(people["other_worker"])
    hidden = client.get(f"/api/v1/signals/{signal_id}", headers=headers)
    missing = client.get("/api/v1/signals/999999", headers=headers)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.get_json() == missing.get_json()
    assert client.get("/api/v1/signals/99999999999", headers=headers).status_code == 404
    for path in ("assign", "outcome"):
        response = client.post(f"/api/v1/signals/{signal_id}/{path}",
                               json={"outcome": "visited"}, headers=headers)
        assert response.status_code == 404


def test_take_and_record_outcome_through_the_api(client, people, api_token, outbox_files):
    signal_id = post_signal(client, api_token(people["volunteer"])).get_json()["id"]
    headers = api_token(people["worker"])
    body = client.post(f"/api/v1/signals/{signal_id}/assign", headers=headers).get_json()
    assert body["assigned_worker_id"] == people["worker"].id and body["status"] == "in_progress"
    response = client.post(f"/api/v1/signals/{signal_id}/assign",
                           json={"worker_id": people["other_worker"].id}, headers=headers)
    assert response.status_code == 422 and "worker_id" in response.get_json()["errors"]
    response = client.post(f"/api/v1/signals/{signal_id}/assign",
                           json={"worker_id": "7"}, headers=headers)
    assert response.status_code == 422
    response = client.post(f"/api/v1/signals/{signal_id}/outcome", json={"outcome": "chaos"},
                           headers=headers)
    assert response.status_code == 422 and "outcome" in response.get_json()["errors"]
    response = client.post(f"/api/v1/signals/{signal_id}/outcome",
                           json={"outcome": "referred", "note": "Naar de huisarts."},
                           headers=headers)
    assert response.status_code == 200
    assert response.get_json()["status"] == "handled"
    assert response.get_json()["outcome"] == "referred"
    again = client.post(f"/api/v1/signals/{signal_id}/outcome", json={"outcome": "visited"},
                        headers=headers)
    assert again.status_code == 409
    rows = client.get("/api/v1/signals", headers=headers).get_json()
    assert rows == []  # handled: off the open list
    reporter_mail = [m for m in outbox_files() if people["volunteer"].email in m]
    assert len(reporter_mail) == 1
    assert "huisarts" not in reporter_mail[0] and "krant" not in reporter_mail[0]


def test_escalation_goes_to_the_team_coordinator_once(client, people, region, api_token):
    bladel, _hapert, _eersel = region
    team = save_team(bladel, "Wijkteam Bladel")
    set_member(team, people["worker"])
    set_member(team, people["coordinator"], coordinator=True)
    db.session.commit()
    with time_machine.travel(THURSDAY, tick=False):
        signal_id = post_signal(client, api_token(people["resident"])).get_json()["id"]
    signal = db.session.get(Signal, signal_id)
    assert services.escalate_overdue(THURSDAY + timedelta(days=7)) == 0  # the day itself
    db.session.commit()
    later = THURSDAY + timedelta(days=8)
    assert services.escalate_overdue(later) == 1
    db.session.commit()
    assert services.escalate_overdue(later + timedelta(days=1)) == 0
    db.session.commit()
    overdue = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.dedupe_key.like(f"signal:{signal_id}:overdue:%"))).all()
    assert [m.to_address for m in overdue] == [people["coordinator"].email]
    assert "te laat" in overdue[0].subject and CONCERN not in overdue[0].body_text
    assert signal.escalated_at is not None
    assert [e.action for e in signal.events][-1] == "escalated"


def test_without_a_coordinator_the_area_workers_hear_of_it(client, people, api_token):
    with time_machine.travel(THURSDAY, tick=False):
        signal_id = post_signal(client, api_token(people["resident"])).get_json()["id"]
    assert services.escalate_overdue(THURSDAY + timedelta(days=30)) == 1
    db.session.commit()
    overdue = db.session.scalars(select(OutboxMessage.to_address).where(
        OutboxMessage.dedupe_key.like(f"signal:{signal_id}:overdue:%"))).all()
    assert sorted(overdue) == sorted([people["worker"].email, people["coordinator"].email])
