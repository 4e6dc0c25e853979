"""Variables every template can use (navigation by role, language switch, version)."""

from __future__ import annotations

from typing import Any

from flask import Flask, g, has_request_context, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace.i18n import other_locale, translated
from marketplace.rendering import url_for as cached_url_for

# (endpoint, label, roles that see it; empty = everyone signed in, None = everyone). Short
# labels: a role's menu fits one row at 1280 px. "Mijn account" and "Mijn gegevens" (what we
# keep about you, export, erasure) sit with the name in the header, for everyone signed in.
NAV: tuple[tuple[str, Any, tuple[str, ...] | None], ...] = (
    ("main.index", _l("Home"), None),
    ("worker.worklist", _l("Werklijst"), ("worker",)),
    ("signals.index", _l("Zorgsignalen"), ("worker",)),
    ("reporting.dashboard", _l("Resultaten"), ("municipality", "worker")),
    ("help_requests.mine", _l("Mijn hulpvragen"), ("resident",)),
    ("help_requests.new", _l("Hulp vragen"), ("resident",)),
    ("residents.index", _l("Mijn netwerk"), ("resident",)),
    ("help_requests.new", _l("Hulpvraag invoeren"), ("worker",)),
    ("volunteers.nearby", _l("Hulpvragen in de buurt"), ("volunteer",)),
    ("associations.home", _l("Mijn vereniging"), ("association",)),
    ("associations.nearby", _l("Activiteiten in de buurt"), ("resident", "association")),
    ("associations.index", _l("Verenigingen"), ("worker", "admin", "association")),
    ("volunteers.commitments", _l("Mijn afspraken"), ("volunteer",)),
    ("volunteers.profile", _l("Mijn profiel"), ("volunteer",)),
    ("admin.users", _l("Gebruikers"), ("admin",)),
    ("admin.areas_list", _l("Gebieden"), ("admin",)),
    ("teams.index", _l("Wijkteams"), ("admin",)),
    ("signals.new", _l("Zorg melden"), None),  # also without an account
    ("casework.partners", _l("Partners"), ("admin",)),  # its page links to the contacts
    ("partners.actions", _l("Acties voor uw organisatie"), ("partner",)),
    ("partners.referrals_list", _l("Verwijzingen"), ("partner",)),
)

# Pages reached from a menu item's page, under an address of their own: that item is marked.
ALSO_ACTIVE = {"casework.partners": ("partners.contacts",)}

LOCALE_NAMES = {"nl": "Nederlands", "en": "English"}
# By position: one endpoint can have two labels (a resident "Hulp vragen", a worker
# "Hulpvraag invoeren").
NAV_LABELS = {position: label for position, (_endpoint, label, _roles) in enumerate(NAV)}


def mark_menu_item(endpoint: str) -> None:
    """This page belongs under another menu item than its address says: a member's own
    association and its activities under "Mijn vereniging", not "Verenigingen"."""
    g.menu_item = endpoint


def nav_items() -> list[dict[str, Any]]:
    items = []
    chosen = g.get("menu_item")
    labels = translated(NAV_LABELS)
    user = current_user._get_current_object()  # once, not through the proxy per item
    for position, (endpoint, _label, roles) in enumerate(NAV):
        if roles is not None:
            if not user.is_authenticated:
                continue
            if roles and not user.has_role(*roles):
                continue
        url = cached_url_for(endpoint)
        active = request.endpoint == endpoint or (
            endpoint != "main.index" and request.path.startswith(url)
        ) or request.endpoint in ALSO_ACTIVE.get(endpoint, ())
        items.append({"url": url, "label": labels[position], "active": active,
                      "endpoint": endpoint})
    if chosen is None:
        # Two items can hold this address by prefix ("/partner/" and "/partner/verwijzingen"):
        # the page's own endpoint wins, else the longest address.
        active = [item for item in items if item["active"]]
        if len(active) > 1:
            own = [i for i in active if i["endpoint"] == request.endpoint]
            chosen = (own or sorted(active, key=lambda i: len(i["url"])))[-1]["endpoint"]
    if chosen is not None and any(item["endpoint"] == chosen for item in items):
        for item in items:
            item["active"] = item["endpoint"] == chosen
    return items


def init_template_context(app: Flask) -> None:
    @app.context_processor
    def inject() -> dict[str, Any]:
        if not has_request_context():  # mail rendered by the scheduler
            return {"app_version": app.config["APP_VERSION"]}
        locale = str(get_locale() or "nl")
        other = other_locale(locale)
        args = request.args.to_dict()
        args["lang"] = other
        if request.endpoint and request.method == "GET":
            switch_url = url_for(request.endpoint, **{**args, **(request.view_args or {})})
        else:
            switch_url = url_for("main.index", lang=other)
        return {
            "current_locale": locale,
            "switch_locale_url": switch_url,
            "switch_locale_label": LOCALE_NAMES[other],
            "switch_locale_code": other,
            "nav_items": nav_items(),
            "app_version": app.config["APP_VERSION"],
        }
