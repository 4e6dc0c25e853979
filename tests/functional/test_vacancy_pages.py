"""Vacancy pages in the browser (no JavaScript): a board member asks for volunteers, sees
ranked candidates without names, proposes; the volunteer says yes; names only after yes.
Object level: a member of another association sees nothing (404)."""

from __future__ import annotations

import re

import pytest

from marketplace.associations.vacancy_models import Vacancy, VacancyMatch
from marketplace.extensions import db
from tests.vacancy_support import build


@pytest.fixture()
def w(make_area, make_user):
    return build(make_area, make_user)


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_board_member_recruits_and_the_volunteer_says_yes(app, client, login, w,
                                                         outbox_files):
    login(w.board)
    activity_page = _text(client.get(f"/activiteiten/{w.activity.id}"))
    assert "Vrijwilligers zoeken voor deze activiteit" in activity_page
    url = f"/activiteiten/{w.activity.id}/vacatures/nieuw"
    form = client.get(url)
    assert form.status_code == 200
    assert "<legend" in _text(form)  # the day-part table is a fieldset with a legend
    # The activity's own day part (Dutch time) is ticked to begin with.
    from marketplace.associations.vacancy_views import day_part_of

    assert re.search(rf'value="{day_part_of(w.activity.starts_at)}"\s+checked', _text(form))

    # Bad input: the form again, what was typed kept, a Dutch message per field.
    bad = client.post(url, data={"skill": "juggling", "count": "veel",
                                 "day_parts": ["tue_morning"], "needs_vog": "category"})
    page = _text(bad)
    assert bad.status_code == 200
    assert "Kies een soort hulp uit de lijst." in page
    assert "Vul in hoeveel vrijwilligers u zoekt: 1 tot 50." in page
    assert 'value="veel"' in page
    assert re.search(r'value="tue_morning"\s+checked', page)
    assert db.session.scalar(db.select(db.func.count()).select_from(Vacancy)) == 0

    created = client.post(url, data={"skill": "meals", "count": "1",
                                     "day_parts": ["tue_morning"], "needs_vog": "category"})
    assert created.status_code == 302
    vacancy = db.session.scalars(db.select(Vacancy)).one()
    detail = _text(client.get(created.headers["Location"]))
    # Ranked candidates with reasons, but no names for an association member.
    assert "Vrijwilliger 1" in detail and "Vrijwilliger 2" in detail
    assert w.near.name not in detail and w.second.name not in detail
    assert "km weg" in detail and "<li>" in detail
    assert w.far.name not in detail

    # Ask the first candidate with the button as the page renders it (every hidden field).
    first_form = re.search(
        r'<form[^>]* method="post" action="(/vacatures/\d+/voorstellen)">(.*?)</form>', detail,
        re.S)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">',
                             first_form.group(2)))
    assert fields["volunteer_id"] == str(w.near.id)  # nearest who fits the day part first
    proposed = client.post(first_form.group(1), data=fields)
    assert proposed.status_code == 302
    match = db.session.scalars(db.select(VacancyMatch)).one()
    mail = next(m for m in outbox_files() if "Wilt u helpen bij Buurtmaaltijd" in m)
    assert f"/vrijwilliger/vacatures/{match.id}" in mail

    # The volunteer answers on their page.
    client.post("/uitloggen")
    login(w.near)
    answer_url = f"/vrijwilliger/vacatures/{match.id}"
    page = _text(client.get(answer_url))
    assert "Dorpshuis De Kei" in page and "Ja, ik help" in page
    assert client.post(answer_url, data={"decision": "accept"}).status_code == 302
    commitments = _text(client.get("/vrijwilliger/afspraken"))
    assert "Helpen bij activiteiten" in commitments and "Buurtmaaltijd" in commitments
    assert "Agenda-adres maken" in commitments

    # Now the board member sees who helps, and the vacancy is filled.
    client.post("/uitloggen")
    login(w.board)
    detail = _text(client.get(f"/vacatures/{vacancy.id}"))
    assert w.near.name in detail and "alle plekken gevuld" in detail
    assert w.second.name not in detail


def test_a_worker_of_the_area_sees_names(client, login, w):
    from marketplace.associations import vacancy_services as vacancies

    vacancy = vacancies.create_vacancy(w.board, w.activity, vacancies.VacancyInput(
        skill="meals", count=2))
    db.session.commit()
    login(w.worker)
    page = _text(client.get(f"/vacatures/{vacancy.id}"))
    assert w.near.name in page and w.second.name in page


def test_others_see_nothing(client, login, w, make_user):
    from marketplace.associations import vacancy_services as vacancies

    vacancy = vacancies.create_vacancy(w.board, w.activity, vacancies.VacancyInput(
        skill="meals", count=2))
    match = vacancies.propose(w.board, vacancy, w.near)
    db.session.commit()
    for person in (w.outsider, w.other_worker, w.resident):
        login(person)
        for path in (f"/vacatures/{vacancy.id}", f"/activiteiten/{w.activity.id}/vacatures",
                     f"/activiteiten/{w.activity.id}/vacatures/nieuw"):
            assert client.get(path).status_code == 404, (person.email, path)
        assert client.post(f"/vacatures/{vacancy.id}/voorstellen",
                           data={"volunteer_id": str(w.second.id)}).status_code == 404
        assert client.post(f"/vacatures/{vacancy.id}/sluiten").status_code == 404
        # The activity page shows no vacancy section to them.
        assert "Vrijwilligers gezocht" not in _text(client.get(f"/activiteiten/{w.activity.id}"))
        client.post("/uitloggen")
    # Another volunteer cannot open someone else's proposal.
    login(w.second)
    assert client.get(f"/vrijwilliger/vacatures/{match.id}").status_code == 404
    assert client.post(f"/vrijwilliger/vacatures/{match.id}",
                       data={"decision": "accept"}).status_code == 404
    assert db.session.get(VacancyMatch, match.id).status == "proposed"


def test_resident_sees_the_calendar_address_on_their_page(client, login, w):
    login(w.resident)
    page = _text(client.get("/hulpvragen/mijn"))
    assert "Agenda-adres maken" in page
    client.post("/agenda/nieuw", data={"next": "/hulpvragen/mijn"})
    page = _text(client.get("/hulpvragen/mijn"))
    assert ".ics" in page and "Nieuw adres maken" in page
    assert 'readonly' in page and "kopiëren" in page
