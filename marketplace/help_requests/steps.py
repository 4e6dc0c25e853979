"""Posting a request in a few steps (no JavaScript): answers wait in the session between
steps; the own network is asked about before the request is sent."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from marketplace.accounts import services as accounts
from marketplace.accounts.loading import role_required
from marketplace.categories.services import active_categories, label
from marketplace.clock import today
from marketplace.errors import DomainError, ValidationFailed, apply_errors
from marketplace.extensions import db
from marketplace.help_requests import forms as f
from marketplace.help_requests import services
from marketplace.help_requests.blueprint import (
    COOKIE_LIMIT,
    RETURN_HERE,
    help_requests_bp,
    to_detail,
)
from marketplace.residents import services as network
from marketplace.residents.forms import RELATION_LABELS
from marketplace.volunteers.forms import day_grid


def as_worker() -> bool:
    return current_user.has_role("worker") and not current_user.has_role("resident")


def load_draft() -> dict:
    draft = session.get(f.DRAFT_KEY) or {}
    return draft if draft.get("user") == current_user.id else {"user": current_user.id}


def steps_for(draft: dict) -> list[str]:
    steps = ["inwoner"] if as_worker() else []
    steps.append("soort")
    if draft.get("for_whom") == "other" and not as_worker():
        steps.append("voor-wie")
    return [*steps, "omschrijving", "waar-wanneer", "controleren"]


STEP_FORMS = {"inwoner": f.ResidentStepForm, "soort": f.KindStepForm,
              "voor-wie": f.ForPersonStepForm, "omschrijving": f.DescribeStepForm,
              "waar-wanneer": f.WhereWhenStepForm}
# Fields the service checks on each step; its messages are shown on that step.
STEP_FIELDS = {"soort": ("category",), "voor-wie": ("for_person_consent",),
               "omschrijving": ("description",),
               "waar-wanneer": ("postcode", "house_number", "urgency", "timing", "wanted_on",
                                "wanted_until", "recurrence")}


def network_members(category: str | None) -> list:
    """The resident's network, those who said they can help with this category first."""
    members = network.network_of(current_user.id)
    return sorted(members, key=lambda m: (category not in (m.can_help or []), m.name.lower()))


def prepare(step: str, form, draft: dict) -> dict:
    """Fill choices and remove what does not apply; returns extra context for the page."""
    if step == "soort":
        form.category.choices = [SelectChoice(c.code, label(c.code)) for c in active_categories()]
        if as_worker():
            del form.for_whom
    if step == "waar-wanneer":
        return day_grid()
    if step == "omschrijving":
        category = draft.get("category")
        if as_worker():
            del form.asked
            return {"members": [], "category_label": label(category or "")}
        members = network_members(category)
        form.asked.choices = [SelectChoice(m.id, member_label(m, category)) for m in members]
        return {"members": members, "category_label": label(category or ""),
                "helpers": [m for m in members if category in (m.can_help or [])]}
    return {}


def relation_name(relation: str) -> str:
    return str(RELATION_LABELS.get(relation, relation)).lower()


def member_label(member, category: str | None) -> str:
    text = f"{member.name} ({relation_name(member.relation)})"
    if category in (member.can_help or []):
        text += " – " + _("kan helpen met: %(what)s", what=label(category))
    return text


def step_ok(step: str, form, draft: dict) -> bool:
    """Checks beyond the form: the resident exists, and the service's own rules."""
    if step == "inwoner":
        draft.pop("resident_id", None)
        if form.who.data == "existing":
            found = accounts.find_by_email(form.email.data or "")
            if found is None or not found.has_role("resident"):
                form.email.errors.append(_("Wij vinden geen inwoner met dit e-mailadres. Kijk of "
                                           "het goed is geschreven, of kies: zonder account."))
                return False
            draft.update(resident_id=found.id, resident_label=found.name)
        else:
            draft["resident_label"] = form.name.data
        return True
    trial = {**draft, **f.draft_values(form)}
    try:
        services.validate(f.request_input(trial), today_=today())
    except ValidationFailed as error:
        mine = {k: v for k, v in error.errors.items() if k in STEP_FIELDS.get(step, ())}
        if mine:
            apply_errors(form, ValidationFailed(mine))
            return False
    return True


def render_step(step: str, form, draft: dict, extra: dict | None = None):
    steps = steps_for(draft)
    number = steps.index(step)
    back = url_for(".new", step=steps[number - 1]) if number else None
    return render_template(f"help_requests/new_{step.replace('-', '_')}.html", form=form,
                           step=step, number=number + 1, total=len(steps), back_url=back,
                           draft=draft, as_worker=as_worker(), **(extra or {}))


