"""The home per role: a signed-in person lands on cards for each role they hold, each with a
number (or a clear empty state that says what to do next) and a link to the page behind it.
Signed out, the home is the public introduction with the three ways in."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.conftest import TEST_PASSWORD


def cards(response) -> dict[str, dict]:
    soup = BeautifulSoup(response.text, "html.parser")
    found = {}
    for card in soup.select("main .stat-card"):
        link = card.select_one(".entry-card__title a")
        number = card.select_one(".stat-card__number")
        found[link.get_text(strip=True)] = {
            "href": link["href"], "number": int(number.get_text()) if number else None,
            "text": " ".join(card.get_text(" ").split())}
    return found


@pytest.fixture()
def area(make_area):
    make_area("RG", "region")
    return make_area("GM1728", "municipality", name="Bladel", parent="RG", pc4=("5531",))


def home_of(app, user):
    client = app.test_client()
    client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD})
    response = client.get("/")
    assert response.status_code == 200
    return response


def test_signed_out_sees_the_introduction(client):
    response = client.get("/")
    assert "Hulp van buren, voor buren" in response.text and not cards(response)
    assert 'href="/zorg-melden"' in response.text


@pytest.mark.parametrize(("role", "expected"), [
    ("resident", {"Mijn hulpvragen": "/hulpvragen/mijn", "Mijn netwerk": "/mijn-netwerk/"}),
    ("volunteer", {"Hulpvragen in de buurt": "/vrijwilliger/profiel",
                   "Mijn afspraken": "/vrijwilliger/afspraken"}),
    ("worker", {"Werklijst": "/werk/", "Zorgsignalen": "/signalen/"}),
    ("association", {"Mijn vereniging": "/mijn-vereniging",
                     "Activiteiten in de buurt": "/activiteiten/in-de-buurt"}),
    ("municipality", {"Resultaten": "/rapportage/", "Jaarplannen": "/rapportage/jaarplannen"}),
    ("admin", {"Gebruikers": "/beheer/gebruikers", "Gebieden": "/beheer/gebieden",
               "Logboek": "/beheer/logboek"}),
    ("partner", {"Verwijzingen": "/partner/verwijzingen", "Acties in plannen": "/partner/"}),
])
def test_each_role_lands_on_its_own_cards(app, make_user, area, role, expected):
    user = make_user(role, areas=(area,) if role in ("worker", "municipality") else ())
    found = cards(home_of(app, user))
    assert {title: c["href"] for title, c in found.items()} == expected


def test_a_coordinating_worker_finds_year_plans_and_team_evaluations(app, make_user, area):
    from marketplace.extensions import db
    from marketplace.teams.services import save_team, set_member

    worker = make_user("worker", areas=(area,))
    set_member(save_team(area, "Wijkteam Bladel"), worker, coordinator=True)
    db.session.commit()
    found = cards(home_of(app, worker))
    assert found["Jaarplannen"]["href"] == "/rapportage/jaarplannen"
    assert "Jaarplan invoeren" in found["Jaarplannen"]["text"]
    assert found["Evaluaties van de wijkteams"]["href"] == "/rapportage/evaluaties"
    assert "Evaluatie schrijven" in found["Evaluaties van de wijkteams"]["text"]
    page = home_of(app, worker).text
    assert 'href="/rapportage/jaarplannen/nieuw"' in page
    assert 'href="/rapportage/evaluaties/nieuw"' in page


def test_empty_states_say_what_to_do_next(app, make_user, area):
    resident = make_user("resident")
    mine = cards(home_of(app, resident))["Mijn hulpvragen"]
    assert mine["number"] is None and "Vraag het hier" in mine["text"]
    assert "Hulp vragen" in mine["text"]  # the next action
    volunteer = cards(home_of(app, make_user("volunteer")))["Hulpvragen in de buurt"]
    assert "Maak eerst uw profiel" in volunteer["text"]


def test_numbers_count_what_they_say(app, make_user, area):
    admin = make_user("admin")
    users = cards(home_of(app, admin))["Gebruikers"]
    assert users["number"] == 1 and "1 account op deze site" in users["text"]
    make_user("resident")
    again = cards(home_of(app, admin))["Gebruikers"]
    assert again["number"] == 2 and "2 accounts op deze site" in again["text"]


def test_several_roles_get_several_sections(app, make_user, area):
    both = make_user("resident", "volunteer")
    found = cards(home_of(app, both))
    assert {"Mijn hulpvragen", "Mijn afspraken"} <= found.keys()


def test_the_menu_names_the_same_page_per_role(app, make_user, area):
    """One endpoint, two labels: the resident asks for help, the worker for a resident."""

    def menu(user) -> dict[str, str]:
        soup = BeautifulSoup(home_of(app, user).text, "html.parser")
        return {a.get_text(strip=True): a["href"] for a in soup.select("header nav a")}

    resident = menu(make_user("resident"))
    worker = menu(make_user("worker", areas=(area,)))
    assert "Hulp vragen" in resident and "Hulpvraag invoeren" not in resident
    assert "Hulpvraag invoeren" in worker and "Hulp vragen" not in worker
    assert resident["Hulp vragen"] == worker["Hulpvraag invoeren"]
