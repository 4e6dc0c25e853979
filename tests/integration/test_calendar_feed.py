"""Calendar feeds: a secret, revocable iCalendar address; parsed back with ``icalendar``.

A volunteer's feed holds their arrangement (weekly on its day parts until the planned end),
its check-ins and the occurrences of the activity where they help; a resident's feed the
activities they signed up for (not those on the waiting list). No name, no house number,
no address but the activity's venue.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from icalendar import Calendar

from marketplace.brokering.services import accept, propose_match
from marketplace.extensions import db
from marketplace.help_requests.services import RequestInput, create_request
from tests.vacancy_support import build

HOUSE_NUMBER = "117b"


@pytest.fixture()
def w(make_area, make_user):
    return build(make_area, make_user)


def _feed(client, url: str) -> Calendar:
    path = url.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "no-store" in response.headers["Cache-Control"]
    return Calendar.from_ical(response.data)


def _events(calendar: Calendar) -> list:
    return list(calendar.walk("VEVENT"))


def _arrangement(w):
    request = create_request(w.resident, RequestInput(
        category="shopping", description="Boodschappen doen, ik loop slecht",
        postcode="5527 AB", house_number=HOUSE_NUMBER, day_parts=("tue_morning", "fri_evening")))
    db.session.commit()
    from marketplace.volunteers.services import ProfileInput, save_profile

    save_profile(w.near, ProfileInput(skills=["meals", "shopping"], postcode="5531",
                                      radius_km=10, has_vog=True))
    found = accept(w.near, propose_match(w.worker, request, w.near))
    db.session.commit()
    return found


def _helper(w):
    from marketplace.associations import vacancy_services as vacancies

    vacancy = vacancies.create_vacancy(w.board, w.activity, vacancies.VacancyInput(
        skill="meals", count=1))
    match = vacancies.propose(w.board, vacancy, w.near)
    vacancies.accept(w.near, match)
    db.session.commit()
    return vacancy


def test_volunteer_feed_has_arrangement_checkins_and_activities(app, client, w, api_token):
    arrangement = _arrangement(w)
    _helper(w)
    body = client.get("/api/v1/volunteers/me", headers=api_token(w.near)).get_json()
    url = body["calendar_url"]
    assert url.startswith("http") and url.endswith(".ics")
    # The same address every time it is asked for.
    assert client.get("/api/v1/volunteers/me", headers=api_token(w.near)).get_json()[
        "calendar_url"] == url
    assert client.get("/api/v1/me", headers=api_token(w.near)).get_json()["calendar_url"] == url

    calendar = _feed(client, url)
    events = _events(calendar)
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids)), "UIDs are unique"
    for event in events:
        assert "DTSTAMP" in event and "DTSTART" in event

    weekly = [e for e in events if "RRULE" in e]
    assert {str(e["UID"]) for e in weekly} == {
        f"arrangement-{arrangement.id}-tue_morning@buurtmakelaar",
        f"arrangement-{arrangement.id}-fri_evening@buurtmakelaar"}
    for event in weekly:
        assert str(event["SUMMARY"]) == "Boodschappen — hulp in 5527"
        start = event.decoded("DTSTART")
        assert str(start.tzinfo) == "Europe/Amsterdam"
        until = event["RRULE"]["UNTIL"][0]
        assert until.date() >= arrangement.planned_end_on
    tuesday = next(e for e in weekly if "tue_morning" in str(e["UID"]))
    assert tuesday.decoded("DTSTART").weekday() == 1 and tuesday.decoded("DTSTART").hour == 9
    assert calendar.walk("VTIMEZONE"), "local day parts come with their time zone"

    checkins = [e for e in events if str(e["UID"]).startswith("checkin-")]
    assert len(checkins) >= 2
    assert all(isinstance(e.decoded("DTSTART"), date)
               and not isinstance(e.decoded("DTSTART"), datetime) for e in checkins)

    helping = [e for e in events if str(e["UID"]).endswith("-helper@buurtmakelaar")]
    assert len(helping) >= 4  # a weekly activity: the coming weeks
    first = helping[0]
    assert str(first["SUMMARY"]) == "Vrijwilliger bij: Buurtmaaltijd"
    assert "Dorpshuis De Kei" in str(first["LOCATION"])
    assert first.decoded("DTSTART").tzinfo is not None

    # Nothing personal: no resident's name, no house number, no description of the request.
    text = calendar.to_ical().decode()
    unfolded = text.replace("\r\n ", "")
    for secret in (w.resident.name, HOUSE_NUMBER, "ik loop slecht", w.near.name,
                   w.near.email, w.board.name):
        assert secret not in unfolded, secret
    locations = [str(e["LOCATION"]) for e in events if "LOCATION" in e]
    assert locations and all("Dorpshuis De Kei" in loc for loc in locations)


def test_resident_feed_has_registered_activities_only(app, client, w, make_user, api_token):
    from marketplace.associations.models import Activity
    from marketplace.associations.services import ActivityInput, create_activity
    from marketplace.associations.signups import signup

    full = create_activity(w.board, ActivityInput(
        title="Kleine kookles", category="meals", postcode="5531", venue="Keuken De Kei",
        starts_at=w.activity.starts_at, recurrence="none", capacity=1,
        association_id=w.association.id))
    db.session.commit()
    signup(w.activity, w.resident, actor=w.resident)
    first = make_user("resident")
    signup(full, first, actor=first)
    waiting = signup(full, w.resident, actor=w.resident)
    db.session.commit()
    assert waiting.status == "waitlisted"

    me = client.get("/api/v1/me", headers=api_token(w.resident)).get_json()
    events = _events(_feed(client, me["calendar_url"]))
    summaries = {str(e["SUMMARY"]) for e in events}
    assert summaries == {"Buurtmaaltijd"}
    assert all(str(e["UID"]).endswith("-signup@buurtmakelaar") for e in events)
    # A worker has no feed in /me.
    assert "calendar_url" not in client.get("/api/v1/me", headers=api_token(w.worker)).get_json()

    # A cancelled occurrence stays in the feed, marked cancelled, so calendars remove it.
    from marketplace.associations.occurrences import cancel_occurrence

    occurrence = db.session.get(Activity, w.activity.id).occurrences[1]
    cancel_occurrence(w.board, occurrence)
    db.session.commit()
    events = _events(_feed(client, me["calendar_url"]))
    cancelled = [e for e in events if str(e["STATUS"]) == "CANCELLED"]
    assert [str(e["UID"]) for e in cancelled] == [
        f"occurrence-{occurrence.id}-signup@buurtmakelaar"]


def test_wrong_and_revoked_tokens_are_404(app, client, w, login):
    from marketplace.calendar import services

    assert client.get("/agenda/bestaatniet.ics").status_code == 404
    assert client.get("/agenda/" + "x" * 500 + ".ics").status_code == 404
    old = services.calendar_url(w.resident)
    db.session.commit()
    old_path = "/" + old.split("://", 1)[1].split("/", 1)[1]
    assert client.get(old_path).status_code == 200

    # "Nieuw adres maken" on the page: the old address dies, the new one works.
    login(w.resident)
    page = client.get("/agenda/")
    assert page.status_code == 200 and old_path in page.get_data(as_text=True)
    assert client.post("/agenda/nieuw", data={"next": "/agenda/"}).status_code == 302
    assert client.get(old_path).status_code == 404
    new = services.calendar_url(w.resident, create=False)
    assert new and new != old
    assert client.get("/" + new.split("://", 1)[1].split("/", 1)[1]).status_code == 200
    # An off-site "next" is ignored.
    for evil in ("//evil.example/", "/\\evil.example/", "https://evil.example/"):
        response = client.post("/agenda/nieuw", data={"next": evil})
        assert response.headers["Location"].endswith("/agenda/"), evil


def test_a_changed_secret_key_gives_a_new_address(app, w):
    from marketplace.calendar import services

    first = services.calendar_url(w.near)
    db.session.commit()
    old_key = app.config["SECRET_KEY"]
    try:
        app.config["SECRET_KEY"] = "another-secret"
        second = services.calendar_url(w.near)
        db.session.commit()
        assert second != first
        assert services.user_for_token(second.rsplit("/", 1)[1][:-4]).id == w.near.id
    finally:
        app.config["SECRET_KEY"] = old_key


def test_feed_queries_do_not_grow_with_commitments(app, client, w, make_user):
    """A fixed number of queries whatever the number of arrangements and activities."""
    from sqlalchemy import event

    from marketplace.calendar import services

    url = services.calendar_url(w.near)
    db.session.commit()
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]

    def count() -> int:
        seen = []

        def record(*args, **kwargs):
            seen.append(1)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            assert client.get(path).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return len(seen)

    _arrangement(w)
    _helper(w)
    few = count()
    _arrangement(w)
    from marketplace.associations.services import ActivityInput, create_activity

    w.activity = create_activity(w.board, ActivityInput(
        title="Repaircafé", category="meals", postcode="5531", venue="Dorpshuis De Kei",
        starts_at=w.activity.starts_at, recurrence="weekly", association_id=w.association.id))
    db.session.commit()
    _helper(w)
    more = count()
    assert more == few, (few, more)
