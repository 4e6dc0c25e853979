""""Download my data": everything Buurtmakelaar keeps about the signed-in person, as JSON,
with the audit trail of who saw their file (GDPR art. 15 and 20).

Plain dicts only; the route sends them as an attachment and records the download itself.
Data about other people is left out: a volunteer's arrangements carry no resident's name.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from marketplace.accounts.audit import events_about
from marketplace.accounts.models import User
from marketplace.brokering.models import Arrangement
from marketplace.casework import file as casefile
from marketplace.casework.models import LifeDomainScore
from marketplace.casework.referrals import referrals_of
from marketplace.casework.services import plan_of
from marketplace.extensions import db
from marketplace.followup.services import checkins_of
from marketplace.help_requests.access import View
from marketplace.help_requests.models import HelpRequest, Message
from marketplace.help_requests.serialize import request_dict
from marketplace.messages import N_
from marketplace.residents.services import network_of
from marketplace.volunteers.services import get_profile

# What an audit action means, for the person reading their own trail (Dutch; the pages
# show it in the reader's language, the download in Dutch).
ACTIONS = {
    "file.viewed": N_("Uw dossier is bekeken door een welzijnswerker"),
    "request.viewed": N_("Uw hulpvraag is bekeken"),
    "request.candidates_viewed": N_("Een welzijnswerker zocht helpers voor uw hulpvraag"),
    "referral.created": N_("U bent doorverwezen naar een organisatie"),
    "referral.moved": N_("De stand van uw verwijzing is veranderd"),
    "plan.partner_viewed": N_("Een organisatie las de acties die zij in uw plan heeft"),
    "plan.partner_reported": N_("Een organisatie schreef op hoe het gaat met een actie in uw "
                                "plan"),
    "referral.partner_viewed": N_("De organisatie waar u naar bent doorverwezen las uw "
                                  "verwijzing"),
    "partner.consent_given": N_("U gaf toestemming om gegevens te delen met een organisatie"),
    "partner.consent_withdrawn": N_("U trok uw toestemming voor een organisatie in"),
    "partner.contact_set": N_("U bent contactpersoon van een organisatie geworden"),
    "network.changed": N_("Een welzijnswerker heeft uw netwerk bijgewerkt"),
    "reciprocity.offers_listed": N_("Een welzijnswerker bekeek wie iets terug wil doen"),
    "reciprocity.offer_followed_up": N_("Een welzijnswerker schreef op wat er met uw aanbod om "
                                        "iets terug te doen is gebeurd"),
    "signal.viewed": N_("Een zorgsignaal is bekeken"),
    "signals.listed": N_("Zorgsignalen zijn opgevraagd"),
    "activity.signups_viewed": N_("De aanmeldingen van een activiteit zijn bekeken"),
    "team.member_set": N_("U bent aan een wijkteam toegevoegd"),
    "team.member_removed": N_("U bent uit een wijkteam gehaald"),
    "area.created": N_("Een gebied is gemaakt"),
    "area.updated": N_("Een gebied is gewijzigd"),
    "user.created": N_("Uw account is gemaakt"),
    "user.email_confirmed": N_("U heeft uw e-mailadres bevestigd"),
    "user.password_changed": N_("Uw wachtwoord is veranderd"),
    "user.roles_changed": N_("Wat u in Buurtmakelaar doet (uw rol) is veranderd"),
    "user.areas_changed": N_("Uw werkgebied is veranderd"),
    "user.activated": N_("Uw account is aangezet"),
    "user.deactivated": N_("Uw account is uitgezet"),
    "user.erased": N_("Uw gegevens zijn gewist"),
    "login": N_("U bent ingelogd"),
    "api_token.issued": N_("Er is een sleutel voor de koppeling (API) voor u gemaakt"),
    "data.exported": N_("U heeft uw gegevens gedownload"),
    "data.viewed": N_("Al uw gegevens zijn op het scherm bekeken"),
    "audit.viewed": N_("Een beheerder las in het logboek wie uw gegevens bekeek"),
    "match.answered_for_resident": N_("Een welzijnswerker gaf namens u antwoord op een aanbod "
                                      "van hulp"),
    "checkin.answered_for": N_("Een welzijnswerker vulde namens u in hoe de hulp gaat"),
}


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def account_part(user: User) -> dict[str, Any]:
    return {"id": user.id, "name": user.name, "email": user.email, "roles": list(user.roles),
            "areas": [a.name for a in user.areas], "locale": user.locale,
            "created_at": iso(user.created_at), "last_login_at": iso(user.last_login_at)}


def arrangement_part(arrangement: Arrangement, role: str) -> dict[str, Any]:
    answer = "resident_answer" if role == "resident" else "volunteer_answer"
    return {"id": arrangement.id, "request_id": arrangement.request_id, "you_are": role,
            "status": arrangement.status, "started_on": iso(arrangement.started_on),
            "planned_end_on": iso(arrangement.planned_end_on),
            "ended_on": iso(arrangement.ended_on),
            "checkins": [{"kind": c.kind, "due_on": iso(c.due_on),
                          "your_answer": getattr(c, answer),
                          "entered_by_worker": getattr(c, f"{answer}_by_id") is not None}
                         for c in checkins_of(arrangement)]}


def file_part(user: User) -> dict[str, Any]:
    """The resident's own file: the question, the plan, referrals (not the workers' notes)."""
    plan = plan_of(user)
    scores = db.session.scalars(select(LifeDomainScore).where(
        LifeDomainScore.resident_id == user.id).order_by(LifeDomainScore.recorded_at,
                                                         LifeDomainScore.id))
    return {
        "intakes": [{"at": iso(i.created_at), "question_as_asked": i.question_as_asked,
                     "underlying_need": i.underlying_need, "own_strength": i.own_strength,
                     "network_strength": i.network_strength,
                     "consent_special_data": i.consent_special_data,
                     "consent_purpose": i.consent_purpose, "consent_at": iso(i.consent_at)}
                    for i in casefile.intakes_of(user)],
        "life_domain_scores": [{"moment": s.moment, "domain": s.domain, "score": s.score,
                                "recorded_at": iso(s.recorded_at)} for s in scores],
        "plan": None if plan is None else {
            "goals": [{"description": g.description, "measure": g.measure, "term": g.term,
                       "target_on": iso(g.target_on), "status": g.status} for g in plan.goals],
            "actions": [{"actor": a.actor, "description": a.description, "done": a.done,
                         "due_on": iso(a.due_on)} for a in plan.actions]},
        "referrals": [{"partner": r.partner.name, "reason": r.reason, "status": r.status,
                       "created_at": iso(r.created_at), "stepped_down_at": iso(r.stepped_down_at),
                       "partner_answered_at": iso(r.partner_answered_at),
                       "partner_note": r.partner_note}
                      for r in referrals_of(user)],
    }


def audit_part(user: User) -> list[dict[str, Any]]:
    events = events_about(user.id, limit=5000)
    ids = {e.actor_user_id for e in events} | {e.on_behalf_of_user_id for e in events}
    names = {u.id: u.name for u in db.session.scalars(
        select(User).where(User.id.in_([i for i in ids if i is not None])))}
    return [{"at": iso(e.at), "action": e.action, "what": ACTIONS.get(e.action, e.action),
             "by": "you" if e.actor_user_id == user.id else names.get(e.actor_user_id),
             "on_behalf_of": names.get(e.on_behalf_of_user_id),
             "object_type": e.object_type, "object_id": e.object_id,
             "purpose": (e.detail or {}).get("purpose")} for e in events]


def export_for(user: User, now: datetime) -> dict[str, Any]:
    owned = list(db.session.scalars(select(HelpRequest).where(HelpRequest.owner_id == user.id)
                                    .order_by(HelpRequest.created_at, HelpRequest.id)))
    sent = db.session.scalars(select(Message).where(Message.sender_id == user.id)
                              .order_by(Message.created_at, Message.id))
    as_resident = casefile.arrangements_of_resident(user)
    as_volunteer = db.session.scalars(select(Arrangement).where(
        Arrangement.volunteer_id == user.id).order_by(Arrangement.id))
    profile = get_profile(user)
    return {
        "exported_at": iso(now),
        "account": account_part(user),
        "requests": [request_dict(r, View.FULL) for r in owned],
        "network": [{"name": m.name, "relation": m.relation, "can_help": list(m.can_help or []),
                     "cannot_help": m.cannot_help, "created_at": iso(m.created_at)}
                    for m in network_of(user.id)],
        "messages_sent": [{"request_id": m.request_id, "body": m.body,
                           "created_at": iso(m.created_at)} for m in sent],
        "arrangements": [arrangement_part(a, "resident") for a in as_resident]
        + [arrangement_part(a, "volunteer") for a in as_volunteer],
        "volunteer_profile": profile.as_dict() if profile is not None else None,
        "file": file_part(user),
        "audit_trail": audit_part(user),
    }
