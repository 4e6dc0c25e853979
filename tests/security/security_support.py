"""Plain helpers for security and functional tests (no fixtures here)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup
from flask import Flask, g, request_started
from flask.testing import FlaskClient

from marketplace.accounts.models import ROLES
from tests.conftest import TEST_PASSWORD

ACTORS = ("anonymous", *ROLES)
AREA_ROLES = ("worker", "municipality")


def sign_in(app: Flask, user: Any, password: str = TEST_PASSWORD, **client_kwargs: Any
            ) -> FlaskClient:
    """A fresh browser, signed in as `user`."""
    client = app.test_client(**client_kwargs)
    response = client.post("/inloggen", data={"email": user.email, "password": password})
    assert response.status_code == 302, (user.email, response.status_code)
    return client


def session_data(app: Flask, client: FlaskClient) -> dict[str, Any]:
    """What the signed session cookie carries (signed, not encrypted: anyone can read it)."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    if cookie is None:
        return {}
    return dict(app.session_interface.get_signing_serializer(app).loads(cookie.value))


def csrf_token_of(html: str) -> str:
    tag = BeautifulSoup(html, "html.parser").find("input", attrs={"name": "csrf_token"})
    assert tag is not None, "no csrf_token input in the form"
    return str(tag["value"])


def redirect_target(response: Any) -> tuple[str, dict[str, list[str]]]:
    """(path, query) of a redirect's Location."""
    parts = urlsplit(response.headers.get("Location", ""))
    return parts.path, parse_qs(parts.query)


def mail_parts(raw: str) -> tuple[str, str, str]:
    """(to, subject, decoded body) of an .eml file from the outbox."""
    import email
    from email import policy

    message = email.message_from_string(raw, policy=policy.default)
    body = message.get_body(preferencelist=("plain",))
    assert body is not None, "mail without a text part"
    return str(message["To"]), str(message["Subject"]), body.get_content()


def link_in(body: str, path_prefix: str) -> str:
    """The path (with token) of the first link in a mail body that starts with path_prefix."""
    import re

    match = re.search(r"https?://[^/\s]+(" + re.escape(path_prefix) + r"[^\s]+)", body)
    assert match, f"no link to {path_prefix} in:\n{body}"
    return match.group(1)


def page_text(html: str, *variable: str) -> str:
    """The page with per-request values taken out, so two answers can be compared.

    Removes CSRF tokens and replaces each given value (such as the typed e-mail address)
    with a placeholder.
    """
    import re

    html = re.sub(r'(name="csrf_token"[^>]*value=")[^"]*"', r'\1"', html)
    html = re.sub(r'(value=")[^"]*("[^>]*name="csrf_token")', r"\1\2", html)
    for value in variable:
        html = html.replace(value, "<VALUE>")
    return html


def use_fast_hashing(monkeypatch: Any) -> None:
    """Cheaper argon2id parameters for one test (the defaults take ~0.5 s a hash here).

    Still argon2id through the same functions; only the cost differs.
    """
    from argon2 import PasswordHasher

    from marketplace.accounts import passwords

    fast = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", fast)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", fast.hash("not-a-real-password"))


@contextmanager
def fresh_request_globals(app: Flask) -> Iterator[None]:
    """Give every request a clean `g`, as production does.

    The shared `app` fixture keeps one app context pushed for the whole test, and Flask
    reuses it for each client request, so `g` would outlive a request: Flask-Login's cached
    user (g._login_user) and Flask-Babel's locale would carry over from one request, or one
    browser, to the next, and a logout or a deactivation would look ineffective (or a bug
    would look fixed).
    """

    def clear(sender: Flask, **extra: Any) -> None:
        vars(g).clear()

    request_started.connect(clear, app)
    try:
        yield
    finally:
        request_started.disconnect(clear, app)


def isolate(app: Flask, request: Any, monkeypatch: Any) -> None:
    """For tests outside tests/security: fast hashing and a clean `g` per request
    (the security conftest does this for its own tests with autouse fixtures)."""
    use_fast_hashing(monkeypatch)
    context = fresh_request_globals(app)
    context.__enter__()
    request.addfinalizer(lambda: context.__exit__(None, None, None))


# ------------------------------------------------------- rows the matrix builders point at


def once(world: Any, key: str, make: Callable[[], Any]) -> Any:
    """Make a row the first time a matrix builder asks for it in this World (and commit),
    then hand out the same value. Keys are shared by every matrix_ext_* file: prefix them
    with the feature ("signals.request")."""
    cache = world.__dict__.setdefault("_built", {})
    if key not in cache:
        from marketplace.extensions import db

        cache[key] = make()
        db.session.commit()
    return cache[key]


def world_association(world: Any, name: str) -> Any:
    """An association in Bladel (PC4 5531, the World's area), registered by the World's
    worker, with the World's association user as its member."""
    from marketplace.associations.services import add_member, create_association

    worker = world.users["worker"]
    association = create_association(worker, name=name, postcode="5531")
    add_member(worker, association, world.users["association"])
    return association


def weekly_activity(actor: Any, title: str, *, category: str, venue: str = "Dorpshuis",
                    association: Any = None, capacity: int | None = None) -> Any:
    """A weekly activity in Bladel (PC4 5531), first at 10:00 three days from now; run by
    `association`, or by the welfare organisation when there is none (actor: a worker)."""
    from datetime import timedelta

    from marketplace.associations.services import ActivityInput, create_activity
    from marketplace.clock import now as clock_now

    start = (clock_now() + timedelta(days=3)).replace(hour=10, minute=0, second=0,
                                                      microsecond=0)
    return create_activity(actor, ActivityInput(
        title=title, category=category, postcode="5531", venue=venue, starts_at=start,
        recurrence="weekly", capacity=capacity,
        association_id=association.id if association is not None else None))