@help_requests_bp.route("/nieuw", methods=["GET", "POST"], defaults={"step": None})
@help_requests_bp.route("/nieuw/<step>", methods=["GET", "POST"])
@role_required("resident", "worker")
def new(step: str | None):
    draft = load_draft()
    steps = steps_for(draft)
    step = step or steps[0]
    if step not in steps:
        abort(404)
    for earlier in steps[:steps.index(step)]:
        if earlier not in draft.get("done", []):
            return redirect(url_for(".new", step=earlier))
    if step == "controleren":
        return check_and_send(draft)
    form_class = STEP_FORMS[step]
    form = form_class() if request.method == "POST" else form_class(data=f.form_data(draft))
    extra = prepare(step, form, draft)
    if step == "omschrijving" and request.method == "POST" and request.form.get("add_member"):
        # Keep what was typed, unchecked, and come back here after adding someone.
        if keep({**draft, **f.draft_values(form)}, form):
            return redirect(url_for("residents.add", terug=RETURN_HERE))
    elif form.validate_on_submit() and step_ok(step, form, draft):
        done = sorted({*draft.get("done", []), step})
        if keep({**draft, **f.draft_values(form), "done": done}, form):
            steps = steps_for(session[f.DRAFT_KEY])
            return redirect(url_for(".new", step=steps[steps.index(step) + 1]))
    return render_step(step, form, draft, extra)


def keep(draft: dict, form) -> bool:
    """Put the answers in the session, unless the cookie would grow too big to be kept."""
    serializer = current_app.session_interface.get_signing_serializer(current_app)
    if serializer and len(serializer.dumps({**session, f.DRAFT_KEY: draft})) > COOKIE_LIMIT:
        form.form_errors.append(_("Uw tekst is te lang om te bewaren. Maak hem wat korter."))
        return False
    session[f.DRAFT_KEY] = draft
    return True


def network_note(draft: dict) -> str | None:
    note = (draft.get("network_note") or "").strip()
    asked = set(draft.get("asked") or [])
    if asked and not as_worker():
        names = [f"{m.name} ({relation_name(m.relation)})"
                 for m in network.network_of(current_user.id) if m.id in asked]
        if names:
            lead = _("Kan misschien helpen: %(names)s.", names=", ".join(names))
            note = f"{lead}\n{note}" if note else lead
    return note[:1000] or None


def owner_for(draft: dict):
    """Who the request belongs to: the resident, or for a worker the chosen or a new resident."""
    if not as_worker():
        return current_user
    if draft.get("resident_id"):
        owner = accounts.get_user(draft["resident_id"])
        if not owner.has_role("resident"):
            raise DomainError(_("Deze persoon is geen inwoner."), field="email")
        return owner
    return accounts.create_user(None, draft.get("name") or "", roles=("resident",),
                                actor_id=current_user.id)


# The step a service's message belongs on (anything else is shown at the last step).
FIELD_STEP = {**{name: step for step, names in STEP_FIELDS.items() for name in names},
              "network_note": "omschrijving", "for_person_name": "voor-wie",
              "email": "inwoner", "name": "inwoner"}


def back_to_step(error: DomainError, draft: dict):
    """A service refused at the last step: show the step the problem is on, with the message."""
    fields = error.errors if isinstance(error, ValidationFailed) else {error.field: []}
    step = next((FIELD_STEP[name] for name in fields if name in FIELD_STEP), None)
    if step is None or step not in steps_for(draft):
        return None
    form = STEP_FORMS[step](formdata=None, data=f.form_data(draft))
    extra = prepare(step, form, draft)
    apply_errors(form, error)
    return render_step(step, form, draft, extra)


def check_and_send(draft: dict):
    form = f.ConfirmForm()
    if form.validate_on_submit():
        if request.form.get("stop"):
            session.pop(f.DRAFT_KEY, None)
            flash(_("De hulpvraag is niet verstuurd. Wat u had ingevuld is gewist."), "info")
            return redirect(url_for(".mine" if not as_worker() else "main.index"))
        try:
            owner = owner_for(draft)
            created = services.create_request(
                current_user, f.request_input(draft, network_note(draft)), owner=owner)
        except DomainError as error:
            db.session.rollback()
            page = back_to_step(error, draft)
            if page is not None:
                return page
            apply_errors(form, DomainError(error.message))
        else:
            db.session.commit()
            session.pop(f.DRAFT_KEY, None)
            flash(_("De hulpvraag is verstuurd. U krijgt een e-mail als iemand wil helpen.")
                  if not as_worker() else _("De hulpvraag is verstuurd."), "success")
            return to_detail(created)
    return render_step("controleren", form, draft, {
        "category_label": label(draft.get("category") or ""), "network_note": network_note(draft),
        "when": f.request_input(draft), "urgency_labels": f.URGENCY_LABELS,
        "day_parts": f.day_parts_text(draft.get("day_parts"))})


# --- One request: what the viewer may see, and what they can do with it. ---
