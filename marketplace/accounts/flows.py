"""Registration, e-mail confirmation and password reset.

Every answer a visitor sees is the same whether or not an account exists; the difference
only shows in the mail that reaches the real owner of the address.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from marketplace.accounts import audit
from marketplace.accounts.models import User
from marketplace.accounts.passwords import hash_password
from marketplace.accounts.services import create_user, find_by_email, get_user
from marketplace.accounts.sessions import change_password
from marketplace.clock import now as clock_now
from marketplace.errors import N_, DomainError, NotFound
from marketplace.notifications.outbox import enqueue


class InvalidLink(DomainError):
    """The link was changed, is for another purpose, or was already used."""


class LinkExpired(InvalidLink):
    pass


def _serializer(secret_key: str, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=f"buurtmakelaar.{purpose}")


def _fingerprint(user: User) -> str:
    """Changes when the password or confirmation changes, so each link works only once.

    A digest of both values: the link's payload is signed, not encrypted, so it must not
    carry any part of the password hash, and it must change whenever either part does.
    """
    confirmed = user.email_confirmed_at.isoformat() if user.email_confirmed_at else ""
    basis = f"{user.password_hash or ''}|{confirmed}"
    return hashlib.sha256(basis.encode()).hexdigest()[:32]


def make_link_token(user: User, purpose: str, secret_key: str) -> str:
    return _serializer(secret_key, purpose).dumps([user.id, _fingerprint(user)])


def user_for_link_token(token: str, purpose: str, secret_key: str, max_age: int) -> User:
    try:
        user_id, fingerprint = _serializer(secret_key, purpose).loads(token, max_age=max_age)
        user = get_user(int(user_id))
    except SignatureExpired:
        raise LinkExpired(N_("Deze link is verlopen. Vraag een nieuwe aan.")) from None
    except (BadSignature, NotFound, ValueError, TypeError):
        raise InvalidLink(N_("Deze link klopt niet of is al gebruikt.")) from None
    if not isinstance(fingerprint, str) or not hmac.compare_digest(fingerprint, _fingerprint(user)):
        raise InvalidLink(N_("Deze link klopt niet of is al gebruikt."))
    if not user.is_active:  # blocked after the mail went out: its links die with it
        raise InvalidLink(N_("Deze link klopt niet of is al gebruikt."))
    return user


def register(
    email: str, name: str, password: str, *, base_url: str, secret_key: str,
    locale: str = "nl", now: datetime | None = None,
) -> None:
    """Create an unconfirmed resident account and mail a confirmation link.

    An address that already has an account gets a mail saying so instead; the visitor sees
    the same message in both cases.
    """
    now = now or clock_now()
    existing = find_by_email(email)
    if existing is not None:
        # Hash anyway: a new account costs one argon2 hash, so must a known address, or
        # the response time would tell who has an account.
        hash_password(password)
        enqueue(existing.email or "", "account_exists", locale=locale, now=now,
                user=existing, reset_url=f"{base_url}/wachtwoord-vergeten")
        return
    user = create_user(email, name, password=password, roles=("resident",), now=now)
    user.locale = locale
    token = make_link_token(user, "confirm", secret_key)
    enqueue(user.email or "", "confirm_email", locale=locale, now=now,
            user=user, confirm_url=f"{base_url}/account-bevestigen/{token}")


def confirm_email(token: str, *, secret_key: str, max_age: int,
                  now: datetime | None = None) -> User:
    user = user_for_link_token(token, "confirm", secret_key, max_age)
    user.email_confirmed_at = now or clock_now()
    audit.record("user.email_confirmed", actor_id=user.id, subject_user_id=user.id, now=now)
    return user


def request_password_reset(
    email: str, *, base_url: str, secret_key: str, now: datetime | None = None
) -> None:
    user = find_by_email(email)
    if user is None or not user.is_active or not user.email:
        return
    token = make_link_token(user, "reset", secret_key)
    enqueue(user.email, "password_reset", locale=user.locale, now=now,
            user=user, reset_url=f"{base_url}/wachtwoord-herstellen/{token}")


def reset_password(token: str, new_password: str, *, secret_key: str, max_age: int,
                   now: datetime | None = None) -> User:
    user = user_for_link_token(token, "reset", secret_key, max_age)
    change_password(user, new_password, now=now)
    # Following the link proves the address, so an unconfirmed account is confirmed too.
    if user.email_confirmed_at is None:
        user.email_confirmed_at = now or clock_now()
    return user
