"""The volunteer's pages: the profile, open requests nearby, commitments, answering proposals,
stopping a commitment.

Nothing here shows a house number or a name before an arrangement: the nearby list shows the
category, the place and its 4-digit postcode, a distance rounded to 0.5 km, when and how urgent.
"""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import lazyload
from wtforms.fields.choices import SelectChoice

from marketplace.accounts.loading import role_required
from marketplace.boundary import MAX_ID
from marketplace.brokering import services as brokering
from marketplace.brokering.stop import running_arrangement, stop_helping, stopped
from marketplace.brokering.withdraw import may_withdraw, withdraw_offer
from marketplace.categories.services import active_categories, label
from marketplace.clock import today
from marketplace.errors import DomainError, NotFound, apply_errors
from marketplace.extensions import db
from marketplace.geo import distance_km
from marketplace.help_requests.access import REACH_KM, View, view_of
from marketplace.help_requests.forms import STATUS_LABELS, URGENCY_LABELS, AnswerForm
from marketplace.page_cache import cached
from marketplace.volunteers import services
from marketplace.volunteers.forms import (
    SORT_LABELS,
    NearbyFilterForm,
    ProfileForm,
    StopForm,
    day_grid,
)
from marketplace.volunteers.models import VolunteerProfile
from marketplace.volunteers.nearby_cards import cards

volunteers_bp = Blueprint("volunteers", __name__, url_prefix="/vrijwilliger")


def profile_data(profile) -> dict:
    return {
        "skills": profile.skill_codes, "postcode": profile.home_pc4,
        # As the person reads and types it: 7,5 in Dutch (the form reads a comma or a dot).
        "radius_km": format_decimal(profile.radius_km, format="0.##"),
        "availability": profile.slot_codes,
        "has_vog": "yes" if profile.has_vog else "no", "vog_valid_until": profile.vog_valid_until,
        "languages": list(profile.languages or []),
        "max_commitments": str(profile.max_commitments), "paused_until": profile.paused_until,
        "pause_reason": profile.pause_reason, "wants_digest": profile.wants_digest,
        "about": profile.about,
    }


def number(text: str | None, kind: type) -> float | int:
    """The typed number, or -1 so the service says which range is allowed."""
    try:
        return kind((text or "").strip().replace(",", "."))
    except ValueError:
        return -1


def profile_input(form: ProfileForm) -> services.ProfileInput:
    return services.ProfileInput(
        skills=form.skills.data or [], postcode=form.postcode.data or "",
        radius_km=number(form.radius_km.data, float), availability=form.availability.data or [],
        has_vog=form.has_vog.data == "yes", vog_valid_until=form.vog_valid_until.data,
        languages=form.languages.data or ["nl"],
        max_commitments=number(form.max_commitments.data, int),
        paused_until=form.paused_until.data, pause_reason=form.pause_reason.data,
        wants_digest=form.wants_digest.data, about=form.about.data)


@volunteers_bp.route("/profiel", methods=["GET", "POST"])
@role_required("resident", "volunteer")
def profile():
    existing = services.get_profile(current_user)
    if request.method == "POST" or existing is None:
        form = ProfileForm()
    else:
        form = ProfileForm(data=profile_data(existing))
    form.skills.choices = [
        SelectChoice(c.code, label(c.code) + (" " + _("(VOG nodig)") if c.vog_required else ""))
        for c in active_categories()]
    if form.validate_on_submit():
        try:
            services.save_profile(current_user, profile_input(form))
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            if existing is None:
                flash(_("Welkom als vrijwilliger! Hieronder ziet u hulpvragen bij u in de "
                        "buurt."), "success")
                return redirect(url_for("volunteers.nearby"))
            flash(_("Uw profiel is opgeslagen."), "success")
            return redirect(url_for("volunteers.profile"))
    return render_template("volunteers/profile.html", form=form, profile=existing,
                           **day_grid())


NEARBY_PAGE = 25  # cards per page of the nearby list ("Volgende hulpvragen": keyset on id)


