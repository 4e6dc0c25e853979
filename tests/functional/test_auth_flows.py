"""Register → confirm → log in → log out, and the password reset, through the browser."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.clock import now as clock_now
from marketplace.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.security.security_support import isolate, link_in, mail_parts, redirect_target

NEW_PASSWORD = "een nieuw lang wachtwoord"


def only_mail_to(outbox_files, address: str) -> tuple[str, str]:
    mails = [mail_parts(raw) for raw in outbox_files()]
    mine = [(subject, body) for to, subject, body in mails if to == address]
    assert len(mine) == 1, [m[:2] for m in mails]
    return mine[0]


def test_register_confirm_login_logout(app, client, outbox_files, request, monkeypatch):
    isolate(app, request, monkeypatch)
    assert client.get("/account-maken").status_code == 200
    response = client.post("/account-maken", data={
        "name": "Fatima de Boer", "email": "Fatima@Example.org",
        "password": TEST_PASSWORD, "password_again": TEST_PASSWORD,
    })
    assert response.status_code == 200
    assert "Kijk in uw e-mail" in response.text

    user = db.session.scalar(select(User).where(User.email == "fatima@example.org"))
    assert user is not None and user.email_confirmed_at is None and user.roles == ["resident"]

    # Before confirming, logging in fails with the usual message.
    early = client.post("/inloggen", data={"email": "fatima@example.org",
                                           "password": TEST_PASSWORD})
    assert early.status_code == 200 and "klopt niet" in early.text

    subject, body = only_mail_to(outbox_files, "fatima@example.org")
    assert "Bevestig" in subject and "Fatima de Boer" in body
    link = link_in(body, "/account-bevestigen/")
    confirmed = client.get(link, follow_redirects=True)
    assert confirmed.request.path == "/inloggen"
    assert "Uw e-mailadres is bevestigd" in confirmed.text

    logged_in = client.post("/inloggen", data={"email": "fatima@example.org",
                                               "password": TEST_PASSWORD},
                            follow_redirects=True)
    assert logged_in.request.path == "/account/"
    assert "U bent ingelogd" in logged_in.text and "Fatima de Boer" in logged_in.text

    logged_out = client.post("/uitloggen", follow_redirects=True)
    assert logged_out.request.path == "/" and "U bent uitgelogd" in logged_out.text
    assert redirect_target(client.get("/account/"))[0] == "/inloggen"

    # The confirmation link did its work once; a second click says so plainly.
    again = client.get(link, follow_redirects=True)
    assert "klopt niet of is al gebruikt" in again.text


def test_tampered_confirmation_link_is_refused(app, client, outbox_files, request,
                                               monkeypatch):
    isolate(app, request, monkeypatch)
    client.post("/account-maken", data={"name": "Piet", "email": "piet@example.org",
                                        "password": TEST_PASSWORD,
                                        "password_again": TEST_PASSWORD})
    link = link_in(only_mail_to(outbox_files, "piet@example.org")[1], "/account-bevestigen/")
    response = client.get(link[:-3] + "xyz", follow_redirects=True)
    assert "klopt niet" in response.text
    assert db.session.scalar(select(User.email_confirmed_at)) is None


def request_reset_link(client, outbox_files, email: str) -> str:
    response = client.post("/wachtwoord-vergeten", data={"email": email})
    assert response.status_code == 200 and "Kijk in uw e-mail" in response.text
    subject, body = only_mail_to(outbox_files, email)
    assert "wachtwoord" in subject.lower()
    return link_in(body, "/wachtwoord-herstellen/")


def can_log_in(app, email: str, password: str) -> bool:
    response = app.test_client().post("/inloggen", data={"email": email, "password": password})
    return response.status_code == 302


def test_reset_link_works_once(app, client, make_user, outbox_files, request, monkeypatch):
    isolate(app, request, monkeypatch)
    user = make_user("resident")
    link = request_reset_link(client, outbox_files, user.email)

    form = client.get(link)
    assert form.status_code == 200 and "Nieuw wachtwoord kiezen" in form.text
    done = client.post(link, data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
                       follow_redirects=True)
    assert done.request.path == "/inloggen"
    assert "Uw wachtwoord is veranderd" in done.text
    assert can_log_in(app, user.email, NEW_PASSWORD)
    assert not can_log_in(app, user.email, TEST_PASSWORD)

    # Second use: refused at once on opening the link, and on sending it.
    reopened = client.get(link, follow_redirects=True)
    assert reopened.request.path == "/wachtwoord-vergeten"
    assert "klopt niet of is al gebruikt" in reopened.text
    replay = client.post(link, data={"password": "nog een ander wachtwoord",
                                     "password_again": "nog een ander wachtwoord"},
                         follow_redirects=True)
    assert "klopt niet of is al gebruikt" in replay.text
    assert can_log_in(app, user.email, NEW_PASSWORD)


def test_reset_link_expires(app, client, make_user, outbox_files, request, monkeypatch):
    isolate(app, request, monkeypatch)
    user = make_user("resident")
    start = clock_now()
    with time_machine.travel(start, tick=False):
        link = request_reset_link(client, outbox_files, user.email)
    max_age = timedelta(seconds=app.config["PASSWORD_RESET_MAX_AGE_SECONDS"])
    with time_machine.travel(start + max_age - timedelta(minutes=1), tick=False):
        assert client.get(link).status_code == 200
    with time_machine.travel(start + max_age + timedelta(minutes=1), tick=False):
        opened = client.get(link, follow_redirects=True)
        assert opened.request.path == "/wachtwoord-vergeten"
        assert "verlopen" in opened.text
        sent = client.post(link, data={"password": NEW_PASSWORD,
                                       "password_again": NEW_PASSWORD},
                           follow_redirects=True)
        assert "verlopen" in sent.text
    assert can_log_in(app, user.email, TEST_PASSWORD)


def test_an_older_reset_link_dies_when_a_newer_one_is_used(app, client, make_user,
                                                           outbox_files, request, monkeypatch):
    isolate(app, request, monkeypatch)
    user = make_user("resident")
    first = request_reset_link(client, outbox_files, user.email)
    client.post(first, data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    client.post("/wachtwoord-vergeten", data={"email": user.email})
    # Both links are in the outbox now; the first is dead, the second still works.
    assert "klopt niet" in client.get(first, follow_redirects=True).text


def test_reset_link_dies_when_the_account_is_blocked(app, client, make_user, outbox_files,
                                                    request, monkeypatch):
    from marketplace.accounts.services import set_active

    isolate(app, request, monkeypatch)
    user = make_user("resident")
    link = request_reset_link(client, outbox_files, user.email)
    set_active(user, False)
    db.session.commit()
    assert "klopt niet" in client.get(link, follow_redirects=True).text
    client.post(link, data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    set_active(user, True)
    db.session.commit()
    assert can_log_in(app, user.email, TEST_PASSWORD), "the password was not changed"


def test_reset_confirms_an_unconfirmed_address(app, client, make_user, outbox_files, request,
                                               monkeypatch):
    isolate(app, request, monkeypatch)
    user = make_user("resident", confirmed=False)
    link = request_reset_link(client, outbox_files, user.email)
    client.post(link, data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert can_log_in(app, user.email, NEW_PASSWORD)


@pytest.mark.parametrize("data,message", [
    ({"password": "kort", "password_again": "kort"}, "minstens 10 tekens"),
    ({"password": NEW_PASSWORD, "password_again": "iets anders dan dat"}, "niet gelijk"),
    ({"password": "", "password_again": ""}, "Vul dit veld in"),
])
def test_reset_form_says_what_is_wrong(app, client, make_user, outbox_files, request,
                                       monkeypatch, data, message):
    isolate(app, request, monkeypatch)
    user = make_user("resident")
    link = request_reset_link(client, outbox_files, user.email)
    response = client.post(link, data=data)
    assert response.status_code == 200
    assert message in response.text
    assert NEW_PASSWORD not in response.text, "passwords are never sent back"
    # The link was not used up by the mistake.
    assert client.get(link).status_code == 200


@pytest.mark.parametrize("data,field,message", [
    ({"email": "geen-adres"}, "email", "Dit is geen geldig e-mailadres"),
    ({"password": "kort", "password_again": "kort"}, "password", "minstens 10 tekens"),
    ({"password_again": "iets heel anders"}, "password_again", "niet gelijk"),
    ({"name": ""}, "name", "Vul dit veld in"),
    ({"name": "x" * 121}, "name", "120"),
])
def test_registration_form_keeps_what_was_typed(app, client, request, monkeypatch, data,
                                                field, message):
    isolate(app, request, monkeypatch)
    typed = {"name": "Jan Jansen", "email": "jan@example.org",
             "password": TEST_PASSWORD, "password_again": TEST_PASSWORD, **data}
    response = client.post("/account-maken", data=typed)
    assert response.status_code == 200
    assert message in response.text
    assert f'id="{field}-error"' in response.text, "the message sits at its own field"
    if typed["name"] and len(typed["name"]) <= 120:
        assert f'value="{typed["name"]}"' in response.text
    if "@" in typed["email"] or typed["email"] == "geen-adres":
        assert f'value="{typed["email"]}"' in response.text
    assert TEST_PASSWORD not in response.text, "passwords are never sent back"
    assert db.session.scalar(select(User.id)) is None


def test_login_form_keeps_the_address_and_says_what_is_missing(app, client, request,
                                                               monkeypatch):
    isolate(app, request, monkeypatch)
    response = client.post("/inloggen", data={"email": "jan@example.org", "password": ""})
    assert response.status_code == 200
    assert "Vul dit veld in" in response.text
    assert 'value="jan@example.org"' in response.text


def test_pages_are_dutch_by_default_and_english_on_request(app, client, request, monkeypatch):
    isolate(app, request, monkeypatch)
    assert 'lang="nl"' in client.get("/inloggen").text
    assert 'lang="en"' in client.get("/inloggen?lang=en").text
    assert 'lang="en"' in client.get("/inloggen").text, "the choice is remembered"


def test_registration_accepts_an_address_on_a_test_domain(app, client, request, monkeypatch):
    """@example.test is a special-use domain, meant for tests: the site takes it (offline,
    no DNS), as it takes @example.org."""
    isolate(app, request, monkeypatch)
    response = client.post("/account-maken", data={
        "name": "Toets Persoon", "email": "Toets@Example.test",
        "password": TEST_PASSWORD, "password_again": TEST_PASSWORD})
    assert response.status_code == 200 and "Kijk in uw e-mail" in response.text
    assert db.session.scalar(select(User.email)) == "toets@example.test"
