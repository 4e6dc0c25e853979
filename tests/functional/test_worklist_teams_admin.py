"""The administrator's neighbourhood-team pages: list, create a team for a municipality,
district or core, add and remove workers, mark the coordinator. Bad input comes back with
what was typed and a Dutch message."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.teams.models import Team
from marketplace.teams.services import coordinators_for, teams_of
from tests.conftest import TEST_PASSWORD

BASE = "/beheer/wijkteams"


@pytest.fixture()
def region(make_area):
    make_area("RG", "region")
    bladel = make_area("GM1728", "municipality", name="Bladel", parent="RG", pc4=("5531",))
    hapert = make_area("GM1728-HAPERT", "core", name="Hapert", parent="GM1728", pc4=("5527",))
    eersel = make_area("GM0770", "municipality", name="Eersel", parent="RG", pc4=("5521",))
    return bladel, hapert, eersel


@pytest.fixture()
def people(make_user, region):
    bladel, hapert, eersel = region
    return {
        "admin": make_user("admin", name="Anna Beheer"),
        "worker": make_user("worker", name="Wim Werker", areas=(bladel,)),
        "hapert_worker": make_user("worker", name="Hanna Hapert", areas=(hapert,)),
        "other_worker": make_user("worker", name="Olga Elders", areas=(eersel,)),
        "resident": make_user("resident"),
    }


def sign_in(app, user):
    client = app.test_client()
    response = client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def text_of(response) -> str:
    return " ".join(BeautifulSoup(response.text, "html.parser").get_text(" ").split())


def options(response, name: str) -> list[str]:
    return [o.get_text() for o in BeautifulSoup(response.text, "html.parser").select(
        f"select[name={name}] option")]


def test_only_the_administrator(app, people):
    for who in ("worker", "resident"):
        client = sign_in(app, people[who])
        assert client.get(f"{BASE}/").status_code == 403
        assert client.post(f"{BASE}/nieuw").status_code == 403
    assert app.test_client().get(f"{BASE}/").status_code == 302
    admin = sign_in(app, people["admin"])
    assert admin.get(f"{BASE}/").status_code == 200
    assert admin.get(f"{BASE}/99999999999").status_code == 404
    assert admin.post(f"{BASE}/999/leden").status_code == 404
    assert "Wijkteams" in text_of(admin.get("/beheer/gebruikers"))  # navigation


def test_create_a_team_bad_input_first(app, people, region):
    bladel, hapert, _eersel = region
    admin = sign_in(app, people["admin"])
    page = admin.get(f"{BASE}/nieuw")
    choices = options(page, "area")
    assert any("Bladel" in c for c in choices) and any("Hapert" in c for c in choices)
    assert not any(c.startswith("RG") for c in choices)  # a region gets no team

    response = admin.post(f"{BASE}/nieuw", data={"area": "", "name": "Team Kempen"})
    assert response.status_code == 200
    assert "Kies een gemeente, wijk of kern uit de lijst." in text_of(response)
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.find("input", attrs={"name": "name"})["value"] == "Team Kempen"
    response = admin.post(f"{BASE}/nieuw", data={"area": hapert.id, "name": ""})
    assert "Geef het team een naam." in text_of(response)
    response = admin.post(f"{BASE}/nieuw", data={"area": hapert.id, "name": "x" * 121})
    assert "hooguit 120 tekens" in text_of(response)
    for junk in ("abc", "\x00", "99999999999999999999"):
        assert admin.post(f"{BASE}/nieuw", data={"area": junk,
                                                 "name": "a\x00b"}).status_code == 200
    assert db.session.scalars(select(Team)).all() == []

    response = admin.post(f"{BASE}/nieuw", data={"area": hapert.id, "name": "Wijkteam Hapert"})
    assert response.status_code == 302
    team = db.session.scalars(select(Team)).one()
    assert team.area_id == hapert.id and team.name == "Wijkteam Hapert"
    assert response.headers["Location"] == f"{BASE}/{team.id}"
    again = admin.post(f"{BASE}/nieuw", data={"area": hapert.id, "name": "Nog een"})
    assert "Hapert heeft al een wijkteam." in text_of(again)
    listing = text_of(admin.get(f"{BASE}/"))
    assert "Wijkteam Hapert" in listing and "Hapert (Kern (dorp))" in listing


def test_members_and_the_coordinator(app, people, region):
    bladel, _hapert, _eersel = region
    admin = sign_in(app, people["admin"])
    admin.post(f"{BASE}/nieuw", data={"area": bladel.id, "name": "Wijkteam Bladel"})
    team = db.session.scalars(select(Team)).one()
    page = admin.get(f"{BASE}/{team.id}")
    choices = options(page, "user_id")
    # Workers for Bladel and for a part of it; not from another municipality.
    assert any("Wim Werker" in c for c in choices) and any("Hanna Hapert" in c for c in choices)
    assert not any("Olga" in c for c in choices)

    response = admin.post(f"{BASE}/{team.id}/leden", data={"user_id": people["other_worker"].id})
    assert response.status_code == 200
    assert "Kies een welzijnswerker uit de lijst." in text_of(response)
    response = admin.post(f"{BASE}/{team.id}/leden",
                          data={"user_id": people["worker"].id, "coordinator": "y"})
    assert response.status_code == 302
    admin.post(f"{BASE}/{team.id}/leden", data={"user_id": people["hapert_worker"].id})
    db.session.expire_all()
    assert [u.id for u in coordinators_for(bladel.id)] == [people["worker"].id]
    assert [t.id for t in teams_of(people["hapert_worker"])] == [team.id]
    words = text_of(admin.get(f"{BASE}/{team.id}"))
    assert "Leden (2)" in words and "Coördinator" in words
    # Hanna works for Hapert only: she does not see the cases of all of Bladel.
    assert "werkt niet in dit gebied" in words

    url = f"{BASE}/{team.id}/leden/{people['hapert_worker'].id}/coordinator"
    assert admin.post(url, data={"coordinator": "ja"}).status_code == 302
    db.session.expire_all()
    assert len(coordinators_for(bladel.id)) == 2
    admin.post(f"{BASE}/{team.id}/leden/{people['worker'].id}/coordinator",
               data={"coordinator": "nee"})
    db.session.expire_all()
    assert [u.id for u in coordinators_for(bladel.id)] == [people["hapert_worker"].id]

    response = admin.post(f"{BASE}/{team.id}/leden/{people['worker'].id}/verwijderen")
    assert response.status_code == 302
    db.session.expire_all()
    assert teams_of(people["worker"]) == []
    assert admin.post(f"{BASE}/{team.id}/leden/{people['worker'].id}/verwijderen"
                      ).status_code == 404
    assert admin.post(f"{BASE}/{team.id}/leden/99999999999/coordinator").status_code == 404

    response = admin.post(f"{BASE}/{team.id}", data={"name": ""})
    assert response.status_code == 200 and "Geef het team een naam." in text_of(response)
    response = admin.post(f"{BASE}/{team.id}", data={"name": "Team Bladel-Centrum"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Team, team.id).name == "Team Bladel-Centrum"
