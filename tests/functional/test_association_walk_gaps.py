"""Gaps found walking issue 11 as a board member, a worker and a resident would, one test
each: a moved time is reminded again (people signed up and the rota), an unknown kind in the
nearby search is a field error (API 422, page message), a worker hears the resident's name
when that resident is already signed up, and the activity form says how to type an impossible
date or time (once, on that field), and a moment years away or at the ends of the calendar
is a field error, never a 500."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import time_machine
from bs4 import BeautifulSoup
from sqlalchemy import select

from marketplace.associations import services
from marketplace.associations import vacancy_services as vacancies
from marketplace.associations.occurrences import move_occurrence
from marketplace.clock import now as clock_now
from marketplace.extensions import db
from marketplace.notifications.models import OutboxMessage
from tests.vacancy_support import build

START = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)  # Monday; the activity: Thursday 09:00 UTC


def _run_due(runner, at: str) -> int:
    result = runner.invoke(args=["jobs", "run-due", "--at", at])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return json.loads(result.stdout)["activity_reminders"]


def _reminders(occurrence_id: int) -> list[tuple[str, str]]:
    rows = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.dedupe_key.like(f"occurrence:{occurrence_id}:%"),
        OutboxMessage.dedupe_key.not_like("%:moved:%")).order_by(OutboxMessage.id))
    return [(m.to_address, m.dedupe_key) for m in rows]


def test_a_moved_time_is_reminded_again_before_its_new_start(app, runner, make_area,
                                                              make_user):
    with time_machine.travel(START, tick=False):
        w = build(make_area, make_user)
        vacancy = vacancies.create_vacancy(w.board, w.activity, vacancies.VacancyInput(
            skill="meals", count=1))
        vacancies.accept(w.near, vacancies.propose(w.board, vacancy, w.near))
        services.signup(w.activity, w.resident, actor=w.resident)
        db.session.commit()
    first = w.activity.occurrences[0]
    first_id = first.id
    assert first.starts_at == datetime(2027, 3, 4, 9, 0, tzinfo=UTC)
    assert _run_due(runner, "2027-03-03T09:30:00+00:00") == 1
    assert sorted(to for to, _ in _reminders(first_id)) == sorted(
        [w.resident.email, w.near.email])

    # The board moves that Thursday to Saturday 09:00: the old reminder no longer holds.
    moved_at = datetime(2027, 3, 3, 10, 0, tzinfo=UTC)
    move_occurrence(w.board, first, datetime(2027, 3, 6, 9, 0, tzinfo=UTC), now=moved_at)
    db.session.commit()
    assert _run_due(runner, "2027-03-04T09:30:00+00:00") == 0  # not yet a day before
    assert _run_due(runner, "2027-03-05T09:30:00+00:00") == 1
    sent = _reminders(first_id)
    again = [(to, key) for to, key in sent if ":202703060900:" in key]
    assert sorted(to for to, _ in again) == sorted([w.resident.email, w.near.email])
    assert {key.split(":")[2] for _, key in again} == {"reminder", "rota"}
    # Once per new start: running again, or later that day, sends nothing more.
    assert _run_due(runner, "2027-03-05T09:30:00+00:00") == 0
    assert _run_due(runner, "2027-03-05T20:00:00+00:00") == 0


def test_nearby_with_an_unknown_kind_is_a_field_error(app, client, login, make_area,
                                                      make_user, api_token):
    w = build(make_area, make_user)
    headers = api_token(w.resident)
    wrong = client.get("/api/v1/activities/nearby?postcode=5531&category=knitting",
                       headers=headers)
    assert wrong.status_code == 422
    assert wrong.content_type == "application/problem+json"
    assert wrong.get_json()["errors"] == {"category": ["Deze soort activiteit bestaat niet."]}
    long = client.get("/api/v1/activities/nearby?postcode=5531&category=" + "x" * 500,
                      headers=headers)
    assert long.status_code == 422 and "category" in long.get_json()["errors"]
    found = client.get("/api/v1/activities/nearby?postcode=5531&category=meals",
                       headers=headers)
    assert [a["title"] for a in found.get_json()] == ["Buurtmaaltijd"]

    login(w.resident)
    page = client.get("/activiteiten/in-de-buurt?postcode=5531&category=knitting&weekday=xyz")
    assert page.status_code == 200
    errors = _form_errors(page)
    # The form's own message, once per field (not again from the search rules).
    assert errors["category"] and errors["category"][0].count("Kies een soort activiteit.") == 1
    assert errors["weekday"] and errors["weekday"][0].count("Kies een dag van de week.") == 1


def test_a_worker_hears_the_residents_name_when_already_signed_up(app, client, make_area,
                                                                  make_user, api_token):
    w = build(make_area, make_user)
    headers = api_token(w.worker)
    body = {"resident_id": w.resident.id}
    first = client.post(f"/api/v1/activities/{w.activity.id}/signups", json=body,
                        headers=headers)
    assert first.status_code == 201
    again = client.post(f"/api/v1/activities/{w.activity.id}/signups", json=body,
                        headers=headers)
    assert again.status_code == 409
    assert again.get_json()["detail"] == "Inwoner Ida is al aangemeld voor deze activiteit."
    own = client.post(f"/api/v1/activities/{w.activity.id}/signups",
                      headers=api_token(w.resident))
    assert own.status_code == 409
    assert own.get_json()["detail"] == "U bent al aangemeld voor deze activiteit."


def _form_errors(response) -> dict[str, list[str]]:
    """The messages shown at each field (the block `<field id>-error`)."""
    soup = BeautifulSoup(response.text, "html.parser")
    found: dict[str, list[str]] = {}
    for field in ("day", "start_time", "weekday", "category"):
        block = soup.find(id=f"{field}-error")
        found[field] = [" ".join(block.get_text(" ").split())] if block else []
    return found


def test_activity_form_says_how_to_type_an_impossible_date_or_time(app, client, login,
                                                                   make_area, make_user):
    w = build(make_area, make_user)
    login(w.board)
    url = f"/verenigingen/{w.association.id}/activiteiten/nieuw"
    base = {"title": "Breiclub", "category": "companionship", "postcode": "5531",
            "venue": "Dorpshuis", "day": (clock_now() + timedelta(days=30)).strftime("%d-%m-%Y"),
            "start_time": "19:30",
            "recurrence": "weekly", "accessible": "yes"}
    impossible_day = client.post(url, data={**base, "day": "31-02-2027"})
    assert impossible_day.status_code == 200
    assert 'value="31-02-2027"' in impossible_day.text  # what was typed stays
    errors = _form_errors(impossible_day)
    assert any("Vul een datum in zoals 25-12-2026." in e for e in errors["day"]), errors
    assert not any("Vul de datum in." in e for e in errors["day"]), errors

    impossible_time = client.post(url, data={**base, "start_time": "25:00"})
    errors = _form_errors(impossible_time)
    assert any("Vul een tijd in zoals 19:30." in e for e in errors["start_time"]), errors
    # The date was fine: no "when does it begin?" on it because the time was wrong.
    assert not any("begint" in e for e in errors["day"]), errors

    blank = client.post(url, data={**base, "day": "", "start_time": ""})
    errors = _form_errors(blank)
    assert any("Vul de datum in." in e for e in errors["day"]), errors
    assert any("Vul de begintijd in." in e for e in errors["start_time"]), errors
    from marketplace.associations.models import Activity

    assert db.session.scalars(select(Activity.title)).all() == ["Buurtmaaltijd"]


FAR = [("31-12-9999", "23:59"), ("01-01-0001", "00:10")]


def test_moments_far_away_are_field_errors_not_500(app, client, login, make_area, make_user,
                                                   api_token):
    w = build(make_area, make_user)
    headers = api_token(w.board)
    body = {"association_id": w.association.id, "title": "Breiclub",
            "category": "companionship", "postcode": "5531", "venue": "Dorpshuis",
            "accessible": True, "recurrence": "monthly"}
    in_three_years = (clock_now() + timedelta(days=3 * 365)).strftime("%Y-%m-%dT10:00")
    for starts_at, ends_at in [("9999-12-31T23:30:00-05:00", None),
                               ("0001-01-01T00:30:00+01:00", None),
                               ("9999-12-31T20:00:00", "9999-12-31T22:00:00"),
                               (in_three_years, None)]:
        sent = {**body, "starts_at": starts_at, **({"ends_at": ends_at} if ends_at else {})}
        answer = client.post("/api/v1/activities", json=sent, headers=headers)
        assert answer.status_code == 422, (starts_at, answer.get_json())
        assert answer.get_json()["errors"]["starts_at"] == ["Kies een datum binnen twee jaar."]
    late_end = client.post("/api/v1/activities", headers=headers, json={
        **body, "starts_at": (clock_now() + timedelta(days=7)).isoformat(),
        "ends_at": "0001-01-01T00:30:00+01:00"})
    assert late_end.status_code == 422
    assert late_end.get_json()["errors"] == {"ends_at": ["Kies een datum binnen twee jaar."]}

    login(w.board)
    form = {"title": "Breiclub", "category": "companionship", "postcode": "5531",
            "venue": "Dorpshuis", "start_time": "10:00", "recurrence": "weekly",
            "accessible": "yes"}
    occurrence = w.activity.occurrences[0]
    for day, at in FAR:
        page = client.post(f"/verenigingen/{w.association.id}/activiteiten/nieuw",
                           data={**form, "day": day, "start_time": at})
        assert page.status_code == 200
        assert "Kies een datum binnen twee jaar." in _form_errors(page)["day"][0]
        moved = client.post(f"/activiteiten/{w.activity.id}/keer/{occurrence.id}/verplaatsen",
                            data={"day": day, "start_time": at})
        assert moved.status_code == 200
        assert "Kies een datum binnen twee jaar." in _form_errors(moved)["day"][0]
    from marketplace.associations.models import Activity, Occurrence

    assert db.session.scalars(select(Activity.title)).all() == ["Buurtmaaltijd"]
    db.session.expire_all()
    assert db.session.get(Occurrence, occurrence.id).moved_from is None
