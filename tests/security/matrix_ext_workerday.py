"""Matrix rows of the worker's day: the batch proposals of an area, partner contacts and
their plan actions, the consent per partner and the administrator's link of a contact to an
organisation, the follow-ups on the worklist and the volunteer-care pages. See
test_security_matrix.py.

The World's partner contact is tied (once per World) to a partner organisation that has an
action on the World resident's plan, with the resident's consent; the World's worker works
in that resident's area. Hidden actions (another organisation, no consent) answering 404
are tested in tests/functional/test_partner_contacts.py."""

from __future__ import annotations

from typing import Any

from tests.security.matrix_rules import only, to
from tests.security.security_support import once


def _partner_action(w: Any, m: Any) -> int:
    from marketplace.casework.referrals import save_partner
    from marketplace.casework.services import add_action
    from marketplace.partners import services

    def make() -> int:
        partner = save_partner("Schuldhulp (matrix)", line=2)
        services.set_contact(w.users["partner"], partner)
        action = add_action(w.users["resident"], actor="partner",
                            description="Budgetgesprek plannen", partner_id=partner.id)
        services.set_consent(w.users["resident"], partner, True, worker=w.users["worker"])
        return action.id

    return once(w, "workerday.action", make)


def _partner_referral(w: Any, m: Any) -> int:
    """A referral of the World's resident, sent to the partner contact's organisation."""
    from marketplace.casework.referrals import refer
    from marketplace.partners import services

    def make() -> int:
        _partner_action(w, m)  # ties the contact to its organisation
        partner = services.organisation_of(w.users["partner"])
        return refer(w.users["worker"], w.users["resident"], partner_id=partner.id,
                     reason="Er is meer zorg nodig dan de buurt kan geven.", consent=True).id

    return once(w, "workerday.referral", make)


def _care_volunteer(w: Any, m: Any) -> int:
    from marketplace.accounts.services import create_user
    from marketplace.volunteers.services import ProfileInput, save_profile

    def make() -> int:
        user = create_user("zorg-vrijwilliger@example.org", "Zorg Vrijwilliger",
                           roles=["volunteer"], confirmed=True)
        save_profile(user, ProfileInput(skills=["garden"], postcode="5527", radius_km=5))
        return user.id

    return once(w, "workerday.volunteer", make)


def _follow_up(w: Any, m: Any) -> int:
    from marketplace.casework.services import add_note
    from marketplace.clock import today

    return once(w, "workerday.note", lambda: add_note(
        w.users["worker"], w.users["resident"], kind="call", body="Terugbellen",
        follow_up_on=today()).id)


MATRIX = {
    # The batch of proposals for an area: workers of that area
    ("worker.batch", "GET"): only("worker"),
    ("worker.batch_send", "POST"): only("worker", outcome=to("/werk/voorstellen")),  # none ticked
    # Partner contacts: their organisation's actions, report one (empty: the page again)
    ("partners.actions", "GET"): only("partner"),
    ("partners.report", "POST"): only("partner"),
    # ... and the referrals sent to it, answer one (empty: the page again, with the message)
    ("partners.referrals_list", "GET"): only("partner"),
    ("partners.answer_referral", "POST"): only("partner"),
    # The worker records the resident's consent per partner
    ("partners.consent", "GET"): only("worker"),
    ("partners.consent", "POST"): only("worker", outcome=to(
        lambda w, m: f"/dossier/{w.users['resident'].id}/partners")),
    # Follow-ups on the worklist: done (empty: the worklist again, with the message)
    ("worker.follow_up_done", "POST"): only("worker"),
    # Volunteer care per area, and the "how are you?" mail (empty: the form again)
    ("volunteer_care.index", "GET"): only("worker"),
    ("volunteer_care.contact", "GET"): only("worker"),
    ("volunteer_care.contact", "POST"): only("worker"),
    # The administrator ties a contact to an organisation (empty: the form again)
    ("partners.contacts", "GET"): only("admin"),
    ("partners.contacts", "POST"): only("admin"),
}

URL_ARGS = {
    "partners.report": lambda w, m: {"action_id": _partner_action(w, m)},
    "partners.answer_referral": lambda w, m: {"referral_id": _partner_referral(w, m)},
    "partners.consent": lambda w, m: {"resident_id": w.users["resident"].id},
    "worker.follow_up_done": lambda w, m: {"note_id": _follow_up(w, m)},
    "volunteer_care.contact": lambda w, m: {"user_id": _care_volunteer(w, m)},
}

FORM_DATA = {
    "volunteer_care.contact": {"message": ""},
    "partners.contacts": {"user_id": "", "partner_id": ""},
}
