"""Follow-ups that surface: due and overdue ``CaseNote.follow_up_on`` of the worker's own
cases (the team's for a coordinator), check-ins that came back "needs attention",
evaluations due this week and plan actions not done by their date (residents of the
worker's areas), for the top of the worklist; marking a follow-up done (a note, or
a new date); and the daily sweep that mails a worker their follow-ups due today.

Own: notes the worker wrote, or notes on requests the worker holds. A coordinator also sees
the notes of the members of the teams they coordinate. Services add and flush."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from flask_babel import gettext as _
from sqlalchemy import Select, bindparam, or_, select
from sqlalchemy.orm import contains_eager

from marketplace.accounts.models import User, UserRole
from marketplace.brokering.followup_models import FollowUpDone
from marketplace.brokering.models import Arrangement
from marketplace.casework.models import CaseNote, PlanAction, ResidentArea, SupportPlan
from marketplace.clock import now as clock_now
from marketplace.clock import today
from marketplace.errors import NotFound, ValidationFailed
from marketplace.extensions import db
from marketplace.followup.models import CheckIn, Evaluation
from marketplace.help_requests.access import worker_area_ids
from marketplace.help_requests.models import HelpRequest
from marketplace.teams.services import coordinated_by

NOTE_MAX = 2000
ATTENTION_DAYS = 14  # a "needs attention" answer stays on the list this long


@dataclass
class FollowUps:
    notes: list[CaseNote] = field(default_factory=list)  # due today or overdue, oldest first
    attention: list[CheckIn] = field(default_factory=list)
    evaluations_due: list[Arrangement] = field(default_factory=list)
    actions_due: list[PlanAction] = field(default_factory=list)  # not done by their date

    @property
    def total(self) -> int:
        return (len(self.notes) + len(self.attention) + len(self.evaluations_due)
                + len(self.actions_due))


def _author_ids(worker: User) -> set[int]:
    ids = {worker.id}
    for team in coordinated_by(worker):
        ids |= {m.user_id for m in team.members}
    return ids


@lru_cache(maxsize=1)
def _open_notes() -> Select:
    """Follow-ups not done of the notes by `authors` or on requests `worker_id` holds."""
    held = select(HelpRequest.id).where(HelpRequest.assigned_worker_id == bindparam("worker_id"))
    return (select(CaseNote)
            .outerjoin(FollowUpDone, FollowUpDone.note_id == CaseNote.id)
            .where(CaseNote.follow_up_on.is_not(None), FollowUpDone.note_id.is_(None),
                   or_(CaseNote.author_id.in_(bindparam("authors", expanding=True)),
                       CaseNote.request_id.in_(held))))


def _whose(worker: User, *, team: bool = True) -> dict[str, object]:
    return {"worker_id": worker.id,
            "authors": sorted(_author_ids(worker) if team else {worker.id})}


@lru_cache(maxsize=1)
def _statements() -> tuple[Select, Select, Select, Select]:
    """The worklist's four follow-up statements, built once and run with bound values (a
    new statement object costs SQLAlchemy more than running it: docs/performance.md)."""
    notes = (_open_notes().where(CaseNote.follow_up_on <= bindparam("day"))
             .order_by(CaseNote.follow_up_on, CaseNote.id))
    in_area = HelpRequest.area_id.in_(bindparam("area_ids", expanding=True))
    attention = (
        select(CheckIn).join(Arrangement, Arrangement.id == CheckIn.arrangement_id)
        .join(HelpRequest, HelpRequest.id == Arrangement.request_id)
        .where(in_area, Arrangement.status.in_(("active", "ending")),
               or_(CheckIn.resident_answer == "needs_attention",
                   CheckIn.volunteer_answer == "needs_attention"),
               CheckIn.done_at >= bindparam("since", type_=CheckIn.__table__.c.done_at.type))
        .options(contains_eager(CheckIn.arrangement).contains_eager(Arrangement.request))
        .order_by(CheckIn.done_at.desc(), CheckIn.id))
    evaluations = (
        select(Arrangement).join(HelpRequest, HelpRequest.id == Arrangement.request_id)
        .outerjoin(Evaluation, Evaluation.arrangement_id == Arrangement.id)
        .where(in_area, Arrangement.status.in_(("active", "ending")), Evaluation.id.is_(None),
               Arrangement.planned_end_on >= bindparam("day"),
               Arrangement.planned_end_on <= bindparam("week_end"))
        .options(contains_eager(Arrangement.request))
        .order_by(Arrangement.planned_end_on, Arrangement.id))
    actions = (
        select(PlanAction).join(SupportPlan, SupportPlan.id == PlanAction.plan_id)
        .join(ResidentArea, ResidentArea.resident_id == SupportPlan.resident_id)
        .where(ResidentArea.area_id.in_(bindparam("area_ids", expanding=True)),
               PlanAction.done.is_(False), PlanAction.due_on <= bindparam("day"))
        .options(contains_eager(PlanAction.plan))
        .order_by(PlanAction.due_on, PlanAction.id))
    return notes, attention, evaluations, actions


def follow_ups(worker: User, now: datetime | None = None) -> FollowUps:
    now = now or clock_now()
    day = today(now)
    result = FollowUps()
    notes, attention, evaluations, actions = _statements()
    result.notes = list(db.session.scalars(notes, {**_whose(worker), "day": day}))
    ids = worker_area_ids(worker)
    if not ids:
        return result
    area_ids = sorted(ids)
    result.attention = list(db.session.scalars(attention, {
        "area_ids": area_ids, "since": now - timedelta(days=ATTENTION_DAYS)}))
    result.evaluations_due = list(db.session.scalars(evaluations, {
        "area_ids": area_ids, "day": day, "week_end": day + timedelta(days=6)}))
    result.actions_due = list(db.session.scalars(actions, {"area_ids": area_ids, "day": day}))
    return result


def complete(worker: User, note_id: int, *, text: str | None, new_date: date | None,
             now: datetime | None = None) -> CaseNote:
    """Done with a follow-up: a note of what happened, or a new date (or both). The new
    note (with the new date) goes in the resident's contact log."""
    now = now or clock_now()
    note = db.session.scalar(_open_notes().where(CaseNote.id == note_id), _whose(worker))
    if note is None:
        raise NotFound(_("Deze opvolging bestaat niet."))
    text = (text or "").strip()
    errors: dict[str, list[str]] = {}
    if len(text) > NOTE_MAX:
        errors["note"] = [_("Houd de notitie korter: hoogstens 2000 tekens.")]
    if new_date is not None and new_date <= today(now):
        errors["new_date"] = [_("Kies een datum na vandaag.")]
    if not text and new_date is None:
        errors["note"] = [_("Schrijf kort wat er gebeurd is, of kies een nieuwe datum.")]
    if errors:
        raise ValidationFailed(errors)
    follow = CaseNote(resident_id=note.resident_id, request_id=note.request_id,
                      signal_id=note.signal_id, author_id=worker.id, kind="note",
                      body=text or _("Opvolging verzet naar %(date)s.",
                                     date=new_date.strftime("%d-%m-%Y")),
                      follow_up_on=new_date, created_at=now)
    db.session.add(follow)
    db.session.flush()
    db.session.add(FollowUpDone(note_id=note.id, done_at=now, done_by_id=worker.id,
                                next_note_id=follow.id))
    db.session.flush()
    return follow


def mail_due_today(now: datetime) -> int:
    """Daily sweep: each worker gets ONE mail with their follow-ups due today (dedupe key per
    worker and day, so a second run, or a second scheduler, sends nothing new)."""
    from marketplace.brokering.notify import public_url
    from marketplace.notifications.outbox import enqueue

    day = today(now)
    workers = db.session.scalars(select(User).join(UserRole).where(
        UserRole.role == "worker", User.is_active.is_(True), User.email.is_not(None))
        .order_by(User.id))
    due = _open_notes().where(CaseNote.follow_up_on == day)
    sent = 0
    for worker in workers:
        mine = list(db.session.scalars(due, _whose(worker, team=False)))
        if not mine:
            continue
        if enqueue(worker.email, "follow_ups_due", dedupe_key=f"followups:{worker.id}:{day}",
                   locale=worker.locale, now=now, user=worker, count=len(mine),
                   url=public_url("worker.worklist", _anchor="opvolging")) is not None:
            sent += 1
    db.session.flush()
    return sent