@volunteers_bp.get("/in-de-buurt")
@role_required("volunteer")
@cached
def nearby():
    # The list needs the skills, not the day parts (one query less per view).
    profile = db.session.get(VolunteerProfile, current_user.id,
                             options=[lazyload(VolunteerProfile.availability)])
    if profile is None:
        return render_template("volunteers/nearby.html", profile=None)
    form = NearbyFilterForm(request.args)
    form.categorie.choices = [SelectChoice("", _("Alles waar ik mee wil helpen")), *(
        SelectChoice(c.code, label(c.code)) for c in active_categories()
        if c.code in profile.skill_codes)]
    category = form.categorie.data if form.categorie.data in profile.skill_codes else None
    sort = form.sorteer.data if form.sorteer.data in SORT_LABELS else "distance"
    raw = request.args.get("na", "")
    after = int(raw) if re.fullmatch(r"[0-9]{1,10}", raw) and int(raw) <= MAX_ID else None
    page = services.nearby_page(profile, category=category, sort=sort, after=after,
                                size=NEARBY_PAGE, not_owner_id=current_user.id)
    return render_template("volunteers/nearby.html", profile=profile, form=form,
                           found=cards(page.items), total=page.total, next_after=page.next_after,
                           paged=after is not None, sort=sort,
                           category=category,
                           paused=profile.paused_on(today()),
                           # Both radii (help_requests.access): the volunteer's and 5 km.
                           search_km=min(profile.radius_km, REACH_KM))


@volunteers_bp.get("/afspraken")
@role_required("volunteer")
def commitments():
    proposals, offers, current, past = [], [], [], []
    for match in brokering.matches_for_volunteer(current_user):
        if match.status == "proposed":
            (proposals if match.awaiting == "volunteer" else offers).append(match)
        elif match.status == "accepted" and view_of(current_user, match.request) is View.FULL:
            current.append((match, brokering.active_arrangement(match.request)))
        else:
            past.append(match)
    return render_template("volunteers/commitments.html", proposals=proposals, offers=offers,
                           current=current, past=past, status_labels=STATUS_LABELS,
                           stopped=stopped)


DONE = {"accept": _l("Fijn dat u helpt! Hieronder ziet u de afspraak."),
        "decline": _l("U heeft nee gezegd. De welzijnswerker krijgt bericht."),
        "withdraw": _l("U heeft uw aanbod ingetrokken.")}


def own_match(match_id: int):
    """The signed-in volunteer's match; 404 for anyone else's, or one that does not exist."""
    try:
        found = brokering.get_match(match_id) if match_id <= MAX_ID else None
    except NotFound:
        found = None
    if found is None or found.volunteer_id != current_user.id:
        abort(404)
    return found


@volunteers_bp.route("/voorstellen/<int:match_id>", methods=["GET", "POST"])
@role_required("volunteer")
def match(match_id: int):
    found = own_match(match_id)
    form = AnswerForm()
    if form.validate_on_submit():
        decision = request.form.get("decision")
        try:
            if decision == "accept":
                brokering.accept(current_user, found)
            elif decision == "decline":
                brokering.decline(current_user, found, form.reason.data)
            elif decision == "withdraw":
                withdraw_offer(current_user, found)
            else:
                raise DomainError(_("Kies ja of nee."))
        except NotFound:
            abort(404)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(DONE[decision], "success")
            return redirect(url_for("volunteers.match", match_id=found.id))
    help_request = found.request
    view = view_of(current_user, help_request)
    full = view is View.FULL
    profile = services.get_profile(current_user)
    return render_template(
        "volunteers/match.html", form=form, match=found, help_request=help_request, full=full,
        # The read rule (help_requests.access): a proposal no longer open shows nothing of
        # the request, unless it still fits the volunteer.
        hidden=view is View.NONE,
        arrangement=brokering.active_arrangement(help_request) if full else None,
        may_answer=brokering.may_answer(current_user, found) and found.status == "proposed",
        may_withdraw=may_withdraw(current_user, found), stopped=stopped(found),
        distance=distance_km(profile.lat, profile.lon, help_request.lat, help_request.lon)
        if profile else None, urgency_labels=URGENCY_LABELS)


@volunteers_bp.route("/voorstellen/<int:match_id>/stoppen", methods=["GET", "POST"])
@role_required("volunteer")
def stop(match_id: int):
    """Stop helping before the agreed end: why, then the worker finds someone else."""
    found = own_match(match_id)
    form = StopForm()
    if form.validate_on_submit():
        try:
            stop_helping(current_user, found, reason=form.reason.data, note=form.note.data)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("U bent gestopt met deze hulp. De welzijnswerker en de inwoner krijgen "
                    "bericht. Dank u wel voor wat u heeft gedaan."), "success")
            return redirect(url_for("volunteers.commitments"))
    arrangement = running_arrangement(found)
    return render_template("volunteers/stop.html", form=form, match=found,
                           help_request=found.request, arrangement=arrangement,
                           person=found.request.owner if arrangement else None)
