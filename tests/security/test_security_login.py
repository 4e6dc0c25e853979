"""Logging in: no account enumeration, throttling, argon2, API tokens, safe redirects."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from argon2 import PasswordHasher
from sqlalchemy import func, select

from marketplace.accounts.models import ApiToken, User
from marketplace.accounts.services import set_active
from marketplace.accounts.sessions import issue_api_token, revoke_api_token
from marketplace.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.security.security_support import mail_parts, page_text, redirect_target

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def post_login(client, email: str, password: str, *, ip: str = "192.0.2.10", next_: str = ""):
    url = "/inloggen" + (f"?next={next_}" if next_ else "")
    return client.post(url, data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": ip})


# --- the same answer whether or not an account exists -----------------------------------

def test_login_failure_page_is_the_same_for_every_reason(client, make_user):
    known = make_user("resident", email="bekend@example.org")
    make_user("resident", email="onbevestigd@example.org", confirmed=False)
    blocked = make_user("resident", email="geblokkeerd@example.org")
    set_active(blocked, False)
    make_user("resident", email="zonderwachtwoord@example.org", password=None)
    db.session.commit()

    cases = {
        "unknown account": ("onbekend@example.org", TEST_PASSWORD),
        "wrong password": (known.email, "niet het goede wachtwoord"),
        "unconfirmed account": ("onbevestigd@example.org", TEST_PASSWORD),
        "deactivated account": ("geblokkeerd@example.org", TEST_PASSWORD),
        "account without password": ("zonderwachtwoord@example.org", TEST_PASSWORD),
    }
    pages = {}
    for reason, (email, password) in cases.items():
        response = post_login(client, email, password)
        assert response.status_code == 200, reason
        assert "Het e-mailadres of het wachtwoord klopt niet" in response.text, reason
        pages[reason] = page_text(response.text, email)
    reference = pages.pop("unknown account")
    for reason, page in pages.items():
        assert page == reference, f"the page for '{reason}' differs from an unknown account"


def test_registration_page_is_the_same_for_new_and_existing_address(client, make_user,
                                                                    outbox_files):
    existing = make_user("volunteer", email="bestaat@example.org", name="Bestaande Naam")
    pages = {}
    for email in ("nieuw@example.org", existing.email):
        response = client.post("/account-maken", data={
            "name": "Iemand Anders", "email": email,
            "password": "een lang wachtwoord", "password_again": "een lang wachtwoord",
        })
        assert response.status_code == 200
        pages[email] = page_text(response.text, email)
    assert pages["nieuw@example.org"] == pages[existing.email]

    mails = {to: (subject, body) for to, subject, body in map(mail_parts, outbox_files())}
    assert set(mails) == {"nieuw@example.org", existing.email}
    assert "Bevestig uw e-mailadres" in mails["nieuw@example.org"][0]
    assert "/account-bevestigen/" in mails["nieuw@example.org"][1]
    # The owner of the existing address hears that someone tried, and gets no confirm link.
    assert "al een account" in mails[existing.email][0]
    assert "/account-bevestigen/" not in mails[existing.email][1]
    # The existing account is untouched.
    db.session.expire_all()
    assert db.session.get(User, existing.id).name == "Bestaande Naam"
    assert db.session.scalar(select(func.count()).select_from(User)) == 2


def test_registration_costs_one_password_hash_either_way(client, make_user, monkeypatch):
    """A known address must not answer faster than a new one (argon2 takes time)."""
    from marketplace.accounts import passwords

    make_user("resident", email="bestaat@example.org")
    calls = []
    hasher = passwords._hasher
    monkeypatch.setattr(passwords, "_hasher", type("Counting", (), {
        "hash": lambda self, pw: calls.append(pw) or hasher.hash(pw),
        "verify": lambda self, h, pw: hasher.verify(h, pw),
        "check_needs_rehash": lambda self, h: hasher.check_needs_rehash(h),
    })())
    counts = []
    for email in ("nieuw@example.org", "bestaat@example.org"):
        calls.clear()
        client.post("/account-maken", data={
            "name": "Iemand", "email": email,
            "password": "een lang wachtwoord", "password_again": "een lang wachtwoord",
        })
        counts.append(len(calls))
    assert counts == [1, 1]


def test_reset_request_page_is_the_same_for_known_and_unknown_address(client, make_user,
                                                                      outbox_files):
    known = make_user("resident", email="bekend@example.org")
    pages = {}
    for email in ("onbekend@example.org", known.email):
        response = client.post("/wachtwoord-vergeten", data={"email": email})
        assert response.status_code == 200
        pages[email] = page_text(response.text, email)
    assert pages["onbekend@example.org"] == pages[known.email]

    mails = [mail_parts(raw) for raw in outbox_files()]
    assert [to for to, _subject, _body in mails] == [known.email]
    assert "/wachtwoord-herstellen/" in mails[0][2]


# --- throttling ------------------------------------------------------------------------

def test_account_throttle_blocks_even_the_right_password_until_the_window_ends(app, client,
                                                                                make_user):
    user = make_user("resident")
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    window = timedelta(seconds=app.config["LOGIN_THROTTLE_WINDOW_SECONDS"])
    with time_machine.travel(T0, tick=False):
        for _ in range(limit):
            assert post_login(client, user.email, "fout wachtwoord").status_code == 200
        # Each attempt from another address: this is the per-account limit.
        blocked = post_login(client, user.email, TEST_PASSWORD, ip="198.51.100.7")
        assert blocked.status_code == 429
        assert "Te veel pogingen" in blocked.text
        assert int(blocked.headers["Retry-After"]) > 0
    with time_machine.travel(T0 + window - timedelta(seconds=1), tick=False):
        assert post_login(client, user.email, TEST_PASSWORD).status_code == 429
    with time_machine.travel(T0 + window + timedelta(seconds=1), tick=False):
        response = post_login(client, user.email, TEST_PASSWORD)
        assert response.status_code == 302
        assert redirect_target(response)[0] == "/account/"


def test_throttle_looks_the_same_for_unknown_accounts(app, client, make_user):
    user = make_user("resident", email="bekend@example.org")
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    pages = {}
    with time_machine.travel(T0, tick=False):
        for email in (user.email, "onbekend@example.org"):
            for _ in range(limit):
                post_login(client, email, "fout wachtwoord", ip="203.0.113.1")
            response = post_login(client, email, "fout wachtwoord", ip="203.0.113.2")
            assert response.status_code == 429
            pages[email] = page_text(response.text, email)
    assert pages[user.email] == pages["onbekend@example.org"]


@pytest.mark.parametrize("variants", [
    ("jan@exämple.org", "JAN@xn--exmple-cua.org", " Jan@EXÄMPLE.org "),
    ("jan@exämple.org",),
], ids=["spellings", "one_spelling"])
def test_account_throttle_counts_every_spelling_of_the_address(app, client, make_user,
                                                               variants):
    user = make_user("resident", email="jan@exämple.org")
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    with time_machine.travel(T0, tick=False):
        for attempt in range(limit):
            post_login(client, variants[attempt % len(variants)], "fout wachtwoord",
                       ip=f"198.51.100.{attempt}")
        assert post_login(client, user.email, TEST_PASSWORD).status_code == 429


def test_ip_throttle_holds_across_accounts(app, client, make_user):
    user = make_user("resident")
    limit = app.config["LOGIN_MAX_FAILURES_PER_IP"]
    attacker = "203.0.113.66"
    with time_machine.travel(T0, tick=False):
        for n in range(limit):
            response = post_login(client, f"gok{n}@example.org", "wachtwoord123", ip=attacker)
            assert response.status_code == 200
        # No single account reached its own limit, yet this address is stopped ...
        assert post_login(client, user.email, TEST_PASSWORD, ip=attacker).status_code == 429
        # ... and only this address.
        assert post_login(client, user.email, TEST_PASSWORD, ip="192.0.2.99").status_code == 302


def test_successful_logins_do_not_count_as_failures(app, make_user):
    from tests.security.security_support import sign_in

    user = make_user("resident")
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    with time_machine.travel(T0, tick=False):
        for _ in range(limit + 1):
            sign_in(app, user)


# --- password hashing --------------------------------------------------------------------

def test_passwords_are_hashed_with_argon2id(make_user):
    user = make_user("resident")
    assert user.password_hash.startswith("$argon2id$")
    assert TEST_PASSWORD not in user.password_hash


def test_old_hash_parameters_are_upgraded_at_login(app, client, make_user):
    user = make_user("resident")
    weaker = PasswordHasher(time_cost=1, memory_cost=4 * 1024, parallelism=1)
    user.password_hash = weaker.hash(TEST_PASSWORD)
    db.session.commit()
    old = user.password_hash
    assert post_login(client, user.email, TEST_PASSWORD).status_code == 302
    db.session.expire_all()
    new = db.session.get(User, user.id).password_hash
    assert new != old and new.startswith("$argon2id$")


# --- API tokens ---------------------------------------------------------------------------

def test_api_token_is_stored_only_as_a_hash_and_works(client, make_user):
    user = make_user("worker")
    token = issue_api_token(user)
    db.session.commit()
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert row.token_hash != token and token not in row.token_hash
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.get_json()["id"] == user.id
    # Using the token without a hash of it fails: the stored value is not a token.
    stolen = client.get("/api/v1/me", headers={"Authorization": f"Bearer {row.token_hash}"})
    assert stolen.status_code == 401


def assert_unauthorized(response) -> None:
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    body = response.get_json()
    assert body["status"] == 401 and body["title"] and body["detail"]


def test_revoked_token_answers_401_problem_json(client, make_user):
    user = make_user("resident")
    token = issue_api_token(user)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert revoke_api_token(token) is True
    db.session.commit()
    assert_unauthorized(client.get("/api/v1/me", headers=headers))
    assert revoke_api_token(token) is False


def test_token_of_a_deactivated_user_stops_working(client, make_user):
    user = make_user("resident")
    token = issue_api_token(user)
    set_active(user, False)
    db.session.commit()
    assert_unauthorized(client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}))


@pytest.mark.parametrize("header", [
    None, "", "Bearer", "Bearer ", "Bearer bm_not-a-real-token", "Basic dXNlcjpwYXNz",
    "Token {token}", "{token}",
])
def test_malformed_or_wrong_authorization_is_401(client, make_user, header):
    token = issue_api_token(make_user("resident"))
    db.session.commit()
    headers = {} if header is None else {"Authorization": header.format(token=token)}
    assert_unauthorized(client.get("/api/v1/me", headers=headers))


# --- redirects after login ---------------------------------------------------------------

@pytest.mark.parametrize("target", [
    "//evil.example", "https://evil.example", "http://evil.example/account/",
    "/\\evil.example", "\\\\evil.example", "/\t/evil.example", "javascript:alert(1)",
    "evil.example", "https:/evil.example", "//evil.example/%2F..",
])
def test_next_never_leaves_the_site(client, make_user, target):
    user = make_user("resident")
    response = client.post("/inloggen", query_string={"next": target},
                           data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/"


def test_next_within_the_site_is_followed(client, make_user):
    user = make_user("resident")
    response = post_login(client, user.email, TEST_PASSWORD, next_="/account/wachtwoord")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/wachtwoord"
