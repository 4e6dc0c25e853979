"""Check-ins on every arrangement, answers in one click, and the end evaluation.

Follow-up sits above brokering: the evaluation ends an arrangement through
``brokering.services.end_arrangement``; brokering never imports follow-up but tells it,
through ``support.events``, when an arrangement starts (plan the check-ins) or ends (close
them).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import or_, select, update

from marketplace.accounts import audit
from marketplace.accounts.models import User
from marketplace.brokering.models import Arrangement
from marketplace.brokering.on_behalf import HOW, check_how
from marketplace.brokering.services import end_arrangement
from marketplace.clock import now as clock_now
from marketplace.clock import today
from marketplace.errors import N_, Conflict, DomainError, NotFound
from marketplace.extensions import db
from marketplace.followup.models import (
    ANSWERS,
    CONTINUATIONS,
    ArrangementExtension,
    CheckIn,
    Evaluation,
)
from marketplace.help_requests.access import is_area_worker
from marketplace.help_requests.models import RequestEvent
from marketplace.support import events

FIRST_WEEK_DAYS = 7
DID_IT_HELP_DAYS = 14
BEFORE_END_DAYS = 14


def schedule(started_on: date, planned_end_on: date) -> list[tuple[str, date]]:
    """When to ask how it goes. Pure: the same dates for the same arrangement, always.

    At most one check-in a day (a short arrangement would otherwise ask three times on one
    day: "did it help?", midway and before the end) and none on or after the planned end,
    where the evaluation takes over. On one day the first kind in this order wins:
    first week, did it help, before the end, midway.
    """
    length = (planned_end_on - started_on).days
    candidates = [("first_week", started_on + timedelta(days=FIRST_WEEK_DAYS)),
                  ("did_it_help", started_on + timedelta(days=DID_IT_HELP_DAYS))]
    before_end = planned_end_on - timedelta(days=BEFORE_END_DAYS)
    if before_end > started_on + timedelta(days=FIRST_WEEK_DAYS):
        candidates.append(("before_end", before_end))
    if length >= 4 * FIRST_WEEK_DAYS:
        candidates.append(("midway", started_on + timedelta(days=length // 2)))
    moments: list[tuple[str, date]] = []
    for kind, due_on in candidates:
        if due_on < planned_end_on and all(due_on != taken for _, taken in moments):
            moments.append((kind, due_on))
    return sorted(moments, key=lambda m: (m[1], m[0]))


def plan_checkins(arrangement: Arrangement, now: datetime | None = None) -> list[CheckIn]:
    """Plan the check-ins of an arrangement; again after its planned end moved (extension).

    Replanning moves a check-in that was not sent yet to its new date and adds only moments
    that still lie ahead: a moment that already passed (and was asked) is not asked again.
    """
    existing = checkins_of(arrangement)
    replanning = bool(existing)
    day = today(now or clock_now())
    created = []
    for kind, due_on in schedule(arrangement.started_on, arrangement.planned_end_on):
        same_kind = [c for c in existing if c.kind == kind]
        if any(c.due_on == due_on for c in same_kind):
            continue
        pending = next((c for c in same_kind if c.sent_at is None), None)
        if pending is not None:
            pending.due_on = due_on
            continue
        if replanning and due_on <= day:
            continue
        checkin = CheckIn(arrangement_id=arrangement.id, kind=kind, due_on=due_on)
        db.session.add(checkin)
        created.append(checkin)
    db.session.flush()
    return created


def close_checkins(arrangement: Arrangement, now: datetime | None = None) -> int:
    """The support ended: its check-ins not asked or not answered yet are closed.

    They are no longer asked and their silence no longer reaches the worker; answers that
    were given stay. Returns how many were closed.
    """
    result = db.session.execute(
        update(CheckIn)
        .where(CheckIn.arrangement_id == arrangement.id, CheckIn.closed_at.is_(None),
               or_(CheckIn.sent_at.is_(None),
                   (CheckIn.done_at.is_(None)) & (CheckIn.escalated_at.is_(None))))
        .values(closed_at=now or clock_now())
        .execution_options(synchronize_session="fetch"))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def checkins_of(arrangement: Arrangement) -> list[CheckIn]:
    stmt = select(CheckIn).where(CheckIn.arrangement_id == arrangement.id).order_by(
        CheckIn.due_on, CheckIn.id)
    return list(db.session.scalars(stmt))


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt="buurtmakelaar.checkin")


def answer_token(checkin: CheckIn, role: str, secret_key: str) -> str:
    return _serializer(secret_key).dumps([checkin.id, role])


def checkin_for_token(token: str, secret_key: str) -> tuple[CheckIn, str]:
    try:
        checkin_id, role = _serializer(secret_key).loads(token)
    except (BadSignature, ValueError, TypeError):
        raise NotFound(N_("Deze link klopt niet.")) from None
    checkin = db.session.get(CheckIn, checkin_id)
    if checkin is None or role not in ("resident", "volunteer"):
        raise NotFound(N_("Deze link klopt niet."))
    return checkin, role


def record_answer(checkin: CheckIn, role: str, answer: str, now: datetime | None = None, *,
                  recorded_by: User | None = None) -> None:
    """Store the answer of the resident or the volunteer; both answered → done.

    "Needs attention" reaches the worker at once (through the outbox, in this transaction),
    once per check-in, also when the silence before it was reported already.
    ``recorded_by``: the worker who wrote it down for them (``record_answer_for``); None
    when the person answered through their link.
    """
    if answer not in ANSWERS:
        raise DomainError(N_("Kies: het gaat goed, of: er is aandacht nodig."), field="answer")
    now = now or clock_now()
    by = recorded_by.id if recorded_by is not None else None
    if role == "resident":
        checkin.resident_answer, checkin.resident_answer_by_id = answer, by
    else:
        checkin.volunteer_answer, checkin.volunteer_answer_by_id = answer, by
    if checkin.resident_answer and checkin.volunteer_answer:
        checkin.done_at = checkin.done_at or now
    if answer == "needs_attention":
        _attention_to_workers(checkin, now)
    db.session.flush()


def open_roles(checkin: CheckIn) -> list[str]:
    """Whose answer a worker may still write down: the check-in was asked, the support runs
    and it is not closed, and that person has not answered yet."""
    if (checkin.sent_at is None or checkin.closed_at is not None
            or checkin.arrangement.status == "ended"):
        return []
    return [role for role, given in (("resident", checkin.resident_answer),
                                     ("volunteer", checkin.volunteer_answer)) if given is None]


def record_answer_for(worker: User, checkin: CheckIn, role: str, answer: str, *, how: str,
                      now: datetime | None = None) -> None:
    """A worker of the area writes down the answer the resident or the volunteer gave them
    (``how``: by phone, at the desk, on a visit; ``brokering.on_behalf.HOW``).

    It counts as that person's answer (done when both answered; "needs attention" reaches
    the workers as always) and is recorded as entered by the worker: the check-in keeps who
    wrote it, the request's timeline says so, the audit trail has it on the person's behalf.
    NotFound outside the worker's areas; Conflict when nothing is left to write down.
    """
    now = now or clock_now()
    request = checkin.arrangement.request
    if not is_area_worker(worker, request):
        raise NotFound(N_("Dit moment bestaat niet."))
    if role not in ("resident", "volunteer"):
        raise DomainError(N_("Kies wie het antwoord gaf."), field="role")
    check_how(how)
    if role not in open_roles(checkin):
        raise Conflict(N_("Hierop is al geantwoord, of de hulp is gestopt."))
    record_answer(checkin, role, answer, now, recorded_by=worker)
    said = "het gaat goed" if answer == "going_well" else "er is aandacht nodig"
    who = "de inwoner" if role == "resident" else "de vrijwilliger"
    db.session.add(RequestEvent(
        request=request, at=now, actor_id=worker.id, from_status=request.status,
        to_status=request.status,
        reason=(f"hoe gaat het (moment van {checkin.due_on:%d-%m-%Y}): {who} zegt: {said}; "
                f"{HOW[how]} doorgegeven aan de welzijnswerker")))
    person = request.owner_id if role == "resident" else checkin.arrangement.volunteer_id
    audit.record("checkin.answered_for", actor_id=worker.id, subject_user_id=person,
                 on_behalf_of_id=person, object_type="check_in", object_id=checkin.id,
                 now=now, detail={"role": role, "answer": answer, "how": how,
                                  "request_id": request.id})
    db.session.flush()


def _attention_to_workers(checkin: CheckIn, now: datetime) -> None:
    from marketplace.brokering.notify import public_url, workers_for
    from marketplace.categories.services import label
    from marketplace.notifications.outbox import enqueue

    request = checkin.arrangement.request
    for worker in workers_for(request):
        if worker.email and worker.is_active:
            enqueue(worker.email, "checkin_escalation",
                    dedupe_key=f"checkin:{checkin.id}:attention:{worker.id}",
                    locale=worker.locale, now=now, user=worker, attention=True,
                    category=label(request.category),
                    url=public_url("help_requests.detail", request_id=request.id))
    checkin.escalated_at = now


def evaluate(worker: User, arrangement: Arrangement, *, continuation: str,
             extension_reason: str | None = None, note: str | None = None,
             extend_weeks: int | None = None, goals_attained: int | None = None,
             goals_total: int | None = None, now: datetime | None = None) -> Evaluation:
    """Close the support with who carries on; an extension needs a reason and moves the end.

    ``goals_attained`` of ``goals_total``: the plan's goals as evaluated (None: not known).
    """
    now = now or clock_now()
    if continuation not in CONTINUATIONS:
        raise DomainError(N_("Kies wie de hulp voortzet."), field="continuation")
    if continuation == "extension":
        if not (extension_reason or "").strip():
            raise DomainError(N_("Schrijf op waarom de hulp langer nodig is."),
                              field="extension_reason")
        if not extend_weeks or not 1 <= extend_weeks <= 52:
            raise DomainError(N_("Verleng met 1 tot 52 weken."), field="extend_weeks")
    evaluation = db.session.scalar(select(Evaluation).where(
        Evaluation.arrangement_id == arrangement.id))
    if evaluation is None:
        evaluation = Evaluation(arrangement_id=arrangement.id)
        db.session.add(evaluation)
    evaluation.worker_id, evaluation.continuation = worker.id, continuation
    evaluation.extension_reason = (extension_reason or "").strip() or None
    evaluation.note, evaluation.done_at = (note or "").strip() or None, now
    evaluation.goals_attained, evaluation.goals_total = goals_attained, goals_total
    if continuation == "extension":
        db.session.add(ArrangementExtension(
            arrangement_id=arrangement.id, worker_id=worker.id, weeks=extend_weeks,
            reason=evaluation.extension_reason or "", extended_at=now))
        arrangement.planned_end_on += timedelta(weeks=extend_weeks or 0)
        arrangement.status = "active"
        plan_checkins(arrangement, now=now)
    else:
        end_arrangement(worker, arrangement, now=now)
    db.session.flush()
    return evaluation


def on_arrangement_started(arrangement: Arrangement, *, now: datetime | None = None,
                           **_: object) -> None:
    plan_checkins(arrangement, now=now)


def on_arrangement_ended(arrangement: Arrangement, *, now: datetime | None = None,
                         **_: object) -> None:
    close_checkins(arrangement, now)


events.arrangement_started.connect(on_arrangement_started)
events.arrangement_ended.connect(on_arrangement_ended)
