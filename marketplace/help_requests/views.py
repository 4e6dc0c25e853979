"""Help requests on the web: residents post (in steps), follow, change, withdraw and renew them;
volunteers see a limited view and say "Ik kan helpen"; workers answer offers in brokered areas.

Any request the viewer may not see answers 404, exactly like a request that does not exist.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from marketplace.accounts import audit
from marketplace.accounts.loading import role_required
from marketplace.accounts.models import User
from marketplace.boundary import MAX_ID
from marketplace.brokering import services as brokering
from marketplace.casework.labels import GOAL_STATUS_LABELS, OWN_ACTOR_LABELS
from marketplace.casework.own_plan import own_plan
from marketplace.categories.services import active_categories, label
from marketplace.clock import today
from marketplace.errors import DomainError, NotFound, apply_errors
from marketplace.extensions import db
from marketplace.geo import distance_km
from marketplace.help_requests import forms as f
from marketplace.help_requests import messages, services
from marketplace.help_requests.access import View, view_of
from marketplace.help_requests.blueprint import help_requests_bp, to_detail
from marketplace.help_requests.models import ACTIVE, HelpRequest
from marketplace.page_cache import cached
from marketplace.volunteers.forms import day_grid
from marketplace.volunteers.models import VolunteerProfile
from marketplace.volunteers.services import get_profile

EDITABLE = ("draft", "new", "clarifying", "open")
RENEWABLE = ("new", "clarifying", "open", "expired")
RENEW_WITHIN_DAYS = 14  # offer "keep it open longer" only when the end is near


def visible(request_id: int) -> tuple[HelpRequest, View]:
    """The request and how much of it the signed-in user may see; 404 when nothing."""
    try:
        help_request = services.get_request(request_id) if request_id <= MAX_ID else None
    except NotFound:
        help_request = None
    view = view_of(current_user, help_request) if help_request else View.NONE
    if view is View.NONE:
        abort(404)
    return help_request, view


def managed(request_id: int) -> HelpRequest:
    help_request, _view = visible(request_id)
    if not services.can_manage(current_user, help_request):
        abort(403)
    return help_request


@help_requests_bp.get("/mijn")
@role_required("resident")
def mine():
    rows = services.requests_of(current_user)
    waiting = {r.id: [m for m in brokering.matches_for_request(r)
                      if m.status == "proposed" and m.awaiting == "resident"] for r in rows}
    return render_template("help_requests/mine.html", requests=rows, waiting=waiting,
                           status_labels=f.STATUS_LABELS)


# --- A new request, in steps; the answers stay in the session until the last step. ---

def actor_names(events) -> dict[int, str]:
    """Names of everyone in these timeline events, in one query ("iemand" for who no longer
    exists)."""
    ids = {event.actor_id for event in events if event.actor_id}
    found = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all()
                 ) if ids else {}
    return {i: found.get(i, _("iemand")) for i in ids}


def detail_page(help_request: HelpRequest, view: View, **forms):
    user = current_user
    context = {"help_request": help_request, "status_labels": f.STATUS_LABELS,
               "urgency_labels": f.URGENCY_LABELS,
               "day_parts": f.day_parts_text(help_request.day_parts),
               "offer_form": forms.get("offer_form"),
               "message_form": forms.get("message_form") or f.MessageForm(formdata=None)}
    if view is View.LIMITED:
        profile = get_profile(user)
        own = [m for m in brokering.matches_for_request(help_request) if m.volunteer_id == user.id]
        context.update(
            profile=profile, own_match=own[-1] if own else None,
            distance=distance_km(profile.lat, profile.lon, help_request.lat, help_request.lon)
            if profile else None,
            offer_form=context["offer_form"] or f.OfferForm(formdata=None))
        return render_template("help_requests/detail_limited.html", **context)
    matches = brokering.matches_for_request(help_request)
    arrangement = brokering.active_arrangement(help_request)
    # ?alles=ja: the whole timeline and every proposal; else the latest of each.
    everything = request.args.get("alles") == "ja"
    events, events_total = services.timeline(help_request, everything=everything)
    to_answer = [m for m in matches if m.status == "proposed" and brokering.may_answer(user, m)]
    wanted = {m.volunteer_id for m in to_answer}
    found = {p.user_id: p for p in db.session.scalars(
        select(VolunteerProfile).where(VolunteerProfile.user_id.in_(wanted)))} if wanted else {}
    profiles = {i: found.get(i) for i in wanted}  # one query, not one per volunteer
    context.update(
        manage=services.can_manage(user, help_request), arrangement=arrangement,
        helper=arrangement is not None and arrangement.volunteer_id == user.id,
        to_answer=to_answer, profiles=profiles,
        vog_ok={k: p is not None and p.vog_valid_on(today()) for k, p in profiles.items()},
        pending=[m for m in matches if m.status == "proposed" and m not in to_answer],
        thread=messages.thread(help_request) if messages.can_read(
            user, help_request, arrangement=arrangement) else None,
        can_send=messages.can_send(user, help_request, arrangement=arrangement),
        actors=actor_names(events), events=events, events_total=events_total,
        everything=everything, matches_shown=services.TIMELINE_SHOWN,
        editable=help_request.status in EDITABLE, can_withdraw=help_request.status in ACTIVE,
        can_renew=help_request.status == "expired" or (
            help_request.status in RENEWABLE and help_request.expires_on is not None
            and (help_request.expires_on - today()).days <= RENEW_WITHIN_DAYS))
    from marketplace.casework import panel as worker_panel  # the worker's side of a request

    panel = worker_panel.build(user, help_request, matches=matches, arrangement=arrangement)
    if panel is not None:
        context.update(panel=panel, **worker_panel.labels())
    if help_request.owner_id == user.id:  # their own plan, never for the volunteer or worker
        context.update(own_plan=own_plan(user), goal_status_labels=GOAL_STATUS_LABELS,
                       own_actor_labels=OWN_ACTOR_LABELS)
    return render_template("help_requests/detail.html", **context)


@help_requests_bp.get("/<int:request_id>")
@role_required()
@cached
def detail(request_id: int):
    help_request, view = visible(request_id)
    if view is View.FULL and help_request.owner_id != current_user.id:
        audit.record("request.viewed", actor_id=current_user.id,
                     subject_user_id=help_request.owner_id, object_type="help_request",
                     object_id=help_request.id, ip=request.remote_addr)
        audit.commit_read()
    return detail_page(help_request, view)


@help_requests_bp.route("/<int:request_id>/wijzigen", methods=["GET", "POST"])
@role_required()
def edit(request_id: int):
    help_request = managed(request_id)
    if help_request.status not in EDITABLE:
        flash(_("Deze hulpvraag kan niet meer worden veranderd."), "info")
        return to_detail(help_request)
    form = (f.RequestEditForm() if request.method == "POST"
            else f.RequestEditForm(data=f.edit_data(help_request)))
    form.category.choices = [SelectChoice(c.code, label(c.code)) for c in active_categories()]
    if form.validate_on_submit():
        try:
            services.update_request(current_user, help_request, f.request_input(
                {**f.draft_values(form), "for_whom": "self"}))
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("De hulpvraag is aangepast."), "success")
            return to_detail(help_request)
    return render_template("help_requests/edit.html", form=form, help_request=help_request,
                           **day_grid())


@help_requests_bp.route("/<int:request_id>/intrekken", methods=["GET", "POST"])
@role_required()
def withdraw(request_id: int):
    help_request = managed(request_id)
    if help_request.status not in ACTIVE:
        flash(_("Deze hulpvraag is al afgesloten."), "info")
        return to_detail(help_request)
    form = f.WithdrawForm()
    if form.validate_on_submit():
        reason = str(f.WITHDRAW_REASONS[form.reason.data])
        if form.explanation.data:
            reason = f"{reason}: {form.explanation.data}"
        try:
            services.withdraw(current_user, help_request, reason)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("De hulpvraag is ingetrokken."), "success")
            return to_detail(help_request)
    return render_template("help_requests/withdraw.html", form=form, help_request=help_request)


@help_requests_bp.post("/<int:request_id>/verlengen")
@role_required()
def renew(request_id: int):
    help_request = managed(request_id)
    try:
        services.renew(current_user, help_request)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("De hulpvraag staat weer open, tot %(date)s.",
                date=format_date(help_request.expires_on, "d MMMM yyyy")), "success")
    return to_detail(help_request)


@help_requests_bp.post("/<int:request_id>/aanbieden")
@role_required("volunteer")
def offer(request_id: int):
    help_request, view = visible(request_id)
    form = f.OfferForm()
    if not form.validate_on_submit():
        return detail_page(help_request, view, offer_form=form)
    if get_profile(current_user) is None:
        flash(_("Maak eerst uw profiel. Dan kunt u aanbieden om te helpen."), "info")
        return redirect(url_for("volunteers.profile"))
    try:
        match = brokering.offer_help(current_user, help_request, form.message.data)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return to_detail(help_request)
    db.session.commit()
    if match.awaiting == "resident":
        flash(_("Bedankt! De inwoner krijgt bericht en zegt ja of nee. U krijgt dan een "
                "e-mail."), "success")
    else:
        flash(_("Bedankt! Een welzijnswerker bekijkt uw aanbod. U krijgt een e-mail als het "
                "doorgaat."), "success")
    return to_detail(help_request)


@help_requests_bp.post("/<int:request_id>/aanbod/<int:match_id>")
@role_required()
def answer_offer(request_id: int, match_id: int):
    help_request, _view = visible(request_id)
    try:
        match = brokering.get_match(match_id) if match_id <= MAX_ID else None
    except NotFound:
        match = None
    if match is None or match.request_id != help_request.id:
        abort(404)
    if match.status != "proposed" and services.can_manage(current_user, help_request):
        flash(_("Op dit aanbod is al geantwoord."), "info")  # e.g. a second click
        return to_detail(help_request)
    if not brokering.may_answer(current_user, match):
        abort(403)  # they may see the request, but this answer is someone else's to give
    form = f.AnswerForm()
    decision = request.form.get("decision")
    if not form.validate_on_submit() or decision not in ("accept", "decline"):
        flash(_("Kies ja of nee."), "error")
        return to_detail(help_request, "aanbod")
    try:
        if decision == "accept":
            brokering.accept(current_user, match)
        else:
            brokering.decline(current_user, match, form.reason.data)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return to_detail(help_request)
    db.session.commit()
    if decision == "accept" and help_request.owner_id == current_user.id:
        flash(_("U heeft ja gezegd. %(name)s gaat helpen. U kunt nu berichten sturen.",
                name=match.volunteer.name), "success")
    elif decision == "accept":
        flash(_("Het aanbod is aangenomen. De inwoner en de vrijwilliger krijgen bericht."),
              "success")
    else:
        flash(_("U heeft nee gezegd. De vrijwilliger krijgt bericht. We blijven zoeken."), "info")
    return to_detail(help_request)


@help_requests_bp.post("/<int:request_id>/bericht")
@role_required()
def message(request_id: int):
    help_request, view = visible(request_id)
    if not messages.can_send(current_user, help_request):
        abort(403)
    form = f.MessageForm()
    if form.validate_on_submit():
        try:
            messages.send(current_user, help_request, form.body.data)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("Uw bericht is verstuurd."), "success")
            return to_detail(help_request, "berichten")
    return detail_page(help_request, view, message_form=form)
