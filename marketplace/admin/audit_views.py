"""The audit log for the administrator: who read or changed whose data, and when.

A privacy officer's question is "who looked at Mrs Jansen's file?" or "what did this worker
open last week?". The log shows the trail's metadata (moment, what, by whom, about whom, the
object and purpose), never the data itself. Reading the log is itself recorded
("audit.viewed"), about the person asked for.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from marketplace.accounts import audit
from marketplace.accounts.models import User
from marketplace.accounts.services import find_by_email
from marketplace.admin.blueprint import admin_bp
from marketplace.admin.forms import AuditFilterForm
from marketplace.boundary import MAX_ID
from marketplace.cleaning import typed_date, whole_number
from marketplace.clock import DOMAIN_TZ
from marketplace.extensions import db
from marketplace.residents.export import ACTIONS

LOG_PAGE = 50


def _person(text: str | None, field, missing: str) -> User | None:
    """A user by e-mail address or number; an error on the field when there is none."""
    text = (text or "").strip()
    if not text:
        return None
    number = whole_number(text, MAX_ID)
    user = db.session.get(User, number) if number else find_by_email(text)
    if user is None:
        field.errors = [missing]
    return user


def _day(text: str | None, field, *, next_day: bool = False) -> datetime | None:
    """The start of that day in the Netherlands (or of the next day), as a moment."""
    if not (text or "").strip():
        return None
    day = typed_date(text)
    if day is None:
        field.errors = [_("Vul een datum in zoals 25-12-2026.")]
        return None
    if next_day:
        day += timedelta(days=1)
    return datetime.combine(day, time(), DOMAIN_TZ)


@admin_bp.get("/logboek")
def audit_log():
    form = AuditFilterForm(request.args)
    form.validate()
    subject = _person(form.persoon.data, form.persoon,
                      _("Niemand met dit e-mailadres of nummer."))
    actor = _person(form.door.data, form.door, _("Niemand met dit e-mailadres of nummer."))
    since = _day(form.van.data, form.van)
    until = _day(form.tot.data, form.tot, next_day=True)
    if since and until and since >= until:
        form.tot.errors = [_("De einddatum ligt vóór de begindatum.")]
    if any(field.errors for field in form):
        return render_template("admin/audit_log.html", form=form, events=None,
                               actions=ACTIONS), 422
    before = whole_number(request.args.get("na", ""), MAX_ID)
    events = audit.search(subject_id=subject.id if subject else None,
                          actor_id=actor.id if actor else None, since=since, until=until,
                          before_id=before, limit=LOG_PAGE + 1)
    more = len(events) > LOG_PAGE
    events = events[:LOG_PAGE]
    ids = {e.actor_user_id for e in events} | {e.subject_user_id for e in events} \
        | {e.on_behalf_of_user_id for e in events}
    people = {u.id: u for u in db.session.scalars(
        select(User).where(User.id.in_([i for i in ids if i is not None])))}
    audit.record("audit.viewed", actor_id=current_user.id,
                 subject_user_id=subject.id if subject else None, ip=request.remote_addr,
                 detail={"actor": actor.id if actor else None,
                         "from": form.van.data or None, "to": form.tot.data or None})
    db.session.commit()
    args = {k: v for k, v in (("persoon", form.persoon.data), ("door", form.door.data),
                              ("van", form.van.data), ("tot", form.tot.data)) if v}
    return render_template("admin/audit_log.html", form=form, events=events, people=people,
                           actions=ACTIONS, next_args={**args, "na": events[-1].id}
                           if more else None, first_args=args if before else None)
