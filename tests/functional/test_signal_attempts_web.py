"""Contact attempts on the signal page: a worker of the area logs each try (when, how,
reached or not, a short note); the page lists them by day and says when the respond-by date
was met; "Niet bereikt" is refused in Dutch until a try that did not reach the person is
logged. Anyone else gets 404, and bad input shows the form again with what was typed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from marketplace.accounts.models import AuditEvent
from marketplace.clock import today
from marketplace.extensions import db
from marketplace.signals.models import Signal, SignalAttempt
from tests.functional.test_signals_web import people, region, report, sign_in, text_of

__all__ = ["people", "region"]  # fixtures shared with the signal pages' tests

NOTE = "Niemand thuis; de buurvrouw zegt dat hij 's ochtends boodschappen doet."


@pytest.fixture()
def signal(app, people) -> Signal:
    report(sign_in(app, people["neighbour"]))
    return db.session.scalars(select(Signal)).one()


def dutch(day) -> str:
    return f"{day.day}-{day.month}-{day.year}"


def attempt(client, signal_id: int, **overrides):
    data = {"poging-attempted_on": dutch(today()), "poging-method": "visit",
            "poging-reached": "no", "poging-note": NOTE}
    data.update(overrides)
    return client.post(f"/signalen/{signal_id}/pogingen", data=data)


def views_of(signal_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "signal.viewed", AuditEvent.object_id == signal_id))


def test_worker_logs_attempts_and_sees_them_in_order(app, people, signal):
    worker = sign_in(app, people["worker"])
    page = worker.get(f"/signalen/{signal.id}")
    assert "Er is nog geen contactpoging vastgelegd." in text_of(page)
    soup = BeautifulSoup(page.text, "html.parser")
    # Two notes on one page (attempt and outcome), each with its own id and label.
    assert soup.find("textarea", id="poging-note") and soup.find("textarea", id="note")
    assert soup.find("label", attrs={"for": "poging-note"})

    response = attempt(worker, signal.id)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/signalen/{signal.id}#pogingen")
    stored = db.session.get(Signal, signal.id)
    stored.created_at -= timedelta(days=3)  # reported three days ago
    db.session.commit()
    earlier = today() - timedelta(days=2)  # logged afterwards: first on the list
    response = attempt(worker, signal.id, **{"poging-attempted_on": earlier.isoformat(),
                                             "poging-method": "phone",
                                             "poging-reached": "yes", "poging-note": ""})
    assert response.status_code == 302
    stored = db.session.scalars(select(Signal)).one()
    assert stored.status == "in_progress" and stored.assigned_worker_id == people["worker"].id
    assert stored.first_attempt_on == earlier
    before = views_of(signal.id)
    page = worker.get(f"/signalen/{signal.id}")
    assert views_of(signal.id) == before + 1  # the notes are read on an audited page
    soup = BeautifulSoup(page.text, "html.parser")
    items = [" ".join(li.get_text(" ").split())
             for li in soup.find(id="pogingen").find("ol").find_all("li")]
    assert len(items) == 2
    assert "Gebeld" in items[0] and "bereikt – door u" in items[0]
    assert "Langs geweest (aangebeld)" in items[1] and "niet bereikt" in items[1]
    assert NOTE in items[1]
    words = text_of(page)
    assert "Daarmee is de reactiedatum gehaald." in words
    assert "Contactpoging: langs geweest (aangebeld), niet bereikt" in words  # the timeline
    # A colleague of the area sees who tried.
    colleague = text_of(sign_in(app, people["colleague"]).get(f"/signalen/{signal.id}"))
    assert "door Wim Werker" in colleague and NOTE in colleague


def test_an_attempt_meets_the_date_so_the_lists_no_longer_say_late(app, people, signal):
    stored = db.session.get(Signal, signal.id)
    stored.respond_by = today() - timedelta(days=1)
    db.session.commit()
    worker = sign_in(app, people["worker"])
    assert "Te laat" in text_of(worker.get("/signalen/"))
    assert attempt(worker, signal.id).status_code == 302
    listing = text_of(worker.get("/signalen/"))
    assert "Te laat" not in listing and "eerste poging op" in listing
    page = text_of(worker.get(f"/signalen/{signal.id}"))
    assert "De datum is voorbij" not in page and "Dat was na de reactiedatum." in page
    assert "Te laat" not in text_of(worker.get("/werk/"))


def test_not_reached_needs_a_logged_attempt_first(app, people, signal):
    worker = sign_in(app, people["worker"])
    response = worker.post(f"/signalen/{signal.id}/uitkomst",
                           data={"outcome": "not_reached", "note": "Drie keer aangebeld."})
    assert response.status_code == 200
    words = text_of(response)
    assert "Leg eerst een contactpoging vast waarbij u de persoon niet bereikte." in words
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.find("textarea", id="note").get_text().strip() == "Drie keer aangebeld."
    assert soup.find("input", attrs={"name": "outcome", "value": "not_reached"}).has_attr(
        "checked")
    assert db.session.scalars(select(Signal)).one().status == "new"
    # A try that reached the person is not enough; one that did not is.
    attempt(worker, signal.id, **{"poging-reached": "yes"})
    response = worker.post(f"/signalen/{signal.id}/uitkomst", data={"outcome": "not_reached"})
    assert response.status_code == 200 and "Leg eerst een contactpoging vast" in text_of(
        response)
    attempt(worker, signal.id)
    response = worker.post(f"/signalen/{signal.id}/uitkomst", data={"outcome": "not_reached"})
    assert response.status_code == 302
    handled = db.session.scalars(select(Signal)).one()
    assert handled.status == "handled" and handled.outcome == "not_reached"
    # Handled: the attempts stay on the page, the form is gone, a late POST is refused.
    page = worker.get(f"/signalen/{signal.id}")
    assert NOTE in text_of(page) and 'name="poging-method"' not in page.text
    late = attempt(worker, signal.id)
    assert late.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(SignalAttempt)) == 2


def test_bad_input_shows_the_form_again_with_what_was_typed(app, people, signal):
    worker = sign_in(app, people["worker"])
    response = attempt(worker, signal.id, **{"poging-attempted_on": "31-02-2026",
                                             "poging-method": "", "poging-reached": "misschien",
                                             "poging-note": "x" * 501})
    assert response.status_code == 200
    words = text_of(response)
    assert "Vul een datum in zoals 25-12-2026." in words
    assert "Kies hoe u het probeerde." in words
    assert "Kies of u de persoon heeft bereikt." in words
    assert "Houd de notitie korter: hoogstens 500 tekens." in words
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.find("input", attrs={"name": "poging-attempted_on"})["value"] == "31-02-2026"
    assert soup.find("textarea", id="poging-note").get_text().strip() == "x" * 501
    error = soup.find(id="poging-method-error")
    assert error is not None and "Kies hoe u het probeerde." in error.get_text()
    future = today() + timedelta(days=2)
    response = attempt(worker, signal.id, **{"poging-attempted_on": dutch(future)})
    assert response.status_code == 200 and "Die dag is nog niet geweest." in text_of(response)
    assert db.session.scalars(select(SignalAttempt)).all() == []


def test_hostile_input_never_gives_a_server_error(app, people, signal):
    worker = sign_in(app, people["worker"])
    for value in ("\x00", "²", "9" * 40, "2026-13-45", "<script>alert(1)</script>"):
        response = attempt(worker, signal.id, **{"poging-attempted_on": value,
                                                 "poging-method": value,
                                                 "poging-reached": value,
                                                 "poging-note": value})
        assert response.status_code == 200, value
    response = attempt(worker, signal.id, **{"poging-note": "<b>vet</b>\x00 en meer"})
    assert response.status_code == 302
    page = worker.get(f"/signalen/{signal.id}").text
    assert "<b>vet</b>" not in page and "&lt;b&gt;vet&lt;/b&gt;" in page
    assert worker.post("/signalen/99999999999/pogingen", data={}).status_code == 404


@pytest.mark.parametrize("who", ["other_worker", "neighbour", "volunteer", "association",
                                 "municipality"])
def test_anyone_but_a_worker_of_the_area_gets_404(app, people, signal, who):
    client = sign_in(app, people[who])
    assert attempt(client, signal.id).status_code == 404
    assert db.session.scalars(select(SignalAttempt)).all() == []


def test_without_signing_in_the_login_page(client, signal):
    response = attempt(client, signal.id)
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]
