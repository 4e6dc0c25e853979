"""Retention (GDPR): closed cases are anonymised after the configured period.

What stays is what the accountability reports need (category, area, dates, statuses, how it
was solved, life-domain scores without names); what goes is what identifies a person or tells
their story (description, house number, names, messages, notes, the offer's message, the
evaluation's notes, the signal's text).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from marketplace.brokering.models import Arrangement, Match
from marketplace.casework.models import CaseNote
from marketplace.extensions import db
from marketplace.followup.models import Evaluation
from marketplace.help_requests.models import HelpRequest, Message, RequestEvent
from marketplace.signals.models import Signal

REDACTED = "[geanonimiseerd]"
BATCH = 500


def anonymise_expired(now: datetime) -> int:
    cutoff = now - timedelta(days=int(current_app.config["RETENTION_DAYS"]))
    handled = 0
    requests = db.session.scalars(
        # ix_help_request_unanonymised_closed_at: never the anonymised history. Only a
        # closed request has a closed_at (reopening clears it), so no status term: it would
        # tempt SQLite without statistics into reading every closed request by status.
        select(HelpRequest).where(HelpRequest.anonymised_at.is_(None),
                                  HelpRequest.closed_at <= cutoff)
        .order_by(HelpRequest.closed_at, HelpRequest.id).limit(BATCH)).all()
    for request in requests:
        request.description = REDACTED
        request.house_number = ""
        request.for_person_name = request.for_person_relation = None
        request.network_note = request.recurrence = None
        request.anonymised_at = now
        db.session.execute(delete(Message).where(Message.request_id == request.id))
        db.session.execute(delete(CaseNote).where(CaseNote.request_id == request.id))
        for event in db.session.scalars(
                select(RequestEvent).where(RequestEvent.request_id == request.id)):
            event.reason = None
        # What a volunteer wrote when offering help, or why a match was declined.
        db.session.execute(update(Match).where(Match.request_id == request.id)
                           .values(message=None, reason=None)
                           .execution_options(synchronize_session=False))
        # The evaluation keeps who carries on; its notes tell the person's story.
        arrangements = select(Arrangement.id).where(Arrangement.request_id == request.id)
        db.session.execute(update(Evaluation).where(Evaluation.arrangement_id.in_(arrangements))
                           .values(note=None, extension_reason=None)
                           .execution_options(synchronize_session=False))
        handled += 1
    signals = db.session.scalars(
        # ix_signal_unanonymised_handled_at; only a handled signal has a handled_at.
        select(Signal).where(Signal.anonymised_at.is_(None), Signal.handled_at <= cutoff)
        .order_by(Signal.handled_at, Signal.id).limit(BATCH)).all()
    for signal in signals:
        signal.concern, signal.about, signal.outcome_note = REDACTED, None, None
        signal.anonymised_at = now
        db.session.execute(delete(CaseNote).where(CaseNote.signal_id == signal.id))
        handled += 1
    db.session.flush()
    return handled
