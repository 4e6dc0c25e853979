"""The administrator's pages for neighbourhood teams (wijkteams): a team per municipality,
district or village core; its workers; who coordinates it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from marketplace.accounts.loading import role_required
from marketplace.accounts.models import User
from marketplace.admin.forms import KIND_LABELS
from marketplace.areas import services as areas
from marketplace.areas.models import Area
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.help_requests.access import worker_area_ids
from marketplace.signals.forms import apply_errors
from marketplace.teams import services
from marketplace.teams.forms import MemberForm, TeamForm, TeamNameForm
from marketplace.teams.models import Team

teams_bp = Blueprint("teams", __name__, url_prefix="/beheer/wijkteams")


@teams_bp.before_request
@role_required("admin")
def require_admin():
    return None


def _team(team_id: int) -> Team:
    return services.get_team(team_id) or abort(404)


@teams_bp.get("/")
def index():
    return render_template("teams/index.html", teams=services.all_teams(),
                           kind_labels=KIND_LABELS)


@teams_bp.route("/nieuw", methods=["GET", "POST"])
def new():
    form = TeamForm()
    form.area.choices = [
        SelectChoice(a.id, "— " * max(depth - 1, 0) + f"{a.name} ({KIND_LABELS[a.kind]})")
        for a, depth in areas.tree() if a.kind in services.TEAM_KINDS]
    if form.validate_on_submit():
        try:
            team = services.create_team(db.session.get(Area, form.area.data), form.name.data)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("Wijkteam %(name)s is gemaakt. Voeg nu de welzijnswerkers toe.",
                    name=team.name), "success")
            return redirect(url_for(".edit", team_id=team.id))
    return render_template("teams/new.html", form=form)


def _member_choices(form: MemberForm, team: Team) -> None:
    inside = {m.user_id for m in team.members}
    form.user_id.choices = [
        SelectChoice(u.id, f"{u.name} ({', '.join(a.name for a in u.areas)})")
        for u in services.candidate_members(team) if u.id not in inside]


def _edit_page(team: Team, name_form: TeamNameForm | None = None,
               member_form: MemberForm | None = None):
    name_form = name_form or TeamNameForm(formdata=None, obj=team)
    if member_form is None:
        member_form = MemberForm(formdata=None)
        _member_choices(member_form, team)
    members = sorted(team.members, key=lambda m: (not m.is_coordinator, m.user.name.lower()))
    # A member who does not work in the team's area sees none of its cases: say so.
    outside = {m.user_id for m in members if team.area_id not in worker_area_ids(m.user)}
    return render_template("teams/edit.html", team=team, name_form=name_form,
                           member_form=member_form, members=members, outside=outside,
                           kind_labels=KIND_LABELS)


@teams_bp.route("/<int:team_id>", methods=["GET", "POST"])
def edit(team_id: int):
    team = _team(team_id)
    form = TeamNameForm()
    if form.validate_on_submit():
        try:
            services.save_team(team.area, form.name.data)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("De naam van het wijkteam is opgeslagen."), "success")
            return redirect(url_for(".edit", team_id=team.id))
    return _edit_page(team, name_form=form if form.is_submitted() else None)


@teams_bp.post("/<int:team_id>/leden")
def add_member(team_id: int):
    team = _team(team_id)
    form = MemberForm()
    _member_choices(form, team)
    if form.validate_on_submit():
        user = db.session.get(User, form.user_id.data)
        try:
            if user is None:
                raise DomainError(_("Kies een welzijnswerker uit de lijst."), field="user_id")
            services.set_member(team, user, coordinator=form.coordinator.data,
                                actor_id=current_user.id)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s zit nu in het wijkteam.", name=user.name), "success")
            return redirect(url_for(".edit", team_id=team.id, _anchor="leden"))
    return _edit_page(team, member_form=form)


def _member_user(team: Team, user_id: int) -> User:
    member = next((m for m in team.members if m.user_id == user_id), None)
    if member is None:
        abort(404)
    return member.user


@teams_bp.post("/<int:team_id>/leden/<int:user_id>/coordinator")
def coordinator(team_id: int, user_id: int):
    team = _team(team_id)
    user = _member_user(team, user_id)
    make = request.form.get("coordinator") == "ja"
    try:
        services.set_member(team, user, coordinator=make, actor_id=current_user.id)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("%(name)s is nu coördinator van het team.", name=user.name) if make
              else _("%(name)s is geen coördinator meer.", name=user.name), "success")
    return redirect(url_for(".edit", team_id=team.id, _anchor="leden"))


@teams_bp.post("/<int:team_id>/leden/<int:user_id>/verwijderen")
def remove_member(team_id: int, user_id: int):
    team = _team(team_id)
    user = _member_user(team, user_id)
    services.remove_member(team, user.id, actor_id=current_user.id)
    db.session.commit()
    flash(_("%(name)s zit niet meer in het wijkteam.", name=user.name), "success")
    return redirect(url_for(".edit", team_id=team.id, _anchor="leden"))
