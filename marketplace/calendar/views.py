"""The feed itself (public, by secret token) and the page to see or renew its address."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.loading import role_required
from marketplace.calendar import services
from marketplace.calendar.events import feed_events
from marketplace.calendar.ical import build_calendar
from marketplace.clock import now as clock_now
from marketplace.extensions import db

calendar_bp = Blueprint("calendar", __name__, url_prefix="/agenda")


@calendar_bp.get("/<token>.ics")
def feed(token: str):
    """No login: calendar apps cannot log in. A wrong or revoked token is simply not there."""
    user = services.user_for_token(token)
    if user is None:
        abort(404)
    now = clock_now()
    events, slots = feed_events(user, now=now)
    body = build_calendar(events, slots, name=_("Buurtmakelaar"), stamp=now)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="buurtmakelaar.ics"'
    # The address is the secret: keep it and the answer out of shared caches and referrers.
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@calendar_bp.get("/")
@role_required()
def index():
    return render_template("calendar/index.html")


@calendar_bp.post("/nieuw")
@role_required()
def renew():
    """Make an address (the first one) or a new one: the old one stops working at once."""
    had = services.token_for(current_user, create=False) is not None
    services.renew(current_user)
    db.session.commit()
    flash(_("Er is een nieuw agenda-adres. Het oude adres werkt niet meer.") if had
          else _("Uw agenda-adres is gemaakt."), "success")
    return redirect(_local(request.form.get("next", "")) or url_for("calendar.index"))


def _local(path: str) -> str | None:
    """A path on this site only: "/x", never "//host", "/\\host" or "http:…"."""
    if not path.startswith("/") or path.startswith("//") or "\\" in path \
            or any(ord(c) < 32 for c in path) or len(path) > 300:
        return None
    return path


@calendar_bp.app_template_global()
def calendar_feed_url() -> str | None:
    """The signed-in person's feed address, or None when they have none (never makes one:
    a page view must not write)."""
    if not current_user.is_authenticated:
        return None
    return services.calendar_url(current_user, create=False)
