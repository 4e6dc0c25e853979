"""Login sessions: revocable on the server, rotated at login, never carrying the user id."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import time_machine
from sqlalchemy import select

from marketplace.accounts.models import LoginSession
from marketplace.accounts.services import set_active
from marketplace.clock import now as clock_now
from marketplace.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.security.security_support import redirect_target, session_data, sign_in

COOKIE = "bm_session"


def is_signed_in(client) -> bool:
    response = client.get("/account/")
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and redirect_target(response)[0] == "/inloggen"
    return False


def replay(app, cookie_value: str):
    """A fresh browser that carries only this cookie value (a copied or stolen cookie)."""
    client = app.test_client()
    client.set_cookie(COOKIE, cookie_value)
    return client


def test_cookie_captured_before_logout_is_dead_after_it(app, make_user):
    user = make_user("resident")
    client = sign_in(app, user)
    captured = client.get_cookie(COOKIE).value
    assert is_signed_in(replay(app, captured)), "the copy works while the session lives"

    response = client.post("/uitloggen")
    assert response.status_code == 302
    assert not is_signed_in(client)
    assert not is_signed_in(replay(app, captured))
    revoked = db.session.scalars(select(LoginSession.revoked_at)).all()
    assert revoked and all(at is not None for at in revoked)


def test_logout_ends_only_that_session(app, make_user):
    user = make_user("resident")
    phone, laptop = sign_in(app, user), sign_in(app, user)
    phone.post("/uitloggen")
    assert not is_signed_in(phone)
    assert is_signed_in(laptop)


def test_password_change_ends_other_sessions_but_keeps_this_one(app, make_user):
    user = make_user("resident")
    here, elsewhere = sign_in(app, user), sign_in(app, user)
    stolen = here.get_cookie(COOKIE).value

    response = here.post("/account/wachtwoord", data={
        "current_password": TEST_PASSWORD,
        "password": "een heel nieuw wachtwoord",
        "password_again": "een heel nieuw wachtwoord",
    })
    assert response.status_code == 302, response.text
    assert is_signed_in(here)
    assert not is_signed_in(elsewhere)
    assert not is_signed_in(replay(app, stolen)), "the cookie from before the change is dead"
    # The current browser got a new session token, not the old one back.
    assert here.get_cookie(COOKIE).value != stolen
    live = db.session.scalars(
        select(LoginSession).where(LoginSession.revoked_at.is_(None))
    ).all()
    assert len(live) == 1


def test_password_reset_ends_all_sessions(app, make_user):
    from marketplace.accounts.flows import make_link_token

    user = make_user("resident")
    browser = sign_in(app, user)
    token = make_link_token(user, "reset", app.secret_key)
    response = app.test_client().post(f"/wachtwoord-herstellen/{token}", data={
        "password": "een heel nieuw wachtwoord", "password_again": "een heel nieuw wachtwoord",
    })
    assert response.status_code == 302 and redirect_target(response)[0] == "/inloggen"
    assert not is_signed_in(browser)


def test_deactivated_user_is_signed_out_at_once(app, make_user):
    user = make_user("volunteer")
    client = sign_in(app, user)
    assert is_signed_in(client)
    set_active(user, False)
    db.session.commit()
    assert not is_signed_in(client)
    # Back on: the old session stays ended; a new login is needed.
    set_active(user, True)
    db.session.commit()
    assert not is_signed_in(client)


def test_deactivated_by_the_admin_through_the_web(app, make_user):
    admin, user = make_user("admin"), make_user("resident")
    victim = sign_in(app, user)
    admin_client = sign_in(app, admin)
    response = admin_client.post(f"/beheer/gebruikers/{user.id}", data={
        "name": user.name, "email": user.email, "roles": ["resident"],
        # is_active left out: an unchecked checkbox sends nothing
    })
    assert response.status_code == 302, response.status_code
    assert not is_signed_in(victim)


def test_session_cookie_changes_at_login_and_old_one_stays_anonymous(app, make_user):
    """Session fixation: a cookie planted before login must not become a signed-in one."""
    user = make_user("resident")
    client = app.test_client()
    client.get("/?lang=en")  # any visit that stores something in the session
    planted = client.get_cookie(COOKIE).value
    assert session_data(app, client) == {"lang": "en"}

    client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD})
    assert client.get_cookie(COOKIE).value != planted
    assert is_signed_in(client)
    assert not is_signed_in(replay(app, planted))
    assert session_data(app, client)["lang"] == "en", "the chosen language survives login"


def test_csrf_token_is_renewed_at_login(csrf_enabled, make_user):
    from tests.security.security_support import csrf_token_of

    app = csrf_enabled
    user = make_user("resident")
    client = app.test_client()
    token = csrf_token_of(client.get("/inloggen").text)
    before = session_data(app, client)["csrf_token"]
    client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD,
                                   "csrf_token": token})
    assert is_signed_in(client)
    client.get("/account/")  # renders a form, so a token is made for the new session
    assert session_data(app, client).get("csrf_token") not in (None, before)


def test_cookie_carries_a_session_token_not_the_user_id(app, make_user):
    user = make_user("resident")
    client = sign_in(app, user)
    data = session_data(app, client)
    token = data["_user_id"]
    assert token not in (str(user.id), user.email)
    assert len(token) >= 32
    # The server keeps only a hash of it: a database leak does not hand out sessions.
    row = db.session.scalar(select(LoginSession).where(LoginSession.user_id == user.id))
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in row.token_hash


def test_session_cookie_flags(app, make_user):
    user = make_user("resident")
    response = app.test_client().post(
        "/inloggen", data={"email": user.email, "password": TEST_PASSWORD}
    )
    header = next(v for v in response.headers.getlist("Set-Cookie") if v.startswith(COOKIE))
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header


def test_forged_user_id_in_cookie_is_refused(app, make_user):
    """Even with the secret key, a cookie naming a user id (not a live token) is anonymous."""
    user = make_user("admin")
    client = app.test_client()
    serializer = app.session_interface.get_signing_serializer(app)
    client.set_cookie(COOKIE, serializer.dumps({"_user_id": str(user.id), "_fresh": True}))
    assert not is_signed_in(client)


def test_session_expires_on_the_server_after_its_lifetime(app, make_user):
    user = make_user("resident")
    start = clock_now()
    with time_machine.travel(start, tick=False):
        client = sign_in(app, user)
    lifetime = app.permanent_session_lifetime
    with time_machine.travel(start + lifetime - timedelta(minutes=1), tick=False):
        assert is_signed_in(client)
    with time_machine.travel(start + lifetime + timedelta(minutes=1), tick=False):
        assert not is_signed_in(client)
