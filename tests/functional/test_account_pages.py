"""The own account page: name, language, password; forms that say what is wrong."""

from __future__ import annotations

import pytest

from marketplace.accounts.models import User
from marketplace.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.security.security_support import isolate, redirect_target

NEW_PASSWORD = "een nieuw lang wachtwoord"


def signed_in_client(app, user):
    client = app.test_client()
    response = client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def fresh(user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_account_page_shows_who_i_am(app, make_user, make_area, request, monkeypatch):
    isolate(app, request, monkeypatch)
    area = make_area("GM1728", "municipality", name="Bladel")
    user = make_user("worker", "volunteer", name="Wim Werker", areas=(area,))
    page = signed_in_client(app, user).get("/account/")
    assert page.status_code == 200
    assert user.email in page.text and 'value="Wim Werker"' in page.text
    assert "Welzijnswerker" in page.text and "Vrijwilliger" in page.text
    assert "Bladel" in page.text


def test_change_name_and_language(app, make_user, request, monkeypatch):
    isolate(app, request, monkeypatch)
    user = make_user("resident", name="Oude Naam")
    client = signed_in_client(app, user)
    assert 'lang="nl"' in client.get("/account/").text
    response = client.post("/account/", data={"name": "  Nieuwe Naam ", "locale": "en"})
    assert response.status_code == 302 and redirect_target(response)[0] == "/account/"
    assert fresh(user).name == "Nieuwe Naam" and fresh(user).locale == "en"
    page = client.get("/account/")
    assert 'lang="en"' in page.text and "Nieuwe Naam" in page.text
    # The language follows the account to a new browser too.
    assert 'lang="en"' in signed_in_client(app, user).get("/account/").text


@pytest.mark.parametrize("data,message", [
    ({"name": "", "locale": "nl"}, "Vul dit veld in"),
    ({"name": "x" * 121, "locale": "nl"}, "120"),
    ({"name": "Typte Naam", "locale": "xx"}, "geldige keuze"),
])
def test_profile_form_keeps_what_was_typed(app, make_user, request, monkeypatch, data,
                                           message):
    isolate(app, request, monkeypatch)
    user = make_user("resident", name="Oude Naam")
    client = signed_in_client(app, user)
    response = client.post("/account/", data=data)
    assert response.status_code == 200
    assert message in response.text
    assert 'class="error-summary"' in response.text
    if data["name"]:
        assert f'value="{data["name"]}"' in response.text
    assert fresh(user).name == "Oude Naam"


def test_wrong_current_password_is_refused_in_dutch(app, make_user, request, monkeypatch):
    isolate(app, request, monkeypatch)
    user = make_user("resident", name="Greet Jansen")
    client = signed_in_client(app, user)
    response = client.post("/account/wachtwoord", data={
        "current_password": "niet mijn wachtwoord",
        "password": NEW_PASSWORD, "password_again": NEW_PASSWORD,
    })
    assert response.status_code == 200
    assert "Dit is niet uw huidige wachtwoord" in response.text
    assert 'id="current_password-error"' in response.text
    assert "Greet Jansen" in response.text, "still signed in, the page knows who this is"
    assert NEW_PASSWORD not in response.text and "niet mijn wachtwoord" not in response.text
    assert signed_in_client(app, user)  # the old password still works


@pytest.mark.parametrize("data,message", [
    ({"password": "kort", "password_again": "kort"}, "minstens 10 tekens"),
    ({"password": NEW_PASSWORD, "password_again": "iets heel anders"}, "niet gelijk"),
    ({"current_password": ""}, "Vul dit veld in"),
])
def test_password_form_says_what_is_wrong(app, make_user, request, monkeypatch, data,
                                          message):
    isolate(app, request, monkeypatch)
    user = make_user("resident")
    client = signed_in_client(app, user)
    form = {"current_password": TEST_PASSWORD, "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD, **data}
    response = client.post("/account/wachtwoord", data=form)
    assert response.status_code == 200
    assert message in response.text
    assert signed_in_client(app, user), "nothing changed"


def test_password_change_works_and_says_so(app, make_user, request, monkeypatch):
    isolate(app, request, monkeypatch)
    user = make_user("resident")
    client = signed_in_client(app, user)
    response = client.post("/account/wachtwoord", data={
        "current_password": TEST_PASSWORD,
        "password": NEW_PASSWORD, "password_again": NEW_PASSWORD,
    }, follow_redirects=True)
    assert response.request.path == "/account/"
    assert "Uw wachtwoord is veranderd" in response.text
    login = app.test_client().post("/inloggen", data={"email": user.email,
                                                     "password": NEW_PASSWORD})
    assert login.status_code == 302


def test_account_pages_need_a_login(app, client, request, monkeypatch):
    isolate(app, request, monkeypatch)
    for url in ("/account/", "/account/wachtwoord"):
        response = client.get(url, follow_redirects=True)
        assert response.request.path == "/inloggen"
        assert "Log in om deze pagina te zien" in response.text
