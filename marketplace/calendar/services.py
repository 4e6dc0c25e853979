"""Calendar feed addresses: issue, show again, renew (revoke + new), and find by token.

The token is ``HMAC-SHA256(SECRET_KEY, nonce)`` (URL-safe base64): the row keeps the nonce and
the SHA-256 of the token. Showing the address again derives the token from the nonce; a
request for the feed hashes the token it got and looks the hash up. When the secret key
changed, the derived token no longer fits its hash: the old address is dead anyway, so the
next look gets a fresh one. Services add and flush; the caller commits.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime

from flask import current_app, has_request_context, url_for
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.models import User
from marketplace.calendar.models import CalendarFeed
from marketplace.clock import now as clock_now
from marketplace.extensions import db

TOKEN_CHARS = 43  # 32 bytes in URL-safe base64 without padding


def _derive(nonce: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(key, b"calendar-feed:" + nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def live_feed(user: User) -> CalendarFeed | None:
    return db.session.scalar(select(CalendarFeed).where(
        CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None)))


def _issue(user: User, now: datetime) -> CalendarFeed:
    nonce = secrets.token_urlsafe(32)
    feed = CalendarFeed(user_id=user.id, nonce=nonce, token_hash=_hash(_derive(nonce)),
                        created_at=now)
    try:
        # A savepoint: a parallel first look may win the one live row per person.
        with db.session.begin_nested():
            db.session.add(feed)
    except IntegrityError:
        found = live_feed(user)
        if found is None:
            raise
        return found
    return feed


def revoke(user: User, now: datetime | None = None) -> int:
    """Every live address of the person stops working (the feed answers 404)."""
    result = db.session.execute(
        update(CalendarFeed).where(CalendarFeed.user_id == user.id,
                                   CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=now or clock_now()).execution_options(synchronize_session=False))
    db.session.flush()
    db.session.expire_all()
    return result.rowcount or 0


def token_for(user: User, *, create: bool = True, now: datetime | None = None) -> str | None:
    """The person's live feed token; a new one when there is none (unless ``create`` is off)."""
    now = now or clock_now()
    feed = live_feed(user)
    if feed is not None and _hash(_derive(feed.nonce)) != feed.token_hash:
        revoke(user, now)  # the secret key changed: that address no longer works anyway
        feed = None
    if feed is None:
        if not create:
            return None
        feed = _issue(user, now)
    return _derive(feed.nonce)


def renew(user: User, now: datetime | None = None) -> str:
    """"Nieuw adres maken": the old address stops working, a new one is made."""
    now = now or clock_now()
    revoke(user, now)
    return _derive(_issue(user, now).nonce)


def user_for_token(token: str) -> User | None:
    """The owner of a live feed token, or None (wrong, revoked, or an inactive account)."""
    if not token or len(token) > 100:
        return None
    user = db.session.scalar(
        select(User).join(CalendarFeed, CalendarFeed.user_id == User.id)
        .where(CalendarFeed.token_hash == _hash(token), CalendarFeed.revoked_at.is_(None)))
    return user if user is not None and user.is_active else None


def feed_url(token: str) -> str:
    """The absolute address of the feed (PUBLIC_URL outside a request)."""
    if has_request_context():
        return url_for("calendar.feed", token=token, _external=True)
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    with current_app.test_request_context(base_url=base):
        return url_for("calendar.feed", token=token, _external=True)


def calendar_url(user: User, *, create: bool = True, now: datetime | None = None) -> str | None:
    """The absolute feed address of the person (made on first use when ``create``)."""
    token = token_for(user, create=create, now=now)
    return feed_url(token) if token else None
