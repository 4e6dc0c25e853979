"""Everything we keep about a person, as a page to read (AVG: right of access, in plain
language). The same facts as the download of "Mijn gegevens" (``residents.export``), with
words instead of codes: for the person themselves, and at the desk, where the worker of the
resident's area shows or prints it for a resident without a login.

Reading it is audited ("data.viewed"): by the person, or by the worker at the desk (then
also as an opened file, through ``open_resident``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import render_template, request
from flask_babel import format_date, format_datetime
from flask_login import current_user

from marketplace.accounts import audit
from marketplace.accounts.loading import role_required
from marketplace.accounts.models import User
from marketplace.casework.blueprint import casework_bp, open_resident
from marketplace.casework.labels import (
    ACTOR_LABELS,
    ANSWER_LABELS,
    CHECKIN_LABELS,
    DOMAIN_LABELS,
    GOAL_STATUS_LABELS,
    REFERRAL_STATUS_LABELS,
    SCALE_LABELS,
    SOLVED_BY_LABELS,
    TERM_LABELS,
)
from marketplace.clock import now as clock_now
from marketplace.extensions import db
from marketplace.help_requests.forms import STATUS_LABELS
from marketplace.residents.export import export_for
from marketplace.residents.forms import RELATION_LABELS

# The trail can be long; the page shows the latest, the download has all of it.
TRAIL_SHOWN = 200


def when(value: str | None, *, with_time: bool = False) -> str:
    """An ISO date or moment from the export, written out ("3 december 2026")."""
    if not value:
        return ""
    if with_time or "T" in value:
        moment = datetime.fromisoformat(value)
        return format_datetime(moment, "d MMMM yyyy, HH:mm") if with_time \
            else format_date(moment.date(), "d MMMM yyyy")
    return format_date(date.fromisoformat(value), "d MMMM yyyy")


def _page(person: User, *, at_desk: bool):
    now = clock_now()
    data: dict[str, Any] = export_for(person, now)
    audit.record("data.viewed", actor_id=current_user.id, subject_user_id=person.id,
                 object_type="user", object_id=person.id, ip=request.remote_addr, now=now,
                 detail={"purpose": "desk" if at_desk else "self"})
    db.session.commit()
    trail = data["audit_trail"]  # newest first
    return render_template(
        "casework/data_overview.html", person=person, data=data, at_desk=at_desk,
        trail=trail[:TRAIL_SHOWN], trail_total=len(trail), when=when,
        labels={"status": STATUS_LABELS, "relation": RELATION_LABELS, "actor": ACTOR_LABELS,
                "answer": ANSWER_LABELS, "checkin": CHECKIN_LABELS, "domain": DOMAIN_LABELS,
                "goal": GOAL_STATUS_LABELS, "referral": REFERRAL_STATUS_LABELS,
                "scale": SCALE_LABELS, "solved_by": SOLVED_BY_LABELS, "term": TERM_LABELS})


@casework_bp.get("/mijn-gegevens/bekijken")
@role_required()
def my_data_page():
    return _page(current_user, at_desk=False)


@casework_bp.get("/dossier/<int:resident_id>/inzage")
@role_required("worker")
def data_at_desk(resident_id: int):
    return _page(open_resident(resident_id, "inzage"), at_desk=True)
